/* plot_data: read samples.csv and connections.csv by header name; reduce the series so a plot stays small. */
#include "plot_data.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "csv.h"
#include "parse.h"
#include "stats.h"

/* Columns a line of these files may have (samples.csv has 12, connections.csv 14). */
#define CSV_FIELDS_MAX 32
/* Most rows read: a day of samples at 10 ms is 8.6 million; the client keeps at most 10 million records. */
#define SAMPLES_ROWS_MAX 10000000
#define CONNECTS_ROWS_MAX 10000000
/* The longest line either file has is a few hundred bytes; the largest file, 10 million such lines. */
#define CSV_LINE_MAX 4096

static const char *const sample_names[PS_COLS] = {
	[PS_ACCEPTQ_LEN] = "acceptq_len",
	[PS_ACCEPTQ_LIMIT] = "acceptq_limit",
	[PS_LISTENERS] = "listeners",
	[PS_SERVER_SYN_RECV] = "server_syn_recv",
	[PS_SERVER_ESTABLISHED] = "server_established",
	[PS_SERVER_TIME_WAIT] = "server_time_wait",
	[PS_CLIENT_SYN_SENT] = "client_syn_sent",
	[PS_CLIENT_ESTABLISHED] = "client_established",
	[PS_CLIENT_TIME_WAIT] = "client_time_wait",
};

const char *plot_sample_col_name(enum plot_sample_col col)
{
	return col < PS_COLS ? sample_names[col] : "?";
}

/* The integer in column index of a row (0 when the header has no such column), which must be plain digits
 * ('-' allowed) within [min, max]: anything else is refused at its file, line and column. */
static int field_int(char **fields, size_t n, int index, long min, long max, const char *path, size_t line,
		     const char *name, int64_t *out, struct tl_err *err)
{
	char what[1200];
	long v;

	*out = 0;
	if (index < 0)
		return 0;
	if ((size_t)index >= n)
		return tl_errf(err, "%s:%zu: no %s column in this line", path, line, name);
	snprintf(what, sizeof(what), "%s:%zu: %s", path, line, name);
	if (parse_long(fields[index], min, max, &v, what, err) != 0)
		return -1;
	*out = v;
	return 0;
}

static int grow_samples(struct plot_samples *s, size_t *cap, struct tl_err *err)
{
	size_t want = *cap ? *cap * 2 : 4096;
	int64_t *t = realloc(s->t_us, want * sizeof(*t));

	if (t == NULL)
		return tl_errf(err, "out of memory reading samples");
	s->t_us = t;
	for (int c = 0; c < PS_COLS; c++) {
		uint32_t *v = realloc(s->col[c], want * sizeof(*v));

		if (v == NULL)
			return tl_errf(err, "out of memory reading samples");
		s->col[c] = v;
	}
	*cap = want;
	return 0;
}

/* Keep peaks: a queue that was full for one sample shows as full however many samples a point stands for. */
static void reduce(struct plot_samples *s, size_t max_points)
{
	size_t per = (s->count + max_points - 1) / max_points;
	size_t out = 0;

	if (per <= 1)
		return;
	for (size_t first = 0; first < s->count; first += per, out++) {
		size_t last = first + per < s->count ? first + per : s->count;

		s->t_us[out] = s->t_us[first];
		for (int c = 0; c < PS_COLS; c++) {
			uint32_t m = s->col[c][first];

			for (size_t i = first + 1; i < last; i++)
				m = s->col[c][i] > m ? s->col[c][i] : m;
			s->col[c][out] = m;
		}
	}
	s->count = out;
}

