/* fuzz_server_opts: any command line of tcplab-server (arguments split at newlines) through its option parser. */
#include <stdlib.h>
#include <string.h>

#include "../../server/opts.h"
#include "input.h"

#define ARGS_MAX 32

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_cstring(data, size);
	char *argv[ARGS_MAX + 2];
	int argc;
	struct server_opts opts;
	enum opts_action action;
	struct tl_err err;

	argc = fuzz_argv("tcplab-server", text, argv, ARGS_MAX);
	if (opts_parse(argc, argv, &opts, &action, &err) == 0) {
		char buf[64];

		opts_format_discipline(&opts, buf, sizeof(buf));
		if (opts.body_bytes < 0 || opts.handle_us < 0 || opts.backlog < 0)
			abort();
	}
	free(text);
	return 0;
}
