/* fuzz_parse: the shared value parsers (integers, durations, sizes, on/off, ADDR:PORT, prefixes) on any text. */
#include <stdlib.h>
#include <string.h>

#include "input.h"
#include "ipv4_prefix.h"
#include "parse.h"

/* The first byte picks the parser, the rest is its text; every accepted value must lie inside its range. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tl_err err;
	char *text;
	char shown[64];
	long l;
	int64_t v;
	int on;
	struct sockaddr_in sa;
	struct ipv4_prefix prefix;

	if (size < 1)
		return 0;
	text = fuzz_cstring(data + 1, size - 1);
	switch (data[0] % 6) {
	case 0:
		if (parse_long(text, -1000, 1000000, &l, "n", &err) == 0 && (l < -1000 || l > 1000000))
			abort();
		break;
	case 1:
		if (parse_duration_us(text, &v, "d", &err) == 0) {
			if (v < 0)
				abort();
			format_duration_us(v, shown, sizeof(shown));
		}
		break;
	case 2:
		if (parse_size_bytes(text, &v, "s", &err) == 0 && (v < 0 || v > (int64_t)1 << 30))
			abort();
		break;
	case 3:
		if (parse_onoff(text, &on, "o", &err) == 0 && on != 0 && on != 1)
			abort();
		break;
	case 4:
		if (parse_ipv4_port(text, &sa, "a", &err) == 0 && sa.sin_port == 0)
			abort();
		break;
	case 5:
		if (ipv4_prefix_parse(text, "p", &prefix, &err) == 0 && (prefix.length < 0 || prefix.length > 32))
			abort();
		break;
	}
	/* Every message is one bounded, terminated string. */
	if (memchr(err.msg, '\0', sizeof(err.msg)) == NULL)
		abort();
	free(text);
	return 0;
}
