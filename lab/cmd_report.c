/* cmd_report: `tcplab report DIR`: rebuild report.html of a run or comparison folder from its saved results. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "path.h"
#include "report/compare_table.h"
#include "report/doc_check.h"
#include "report/html.h"
#include "report/html_drops.h"
#include "report/plot.h"

int html_reports_wanted(void)
{
	static int said;

	if (plot_available())
		return 1;
	if (!said)
		fprintf(stderr, "tcplab: %s is not installed: no report.html (Debian: apt-get install gnuplot-nox; "
				"tcplab report FOLDER builds it later)\n",
			plot_program());
	said = 1;
	return 0;
}

static int report_compare(const char *dir)
{
	struct comparison c;
	struct compare_table t;
	struct tl_err err;
	int rc = EXIT_PASS;

	if (compare_doc_load(dir, &c, &err) != 0) {
		fprintf(stderr, "tcplab: %s\n", err.msg);
		return EXIT_BAD_INPUT;
	}
	for (size_t col = 0; col < c.column_count; col++) {
		for (size_t r = 0; r < c.columns[col].run_count; r++) {
			char run_dir[TL_PATH_LEN];

			if (c.columns[col].runs[r].doc == NULL)
				continue;
			if (tl_path_fmt(run_dir, sizeof(run_dir), &err, "%s/%s", dir, c.columns[col].runs[r].dir) != 0 ||
			    plot_check_data(run_dir, &err) != 0 || html_drops_check(run_dir, &err) != 0) {
				fprintf(stderr, "tcplab: %s\n", err.msg);
				comparison_free(&c);
				return EXIT_BAD_INPUT;
			}
		}
	}
	if (compare_table_build(&c, &t, &err) != 0) {
		fprintf(stderr, "tcplab: %s\n", err.msg);
		comparison_free(&c);
		return EXIT_ENVIRONMENT;
	}
	/* The comparison's page links to each replay's own page: rebuild those first. */
	for (size_t col = 0; col < c.column_count && rc == EXIT_PASS; col++) {
		for (size_t r = 0; r < c.columns[col].run_count; r++) {
			char run_dir[TL_PATH_LEN];

			if (c.columns[col].runs[r].doc == NULL)
				continue;
			if (tl_path_fmt(run_dir, sizeof(run_dir), &err, "%s/%s", dir, c.columns[col].runs[r].dir) != 0 ||
			    html_report_run(run_dir, &err) != 0) {
				fprintf(stderr, "tcplab: %s: %s\n", run_dir, err.msg);
				rc = EXIT_ENVIRONMENT;
				break;
			}
		}
	}
	if (rc == EXIT_PASS && html_report_compare(dir, &c, &t, &err) != 0) {
		fprintf(stderr, "tcplab: %s: %s\n", dir, err.msg);
		rc = EXIT_ENVIRONMENT;
	}
	compare_table_free(&t);
	comparison_free(&c);
	return rc;
}

static const struct option report_long_opts[] = {
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static void report_usage(FILE *out)
{
	fprintf(out, "usage: tcplab report RESULTS_DIR\n"
		     "  rebuild RESULTS_DIR/report.html from a run folder (run.json, samples.csv,\n"
		     "  connections.csv) or a comparison folder (compare.json and its run folders)\n");
}

const struct command command_report = {
	.name = "report",
	.summary = "rebuild report.html of a run or comparison folder",
	.needs_home = 0,
	.run = cmd_report,
	.shortopts = "h",
	.long_opts = report_long_opts,
	.usage = report_usage,
};

int cmd_report(const struct home *h, int argc, char **argv)
{
	char path[TL_PATH_LEN];
	struct tl_err err;
	const char *dir;
	json_t *doc;
	int rc;
	int c;

	(void)h;
	optind = 1;
	while ((c = getopt_long(argc, argv, command_report.shortopts, command_report.long_opts, NULL)) != -1) {
		switch (c) {
		case 'h':
			command_usage(&command_report, stdout);
			return EXIT_PASS;
		default:
			return EXIT_BAD_INPUT;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "tcplab: report takes one results folder (results/<time>-<scenario>)\n");
		return EXIT_BAD_INPUT;
	}
	dir = argv[optind];
	if (tl_path_fmt(path, sizeof(path), &err, "%s/compare.json", dir) != 0) {
		fprintf(stderr, "tcplab: %s\n", err.msg);
		return EXIT_BAD_INPUT;
	}
	if (access(path, R_OK) != 0) {
		/* Shorter than compare.json's path, so it fits; an empty path would not be found either. */
		if (tl_path_fmt(path, sizeof(path), NULL, "%s/run.json", dir) != 0 || access(path, R_OK) != 0) {
			fprintf(stderr, "tcplab: %s holds neither run.json nor compare.json: not a results folder\n", dir);
			return EXIT_BAD_INPUT;
		}
	}
	if (!html_reports_wanted())
		return EXIT_ENVIRONMENT;
	if (strcmp(path + strlen(path) - strlen("compare.json"), "compare.json") == 0) {
		rc = report_compare(dir);
	} else if ((doc = doc_load_run(path, &err)) == NULL || (json_decref(doc), plot_check_data(dir, &err)) != 0 ||
		   html_drops_check(dir, &err) != 0) {
		/* The folder may come from anyone: what it holds is checked before any of it is used. */
		fprintf(stderr, "tcplab: %s\n", err.msg);
		rc = EXIT_BAD_INPUT;
	} else if (html_report_run(dir, &err) != 0) {
		fprintf(stderr, "tcplab: %s: %s\n", dir, err.msg);
		rc = EXIT_ENVIRONMENT;
	} else {
		rc = EXIT_PASS;
	}
	if (rc == EXIT_PASS)
		printf("report: %s/report.html\n", dir);
	return rc;
}
