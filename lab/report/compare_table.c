/* compare_table: one row per figure of run.json, a cell per column: median and spread over its complete replays. */
#include "compare_table.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "report/jsonpath.h"
#include "doc/rundoc.h"
#include "report/verdict.h"

/* The fixed rows, in the order a reader scans them: time, what the client saw, what the server's queue did. */
static const struct {
	const char *path;
	const char *label;
	enum compare_unit unit;
} fixed_rows[] = {
	{ "client.wall_us", "wall time", COMPARE_US },
	{ "client.amplification", "amplification", COMPARE_RATIO },
	{ "client.connect.p50_us", "connect p50", COMPARE_US },
	{ "client.connect.p99_us", "connect p99", COMPARE_US },
	{ "client.connect.max_us", "connect max", COMPARE_US },
	{ "client.outcome.ok", "outcome ok", COMPARE_COUNT },
	{ "client.outcome.refused", "outcome refused", COMPARE_COUNT },
	{ "client.outcome.timeout", "outcome timeout", COMPARE_COUNT },
	{ "client.outcome.reset", "outcome reset", COMPARE_COUNT },
	{ "client.outcome.addrnotavail", "outcome addrnotavail", COMPARE_COUNT },
	{ "client.outcome.other", "outcome other", COMPARE_COUNT },
	{ "client.bands.0", "SYN band 0 (no retransmit)", COMPARE_COUNT },
	{ "client.bands.1s", "SYN band ~1s", COMPARE_COUNT },
	{ "client.bands.3s", "SYN band ~3s", COMPARE_COUNT },
	{ "client.bands.7s", "SYN band ~7s", COMPARE_COUNT },
	{ "client.bands.more", "SYN band more", COMPARE_COUNT },
	{ "client.bands.timeout", "SYN band timeout", COMPARE_COUNT },
	{ "run.limits.acceptq_capacity", "accept queue capacity", COMPARE_COUNT },
	{ "server.acceptq.max", "accept queue max", COMPARE_COUNT },
	{ "server.acceptq.full_ms", "accept queue full", COMPARE_MS },
	{ "server.states_max.SYN-RECV", "server SYN-RECV max", COMPARE_COUNT },
	{ "server.states_max.TIME-WAIT", "server TIME-WAIT max", COMPARE_COUNT },
	{ "client.states_max.TIME-WAIT", "client TIME-WAIT max", COMPARE_COUNT },
};

/* Rows after these are grid cells and counters. */
#define GRID_ROWS_AFTER 2

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a;
	double y = *(const double *)b;

	return (x > y) - (x < y);
}

static void fill_cell(const struct compare_column *col, const char *path, struct compare_cell *cell, double *scratch)
{
	size_t n = 0;

	memset(cell, 0, sizeof(*cell));
	for (size_t r = 0; r < col->run_count; r++) {
		double v;

		if (compare_run_complete(&col->runs[r]) && jsonpath_number(col->runs[r].doc, path, &v) == 0)
			scratch[n++] = v;
	}
	if (n == 0)
		return;
	qsort(scratch, n, sizeof(*scratch), cmp_double);
	cell->runs = n;
	cell->min = scratch[0];
	cell->max = scratch[n - 1];
	cell->median = n % 2 ? scratch[n / 2] : (scratch[n / 2 - 1] + scratch[n / 2]) / 2;
}

static double noise_floor(enum compare_unit unit)
{
	switch (unit) {
	case COMPARE_COUNT:
		/* Medians of an even number of replays end in .5: half a connection is not a difference. */
		return 0.5;
	case COMPARE_US:
		return 5000;
	case COMPARE_MS:
		return 5;
	case COMPARE_RATIO:
		return 0.05;
	}
	return 0;
}

/* Timings jitter from run to run: only a gap beyond 10% and the unit's noise floor is a difference. */
static int row_differs(const struct compare_row *row, size_t columns)
{
	double lo = 0, hi = 0;
	size_t with = 0;

	for (size_t i = 0; i < columns; i++) {
		const struct compare_cell *c = &row->cells[i];

		if (c->runs == 0)
			continue;
		if (with == 0 || c->median < lo)
			lo = c->median;
		if (with == 0 || c->median > hi)
			hi = c->median;
		with++;
	}
	if (with < 2)
		return 0;
	return hi - lo > noise_floor(row->unit) && hi - lo > 0.1 * fmax(fabs(hi), fabs(lo));
}

