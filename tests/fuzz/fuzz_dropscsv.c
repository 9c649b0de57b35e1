/* fuzz_dropscsv: any bytes as the raw/drops.csv of a results folder, checked as tcplab report checks it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "input.h"
#include "report/html_drops.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char dir[256];
	char raw[300];
	struct tl_err err;

	if (dir[0] == '\0') {
		/* The private folder fuzz_file makes, with a raw/ inside it. */
		const char *probe = fuzz_file("probe", data, 0);
		char *slash;

		snprintf(dir, sizeof(dir), "%s", probe);
		slash = strrchr(dir, '/');
		if (slash == NULL)
			abort();
		*slash = '\0';
		snprintf(raw, sizeof(raw), "%s/raw", dir);
		if (mkdir(raw, 0700) != 0 && errno != EEXIST)
			abort();
	}
	fuzz_file("raw/drops.csv", data, size);
	if (html_drops_check(dir, &err) != 0 && err.msg[0] == '\0')
		abort();
	return 0;
}
