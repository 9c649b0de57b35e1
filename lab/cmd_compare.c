/* cmd_compare: `tcplab compare`: replay one scenario under several profiles, or set finished run folders side by side:
 * one table, a column each. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd_opts.h"
#include "commands.h"
#include "parse.h"
#include "path.h"
#include "report/compare_text.h"
#include "report/junit.h"
#include "run/compare.h"
#include "run/compare_stored.h"
#include "run/run.h"

/* More columns than this do not fit a terminal; a sweep is the tool for grids. */
#define COMPARE_COLUMNS_MAX 16
#define REPEAT_MAX 100

/* A parsed --profile: which profile goes to which side. */
struct profile_choice {
	char label[192];
	struct profile server;
	struct profile client;
	int has_server;
	int has_client;
};

static int load_named(const struct home *h, const char *name, struct profile *p, struct tl_err *err)
{
	char path[TL_PATH_LEN];

	if (profile_find(h->profiles, name, path, sizeof(path), err) != 0 || profile_load(path, p, err) != 0)
		return -1;
	return 0;
}

/* "NAME" (both sides), "server=NAME", "client=NAME", or both joined by a comma. */
static int parse_choice(const struct home *h, const char *spec, struct profile_choice *pc, struct tl_err *err)
{
	const char *p = spec;

	memset(pc, 0, sizeof(*pc));
	snprintf(pc->label, sizeof(pc->label), "%s", spec);
	if (strchr(spec, '=') == NULL) {
		if (load_named(h, spec, &pc->server, err) != 0)
			return tl_err_wrap(err, "--profile %s", spec);
		pc->client = pc->server;
		pc->has_server = pc->has_client = 1;
		return 0;
	}
	while (*p != '\0') {
		size_t n = strcspn(p, ",");
		char part[160];
		char *eq;

		snprintf(part, sizeof(part), "%.*s", (int)(n < sizeof(part) ? n : sizeof(part) - 1), p);
		eq = strchr(part, '=');
		if (eq == NULL)
			return tl_errf(err, "--profile %s: '%s' is not server=NAME or client=NAME", spec, part);
		*eq = '\0';
		if (strcmp(part, "server") == 0 && !pc->has_server) {
			pc->has_server = 1;
			if (load_named(h, eq + 1, &pc->server, err) != 0)
				return tl_err_wrap(err, "--profile %s", spec);
		} else if (strcmp(part, "client") == 0 && !pc->has_client) {
			pc->has_client = 1;
			if (load_named(h, eq + 1, &pc->client, err) != 0)
				return tl_err_wrap(err, "--profile %s", spec);
		} else {
			return tl_errf(err, "--profile %s: expected NAME, server=NAME, client=NAME or "
					    "server=NAME,client=NAME", spec);
		}
		p += n;
		if (*p == ',')
			p++;
	}
	return 0;
}

static const char *side_of(const struct profile_choice *pc, size_t n)
{
	int server = 1, client = 1, both = 1;

	for (size_t i = 0; i < n; i++) {
		server &= pc[i].has_server && !pc[i].has_client;
		client &= pc[i].has_client && !pc[i].has_server;
		both &= pc[i].has_server && pc[i].has_client;
	}
	return both ? "both" : server ? "server" : client ? "client" : "mixed";
}