int plot_samples_load(const char *path, size_t max_points, struct plot_samples *s, struct tl_err *err)
{
	FILE *f;
	char line[CSV_LINE_MAX];
	long len;
	char *fields[CSV_FIELDS_MAX];
	int index[PS_COLS];
	int t_index;
	size_t cap = 0;
	size_t n;

	memset(s, 0, sizeof(*s));
	f = csv_open_untrusted(path, PLOT_DATA_FILE_MAX_BYTES, err);
	if (f == NULL)
		return -1;
	if ((len = csv_read_line(f, line, sizeof(line))) < 0) {
		fclose(f);
		return tl_errf(err, "%s: %s", path, len == -2 ? "the header line is too long" : "empty file");
	}
	n = csv_split(line, fields, CSV_FIELDS_MAX);
	t_index = csv_find(fields, n, "t_us");
	for (int c = 0; c < PS_COLS; c++)
		index[c] = csv_find(fields, n, sample_names[c]);
	if (t_index < 0 || index[PS_ACCEPTQ_LEN] < 0) {
		fclose(f);
		return tl_errf(err, "%s: no t_us or acceptq_len column in the header", path);
	}
	while ((len = csv_read_line(f, line, sizeof(line))) != -1) {
		size_t lineno = s->count + 2;
		int64_t v;
		int bad;

		if (len == -2) {
			tl_errf(err, "%s:%zu: longer than %d bytes", path, lineno, CSV_LINE_MAX - 1);
			goto fail;
		}
		if (s->count == SAMPLES_ROWS_MAX) {
			tl_errf(err, "%s: more than %d samples", path, SAMPLES_ROWS_MAX);
			goto fail;
		}
		if (s->count == cap && grow_samples(s, &cap, err) != 0)
			goto fail;
		n = csv_split(line, fields, CSV_FIELDS_MAX);
		bad = field_int(fields, n, t_index, 0, LONG_MAX, path, lineno, "t_us", &s->t_us[s->count], err);
		for (int c = 0; c < PS_COLS && !bad; c++) {
			bad = field_int(fields, n, index[c], 0, UINT32_MAX, path, lineno, sample_names[c], &v, err);
			s->col[c][s->count] = (uint32_t)v;
		}
		if (bad)
			goto fail;
		s->count++;
	}
	fclose(f);
	s->read = s->count;
	if (max_points > 0)
		reduce(s, max_points);
	return 0;
fail:
	fclose(f);
	plot_samples_free(s);
	return -1;
}

void plot_samples_free(struct plot_samples *s)
{
	free(s->t_us);
	for (int c = 0; c < PS_COLS; c++)
		free(s->col[c]);
	memset(s, 0, sizeof(*s));
}

int plot_connects_load(const char *path, struct plot_connects *c, struct tl_err *err)
{
	FILE *f;
	char line[CSV_LINE_MAX];
	long len;
	char *fields[CSV_FIELDS_MAX];
	size_t cap = 0;
	struct stat st;
	int index;

	memset(c, 0, sizeof(*c));
	/* A grid run writes no connections.csv. */
	if (lstat(path, &st) != 0 && errno == ENOENT)
		return 0;
	f = csv_open_untrusted(path, PLOT_DATA_FILE_MAX_BYTES, err);
	if (f == NULL)
		return -1;
	if ((len = csv_read_line(f, line, sizeof(line))) < 0) {
		fclose(f);
		return len == -2 ? tl_errf(err, "%s: the header line is too long", path) : 0;
	}
	index = csv_find(fields, csv_split(line, fields, CSV_FIELDS_MAX), "connect_us");
	if (index < 0) {
		fclose(f);
		return tl_errf(err, "%s: no connect_us column in the header", path);
	}
	while ((len = csv_read_line(f, line, sizeof(line))) != -1) {
		size_t n = csv_split(line, fields, CSV_FIELDS_MAX);
		int64_t us;

		if (len == -2) {
			fclose(f);
			plot_connects_free(c);
			return tl_errf(err, "%s:%zu: longer than %d bytes", path, c->total + 2, CSV_LINE_MAX - 1);
		}
		if (c->total == CONNECTS_ROWS_MAX ||
		    field_int(fields, n, index, -1, LONG_MAX, path, c->total + 2, "connect_us", &us, err) != 0) {
			if (c->total == CONNECTS_ROWS_MAX)
				tl_errf(err, "%s: more than %d connections", path, CONNECTS_ROWS_MAX);
			fclose(f);
			plot_connects_free(c);
			return -1;
		}
		c->total++;
		/* -1: the connection never connected (refused, timed out, reset during the handshake). */
		if (us < 0)
			continue;
		if (c->count == cap) {
			size_t want = cap ? cap * 2 : 4096;
			int64_t *grown = realloc(c->connect_us, want * sizeof(*grown));

			if (grown == NULL) {
				fclose(f);
				plot_connects_free(c);
				return tl_errf(err, "out of memory reading %s", path);
			}
			c->connect_us = grown;
			cap = want;
		}
		c->connect_us[c->count++] = us;
	}
	fclose(f);
	stats_sort_us(c->connect_us, c->count);
	return 0;
}

void plot_connects_free(struct plot_connects *c)
{
	free(c->connect_us);
	memset(c, 0, sizeof(*c));
}
