/* compare_doc: compare.json: the columns, each replay's folder and verdicts, and the table's rows with spreads. */
#include "compare_doc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "path.h"
#include "report/compare_table.h"
#include "report/doc_check.h"
#include "report/jsonpath.h"
#include "unicode.h"
#include "doc/rundoc.h"
#include "report/verdict.h"

int compare_run_complete(const struct compare_run *r)
{
	json_t *status = jsonpath_get(r->doc, "run.status");

	return json_is_string(status) && strcmp(json_string_value(status), "complete") == 0;
}

size_t compare_column_complete(const struct compare_column *col)
{
	size_t n = 0;

	for (size_t r = 0; r < col->run_count; r++)
		n += compare_run_complete(&col->runs[r]) != 0;
	return n;
}

int compare_column_typical(const struct compare_column *col)
{
	int best = -1;

	/* The lower median: the complete replay with as many wall times below it as at most above it. */
	for (size_t r = 0; r < col->run_count; r++) {
		size_t below = 0, above = 0;
		double w = 0;

		if (!compare_run_complete(&col->runs[r]))
			continue;
		jsonpath_number(col->runs[r].doc, "client.controller_wall_us", &w);
		for (size_t o = 0; o < col->run_count; o++) {
			double x = 0;

			if (o == r || !compare_run_complete(&col->runs[o]))
				continue;
			jsonpath_number(col->runs[o].doc, "client.controller_wall_us", &x);
			/* Ties are ordered by replay number so exactly one replay is the median. */
			if (x < w || (x == w && o < r))
				below++;
			else
				above++;
		}
		if (below == above || below + 1 == above)
			return (int)r;
		if (best < 0)
			best = (int)r;
	}
	return best;
}

/* Bytes of the printable UTF-8 character at s, 0 when it is not one (a control, a format character, bad UTF-8). */
static size_t printable_char(const unsigned char *s)
{
	unsigned int cp;
	size_t n;

	if (s[0] >= 0x20 && s[0] < 0x7f)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, cp = s[0] & 0x1fu;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, cp = s[0] & 0x0fu;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, cp = s[0] & 0x07u;
	else
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3fu);
	}
	if (cp < 0xa0 || (n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || unicode_invisible(cp))
		return 0;
	return n;
}

void compare_printable(const char *src, char *dst, size_t len)
{
	const unsigned char *s = (const unsigned char *)src;
	size_t used = 0;

	if (len == 0)
		return;
	while (*s != '\0') {
		size_t n = printable_char(s);

		if (used + (n ? n : 1) >= len)
			break;
		if (n == 0) {
			dst[used++] = '?';
			s++;
			continue;
		}
		memcpy(dst + used, s, n);
		used += n;
		s += n;
	}
	dst[used] = '\0';
}

void compare_column_set_kernel(struct compare_column *col)
{
	json_t *kernel = col->run_count > 0 ? jsonpath_get(col->runs[0].doc, "run.kernel") : NULL;

	if (col->kernel[0] == '\0' && json_is_string(kernel))
		compare_printable(json_string_value(kernel), col->kernel, sizeof(col->kernel));
}

/* A stored comparison's header lines after the label. */
static const char *const stored_lines[] = { "", "kernel", "server profile", "client profile" };

size_t compare_header_lines(const struct comparison *c)
{
	if (c->column_count > 0 && c->columns[0].setting_count > 0)
		return c->columns[0].setting_count;
	return c->stored ? sizeof(stored_lines) / sizeof(stored_lines[0]) : 1;
}

const char *compare_header_name(const struct comparison *c, size_t line)
{
	if (c->column_count > 0 && c->columns[0].setting_count > line)
		return c->columns[0].settings[line].key;
	return c->stored && line < sizeof(stored_lines) / sizeof(stored_lines[0]) ? stored_lines[line] : "";
}

const char *compare_header_cell(const struct comparison *c, size_t col, size_t line)
{
	const struct compare_column *column = &c->columns[col];

	if (column->setting_count > 0)
		return line < column->setting_count ? column->settings[line].value : "";
	switch (line) {
	case 0:
		return column->label;
	case 1:
		return c->stored ? column->kernel : "";
	case 2:
		return c->stored ? column->server_profile : "";
	case 3:
		return c->stored ? column->client_profile : "";
	default:
		return "";
	}
}