static const struct option compare_long_opts[] = {
	LAB_COMMON_LONG_OPTS,
	{ "profile", required_argument, NULL, 'p' },
	{ "repeat", required_argument, NULL, 'n' },
	{ "set", required_argument, NULL, 's' },
	{ "strict", no_argument, NULL, 'S' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static void usage(FILE *out)
{
	fprintf(out,
		"usage: tcplab compare [--profile SPEC]... [--repeat N] [--set SECTION.KEY=VALUE]... [--json]\n"
		"                      [--results DIR] [--junit FILE [--strict]] [--[no-]capture] [--backend netns|docker]\n"
		"                      SCENARIO\n"
		"       tcplab compare [--json] [--results DIR] [--junit FILE [--strict]] RUN_FOLDER...\n"
		"  replay a scenario under several sysctl profiles: one table, a column per profile;\n"
		"  or set finished run folders (of one scenario, from any machine or kernel) side by side as they\n"
		"  were recorded, a column each (at most 64), in a new comparison folder under --results.\n"
		"  An argument with a '/' (not ending in .conf) or naming an existing folder is a run folder;\n"
		"  anything else is a scenario (a scenario name never has a '/'). The two do not mix\n"
		"  -p, --profile SPEC  a column: NAME (both sides), server=NAME, client=NAME, or\n"
		"                  server=NAME,client=NAME; repeat for each column. Without it the\n"
		"                  scenario's [compare] profiles are used, on the server side\n"
		"  -n, --repeat N  replay each column N times: median and min..max (default 1)\n"
		"  -s, --set S.K=V  replace a key of [scenario], [server], [client], [capture] or [link] in every\n"
		"                  column (link.delay=100ms); at most %d\n", LAB_SET_MAX);
	lab_opts_usage(out);
	fprintf(out, "%s", COMPARE_STRICT_USAGE);
}

const struct command command_compare = {
	.name = "compare",
	.summary = "replay under several profiles: one table",
	.needs_home = 1,
	.run = cmd_compare,
	.shortopts = "hn:p:s:",
	.long_opts = compare_long_opts,
	.usage = usage,
	.exit_status = "0 every replay (run folder) completed (whatever the expectations said), 1 one did\n"
		       "not complete, 2 bad input (a refused run folder too), 3 this machine cannot run labs or the\n"
		       "comparison could not be written, 130 interrupted",
};

/* The columns: --profile choices, or the scenario's [compare] profiles on the server side. */
static int choose_columns(const struct home *h, char **specs, size_t spec_count, const struct scenario *sc,
			  struct profile_choice *pc, size_t *n, struct tl_err *err)
{
	*n = 0;
	if (spec_count == 0 && sc->compare_count == 0)
		return tl_errf(err, "%s has no [compare] profiles: name the columns with --profile", sc->name);
	for (size_t i = 0; i < spec_count; i++) {
		if (parse_choice(h, specs[i], &pc[i], err) != 0)
			return -1;
		(*n)++;
	}
	/* The queue being compared is the server's; the client keeps the scenario's profile so the load is the same. */
	for (size_t i = 0; spec_count == 0 && i < sc->compare_count; i++) {
		memset(&pc[i], 0, sizeof(pc[i]));
		snprintf(pc[i].label, sizeof(pc[i].label), "%s", sc->compare[i].name);
		pc[i].server = sc->compare[i];
		pc[i].has_server = 1;
		(*n)++;
	}
	return 0;
}

int compare_print(const struct compare_result *res, int json_out)
{
	if (json_out) {
		json_t *doc = compare_doc_build(&res->cmp, &res->table);

		if (doc == NULL)
			return -1;
		json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
		fputc('\n', stdout);
		json_decref(doc);
	} else {
		char *text = compare_render(&res->cmp, &res->table, SUMMARY_TERMINAL);

		if (text == NULL)
			return -1;
		fputs(text, stdout);
		free(text);
		printf("results: %s\n", res->dir);
	}
	if (res->html_error[0] != '\0')
		fprintf(stderr, "tcplab: report.html: %s\n", res->html_error);
	return 0;
}

/* A column's suite name: the scenario and the column's sweep settings, or its sides' profiles (compare). */
static void column_name(const struct comparison *c, const struct compare_column *col, char *buf, size_t len)
{
	if (strcmp(c->kind, "sweep") == 0)
		snprintf(buf, len, "%s [%s]", c->scenario, col->label);
	else if (strcmp(col->server_profile, col->client_profile) == 0)
		snprintf(buf, len, "%s [%s]", c->scenario, col->server_profile);
	else
		snprintf(buf, len, "%s [server=%s,client=%s]", c->scenario, col->server_profile, col->client_profile);
}

int compare_junit(const struct compare_result *res, const char *path, int strict)
{
	const struct comparison *c = &res->cmp;
	struct junit_suite *suites;
	char (*names)[512];
	size_t n = 0;
	struct tl_err err;
	int rc;

	for (size_t i = 0; i < c->column_count; i++)
		n += c->columns[i].run_count;
	suites = calloc(n ? n : 1, sizeof(*suites));
	names = calloc(n ? n : 1, sizeof(*names));
	if (suites == NULL || names == NULL) {
		free(suites);
		free(names);
		fprintf(stderr, "tcplab: --junit: out of memory\n");
		return -1;
	}
	n = 0;
	for (size_t i = 0; i < c->column_count; i++) {
		const struct compare_column *col = &c->columns[i];

		for (size_t r = 0; r < col->run_count; r++, n++) {
			column_name(c, col, names[n], sizeof(names[n]));
			if (c->repeat > 1) {
				size_t used = strlen(names[n]);

				snprintf(names[n] + used, sizeof(names[n]) - used, " replay %zu/%d", r + 1, c->repeat);
			}
			suites[n] = (struct junit_suite){ .name = names[n], .doc = col->runs[r].doc,
							  .error = col->runs[r].error, .dir = col->runs[r].dir };
		}
	}
	rc = junit_write(path, suites, n, strict, &err);
	if (rc != 0)
		fprintf(stderr, "tcplab: --junit: %s\n", err.msg);
	free(suites);
	free(names);
	return rc;
}

int compare_junit_failed(const char *path, const char *scenario, const char *error, int strict)
{
	struct junit_suite suite = { .name = scenario, .error = error };
	struct tl_err err;

	if (junit_write(path, &suite, 1, strict, &err) != 0) {
		fprintf(stderr, "tcplab: --junit: %s\n", err.msg);
		return -1;
	}
	return 0;
}

int compare_exit_status(const struct compare_result *res)
{
	if (res->cmp.interrupted)
		return EXIT_INTERRUPTED;
	return res->runs_incomplete > 0 ? EXIT_EXPECT_FAILED : EXIT_PASS;
}

/* Whether a compare argument is a run folder: a '/' in it (a scenario name never has one) and not a .conf, or an
 * existing folder (a symlink too: refused later, by name). */
static int is_folder_arg(const char *arg)
{
	size_t len = strlen(arg);
	struct stat st;

	if (strchr(arg, '/') != NULL)
		return !(len > 5 && strcmp(arg + len - 5, ".conf") == 0);
	return lstat(arg, &st) == 0 && (S_ISDIR(st.st_mode) || S_ISLNK(st.st_mode));
}

/* tcplab compare RUN_FOLDER...: only the output options (--json, --results, --junit) apply; nothing is replayed. */
static int compare_folders(char **folders, size_t n, const struct lab_common_opts *common, int replay_opts,
			   int strict)
{
	struct compare_opts o = { .kind = "compare", .repeat = 1, .progress = 0 };
	struct compare_result res;
	struct tl_err err;
	int refused = 0;
	int rc;

	if (replay_opts) {
		fprintf(stderr, "tcplab: compare: --profile, --repeat, --set and --[no-]capture replay a scenario; run "
				"folders are compared as they were recorded\n");
		return EXIT_BAD_INPUT;
	}
	o.results_dir = common->results_dir;
	o.html = html_reports_wanted();
	if (compare_stored(folders, n, &o, &res, &refused, &err) != 0) {
		int interrupted = res.cmp.interrupted;

		fprintf(stderr, "tcplab: compare: %s\n", err.msg);
		compare_result_free(&res);
		return interrupted ? EXIT_INTERRUPTED : refused ? EXIT_BAD_INPUT : EXIT_ENVIRONMENT;
	}
	rc = compare_print(&res, common->json_out) != 0 ? EXIT_ENVIRONMENT : compare_exit_status(&res);
	/* Every folder's verdicts, as they were recorded: a suite per column. */
	if (common->junit_path != NULL && compare_junit(&res, common->junit_path, strict) != 0 && rc == EXIT_PASS)
		rc = EXIT_ENVIRONMENT;
	compare_result_free(&res);
	return rc;
}

int cmd_compare(const struct home *h, int argc, char **argv)
{
	struct compare_opts o = { .bindir = h->bindir, .kind = "compare", .repeat = 1 };
	struct lab_common_opts common;
	struct compare_spec specs[COMPARE_COLUMNS_MAX];
	struct profile_choice *pc = NULL;
	char *choices[COMPARE_COLUMNS_MAX];
	size_t choice_count = 0;
	size_t folder_count;
	size_t n = 0;
	struct compare_result res;
	struct scenario sc;
	struct tl_err err;
	struct lab_settings settings = { .n = 0 };
	int json_out = 0;
	int strict = 0;
	long repeat;
	int c;
	int rc;

	if (lab_opts_init(&common, &err) != 0) {
		fprintf(stderr, "tcplab: %s\n", err.msg);
		return EXIT_BAD_INPUT;
	}
	optind = 1;
	while ((c = lab_opts_next(&common, argc, argv, command_compare.shortopts, command_compare.long_opts, &err)) != -1) {
		switch (c) {
		case LAB_OPT_BAD:
			fprintf(stderr, "tcplab: %s\n", err.msg);
			return EXIT_BAD_INPUT;
		case 'p':
			if (choice_count == COMPARE_COLUMNS_MAX) {
				fprintf(stderr, "tcplab: compare: at most %d --profile columns\n", COMPARE_COLUMNS_MAX);
				return EXIT_BAD_INPUT;
			}
			choices[choice_count++] = optarg;
			break;
		case 'n':
			if (parse_long(optarg, 1, REPEAT_MAX, &repeat, "--repeat", &err) != 0) {
				fprintf(stderr, "tcplab: %s\n", err.msg);
				return EXIT_BAD_INPUT;
			}
			o.repeat = (int)repeat;
			break;
		case 's':
			if (lab_settings_add(&settings, optarg, &err) != 0) {
				fprintf(stderr, "tcplab: %s\n", err.msg);
				return EXIT_BAD_INPUT;
			}
			break;
		case 'S':
			strict = 1;
			break;
		case 'h':
			command_usage(&command_compare, stdout);
			return EXIT_PASS;
		default:
			return EXIT_BAD_INPUT;
		}
	}
	json_out = common.json_out;
	o.results_dir = common.results_dir;
	o.capture = common.capture;
	o.backend = &common.backend;
	folder_count = 0;
	for (int i = optind; i < argc; i++)
		folder_count += (size_t)is_folder_arg(argv[i]);
	if (folder_count > 0 && folder_count != (size_t)(argc - optind)) {
		fprintf(stderr, "tcplab: compare takes one scenario or run folders, not both (a run folder has a '/' "
				"in it or exists; a scenario name never has one)\n");
		return EXIT_BAD_INPUT;
	}
	if (folder_count > 0)
		return compare_folders(argv + optind, folder_count, &common,
				       choice_count > 0 || o.repeat != 1 || common.capture != RUN_CAPTURE_AS_SCENARIO ||
					       settings.n > 0,
				       strict);
	if (optind != argc - 1) {
		fprintf(stderr, "tcplab: compare takes one scenario (tcplab list shows them) or run folders (with a "
				"'/': ./NAME)\n");
		return EXIT_BAD_INPUT;
	}
	if (load_scenario_set(h, argv[optind], settings.set, settings.n, &sc, &err) != 0) {
		if (common.junit_path != NULL)
			compare_junit_failed(common.junit_path, argv[optind], err.msg, strict);
		return EXIT_BAD_INPUT;
	}
	o.settings = settings.text;
	o.setting_count = settings.n;
	pc = calloc(COMPARE_COLUMNS_MAX, sizeof(*pc));
	if (pc == NULL || choose_columns(h, choices, choice_count, &sc, pc, &n, &err) != 0) {
		fprintf(stderr, "tcplab: %s\n", pc == NULL ? "out of memory" : err.msg);
		free(pc);
		scenario_free(&sc);
		return EXIT_BAD_INPUT;
	}
	if (lab_opts_check_environment(&common) != 0) {
		free(pc);
		scenario_free(&sc);
		return EXIT_ENVIRONMENT;
	}
	for (size_t i = 0; i < n; i++) {
		memset(&specs[i], 0, sizeof(specs[i]));
		snprintf(specs[i].label, sizeof(specs[i].label), "%s", pc[i].label);
		specs[i].sc = &sc;
		specs[i].server_profile = pc[i].has_server ? &pc[i].server : NULL;
		specs[i].client_profile = pc[i].has_client ? &pc[i].client : NULL;
	}
	o.side = side_of(pc, n);
	o.live_status = !json_out && isatty(STDERR_FILENO);
	o.progress = 1;
	o.html = html_reports_wanted();
	install_signals();
	if (compare_run(specs, n, &o, &res, &err) != 0) {
		fprintf(stderr, "tcplab: %s: %s\n", sc.name, err.msg);
		if (common.junit_path != NULL)
			compare_junit_failed(common.junit_path, sc.name, err.msg, strict);
		compare_result_free(&res);
		free(pc);
		scenario_free(&sc);
		return run_stop_requested ? EXIT_INTERRUPTED : EXIT_ENVIRONMENT;
	}
	rc = compare_print(&res, json_out) != 0 ? EXIT_ENVIRONMENT : compare_exit_status(&res);
	if (common.junit_path != NULL && compare_junit(&res, common.junit_path, strict) != 0 && rc == EXIT_PASS)
		rc = EXIT_ENVIRONMENT;
	compare_result_free(&res);
	free(pc);
	scenario_free(&sc);
	return rc;
}
