/* compare_table: the rows of a comparison (one figure of every run.json per row), medians, spreads and differences. */
#ifndef TL_COMPARE_TABLE_H
#define TL_COMPARE_TABLE_H

#include <stddef.h>

#include "report/compare_doc.h"

/* What a row's numbers are, which decides how they print and what counts as a difference. */
enum compare_unit {
	COMPARE_COUNT, /* connections, sockets, counter deltas */
	COMPARE_US,    /* a duration in microseconds */
	COMPARE_MS,    /* a duration in milliseconds */
	COMPARE_RATIO, /* amplification */
};

/* One column's value of a row over its complete replays. */
struct compare_cell {
	size_t runs; /* replays that had the value (0: none; the cell prints "-") */
	double median, min, max;
};

struct compare_row {
	char path[160];  /* run.json path: "server.nstat.TcpExtListenOverflows" */
	char label[96];  /* what the terminal shows */
	enum compare_unit unit;
	int differs;     /* the columns' medians differ by more than noise (see compare_table_build) */
	struct compare_cell *cells; /* one per column */
};

struct compare_table {
	struct compare_row *rows;
	size_t count;
	size_t cap;
	size_t columns;
};

/*
 * Rows, in order: wall time, amplification (when any run has one), grid
 * cells, connect p50/p99/max, outcome classes, SYN-retransmit bands, accept
 * queue (capacity, max, time full), SYN-RECV max, TIME-WAIT max of both
 * sides, then every Tcp* / TcpExt* counter of either side that moved in any
 * replay. A row differs when its medians are more than 10% apart and more
 * than a unit's noise floor (half a count, 5 ms for durations, 0.05 for ratios).
 */
int compare_table_build(const struct comparison *c, struct compare_table *t, struct tl_err *err);

/* Release the rows. */
void compare_table_free(struct compare_table *t);

/* A cell as text: "34", "1.03s", "1.38x", with " (30..36)" after it when spread and min != max; "-" when empty. */
void compare_cell_format(const struct compare_row *row, const struct compare_cell *cell, int spread, char *buf,
			 size_t len);

/* A number of a row's unit as text ("1.03s", "34", "1.380x"). */
void compare_value_format(enum compare_unit unit, double v, char *buf, size_t len);

/* The unit's name in compare.json: "count", "us", "ms", "ratio". */
const char *compare_unit_name(enum compare_unit unit);

/* A column's completion as text: "complete", "2/3 complete", a replay's run.status ("error"), "not run". */
void compare_column_status(const struct compare_column *col, char *buf, size_t len);

/* A column's expectations as text: "passed 6/6" (expectations that held), or over replays "passed 2/3 runs". */
void compare_column_verdict(const struct compare_column *col, char *buf, size_t len);

/* 1 when every replay of the column has a result and all its expectations held, 0 when one did not, -1 no result. */
int compare_column_all_held(const struct compare_column *col);

#endif