static json_t *run_object(const struct compare_run *r)
{
	json_t *o = json_object();
	json_t *status = jsonpath_get(r->doc, "run.status");

	json_object_set_new(o, "dir", r->dir[0] ? json_string(r->dir) : json_null());
	json_object_set_new(o, "status", json_string(json_is_string(status) ? json_string_value(status) : "failed"));
	if (r->error[0] != '\0')
		json_object_set_new(o, "error", json_string(r->error));
	if (r->doc != NULL) {
		json_object_set_new(o, "expectations_failed", json_integer(verdict_failed(r->doc, 0)));
		json_object_set_new(o, "expectations_total",
				    json_integer((json_int_t)json_array_size(json_object_get(r->doc, "expectations"))));
	}
	return o;
}

static json_t *column_object(const struct compare_column *col, size_t index, const struct compare_table *t)
{
	json_t *o = json_object();
	json_t *settings = json_object();
	json_t *runs = json_array();
	json_t *values = json_object();
	char text[200];

	json_object_set_new(o, "label", json_string(col->label));
	json_object_set_new(o, "server_profile", json_string(col->server_profile));
	json_object_set_new(o, "client_profile", json_string(col->client_profile));
	json_object_set_new(o, "kernel", json_string(col->kernel));
	if (col->folder[0] != '\0')
		json_object_set_new(o, "folder", json_string(col->folder));
	for (size_t i = 0; i < col->setting_count; i++)
		json_object_set_new(settings, col->settings[i].key, json_string(col->settings[i].value));
	json_object_set_new(o, "settings", settings);
	compare_column_status(col, text, sizeof(text));
	json_object_set_new(o, "status", json_string(text));
	json_object_set_new(o, "runs_complete", json_integer((json_int_t)compare_column_complete(col)));
	compare_column_verdict(col, text, sizeof(text));
	json_object_set_new(o, "expectations", json_string(text));
	for (size_t r = 0; r < col->run_count; r++)
		json_array_append_new(runs, run_object(&col->runs[r]));
	json_object_set_new(o, "runs", runs);
	/* The medians again, flat by path, so one value is one lookup: columns[1].values["client.outcome.reset"]. */
	for (size_t i = 0; i < t->count; i++) {
		const struct compare_cell *c = &t->rows[i].cells[index];

		json_object_set_new(values, t->rows[i].path, c->runs ? json_real(c->median) : json_null());
	}
	json_object_set_new(o, "values", values);
	return o;
}

static json_t *row_object(const struct compare_row *row, size_t columns)
{
	json_t *o = json_object();
	json_t *cells = json_array();

	json_object_set_new(o, "path", json_string(row->path));
	json_object_set_new(o, "label", json_string(row->label));
	json_object_set_new(o, "unit", json_string(compare_unit_name(row->unit)));
	json_object_set_new(o, "differs", json_boolean(row->differs));
	for (size_t i = 0; i < columns; i++) {
		const struct compare_cell *c = &row->cells[i];
		json_t *cell;

		if (c->runs == 0) {
			json_array_append_new(cells, json_null());
			continue;
		}
		cell = json_object();
		json_object_set_new(cell, "median", json_real(c->median));
		json_object_set_new(cell, "min", json_real(c->min));
		json_object_set_new(cell, "max", json_real(c->max));
		json_object_set_new(cell, "runs", json_integer((json_int_t)c->runs));
		json_array_append_new(cells, cell);
	}
	json_object_set_new(o, "cells", cells);
	return o;
}

static const char *overall_status(const struct comparison *c)
{
	if (c->interrupted)
		return "interrupted";
	for (size_t i = 0; i < c->column_count; i++) {
		if (compare_column_complete(&c->columns[i]) != c->columns[i].run_count)
			return "incomplete";
	}
	return "complete";
}

