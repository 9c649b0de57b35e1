/* cmd_junit_merge: `tcplab junit-merge`: the JUnit files of several runs as one, for CI systems that take one file. */
#include <getopt.h>
#include <stdio.h>

#include "commands.h"
#include "report/junit.h"

static const struct option junit_merge_long_opts[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static void junit_merge_usage(FILE *out)
{
	fprintf(out, "usage: tcplab junit-merge --output FILE JUNIT_FILE...\n"
		     "  join the testsuites of JUnit files (tcplab run/compare/sweep --junit) into one file with\n"
		     "  the totals added up (make lab JUNIT=FILE uses it)\n"
		     "  -o, --output FILE  the merged file (written under a fresh name beside it, then renamed)\n");
}

const struct command command_junit_merge = {
	.name = "junit-merge",
	.summary = "join JUnit files of runs into one (CI)",
	.needs_home = 0,
	.run = cmd_junit_merge,
	.shortopts = "ho:",
	.long_opts = junit_merge_long_opts,
	.usage = junit_merge_usage,
};

int cmd_junit_merge(const struct home *h, int argc, char **argv)
{
	const char *output = NULL;
	struct tl_err err;
	int c;

	(void)h;
	optind = 1;
	while ((c = getopt_long(argc, argv, command_junit_merge.shortopts, command_junit_merge.long_opts, NULL)) !=
	       -1) {
		switch (c) {
		case 'o':
			output = optarg;
			break;
		case 'h':
			command_usage(&command_junit_merge, stdout);
			return EXIT_PASS;
		default:
			return EXIT_BAD_INPUT;
		}
	}
	if (output == NULL || output[0] == '\0' || optind >= argc) {
		fprintf(stderr, "tcplab: junit-merge takes --output FILE and at least one JUnit file\n");
		return EXIT_BAD_INPUT;
	}
	if (junit_merge(output, argv + optind, (size_t)(argc - optind), &err) != 0) {
		fprintf(stderr, "tcplab: junit-merge: %s\n", err.msg);
		return EXIT_BAD_INPUT;
	}
	return EXIT_PASS;
}
