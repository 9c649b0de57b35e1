/* cmd_sweep: `tcplab sweep`: replay a scenario over a grid of settings and print one table, one column per point. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd_opts.h"
#include "commands.h"
#include "parse.h"
#include "path.h"
#include "run/run.h"
#include "run/sweep.h"

#define REPEAT_MAX 100

static const struct option sweep_long_opts[] = {
	LAB_COMMON_LONG_OPTS,
	{ "set", required_argument, NULL, 's' },
	{ "repeat", required_argument, NULL, 'n' },
	{ "strict", no_argument, NULL, 'S' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static void usage(FILE *out)
{
	fprintf(out,
		"usage: tcplab sweep --set SECTION.KEY=V1,V2,... [--set ...] [--repeat N] [--json] [--results DIR]\n"
		"                    [--junit FILE [--strict]] [--[no-]capture] [--backend netns|docker] SCENARIO\n"
		"  replay a scenario over a grid of settings: one table, a column per combination\n"
		"  -s, --set S.K=V,...  a key of [scenario], [server], [client], [capture] or [link] and the values it\n"
		"                   takes; with several --set every combination is a column (at most %d)\n"
		"  -n, --repeat N   replay each combination N times: median and min..max (default 1)\n",
		SWEEP_POINTS_MAX);
	lab_opts_usage(out);
	fprintf(out, "%s", COMPARE_STRICT_USAGE);
}

/* What the output options asked for. */
struct sweep_output {
	int json_out;
	const char *junit_path; /* NULL: no JUnit file */
	int strict;
};

static int run_points(const struct home *h, const struct sweep *s, const char *path, struct compare_opts *o,
		      const struct sweep_output *out)
{
	size_t n = sweep_points(s);
	struct scenario *scs = calloc(SWEEP_POINTS_MAX + 1, sizeof(*scs));
	struct compare_spec *specs = calloc(SWEEP_POINTS_MAX + 1, sizeof(*specs));
	struct compare_result res;
	struct tl_err err;
	int rc;

	if (scs == NULL || specs == NULL) {
		free(scs);
		free(specs);
		fprintf(stderr, "tcplab: out of memory\n");
		return EXIT_ENVIRONMENT;
	}
	if (sweep_load(s, path, h->profiles, h->bindir, scs, specs, &err) != 0) {
		fprintf(stderr, "tcplab: %s\n", err.msg);
		if (out->junit_path != NULL)
			compare_junit_failed(out->junit_path, path, err.msg, out->strict);
		free(scs);
		free(specs);
		return EXIT_BAD_INPUT;
	}
	if (lab_opts_check_environment(&(struct lab_common_opts){ .backend = *o->backend }) != 0) {
		rc = EXIT_ENVIRONMENT;
	} else {
		o->live_status = !out->json_out && isatty(STDERR_FILENO);
		o->progress = 1;
		o->html = html_reports_wanted();
		install_signals();
		if (compare_run(specs, n, o, &res, &err) != 0) {
			fprintf(stderr, "tcplab: %s: %s\n", scs[0].name, err.msg);
			if (out->junit_path != NULL)
				compare_junit_failed(out->junit_path, scs[0].name, err.msg, out->strict);
			rc = run_stop_requested ? EXIT_INTERRUPTED : EXIT_ENVIRONMENT;
		} else {
			rc = compare_print(&res, out->json_out) != 0 ? EXIT_ENVIRONMENT : compare_exit_status(&res);
			if (out->junit_path != NULL && compare_junit(&res, out->junit_path, out->strict) != 0 &&
			    rc == EXIT_PASS)
				rc = EXIT_ENVIRONMENT;
		}
		compare_result_free(&res);
	}
	for (size_t i = 0; i < n; i++)
		scenario_free(&scs[i]);
	free(scs);
	free(specs);
	return rc;
}

const struct command command_sweep = {
	.name = "sweep",
	.summary = "replay over a grid of settings: one table",
	.needs_home = 1,
	.run = cmd_sweep,
	.shortopts = "hn:s:",
	.long_opts = sweep_long_opts,
	.usage = usage,
	.exit_status = "0 every replay completed, 1 a replay did not complete, 2 bad input (a value the\n"
		       "scenario or its programs refuse), 3 this machine cannot run labs, 130 interrupted",
};

int cmd_sweep(const struct home *h, int argc, char **argv)
{
	struct compare_opts o = { .bindir = h->bindir, .kind = "sweep", .side = "", .repeat = 1 };
	struct lab_common_opts common;
	struct sweep *s = calloc(1, sizeof(*s));
	char path[TL_PATH_LEN];
	struct tl_err err;
	struct sweep_output out = { 0 };
	long repeat;
	int c;
	int rc;

	if (s == NULL) {
		fprintf(stderr, "tcplab: out of memory\n");
		return EXIT_ENVIRONMENT;
	}
	if (lab_opts_init(&common, &err) != 0) {
		fprintf(stderr, "tcplab: %s\n", err.msg);
		free(s);
		return EXIT_BAD_INPUT;
	}
	optind = 1;
	while ((c = lab_opts_next(&common, argc, argv, command_sweep.shortopts, command_sweep.long_opts, &err)) != -1) {
		switch (c) {
		case LAB_OPT_BAD:
			fprintf(stderr, "tcplab: %s\n", err.msg);
			free(s);
			return EXIT_BAD_INPUT;
		case 's':
			if (sweep_add_axis(s, optarg, &err) != 0) {
				fprintf(stderr, "tcplab: %s\n", err.msg);
				free(s);
				return EXIT_BAD_INPUT;
			}
			break;
		case 'n':
			if (parse_long(optarg, 1, REPEAT_MAX, &repeat, "--repeat", &err) != 0) {
				fprintf(stderr, "tcplab: %s\n", err.msg);
				free(s);
				return EXIT_BAD_INPUT;
			}
			o.repeat = (int)repeat;
			break;
		case 'S':
			out.strict = 1;
			break;
		case 'h':
			command_usage(&command_sweep, stdout);
			free(s);
			return EXIT_PASS;
		default:
			free(s);
			return EXIT_BAD_INPUT;
		}
	}
	out.json_out = common.json_out;
	out.junit_path = common.junit_path;
	o.results_dir = common.results_dir;
	o.capture = common.capture;
	o.backend = &common.backend;
	if (optind != argc - 1 || s->axis_count == 0) {
		fprintf(stderr, "tcplab: sweep takes one scenario and at least one --set SECTION.KEY=V1,V2\n");
		free(s);
		return EXIT_BAD_INPUT;
	}
	if (home_scenario_path(h, argv[optind], path, sizeof(path), &err) != 0) {
		fprintf(stderr, "tcplab: %s\n", err.msg);
		if (out.junit_path != NULL)
			compare_junit_failed(out.junit_path, argv[optind], err.msg, out.strict);
		free(s);
		return EXIT_BAD_INPUT;
	}
	rc = run_points(h, s, path, &o, &out);
	free(s);
	return rc;
}
