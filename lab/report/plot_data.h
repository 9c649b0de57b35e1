/* plot_data: what the plots need from a results folder (samples.csv, connections.csv), reduced to a drawable size. */
#ifndef TL_PLOT_DATA_H
#define TL_PLOT_DATA_H

/* The largest samples.csv or connections.csv the loaders read: a long run's files, far below memory. */
#define PLOT_DATA_FILE_MAX_BYTES (4LL << 30)

#include <stddef.h>
#include <stdint.h>

#include "tl_err.h"

/* samples.csv columns the plots use, by header name (the file may gain columns; order does not matter). */
enum plot_sample_col {
	PS_ACCEPTQ_LEN,
	PS_ACCEPTQ_LIMIT,
	PS_LISTENERS,
	PS_SERVER_SYN_RECV,
	PS_SERVER_ESTABLISHED,
	PS_SERVER_TIME_WAIT,
	PS_CLIENT_SYN_SENT,
	PS_CLIENT_ESTABLISHED,
	PS_CLIENT_TIME_WAIT,
	PS_COLS
};

/* The sample series, at most max_points long: each point is the maximum of the samples it stands for. */
struct plot_samples {
	size_t count;
	size_t read;          /* samples in the file */
	int64_t *t_us;        /* first sample time of each point */
	uint32_t *col[PS_COLS];
};

/* Connect times of the connections that connected, sorted, and how many connections there were. */
struct plot_connects {
	int64_t *connect_us;
	size_t count;
	size_t total;
};

/* The samples.csv header name of a column. */
const char *plot_sample_col_name(enum plot_sample_col col);

/* Read path (samples.csv) into s, reduced to at most max_points points. */
int plot_samples_load(const char *path, size_t max_points, struct plot_samples *s, struct tl_err *err);

/* Release the series. */
void plot_samples_free(struct plot_samples *s);

/* Read path (connections.csv); a missing file is not an error (a grid run has none): count and total stay 0. */
int plot_connects_load(const char *path, struct plot_connects *c, struct tl_err *err);

/* Release the connect times. */
void plot_connects_free(struct plot_connects *c);

#endif
