/* compare: replay one scenario several ways (profiles, or a sweep's settings), each in a fresh lab, side by side. */
#ifndef TL_COMPARE_H
#define TL_COMPARE_H

#include <stddef.h>

#include "report/compare_doc.h"
#include "report/compare_table.h"
#include "scenario/scenario.h"
#include "run/run.h"
#include "tl_err.h"

/* One column to replay. */
struct compare_spec {
	char label[192];
	const struct scenario *sc;             /* the scenario as this column runs it (a sweep's has keys replaced) */
	const struct profile *server_profile;  /* replaces the scenario's server profile; NULL: as written */
	const struct profile *client_profile;  /* the same for the client side */
	struct compare_setting settings[COMPARE_SETTINGS_MAX]; /* sweep: the keys this column replaced */
	size_t setting_count;
};

/* How to run the columns. */
struct compare_opts {
	const char *bindir;      /* where tcplab-server and tcplab-client are */
	const char *results_dir; /* parent of the comparison's folder ("results") */
	const char *kind;        /* "compare" or "sweep": names the folder and compare.json's kind */
	const char *side;        /* compare: where the profiles went ("server", "client", "both", "mixed"); sweep: "" */
	int repeat;              /* replays per column (>= 1) */
	int live_status;         /* the runs' status line on stderr (a TTY) */
	int progress;            /* one line per replay on stderr */
	int html;                /* write report.html for every run and for the comparison (gnuplot is installed) */
	enum run_capture capture; /* --capture / --no-capture, for every replay */
	const struct backend_config *backend; /* where every replay runs; NULL: from the environment */
	const char *const *settings;          /* compare --set: the keys replaced in every column, for run.settings */
	size_t setting_count;
};

/* What a comparison produced. */
struct compare_result {
	struct comparison cmp;     /* columns with every replay's run.json */
	struct compare_table table;
	char dir[512];             /* the comparison's folder */
	size_t runs_incomplete;    /* replays that did not complete (no document, error, client timeout) */
	char html_error[512];      /* why a report.html could not be written ("" when all were) */
};

/*
 * Replay every column repeat times, in order, each run in its own folder
 * inside results_dir/<time>-<kind>-<scenario>/, then write compare.json,
 * compare.md (and report.html). The folder is built under a temporary name
 * and renamed when complete; SIGINT stops after the current replay and the
 * folder is still written, marked interrupted. -1 only when nothing could be
 * written (err says why).
 */
int compare_run(const struct compare_spec *specs, size_t n, const struct compare_opts *o, struct compare_result *res,
		struct tl_err *err);

/* A folder name from a column label, [a-z0-9._-] and at most 80 bytes: "server=abort-on-overflow" ->
 * "server-abort-on-overflow". */
void compare_slug(const char *label, char *buf, size_t len);

/*
 * Finish a comparison whose run folders are in tmp (made by results_make_tmp, locked by lock_fd): the table,
 * compare.json, compare.md, report.html when o->html, then tmp renamed to results_dir/<time>-<kind>-<scenario>
 * (res->dir). lock_fd is closed. -1 with err when it could not be written; res->dir then names tmp, left as it is.
 */
int compare_finish(const char *tmp, int lock_fd, const struct compare_opts *o, struct compare_result *res,
		   struct tl_err *err);

/* Release the result's documents and table. */
void compare_result_free(struct compare_result *res);

#endif
