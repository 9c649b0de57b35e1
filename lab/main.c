/* tcplab: the lab controller: run, list, show and clean up scenarios. */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "version.h"

/* One subcommand: its name, whether it needs the data folders, its entry point and its usage line. */
struct command {
	const char *name;
	int needs_home;
	int (*run)(const struct home *h, int argc, char **argv);
	const char *usage;
};

static const struct command commands[] = {
	{ "run", 1, cmd_run, "run [--json] [--results DIR] SCENARIO   replay a scenario (a name or a .conf path; --backend docker)" },
	{ "compare", 1, cmd_compare, "compare [--profile P]... SCENARIO       replay under several profiles: one table" },
	{ "sweep", 1, cmd_sweep, "sweep --set S.K=V1,V2... SCENARIO       replay over a grid of settings: one table" },
	{ "report", 0, cmd_report, "report RESULTS_DIR                      rebuild report.html of a run or comparison folder" },
	{ "list", 1, cmd_list, "list                                    scenarios with their descriptions" },
	{ "show", 1, cmd_show, "show SCENARIO                           what a scenario does and expects" },
	{ "packets", 0, cmd_packets, "packets --server ADDR:PORT CLIENT.pcap [SERVER.pcap]  a ladder per connection from a run's captures" },
	{ "cleanup", 0, cmd_cleanup, "cleanup [--dry-run] [--results DIR]     remove what a killed run left: namespaces, .tmp folders" },
};

static void usage(FILE *out)
{
	fprintf(out, "usage: tcplab COMMAND [ARGS]\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %s\n", commands[i].usage);
	fprintf(out, "  --version                               print the version\n");
	fprintf(out, "exit status: 0 all expectations held, 1 one failed, 2 bad input, 3 this machine cannot run labs\n"
		     "or a lab program failed, 130 interrupted\n");
}

int main(int argc, char **argv)
{
	struct home h;
	struct tl_err err;
	const char *cmd = argc > 1 ? argv[1] : NULL;

	if (cmd != NULL && (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0)) {
		printf("tcplab %s\n", tl_version());
		return EXIT_PASS;
	}
	if (cmd == NULL || strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0) {
		usage(cmd == NULL ? stderr : stdout);
		return cmd == NULL ? EXIT_BAD_INPUT : EXIT_PASS;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(cmd, commands[i].name) != 0)
			continue;
		/* The lab commands take SIGINT/SIGTERM/SIGHUP from their first instant: a stop during set-up
		 * is an interrupted run (exit 130), never a process killed half-way. */
		if (strcmp(cmd, "run") == 0 || strcmp(cmd, "compare") == 0 || strcmp(cmd, "sweep") == 0)
			install_signals();
		if (commands[i].needs_home && home_find(&h, &err) != 0) {
			fprintf(stderr, "tcplab: %s\n", err.msg);
			return EXIT_ENVIRONMENT;
		}
		return commands[i].run(&h, argc - 1, argv + 1);
	}
	fprintf(stderr, "tcplab: unknown command '%s' (tcplab --help lists the commands)\n", cmd);
	return EXIT_BAD_INPUT;
}