static int has_row(const struct compare_table *t, const char *path)
{
	for (size_t i = 0; i < t->count; i++) {
		if (strcmp(t->rows[i].path, path) == 0)
			return 1;
	}
	return 0;
}

/* Add the row when at least one column has the value (a grid run has no connect percentiles, for example). */
static int add_row(struct compare_table *t, const struct comparison *c, const char *path, const char *label,
		   enum compare_unit unit, double *scratch, struct tl_err *err)
{
	struct compare_row row;
	int any = 0;

	if (has_row(t, path))
		return 0;
	memset(&row, 0, sizeof(row));
	snprintf(row.path, sizeof(row.path), "%s", path);
	snprintf(row.label, sizeof(row.label), "%s", label);
	row.unit = unit;
	row.cells = calloc(c->column_count ? c->column_count : 1, sizeof(*row.cells));
	if (row.cells == NULL)
		return tl_errf(err, "out of memory building the comparison table");
	for (size_t i = 0; i < c->column_count; i++) {
		fill_cell(&c->columns[i], path, &row.cells[i], scratch);
		any |= row.cells[i].runs > 0;
	}
	if (!any) {
		free(row.cells);
		return 0;
	}
	row.differs = row_differs(&row, c->column_count);
	if (t->count == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 64;
		struct compare_row *grown = realloc(t->rows, cap * sizeof(*grown));

		if (grown == NULL) {
			free(row.cells);
			return tl_errf(err, "out of memory building the comparison table");
		}
		t->rows = grown;
		t->cap = cap;
	}
	t->rows[t->count++] = row;
	return 0;
}

/* A grid run (client.cells) gets a wall time and an amplification row per cell, named by its worker count. */
static int add_grid_rows(struct compare_table *t, const struct comparison *c, double *scratch, struct tl_err *err)
{
	for (size_t i = 0; i < c->column_count; i++) {
		for (size_t r = 0; r < c->columns[i].run_count; r++) {
			json_t *cells = jsonpath_get(c->columns[i].runs[r].doc, "client.cells");
			json_t *cell;
			size_t k;

			json_array_foreach(cells, k, cell) {
				char path[160], label[96];
				double workers = 0;

				jsonpath_number(cell, "workers", &workers);
				snprintf(path, sizeof(path), "client.cells.%zu.wall_us", k);
				snprintf(label, sizeof(label), "P=%.0f wall", workers);
				if (add_row(t, c, path, label, COMPARE_US, scratch, err) != 0)
					return -1;
				snprintf(path, sizeof(path), "client.cells.%zu.amplification", k);
				snprintf(label, sizeof(label), "P=%.0f amplification", workers);
				if (add_row(t, c, path, label, COMPARE_RATIO, scratch, err) != 0)
					return -1;
			}
		}
	}
	return 0;
}

/* Every TCP counter of a side that moved in any replay, in the kernel's order. */
static int add_counter_rows(struct compare_table *t, const struct comparison *c, const char *side, double *scratch,
			    struct tl_err *err)
{
	for (size_t i = 0; i < c->column_count; i++) {
		for (size_t r = 0; r < c->columns[i].run_count; r++) {
			json_t *nstat = json_object_get(json_object_get(c->columns[i].runs[r].doc, side), "nstat");
			const char *key;
			json_t *v;

			json_object_foreach(nstat, key, v) {
				char path[160], label[96];

				if (strncmp(key, "Tcp", 3) != 0 || json_integer_value(v) == 0)
					continue;
				snprintf(path, sizeof(path), "%s.nstat.%s", side, key);
				snprintf(label, sizeof(label), "%s %s", side, key);
				if (add_row(t, c, path, label, COMPARE_COUNT, scratch, err) != 0)
					return -1;
			}
		}
	}
	return 0;
}

int compare_table_build(const struct comparison *c, struct compare_table *t, struct tl_err *err)
{
	size_t most_runs = 1;
	double *scratch;
	int rc = 0;

	memset(t, 0, sizeof(*t));
	t->columns = c->column_count;
	for (size_t i = 0; i < c->column_count; i++) {
		if (c->columns[i].run_count > most_runs)
			most_runs = c->columns[i].run_count;
	}
	scratch = calloc(most_runs, sizeof(*scratch));
	if (scratch == NULL)
		return tl_errf(err, "out of memory building the comparison table");
	for (size_t i = 0; i < sizeof(fixed_rows) / sizeof(fixed_rows[0]) && rc == 0; i++) {
		rc = add_row(t, c, fixed_rows[i].path, fixed_rows[i].label, fixed_rows[i].unit, scratch, err);
		if (rc == 0 && i + 1 == GRID_ROWS_AFTER)
			rc = add_grid_rows(t, c, scratch, err);
	}
	if (rc == 0)
		rc = add_counter_rows(t, c, "server", scratch, err);
	if (rc == 0)
		rc = add_counter_rows(t, c, "client", scratch, err);
	free(scratch);
	if (rc != 0)
		compare_table_free(t);
	return rc;
}

