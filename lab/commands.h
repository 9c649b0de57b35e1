/* commands: the tcplab subcommands, their shared exit codes and helpers. */
#ifndef TL_COMMANDS_H
#define TL_COMMANDS_H

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

/* Print why labs cannot run here (not root, no network namespaces) and return -1; 0 when they can. */
int check_environment(void);

/* Resolve and load a scenario by name or path, printing the error; 0 or -1. */
int load_scenario(const struct home *h, const char *arg, struct scenario *sc);

/* Make SIGINT/SIGTERM/SIGHUP stop the run in order (run_stop_requested) instead of killing the controller. */
void install_signals(void);

/* tcplab run [--json] [--results DIR] SCENARIO */
int cmd_run(const struct home *h, int argc, char **argv);

/* tcplab compare [--profile SPEC]... [--repeat N] [--json] [--results DIR] SCENARIO */
int cmd_compare(const struct home *h, int argc, char **argv);

/* tcplab sweep --set SECTION.KEY=V1,V2 [...] [--repeat N] [--json] [--results DIR] SCENARIO */
int cmd_sweep(const struct home *h, int argc, char **argv);

/* tcplab report RESULTS_DIR */
int cmd_report(const struct home *h, int argc, char **argv);

struct compare_result;

/* Print a comparison's table (or compare.json with json_out) and where it was written; -1 when out of memory. */
int compare_print(const struct compare_result *res, int json_out);

/* Exit status of a comparison: 0 every replay completed, 1 one did not, 130 interrupted. */
int compare_exit_status(const struct compare_result *res);

/* Whether report.html can be written (gnuplot is installed); says once on stderr why not. */
int html_reports_wanted(void);

/* tcplab list */
int cmd_list(const struct home *h, int argc, char **argv);

/* tcplab show SCENARIO */
int cmd_show(const struct home *h, int argc, char **argv);

/* tcplab packets [--json] [--ladders N] --server ADDR:PORT CLIENT.pcap [SERVER.pcap] */
int cmd_packets(const struct home *h, int argc, char **argv);

/* tcplab cleanup [--dry-run] */
int cmd_cleanup(const struct home *h, int argc, char **argv);

#endif
