/* compare: run the columns one after the other, each replay a full run_scenario in a fresh lab, and write the results. */
#include "compare.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "path.h"
#include "report/compare_text.h"
#include "report/html.h"
#include "doc/results.h"
#include "run/run.h"

void compare_slug(const char *label, char *buf, size_t len)
{
	size_t used = 0;

	for (const char *p = label; *p != '\0' && used + 1 < len && used < 80; p++) {
		char ch = *p;

		if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '.' || ch == '-')
			buf[used++] = ch;
		else if (ch >= 'A' && ch <= 'Z')
			buf[used++] = (char)(ch - 'A' + 'a');
		else if (ch == ' ' || ch == ',')
			buf[used++] = '_';
		else
			buf[used++] = '-';
	}
	buf[used] = '\0';
}

static int final_name(const struct compare_opts *o, const struct comparison *c, char *dir, size_t len,
		      struct tl_err *err)
{
	char stamp[32];
	time_t t = (time_t)(c->started_wall_us / 1000000);
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
	for (int n = 1; n < 1000; n++) {
		if ((n == 1 ? tl_path_fmt(dir, len, err, "%s/%s-%s-%s", o->results_dir, stamp, o->kind, c->scenario)
			    : tl_path_fmt(dir, len, err, "%s/%s-%s-%s-%d", o->results_dir, stamp, o->kind, c->scenario,
					  n)) != 0)
			return -1;
		if (access(dir, F_OK) != 0)
			return 0;
	}
	return tl_errf(err, "%s/%s-%s-%s: 999 results folders of that name already", o->results_dir, stamp, o->kind,
		       c->scenario);
}

static void progress_line(const struct compare_opts *o, size_t col, size_t n, const struct compare_column *column,
			  size_t replay, struct compare_run *run, int64_t took_us)
{
	char verdict[64];

	if (!o->progress)
		return;
	if (run->doc == NULL) {
		fprintf(stderr, "[%zu/%zu] %s, replay %zu/%d: failed: %s\n", col + 1, n, column->label, replay + 1,
			o->repeat, run->error);
		return;
	}
	/* The verdict of this one replay, as a one-replay column would print it. */
	struct compare_column one = *column;

	one.runs = run;
	one.run_count = 1;
	compare_column_verdict(&one, verdict, sizeof(verdict));
	fprintf(stderr, "[%zu/%zu] %s, replay %zu/%d: %s in %.1f s, expectations %s\n", col + 1, n, column->label,
		replay + 1, o->repeat, compare_run_complete(run) ? "complete" : "incomplete", (double)took_us / 1e6,
		verdict);
}

static void note_html_error(struct compare_result *res, const char *what, const struct tl_err *err)
{
	if (res->html_error[0] == '\0')
		snprintf(res->html_error, sizeof(res->html_error), "%.150s: %.350s", what, err->msg);
}

/* One replay of a column into tmp/<column folder>/. */
static void replay(const struct compare_spec *spec, const struct compare_opts *o, const char *tmp, const char *coldir,
		   struct compare_run *run, struct compare_result *res)
{
	char parent[TL_PATH_LEN];
	struct run_opts ro = { .bindir = o->bindir, .live_status = o->live_status, .capture = o->capture,
			       .backend = o->backend };
	struct run_result rr;
	struct tl_err err;
	size_t tmp_len = strlen(tmp);
	int rc;

	if (tl_path_fmt(parent, sizeof(parent), &err, "%s/%s", tmp, coldir) != 0) {
		snprintf(run->error, sizeof(run->error), "%s", err.msg);
		return;
	}
	ro.results_dir = parent;
	ro.settings = o->settings;
	ro.setting_count = o->setting_count;
	ro.server_profile = spec->server_profile;
	ro.client_profile = spec->client_profile;
	rc = run_scenario(spec->sc, &ro, &rr, &err);
	run->doc = rr.doc;
	if (rc != 0)
		snprintf(run->error, sizeof(run->error), "%s", err.msg);
	if (rr.doc == NULL)
		return;
	/* Folders are recorded relative to the comparison so it can be moved or copied whole. */
	if (strncmp(rr.dir, tmp, tmp_len) == 0 && rr.dir[tmp_len] == '/' &&
	    tl_path_fmt(run->dir, sizeof(run->dir), &err, "%s", rr.dir + tmp_len + 1) != 0 && run->error[0] == '\0')
		snprintf(run->error, sizeof(run->error), "%s", err.msg);
	if (o->html && html_report_run(rr.dir, &err) != 0)
		note_html_error(res, run->dir, &err);
}

