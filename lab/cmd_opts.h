/* cmd_opts: the options run, compare and sweep share (output, results folder, capture, backend), one table. */
#ifndef TL_CMD_OPTS_H
#define TL_CMD_OPTS_H

#include <getopt.h>
#include <stdio.h>

#include "run/backend.h"
#include "run/run.h"
#include "scenario/scenario.h"
#include "tl_err.h"

/* The shared options' getopt codes, above any short option letter. */
enum { LAB_OPT_JSON = 0x100, LAB_OPT_RESULTS, LAB_OPT_CAPTURE, LAB_OPT_NO_CAPTURE, LAB_OPT_BACKEND, LAB_OPT_JUNIT };

/* The shared entries of a command's getopt_long table; the command puts its own after them (and the NULL entry). */
#define LAB_COMMON_LONG_OPTS                                                                  \
	{ "json", no_argument, NULL, LAB_OPT_JSON }, { "results", required_argument, NULL, LAB_OPT_RESULTS }, \
		{ "capture", no_argument, NULL, LAB_OPT_CAPTURE },                                    \
		{ "junit", required_argument, NULL, LAB_OPT_JUNIT },                                  \
		{ "no-capture", no_argument, NULL, LAB_OPT_NO_CAPTURE },                              \
		{ "backend", required_argument, NULL, LAB_OPT_BACKEND },                              \
		{ "server-agent", required_argument, NULL, LAB_OPT_BACKEND },                         \
		{ "client-agent", required_argument, NULL, LAB_OPT_BACKEND },                         \
		{ "agent-token-file", required_argument, NULL, LAB_OPT_BACKEND }

/* What the shared options set. */
struct lab_common_opts {
	int json_out;
	const char *results_dir;  /* "results" unless --results */
	const char *junit_path;   /* --junit FILE: the verdicts as JUnit XML; NULL: none */
	enum run_capture capture; /* as the scenario says unless --capture / --no-capture */
	struct backend_config backend;
};

/* Defaults, the backend from the environment (TCPLAB_BACKEND, ...); -1 with err when that is bad. */
int lab_opts_init(struct lab_common_opts *o, struct tl_err *err);

/* What lab_opts_next returns for a shared option with a bad value (err says which). */
#define LAB_OPT_BAD (-2)

/* The next option of argv that is the command's own (getopt_long's code; -1 at the end), the shared ones taken
 * on the way; LAB_OPT_BAD with err on a bad value of a shared one. Set optind = 1 before the first call. */
int lab_opts_next(struct lab_common_opts *o, int argc, char **argv, const char *shortopts,
		  const struct option *long_opts, struct tl_err *err);

/* How many keys one run or comparison may replace with --set. */
#define LAB_SET_MAX 16

/* The keys --set replaced for every replay of run and compare: parsed, and as given (for run.settings). */
struct lab_settings {
	struct scenario_override set[LAB_SET_MAX];
	const char *text[LAB_SET_MAX];
	size_t n;
};

/* Take one --set SECTION.KEY=VALUE; -1 with err when it is malformed, names no replaceable key, or is one too
 * many. */
int lab_settings_add(struct lab_settings *s, const char *arg, struct tl_err *err);

/* The shared options' lines of a command's --help. */
void lab_opts_usage(FILE *out);

/* Labs on this backend can run here (root and network namespaces where it needs them); prints why not. */
int lab_opts_check_environment(const struct lab_common_opts *o);

#endif
