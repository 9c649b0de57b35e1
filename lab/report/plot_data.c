/* plot_data: read samples.csv and connections.csv by header name; reduce the series so a plot stays small. */
#include "plot_data.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"

/* Columns a line of these files may have (samples.csv has 12, connections.csv 14). */
#define CSV_FIELDS_MAX 32

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

/* Split line at commas in place (these files quote nothing); returns the field count. */
static size_t split(char *line, char **fields)
{
	size_t n = 0;

	line[strcspn(line, "\r\n")] = '\0';
	for (char *p = line; n < CSV_FIELDS_MAX;) {
		fields[n++] = p;
		p = strchr(p, ',');
		if (p == NULL)
			break;
		*p++ = '\0';
	}
	return n;
}

static int find_field(char **fields, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++) {
		if (strcmp(fields[i], name) == 0)
			return (int)i;
	}
	return -1;
}

static int64_t field_i64(char **fields, size_t n, int index)
{
	return index >= 0 && (size_t)index < n ? strtoll(fields[index], NULL, 10) : 0;
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
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t line_cap = 0;
	char *fields[CSV_FIELDS_MAX];
	int index[PS_COLS];
	int t_index;
	size_t cap = 0;
	size_t n;

	memset(s, 0, sizeof(*s));
	if (f == NULL)
		return tl_errf(err, "%s: %s", path, strerror(errno));
	if (getline(&line, &line_cap, f) < 0) {
		free(line);
		fclose(f);
		return tl_errf(err, "%s: empty file", path);
	}
	n = split(line, fields);
	t_index = find_field(fields, n, "t_us");
	for (int c = 0; c < PS_COLS; c++)
		index[c] = find_field(fields, n, sample_names[c]);
	if (t_index < 0 || index[PS_ACCEPTQ_LEN] < 0) {
		free(line);
		fclose(f);
		return tl_errf(err, "%s: no t_us or acceptq_len column in the header", path);
	}
	while (getline(&line, &line_cap, f) >= 0) {
		if (s->count == cap && grow_samples(s, &cap, err) != 0) {
			free(line);
			fclose(f);
			plot_samples_free(s);
			return -1;
		}
		n = split(line, fields);
		s->t_us[s->count] = field_i64(fields, n, t_index);
		for (int c = 0; c < PS_COLS; c++)
			s->col[c][s->count] = (uint32_t)field_i64(fields, n, index[c]);
		s->count++;
	}
	free(line);
	fclose(f);
	s->read = s->count;
	if (max_points > 0)
		reduce(s, max_points);
	return 0;
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
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t line_cap = 0;
	char *fields[CSV_FIELDS_MAX];
	size_t cap = 0;
	int index;

	memset(c, 0, sizeof(*c));
	if (f == NULL)
		return errno == ENOENT ? 0 : tl_errf(err, "%s: %s", path, strerror(errno));
	if (getline(&line, &line_cap, f) < 0) {
		free(line);
		fclose(f);
		return 0;
	}
	index = find_field(fields, split(line, fields), "connect_us");
	if (index < 0) {
		free(line);
		fclose(f);
		return tl_errf(err, "%s: no connect_us column in the header", path);
	}
	while (getline(&line, &line_cap, f) >= 0) {
		size_t n = split(line, fields);
		int64_t us;

		if ((size_t)index >= n)
			continue;
		c->total++;
		/* -1: the connection never connected (refused, timed out, reset during the handshake). */
		us = strtoll(fields[index], NULL, 10);
		if (us < 0)
			continue;
		if (c->count == cap) {
			size_t want = cap ? cap * 2 : 4096;
			int64_t *grown = realloc(c->connect_us, want * sizeof(*grown));

			if (grown == NULL) {
				free(line);
				fclose(f);
				plot_connects_free(c);
				return tl_errf(err, "out of memory reading %s", path);
			}
			c->connect_us = grown;
			cap = want;
		}
		c->connect_us[c->count++] = us;
	}
	free(line);
	fclose(f);
	stats_sort_us(c->connect_us, c->count);
	return 0;
}

void plot_connects_free(struct plot_connects *c)
{
	free(c->connect_us);
	memset(c, 0, sizeof(*c));
}