static int init_columns(const struct compare_spec *specs, size_t n, const struct compare_opts *o,
			struct comparison *c, struct tl_err *err)
{
	c->columns = calloc(n ? n : 1, sizeof(*c->columns));
	if (c->columns == NULL)
		return tl_errf(err, "out of memory");
	for (size_t i = 0; i < n; i++) {
		struct compare_column *col = &c->columns[i];

		snprintf(col->label, sizeof(col->label), "%s", specs[i].label);
		snprintf(col->server_profile, sizeof(col->server_profile), "%s",
			 specs[i].server_profile ? specs[i].server_profile->name : specs[i].sc->server.profile.name);
		snprintf(col->client_profile, sizeof(col->client_profile), "%s",
			 specs[i].client_profile ? specs[i].client_profile->name : specs[i].sc->client.profile.name);
		memcpy(col->settings, specs[i].settings, sizeof(col->settings));
		col->setting_count = specs[i].setting_count;
		col->runs = calloc((size_t)o->repeat, sizeof(*col->runs));
		if (col->runs == NULL)
			return tl_errf(err, "out of memory");
		c->column_count++;
	}
	return 0;
}

static int write_files(const char *tmp, struct compare_result *res, struct tl_err *err)
{
	char path[TL_PATH_LEN];
	json_t *doc;
	char *text;
	int rc;

	doc = compare_doc_build(&res->cmp, &res->table);
	text = doc ? json_dumps(doc, JSON_INDENT(2) | JSON_REAL_PRECISION(10)) : NULL;
	json_decref(doc);
	if (text == NULL)
		return tl_errf(err, "out of memory serialising compare.json");
	if (tl_path_fmt(path, sizeof(path), err, "%s/compare.json", tmp) != 0) {
		free(text);
		return -1;
	}
	rc = results_write_file(path, text, strlen(text), err);
	free(text);
	if (rc != 0)
		return -1;
	text = compare_render(&res->cmp, &res->table, SUMMARY_MARKDOWN);
	if (text == NULL)
		return tl_errf(err, "out of memory rendering compare.md");
	if (tl_path_fmt(path, sizeof(path), err, "%s/compare.md", tmp) != 0) {
		free(text);
		return -1;
	}
	rc = results_write_file(path, text, strlen(text), err);
	free(text);
	return rc;
}

int compare_run(const struct compare_spec *specs, size_t n, const struct compare_opts *o, struct compare_result *res,
		struct tl_err *err)
{
	struct comparison *c = &res->cmp;
	char label[160];
	char tmp[sizeof(res->dir)]; /* so the fail path below can name it whole */
	int lock_fd;

	memset(res, 0, sizeof(*res));
	if (n == 0)
		return tl_errf(err, "nothing to compare");
	snprintf(c->kind, sizeof(c->kind), "%s", o->kind);
	snprintf(c->scenario, sizeof(c->scenario), "%s", specs[0].sc->name);
	snprintf(c->description, sizeof(c->description), "%s", specs[0].sc->description);
	snprintf(c->side, sizeof(c->side), "%s", o->side);
	c->repeat = o->repeat;
	c->started_wall_us = clock_wall_us();
	snprintf(label, sizeof(label), "%s-%s", o->kind, c->scenario);
	if (init_columns(specs, n, o, c, err) != 0 ||
	    results_make_tmp(o->results_dir, label, tmp, sizeof(tmp), &lock_fd, err) != 0) {
		comparison_free(c);
		return -1;
	}
	for (size_t i = 0; i < n && !c->interrupted; i++) {
		char coldir[128];
		char name[96];

		compare_slug(specs[i].label, name, sizeof(name));
		snprintf(coldir, sizeof(coldir), "%zu-%s", i + 1, name);
		for (int r = 0; r < o->repeat; r++) {
			struct compare_run *run = &c->columns[i].runs[r];
			int64_t start = clock_mono_us();

			c->columns[i].run_count++;
			replay(&specs[i], o, tmp, coldir, run, res);
			progress_line(o, i, n, &c->columns[i], (size_t)r, run, clock_mono_us() - start);
			if (run_stop_requested) {
				c->interrupted = 1;
				break;
			}
		}
	}
	return compare_finish(tmp, lock_fd, o, res, err);
}

int compare_finish(const char *tmp, int lock_fd, const struct compare_opts *o, struct compare_result *res,
		   struct tl_err *err)
{
	struct comparison *c = &res->cmp;

	for (size_t i = 0; i < c->column_count; i++) {
		res->runs_incomplete += c->columns[i].run_count - compare_column_complete(&c->columns[i]);
		compare_column_set_kernel(&c->columns[i]);
	}
	if (compare_table_build(c, &res->table, err) != 0 || write_files(tmp, res, err) != 0)
		goto fail;
	if (o->html && html_report_compare(tmp, c, &res->table, err) != 0)
		note_html_error(res, "the comparison", err);
	if (final_name(o, c, res->dir, sizeof(res->dir), err) != 0)
		goto fail;
	if (rename(tmp, res->dir) != 0) {
		tl_errf(err, "rename %s to %s: %s", tmp, res->dir, strerror(errno));
		goto fail;
	}
	close(lock_fd);
	return 0;
fail:
	/* The run folders are inside: leave them for the reader rather than delete measurements. */
	snprintf(res->dir, sizeof(res->dir), "%s", tmp);
	close(lock_fd);
	return -1;
}

void compare_result_free(struct compare_result *res)
{
	compare_table_free(&res->table);
	comparison_free(&res->cmp);
}
