/* fuzz_sockdiag: any bytes as netlink replies to an inet_diag dump or to a batch of listener lookups. */
#include <stdlib.h>
#include <string.h>

#include "input.h"
#include "probe/sockdiag.h"

/* The numbers the seeds' replies carry, so a mutated reply still reaches the parsers past the seq/pid checks. */
#define SEQ 77
#define PID 4242
#define PORT 8080

/* The first byte picks the parser; the rest, copied to an aligned buffer as the kernel's would be, is the reply. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static _Alignas(8) unsigned char buf[SOCKDIAG_RECV_BYTES];
	static struct sockdiag_sample out;
	struct sockdiag_listener known[2] = {
		{ .inode = 100, .cookie = { 1, 0 } },
		{ .inode = 101, .cookie = { 2, 0 } },
	};
	struct tl_err err;

	if (size < 1 || size - 1 > sizeof(buf))
		return 0;
	memcpy(buf, data + 1, size - 1);
	if (data[0] & 1) {
		struct sockdiag_lookups l;

		sockdiag_lookups_begin(&l, SEQ, PID, PORT, known, 2, &out);
		sockdiag_parse_lookups(&l, buf, size - 1, &out, &err);
	} else {
		struct sockdiag_dump d;

		sockdiag_dump_begin(&d, SEQ, PID, (data[0] & 2) ? 0 : PORT, &out);
		sockdiag_parse(&d, buf, size - 1, &out, &err);
	}
	if (out.listener_count > SOCKDIAG_MAX_LISTENERS)
		abort();
	return 0;
}
