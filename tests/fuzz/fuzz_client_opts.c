/* fuzz_client_opts: any command line of tcplab-client (arguments split at newlines) through its option parser. */
#include <stdlib.h>
#include <string.h>

#include "../../client/opts.h"
#include "input.h"

#define ARGS_MAX 32

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_cstring(data, size);
	char *argv[ARGS_MAX + 2];
	int argc;
	struct client_opts opts;
	struct tl_err err;

	argc = fuzz_argv("tcplab-client", text, argv, ARGS_MAX);
	if (client_opts_parse(argc, argv, &opts, &err) == 0 &&
	    (opts.concurrency < 1 || opts.duration_us < 0 || opts.timeout_us < 0 || opts.hold_us < 0))
		abort();
	free(text);
	return 0;
}
