/* cmd_run: `tcplab run`: replay one scenario and print its summary or its run document. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd_opts.h"
#include "commands.h"
#include "path.h"
#include "report/html.h"
#include "report/junit.h"
#include "report/summary.h"
#include "run/run.h"

static void on_stop(int sig)
{
	(void)sig;
	run_stop_requested = 1;
}

void install_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: sleeps and waits return early so the run notices at once. */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

/* Labs need root and network namespaces; say which is missing. */
int check_environment(void)
{
	if (geteuid() != 0) {
		fprintf(stderr, "tcplab: labs need root: they create network namespaces and veth pairs\n");
		return -1;
	}
	if (access("/proc/self/ns/net", R_OK) != 0) {
		fprintf(stderr, "tcplab: this kernel has no network namespace support (/proc/self/ns/net)\n");
		return -1;
	}
	return 0;
}

int load_scenario_set(const struct home *h, const char *arg, const struct scenario_override *set, size_t n,
		      struct scenario *sc, struct tl_err *err)
{
	char path[TL_PATH_LEN];

	if (home_scenario_path(h, arg, path, sizeof(path), err) != 0 ||
	    scenario_load_overridden(path, h->profiles, h->bindir, set, n, sc, err) != 0) {
		fprintf(stderr, "tcplab: %s\n", err->msg);
		return -1;
	}
	return 0;
}

int load_scenario(const struct home *h, const char *arg, struct scenario *sc, struct tl_err *err)
{
	return load_scenario_set(h, arg, NULL, 0, sc, err);
}

/* --junit FILE: the run as one testsuite (an error testcase when it produced no document); says why it could
 * not be written, -1 then. */
static int run_junit(const char *path, const char *scenario, json_t *doc, const char *error, const char *dir,
		     int strict)
{
	char name[512];
	struct junit_suite suite = { .name = name, .doc = doc, .error = error, .dir = dir };
	struct tl_err err;

	junit_run_name(doc, scenario, name, sizeof(name));
	if (junit_write(path, &suite, 1, strict, &err) != 0) {
		fprintf(stderr, "tcplab: --junit: %s\n", err.msg);
		return -1;
	}
	return 0;
}

static const struct option run_long_opts[] = {
	LAB_COMMON_LONG_OPTS,
	{ "strict", no_argument, NULL, 'S' },
	{ "set", required_argument, NULL, 's' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static void run_usage(FILE *out)
{
	fprintf(out, "usage: tcplab run [--json] [--results DIR] [--junit FILE] [--[no-]capture] [--strict]\n"
		     "                  [--backend netns|docker] [--set SECTION.KEY=VALUE]... SCENARIO\n"
		     "  replay a scenario (a name tcplab list shows, or a .conf path): the summary, and the results\n"
		     "  folder (run.json, samples.csv, connections.csv, raw/, report.html)\n");
	lab_opts_usage(out);
	fprintf(out, "  --strict       an expectation whose evidence was not recorded (UNAVAILABLE) or is\n"
		     "                 incomplete (UNKNOWN) counts as failed: exit status 1 (and a failure in\n"
		     "                 the --junit file, not a skipped test)\n"
		     "  -s, --set S.K=V  replace a key of [scenario], [server], [client], [capture] or [link] for this\n"
		     "                 run (link.delay=50ms); checked like the file's own, at most %d; run.json's\n"
		     "                 run.settings lists them\n", LAB_SET_MAX);
}

const struct command command_run = {
	.name = "run",
	.summary = "replay a scenario (a name or a .conf path; --backend docker)",
	.needs_home = 1,
	.run = cmd_run,
	.shortopts = "hs:",
	.long_opts = run_long_opts,
	.usage = run_usage,
};

int cmd_run(const struct home *h, int argc, char **argv)
{
	struct lab_common_opts common;
	struct run_opts o = { .bindir = h->bindir };
	struct lab_settings settings = { .n = 0 };
	struct run_result res;
	struct scenario sc;
	struct tl_err err;
	int json_out;
	int c;
	int rc;

	if (lab_opts_init(&common, &err) != 0) {
		fprintf(stderr, "tcplab: %s\n", err.msg);
		return EXIT_BAD_INPUT;
	}
	optind = 1;
	while ((c = lab_opts_next(&common, argc, argv, command_run.shortopts, command_run.long_opts, &err)) != -1) {
		switch (c) {
		case LAB_OPT_BAD:
			fprintf(stderr, "tcplab: %s\n", err.msg);
			return EXIT_BAD_INPUT;
		case 'S':
			o.strict = 1;
			break;
		case 's':
			if (lab_settings_add(&settings, optarg, &err) != 0) {
				fprintf(stderr, "tcplab: %s\n", err.msg);
				return EXIT_BAD_INPUT;
			}
			break;
		case 'h':
			command_usage(&command_run, stdout);
			return EXIT_PASS;
		default:
			return EXIT_BAD_INPUT;
		}
	}
	json_out = common.json_out;
	o.results_dir = common.results_dir;
	o.capture = common.capture;
	o.backend = &common.backend;
	if (optind != argc - 1) {
		fprintf(stderr, "tcplab: run takes one scenario (tcplab list shows them)\n");
		return EXIT_BAD_INPUT;
	}
	if (load_scenario_set(h, argv[optind], settings.set, settings.n, &sc, &err) != 0) {
		/* A scenario that no longer loads is a result CI should show too. */
		if (common.junit_path != NULL)
			run_junit(common.junit_path, argv[optind], NULL, err.msg, NULL, o.strict);
		return EXIT_BAD_INPUT;
	}
	o.settings = settings.text;
	o.setting_count = settings.n;
	if (lab_opts_check_environment(&common) != 0) {
		scenario_free(&sc);
		return EXIT_ENVIRONMENT;
	}
	o.live_status = !json_out && isatty(STDERR_FILENO);
	install_signals();
	if (run_scenario(&sc, &o, &res, &err) != 0 && res.doc == NULL) {
		fprintf(stderr, "tcplab: %s: %s\n", sc.name, err.msg);
		if (common.junit_path != NULL)
			run_junit(common.junit_path, sc.name, NULL, err.msg, NULL, o.strict);
		scenario_free(&sc);
		return run_stop_requested ? EXIT_INTERRUPTED : EXIT_ENVIRONMENT;
	}
	if (json_out) {
		json_dumpf(res.doc, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
		fputc('\n', stdout);
	} else {
		char *text = summary_render(res.doc, SUMMARY_TERMINAL);

		if (text != NULL)
			fputs(text, stdout);
		free(text);
		printf("results: %s\n", res.dir);
	}
	/* The page is drawn from the folder's own files, so it can be rebuilt later with tcplab report. */
	if (html_reports_wanted()) {
		if (html_report_run(res.dir, &err) != 0)
			fprintf(stderr, "tcplab: %s/report.html: %s\n", res.dir, err.msg);
		else if (!json_out)
			printf("report: %s/report.html\n", res.dir);
	}
	if (res.interrupted)
		rc = EXIT_INTERRUPTED;
	else if (json_is_string(json_object_get(json_object_get(res.doc, "run"), "error")))
		rc = EXIT_ENVIRONMENT;
	else
		rc = res.failed_expects > 0 ? EXIT_EXPECT_FAILED : EXIT_PASS;
	/* A verdict CI cannot read is no pass. */
	if (common.junit_path != NULL && run_junit(common.junit_path, sc.name, res.doc, NULL, res.dir, o.strict) != 0 &&
	    rc == EXIT_PASS)
		rc = EXIT_ENVIRONMENT;
	json_decref(res.doc);
	scenario_free(&sc);
	return rc;
}