void compare_table_free(struct compare_table *t)
{
	for (size_t i = 0; i < t->count; i++)
		free(t->rows[i].cells);
	free(t->rows);
	memset(t, 0, sizeof(*t));
}

void compare_value_format(enum compare_unit unit, double v, char *buf, size_t len)
{
	switch (unit) {
	case COMPARE_COUNT:
		if (v == floor(v))
			snprintf(buf, len, "%.0f", v);
		else
			snprintf(buf, len, "%.1f", v);
		return;
	case COMPARE_US:
	case COMPARE_MS:
		/* "0" rather than "0us": a queue that was never full reads as nothing, not as a tiny time. */
		if (v == 0)
			snprintf(buf, len, "0");
		else
			format_duration_us((int64_t)llround(unit == COMPARE_MS ? v * 1000 : v), buf, len);
		return;
	case COMPARE_RATIO:
		snprintf(buf, len, "%.3fx", v);
		return;
	}
	snprintf(buf, len, "%g", v);
}

void compare_cell_format(const struct compare_row *row, const struct compare_cell *cell, int spread, char *buf,
			 size_t len)
{
	char lo[32], hi[32];
	size_t used;

	if (cell->runs == 0) {
		snprintf(buf, len, "-");
		return;
	}
	compare_value_format(row->unit, cell->median, buf, len);
	if (!spread || cell->min == cell->max)
		return;
	compare_value_format(row->unit, cell->min, lo, sizeof(lo));
	compare_value_format(row->unit, cell->max, hi, sizeof(hi));
	used = strlen(buf);
	snprintf(buf + used, len - used, " (%s..%s)", lo, hi);
}

const char *compare_unit_name(enum compare_unit unit)
{
	switch (unit) {
	case COMPARE_COUNT:
		return "count";
	case COMPARE_US:
		return "us";
	case COMPARE_MS:
		return "ms";
	case COMPARE_RATIO:
		return "ratio";
	}
	return "?";
}

void compare_column_status(const struct compare_column *col, char *buf, size_t len)
{
	size_t done = compare_column_complete(col);

	if (col->run_count == 0) {
		snprintf(buf, len, "not run");
	} else if (done == col->run_count) {
		snprintf(buf, len, "complete");
	} else if (col->run_count == 1) {
		const struct compare_run *r = &col->runs[0];
		json_t *status = jsonpath_get(r->doc, "run.status");

		snprintf(buf, len, "%s", json_is_string(status) ? json_string_value(status) : "failed");
	} else {
		snprintf(buf, len, "%zu/%zu complete", done, col->run_count);
	}
}

void compare_column_verdict(const struct compare_column *col, char *buf, size_t len)
{
	size_t held_runs = 0;
	size_t with_doc = 0;

	if (col->run_count == 1 && col->runs[0].doc != NULL) {
		json_t *doc = col->runs[0].doc;
		size_t total = json_array_size(json_object_get(doc, "expectations"));
		int failed = verdict_failed(doc, 0);

		if (total == 0)
			snprintf(buf, len, "none");
		else
			snprintf(buf, len, "passed %zu/%zu", total - (size_t)failed, total);
		return;
	}
	for (size_t r = 0; r < col->run_count; r++) {
		if (col->runs[r].doc == NULL)
			continue;
		with_doc++;
		held_runs += verdict_failed(col->runs[r].doc, 0) == 0;
	}
	if (with_doc == 0)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "passed %zu/%zu runs", held_runs, col->run_count);
}

int compare_column_all_held(const struct compare_column *col)
{
	size_t with_doc = 0;

	for (size_t r = 0; r < col->run_count; r++) {
		if (col->runs[r].doc == NULL)
			continue;
		with_doc++;
		if (verdict_failed(col->runs[r].doc, 0) != 0)
			return 0;
	}
	return with_doc == col->run_count && with_doc > 0 ? 1 : with_doc == 0 ? -1 : 0;
}
