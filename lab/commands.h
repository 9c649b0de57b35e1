/* commands: the tcplab subcommands, their shared exit codes and helpers. */
#ifndef TL_COMMANDS_H
#define TL_COMMANDS_H

#include <getopt.h>
#include <stddef.h>
#include <stdio.h>

#include "home.h"
#include "scenario/scenario.h"

/* Exit status of every subcommand. */
enum exit_code {
	EXIT_PASS = 0,          /* every expectation held */
	EXIT_EXPECT_FAILED = 1, /* an expectation failed */
	EXIT_BAD_INPUT = 2,     /* a bad file, option or name: nothing was started */
	EXIT_ENVIRONMENT = 3,   /* this machine cannot run labs, or a lab program failed */
	EXIT_INTERRUPTED = 130, /* SIGINT/SIGTERM: results written and marked interrupted */
};

/*
 * One subcommand, described once in its own file: what it parses (the getopt tables it runs with) and what its
 * usage says. `tcplab --help`, `tcplab help NAME`, `tcplab NAME --help`, the man page and the shell completion
 * all come from these (tests/unit/test_cli_help.c checks that every option parsed is in the usage).
 */
struct command {
	const char *name;
	const char *summary;            /* one line for the list of commands */
	int needs_home;                 /* it reads the data folders (scenarios, profiles) */
	int (*run)(const struct home *h, int argc, char **argv);
	const char *shortopts;          /* getopt_long's short options ("" or NULL: none) */
	const struct option *long_opts; /* getopt_long's table ending in a NULL name (NULL: no options) */
	void (*usage)(FILE *out);       /* synopsis and a line per option (command_usage adds --help) */
	const char *exit_status;        /* what its exit status means, when not the one every command shares */
};

/* Every subcommand, in the order the help lists them; *n gets how many. */
const struct command *const *commands_all(size_t *n);

/* The subcommand called name, or NULL. */
const struct command *command_find(const char *name);

/* One subcommand's usage: its own text, the --help line every command takes, and its exit status if its own. */
void command_usage(const struct command *c, FILE *out);

/* The commands with a line each, and the exit status. */
void commands_overview(FILE *out);

/* `tcplab --help`: the overview, then every command's usage in full. */
void commands_help(FILE *out);

/* The subcommands (each defined beside its cmd_* function). */
extern const struct command command_run, command_compare, command_sweep, command_report, command_list, command_show,
	command_packets, command_cleanup, command_junit_merge;

/* Print why labs cannot run here (not root, no network namespaces) and return -1; 0 when they can. */
int check_environment(void);

/* Resolve and load a scenario by name or path, printing the error (and leaving it in err); 0 or -1. */
int load_scenario(const struct home *h, const char *arg, struct scenario *sc, struct tl_err *err);

/* load_scenario with n keys replaced first (tcplab run --set); prints the error. */
int load_scenario_set(const struct home *h, const char *arg, const struct scenario_override *set, size_t n,
		      struct scenario *sc, struct tl_err *err);

/* Make SIGINT/SIGTERM/SIGHUP stop the run in order (run_stop_requested) instead of killing the controller. */
void install_signals(void);

/* tcplab run [--json] [--results DIR] SCENARIO */
int cmd_run(const struct home *h, int argc, char **argv);

/* tcplab compare [--profile SPEC]... [--repeat N] [--json] [--results DIR] SCENARIO, or RUN_FOLDER... */
int cmd_compare(const struct home *h, int argc, char **argv);

/* tcplab sweep --set SECTION.KEY=V1,V2 [...] [--repeat N] [--json] [--results DIR] SCENARIO */
int cmd_sweep(const struct home *h, int argc, char **argv);

/* tcplab report RESULTS_DIR */
int cmd_report(const struct home *h, int argc, char **argv);

struct compare_result;

/* Print a comparison's table (or compare.json with json_out) and where it was written; -1 when out of memory. */
int compare_print(const struct compare_result *res, int json_out);

/* --junit FILE of a comparison or sweep: a testsuite per replay, named by the scenario and the column's profiles
 * or settings (strict: UNAVAILABLE and UNKNOWN are failures); prints why not and returns -1. */
int compare_junit(const struct compare_result *res, const char *path, int strict);

/* --junit FILE of a comparison that wrote nothing: one suite, one error testcase; prints why not, -1. */
int compare_junit_failed(const char *path, const char *scenario, const char *error, int strict);

/* The --strict line of compare's and sweep's usage: it changes the JUnit file only. */
#define COMPARE_STRICT_USAGE                                                                              \
	"  --strict       in the --junit file an UNAVAILABLE or UNKNOWN verdict is a failure, not a skipped\n" \
	"                 test (the exit status still says whether every replay completed)\n"

/* Exit status of a comparison: 0 every replay completed, 1 one did not, 130 interrupted. */
int compare_exit_status(const struct compare_result *res);

/* Whether report.html can be written (gnuplot is installed); says once on stderr why not. */
int html_reports_wanted(void);

/* tcplab list */
int cmd_list(const struct home *h, int argc, char **argv);

/* tcplab show SCENARIO */
int cmd_show(const struct home *h, int argc, char **argv);

/* tcplab packets [--json] [--ladders N | --port PORT [--client ADDR]...] [--server ADDR:PORT] FILES or RESULTS_DIR */
int cmd_packets(const struct home *h, int argc, char **argv);

/* tcplab cleanup [--dry-run] [--results DIR] */
int cmd_cleanup(const struct home *h, int argc, char **argv);

/* tcplab junit-merge --output FILE JUNIT_FILE... */
int cmd_junit_merge(const struct home *h, int argc, char **argv);

#endif