json_t *compare_doc_build(const struct comparison *c, const struct compare_table *t)
{
	json_t *doc = json_object();
	json_t *columns = json_array();
	json_t *rows = json_array();
	char when[64];
	time_t secs = (time_t)(c->started_wall_us / 1000000);
	struct tm tm;

	if (doc == NULL || columns == NULL || rows == NULL) {
		json_decref(doc);
		json_decref(columns);
		json_decref(rows);
		return NULL;
	}
	gmtime_r(&secs, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	json_object_set_new(doc, "schema_version", json_integer(COMPARE_SCHEMA_VERSION));
	json_object_set_new(doc, "kind", json_string(c->kind));
	json_object_set_new(doc, "scenario", json_string(c->scenario));
	json_object_set_new(doc, "description", json_string(c->description));
	json_object_set_new(doc, "started", json_string(when));
	json_object_set_new(doc, "side", json_string(c->side));
	json_object_set_new(doc, "source", json_string(c->stored ? "stored" : "replayed"));
	json_object_set_new(doc, "repeat", json_integer(c->repeat));
	json_object_set_new(doc, "status", json_string(overall_status(c)));
	for (size_t i = 0; i < c->column_count; i++)
		json_array_append_new(columns, column_object(&c->columns[i], i, t));
	json_object_set_new(doc, "columns", columns);
	for (size_t i = 0; i < t->count; i++)
		json_array_append_new(rows, row_object(&t->rows[i], t->columns));
	json_object_set_new(doc, "rows", rows);
	return doc;
}

static void copy_string(json_t *obj, const char *key, char *dst, size_t len)
{
	json_t *v = json_object_get(obj, key);

	snprintf(dst, len, "%s", json_is_string(v) ? json_string_value(v) : "");
}

/* Whether dir/sub, symlinks resolved, is a folder inside dir (a folder of the comparison links nowhere else). */
static int inside(const char *dir, const char *sub)
{
	char joined[TL_PATH_LEN];
	char *top;
	char *real;
	int ok;

	/* A folder whose path does not fit is not known to be inside. */
	if (tl_path_fmt(joined, sizeof(joined), NULL, "%s/%s", dir, sub) != 0)
		return 0;
	top = realpath(dir, NULL);
	real = realpath(joined, NULL);
	ok = top != NULL && real != NULL && strncmp(real, top, strlen(top)) == 0 && real[strlen(top)] == '/';
	free(top);
	free(real);
	return ok;
}

/* The replay folders a comparison has read so far, by file identity, and the bytes of their run.json. */
struct loaded_runs {
	struct stat *seen;
	size_t count;
	size_t cap;
	int64_t bytes;
};

/* Refuse a replay folder named twice (under any spelling) and a comparison whose run.json files add up to more
 * than DOC_COMPARISON_MAX_BYTES: each is parsed and kept while the report is built. */
static int claim_run(const char *dir, const char *run_dir, const char *path, struct loaded_runs *l, struct tl_err *err)
{
	char folder[TL_PATH_LEN];
	struct stat st, doc;

	if (tl_path_fmt(folder, sizeof(folder), err, "%s/%s", dir, run_dir) != 0)
		return -1;
	if (stat(folder, &st) != 0)
		return tl_errf(err, "%s/compare.json: run folder '%s': %s", dir, run_dir, strerror(errno));
	for (size_t i = 0; i < l->count; i++) {
		if (l->seen[i].st_dev == st.st_dev && l->seen[i].st_ino == st.st_ino)
			return tl_errf(err, "%s/compare.json: run folder '%s' is named by two replays", dir, run_dir);
	}
	if (l->count == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		struct stat *more = realloc(l->seen, cap * sizeof(*more));

		if (more == NULL)
			return tl_errf(err, "out of memory reading %s/compare.json", dir);
		l->seen = more;
		l->cap = cap;
	}
	l->seen[l->count++] = st;
	if (stat(path, &doc) == 0 && S_ISREG(doc.st_mode)) {
		l->bytes += doc.st_size;
		if (l->bytes > DOC_COMPARISON_MAX_BYTES)
			return tl_errf(err, "%s/compare.json: its run.json files add up to more than %d MB", dir,
				       DOC_COMPARISON_MAX_BYTES / (1024 * 1024));
	}
	return 0;
}

static int load_column(const char *dir, json_t *jc, struct compare_column *col, struct loaded_runs *loaded,
		       struct tl_err *err)
{
	json_t *runs = json_object_get(jc, "runs");
	json_t *settings = json_object_get(jc, "settings");
	const char *key;
	json_t *v;
	json_t *jr;
	char text[512];
	size_t r;

	copy_string(jc, "label", text, sizeof(text));
	compare_printable(text, col->label, sizeof(col->label));
	copy_string(jc, "server_profile", col->server_profile, sizeof(col->server_profile));
	copy_string(jc, "client_profile", col->client_profile, sizeof(col->client_profile));
	copy_string(jc, "kernel", text, sizeof(text));
	compare_printable(text, col->kernel, sizeof(col->kernel));
	copy_string(jc, "folder", text, sizeof(text));
	compare_printable(text, col->folder, sizeof(col->folder));
	json_object_foreach(settings, key, v) {
		struct compare_setting *s;

		if (col->setting_count == COMPARE_SETTINGS_MAX || !json_is_string(v))
			break;
		s = &col->settings[col->setting_count++];
		snprintf(s->key, sizeof(s->key), "%s", key);
		snprintf(s->value, sizeof(s->value), "%s", json_string_value(v));
	}
	col->runs = calloc(json_array_size(runs) ? json_array_size(runs) : 1, sizeof(*col->runs));
	if (col->runs == NULL)
		return tl_errf(err, "out of memory reading %s/compare.json", dir);
	json_array_foreach(runs, r, jr) {
		struct compare_run *run = &col->runs[col->run_count++];
		char path[TL_PATH_LEN];

		copy_string(jr, "dir", run->dir, sizeof(run->dir));
		copy_string(jr, "error", run->error, sizeof(run->error));
		if (run->dir[0] == '\0')
			continue;
		/* Built first: the folder's own path (checked by inside) is shorter, so neither is cut. */
		if (tl_path_fmt(path, sizeof(path), err, "%s/%s/run.json", dir, run->dir) != 0)
			return tl_err_wrap(err, "%s/compare.json: run folder '%s'", dir, run->dir);
		/* Folders are written by tcplab itself; one that climbs out of the comparison is not ours. */
		if (!doc_relative_dir_valid(run->dir) || !inside(dir, run->dir))
			return tl_errf(err, "%s/compare.json: run folder '%s' is not inside the comparison", dir, run->dir);
		if (access(path, F_OK) != 0 && errno == ENOENT) {
			if (run->error[0] == '\0')
				snprintf(run->error, sizeof(run->error), "%.300s: no such file", path);
			continue;
		}
		if (claim_run(dir, run->dir, path, loaded, err) != 0)
			return -1;
		/* A run.json that is there is read like compare.json: refused whole when it is not one. */
		run->doc = doc_load_run(path, err);
		if (run->doc == NULL)
			return -1;
	}
	compare_column_set_kernel(col);
	return 0;
}

int compare_doc_load(const char *dir, struct comparison *c, struct tl_err *err)
{
	char path[TL_PATH_LEN];
	json_t *doc;
	json_t *columns;
	json_t *jc;
	json_t *started;
	struct loaded_runs loaded = { 0 };
	char status[32];
	size_t i;
	struct tm tm;

	memset(c, 0, sizeof(*c));
	if (tl_path_fmt(path, sizeof(path), err, "%s/compare.json", dir) != 0)
		return -1;
	doc = doc_load_compare(path, err);
	if (doc == NULL)
		return -1;
	copy_string(doc, "kind", c->kind, sizeof(c->kind));
	copy_string(doc, "scenario", c->scenario, sizeof(c->scenario));
	copy_string(doc, "description", c->description, sizeof(c->description));
	copy_string(doc, "side", c->side, sizeof(c->side));
	c->repeat = (int)json_integer_value(json_object_get(doc, "repeat"));
	copy_string(doc, "source", status, sizeof(status));
	c->stored = strcmp(status, "stored") == 0;
	copy_string(doc, "status", status, sizeof(status));
	c->interrupted = strcmp(status, "interrupted") == 0;
	started = json_object_get(doc, "started");
	memset(&tm, 0, sizeof(tm));
	if (json_is_string(started) && strptime(json_string_value(started), "%Y-%m-%dT%H:%M:%SZ", &tm) != NULL)
		c->started_wall_us = (int64_t)timegm(&tm) * 1000000;
	columns = json_object_get(doc, "columns");
	c->columns = calloc(json_array_size(columns) ? json_array_size(columns) : 1, sizeof(*c->columns));
	if (c->columns == NULL) {
		json_decref(doc);
		return tl_errf(err, "out of memory reading %s", path);
	}
	json_array_foreach(columns, i, jc) {
		if (load_column(dir, jc, &c->columns[c->column_count++], &loaded, err) != 0) {
			free(loaded.seen);
			json_decref(doc);
			comparison_free(c);
			return -1;
		}
	}
	free(loaded.seen);
	json_decref(doc);
	if (c->column_count == 0)
		return tl_errf(err, "%s: no columns", path);
	return 0;
}

void comparison_free(struct comparison *c)
{
	for (size_t i = 0; i < c->column_count; i++) {
		for (size_t r = 0; r < c->columns[i].run_count; r++)
			json_decref(c->columns[i].runs[r].doc);
		free(c->columns[i].runs);
	}
	free(c->columns);
	c->columns = NULL;
	c->column_count = 0;
}
