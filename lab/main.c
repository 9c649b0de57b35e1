/* tcplab: the lab controller: run, list, show and clean up scenarios. */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "version.h"

static int is_help(const char *arg)
{
	return strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0;
}

/* tcplab help [COMMAND] */
static int help(int argc, char **argv)
{
	const struct command *c = argc > 2 ? command_find(argv[2]) : NULL;

	if (argc > 3 || (argc == 3 && c == NULL)) {
		fprintf(stderr, "tcplab: help takes one command (tcplab --help lists them)\n");
		return EXIT_BAD_INPUT;
	}
	if (c != NULL)
		command_usage(c, stdout);
	else
		commands_help(stdout);
	return EXIT_PASS;
}

int main(int argc, char **argv)
{
	const struct command *c;
	const char *cmd = argc > 1 ? argv[1] : NULL;
	struct home h;
	struct tl_err err;

	if (cmd != NULL && (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0)) {
		printf("tcplab %s\n", tl_version());
		return EXIT_PASS;
	}
	if (cmd == NULL) {
		commands_overview(stderr);
		return EXIT_BAD_INPUT;
	}
	if (is_help(cmd) || strcmp(cmd, "help") == 0)
		return help(argc, argv);
	c = command_find(cmd);
	if (c == NULL) {
		fprintf(stderr, "tcplab: unknown command '%s' (tcplab --help lists the commands)\n", cmd);
		return EXIT_BAD_INPUT;
	}
	/* Every command takes --help first, whether it parses options or not (list, show). */
	if (argc == 3 && is_help(argv[2])) {
		command_usage(c, stdout);
		return EXIT_PASS;
	}
	/* The lab commands take SIGINT/SIGTERM/SIGHUP from their first instant: a stop during set-up
	 * is an interrupted run (exit 130), never a process killed half-way. */
	if (strcmp(cmd, "run") == 0 || strcmp(cmd, "compare") == 0 || strcmp(cmd, "sweep") == 0)
		install_signals();
	if (c->needs_home && home_find(&h, &err) != 0) {
		fprintf(stderr, "tcplab: %s\n", err.msg);
		return EXIT_ENVIRONMENT;
	}
	return c->run(&h, argc - 1, argv + 1);
}
