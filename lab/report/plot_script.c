/* plot_script: write each run's data files and one gnuplot script that draws every chart of the report as SVG. */
#include "plot_script.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "path.h"
#include "report/jsonpath.h"

/* Colours of the runs (a comparison's columns), in order; more runs than colours reuse them. */
static const char *const palette[] = { "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd",
				       "#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#bcbd22" };
#define PALETTE_SIZE (sizeof(palette) / sizeof(palette[0]))

/* Socket states drawn, with their line colour; server lines are solid, client lines dashed. */
static const struct {
	enum plot_sample_col col;
	const char *title;
	const char *colour;
	int dashed;
} states[] = {
	{ PS_SERVER_SYN_RECV, "server SYN-RECV", "#d62728", 0 },
	{ PS_SERVER_ESTABLISHED, "server ESTABLISHED", "#1f77b4", 0 },
	{ PS_SERVER_TIME_WAIT, "server TIME-WAIT", "#9467bd", 0 },
	{ PS_CLIENT_SYN_SENT, "client SYN-SENT", "#ff7f0e", 1 },
	{ PS_CLIENT_ESTABLISHED, "client ESTABLISHED", "#2ca02c", 1 },
	{ PS_CLIENT_TIME_WAIT, "client TIME-WAIT", "#8c564b", 1 },
};
#define STATE_COUNT (sizeof(states) / sizeof(states[0]))

/* A state chart of a comparison has a panel per run; past this many it would be unreadable. */
#define STATE_PANELS_MAX 12

static const char *const outcomes[] = { "ok", "refused", "timeout", "reset", "addrnotavail", "other" };
#define OUTCOME_COUNT (sizeof(outcomes) / sizeof(outcomes[0]))

/* The terminal line every chart starts with: scalable SVG. Enhanced text, because only then does gnuplot name
 * each series in its SVG <title>; every label written from data is marked noenhanced (no _ subscripts). */
#define TERMINAL "set terminal svg size %d,%d dynamic enhanced font 'sans,11' background rgb 'white'\n"

void plot_svg_name(enum plot_kind kind, char *buf, size_t len)
{
	snprintf(buf, len, "%s.svg", plot_kind_id(kind));
}

void plot_inert_text(const char *text, char *out, size_t len)
{
	/* Letters, digits and punctuation gnuplot gives no meaning inside a single-quoted, noenhanced string. */
	static const char allowed[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,:;_-+=/()%#<>[]*";
	size_t n = 0;

	if (len == 0)
		return;
	for (const char *p = text; *p != '\0' && n + 1 < len && n < PLOT_LABEL_MAX; p++)
		out[n++] = strchr(allowed, *p) != NULL ? *p : '?';
	out[n] = '\0';
}

/* A label as a gnuplot single-quoted string: only inert characters reach the script, never a quote, a
 * backslash or a line end (a label is data from a results folder, and gnuplot runs `!cmd` lines). */
static void quoted(FILE *gp, const char *text)
{
	char safe[PLOT_LABEL_MAX + 1];

	plot_inert_text(text, safe, sizeof(safe));
	fprintf(gp, "'%s' noenhanced", safe);
}

static FILE *open_data(const char *dir, const char *name, struct tl_err *err)
{
	char path[TL_PATH_LEN];
	FILE *f = NULL;
	int fd;

	if (tl_path_fmt(path, sizeof(path), err, "%s/%s", dir, name) != 0)
		return NULL;
	/* The folder is our own (mkdtemp); still, nothing there is followed or reused. */
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd >= 0)
		f = fdopen(fd, "w");
	if (f == NULL) {
		tl_errf(err, "create %s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
	}
	return f;
}

static int close_data(FILE *f, const char *name, struct tl_err *err)
{
	if (fclose(f) != 0)
		return tl_errf(err, "write %s: %s", name, strerror(errno));
	return 0;
}

static uint32_t capacity_max(const struct plot_samples *s)
{
	uint32_t m = 0;

	for (size_t i = 0; i < s->count; i++) {
		if (s->col[PS_LISTENERS][i] > 0 && s->col[PS_ACCEPTQ_LIMIT][i] + 1 > m)
			m = s->col[PS_ACCEPTQ_LIMIT][i] + 1;
	}
	return m;
}

static double time_max_s(const struct plot_loaded *runs, size_t n)
{
	double t = 0;

	for (size_t r = 0; r < n; r++) {
		const struct plot_samples *s = &runs[r].samples;

		if (s->count > 0 && (double)s->t_us[s->count - 1] / 1e6 > t)
			t = (double)s->t_us[s->count - 1] / 1e6;
	}
	return t > 0 ? t : 1;
}

static int write_acceptq(const char *dir, FILE *gp, const struct plot_loaded *runs, size_t n, struct tl_err *err)
{
	uint32_t y_max = 1;

	for (size_t r = 0; r < n; r++) {
		const struct plot_samples *s = &runs[r].samples;
		char name[64];
		FILE *f;

		snprintf(name, sizeof(name), "acceptq-%zu.dat", r);
		f = open_data(dir, name, err);
		if (f == NULL)
			return -1;
		for (size_t i = 0; i < s->count; i++) {
			/* Before the listener exists there is no limit to draw: '?' is a gap. */
			if (s->col[PS_LISTENERS][i] > 0)
				fprintf(f, "%.6f %u %u\n", (double)s->t_us[i] / 1e6, s->col[PS_ACCEPTQ_LEN][i],
					s->col[PS_ACCEPTQ_LIMIT][i] + 1);
			else
				fprintf(f, "%.6f %u ?\n", (double)s->t_us[i] / 1e6, s->col[PS_ACCEPTQ_LEN][i]);
			if (s->col[PS_ACCEPTQ_LEN][i] > y_max)
				y_max = s->col[PS_ACCEPTQ_LEN][i];
		}
		if (capacity_max(s) > y_max)
			y_max = capacity_max(s);
		if (close_data(f, name, err) != 0)
			return -1;
	}
	fprintf(gp, "reset\n" TERMINAL "set output 'acceptq.svg'\nset datafile missing '?'\n", 860, 360);
	fprintf(gp, "set title 'Accept queue length (Recv-Q of the listener); dashed: capacity = min(backlog, "
		    "somaxconn) + 1'\n");
	fprintf(gp, "set xlabel 'seconds since the client started'\nset ylabel 'connections waiting for accept()'\n");
	fprintf(gp, "set grid\nset key top right\nset xrange [0:%.6f]\nset yrange [0:%.1f]\nplot ", time_max_s(runs, n),
		y_max * 1.12 + 1);
	for (size_t r = 0; r < n; r++) {
		char title[256];

		snprintf(title, sizeof(title), "%s%scapacity %u", n > 1 ? runs[r].label : "", n > 1 ? ": " : "",
			 capacity_max(&runs[r].samples));
		fprintf(gp, "%s'acceptq-%zu.dat' using 1:2 with steps lw 2 lc rgb '%s' title ", r ? ", \\\n  " : "", r,
			palette[r % PALETTE_SIZE]);
		quoted(gp, n > 1 ? runs[r].label : "accept queue length");
		fprintf(gp, ", 'acceptq-%zu.dat' using 1:3 with steps dt 2 lw 1.5 lc rgb '%s' title ", r,
			palette[r % PALETTE_SIZE]);
		quoted(gp, title);
	}
	fprintf(gp, "\nunset output\n");
	return 0;
}

static int write_states_data(const char *dir, const struct plot_loaded *run, size_t r, uint32_t *y_max,
			     struct tl_err *err)
{
	const struct plot_samples *s = &run->samples;
	char name[64];
	FILE *f;

	snprintf(name, sizeof(name), "states-%zu.dat", r);
	f = open_data(dir, name, err);
	if (f == NULL)
		return -1;
	for (size_t i = 0; i < s->count; i++) {
		fprintf(f, "%.6f", (double)s->t_us[i] / 1e6);
		for (size_t k = 0; k < STATE_COUNT; k++) {
			uint32_t v = s->col[states[k].col][i];

			fprintf(f, " %u", v);
			if (v > *y_max)
				*y_max = v;
		}
		fputc('\n', f);
	}
	return close_data(f, name, err);
}

static void plot_states_panel(FILE *gp, size_t r)
{
	fprintf(gp, "plot ");
	for (size_t k = 0; k < STATE_COUNT; k++) {
		fprintf(gp, "%s'states-%zu.dat' using 1:%zu with steps lw 1.5 lc rgb '%s'%s title ", k ? ", \\\n  " : "",
			r, k + 2, states[k].colour, states[k].dashed ? " dt 2" : "");
		quoted(gp, states[k].title);
	}
	fputc('\n', gp);
}

static int write_states(const char *dir, FILE *gp, const struct plot_loaded *runs, size_t n, struct tl_err *err)
{
	uint32_t y_max = 1;
	size_t cols = n > 1 ? 2 : 1;
	size_t rows = (n + cols - 1) / cols;

	for (size_t r = 0; r < n; r++) {
		if (write_states_data(dir, &runs[r], r, &y_max, err) != 0)
			return -1;
	}
	fprintf(gp, "reset\n" TERMINAL "set output 'states.svg'\n", 860, n > 1 ? (int)rows * 300 + 30 : 360);
	fprintf(gp, "set grid\nset key top right\nset xrange [0:%.6f]\nset yrange [0:%.1f]\n", time_max_s(runs, n),
		y_max * 1.12 + 1);
	fprintf(gp, "set xlabel 'seconds since the client started'\nset ylabel 'sockets on the lab port'\n");
	if (n == 1) {
		fprintf(gp, "set title 'Socket states (server solid, client dashed)'\n");
		plot_states_panel(gp, 0);
	} else {
		/* One panel per run, every panel on the same axes so heights compare at a glance. */
		fprintf(gp, "set multiplot layout %zu,%zu title 'Socket states (server solid, client dashed), same axes in "
			    "every panel'\n", rows, cols);
		for (size_t r = 0; r < n; r++) {
			fprintf(gp, "set title ");
			quoted(gp, runs[r].label);
			fputc('\n', gp);
			plot_states_panel(gp, r);
		}
		fprintf(gp, "unset multiplot\n");
	}
	fprintf(gp, "unset output\n");
	return 0;
}

/* The distribution as at most PLOT_MAX_POINTS steps of the sorted connect times, over all connections started. */
static int write_connect_data(const char *dir, const struct plot_connects *c, size_t r, struct tl_err *err)
{
	size_t points = c->count < PLOT_MAX_POINTS ? c->count : PLOT_MAX_POINTS;
	char name[64];
	FILE *f;

	snprintf(name, sizeof(name), "connect-%zu.dat", r);
	f = open_data(dir, name, err);
	if (f == NULL)
		return -1;
	for (size_t j = 0; j < points; j++) {
		size_t idx = points == 1 ? 0 : j * (c->count - 1) / (points - 1);
		double s = (double)c->connect_us[idx] / 1e6;

		/* A log axis has no zero: a connect faster than 1 us is drawn at 1 us. */
		fprintf(f, "%.6f %.6f\n", s > 1e-6 ? s : 1e-6, (double)(idx + 1) / (double)c->total);
	}
	return close_data(f, name, err);
}

static void connect_axes(FILE *gp, double min_s, double max_s)
{
	double x_min = pow(10, floor(log10(min_s > 1e-5 ? min_s : 1e-5)));
	double x_max = max_s * 1.5 > 15 ? max_s * 1.5 : 15;

	fprintf(gp, "set logscale x\nset xrange [%g:%g]\nset yrange [0:1.08]\nset grid\nset key bottom right\n", x_min,
		x_max);
	fprintf(gp, "set xtics ('10us' 1e-5, '100us' 1e-4, '1ms' 1e-3, '10ms' 0.01, '100ms' 0.1, '1s' 1, '3s' 3, "
		    "'7s' 7, '15s' 15, '31s' 31, '63s' 63, '127s' 127)\n");
	/* The bands tcplab counts (stats_syn_band): 0.5-2 s, 2-5 s, 5-11 s; lines at 1, 3 and 7 s after the SYN. */
	fprintf(gp, "set object 1 rect from 0.5, graph 0 to 2, graph 1 behind fc rgb '#fdebd3' fs solid 1.0 noborder\n"
		    "set object 2 rect from 2, graph 0 to 5, graph 1 behind fc rgb '#fbd9b0' fs solid 1.0 noborder\n"
		    "set object 3 rect from 5, graph 0 to 11, graph 1 behind fc rgb '#f8c48a' fs solid 1.0 noborder\n");
	fprintf(gp, "set arrow 1 from 1, graph 0 to 1, graph 1 nohead dt 3 lc rgb '#a05a00'\n"
		    "set arrow 2 from 3, graph 0 to 3, graph 1 nohead dt 3 lc rgb '#a05a00'\n"
		    "set arrow 3 from 7, graph 0 to 7, graph 1 nohead dt 3 lc rgb '#a05a00'\n");
	fprintf(gp, "set label 1 '1 s band' at 1, graph 0.96 center tc rgb '#a05a00'\n"
		    "set label 2 '3 s' at 3, graph 0.96 center tc rgb '#a05a00'\n"
		    "set label 3 '7 s' at 7, graph 0.96 center tc rgb '#a05a00'\n");
}

static int write_connect(const char *dir, FILE *gp, const struct plot_loaded *runs, size_t n, char *note,
			 struct tl_err *err)
{
	double min_s = 0, max_s = 0;
	size_t records = 0;
	int any = 0;

	for (size_t r = 0; r < n; r++) {
		const struct plot_connects *c = &runs[r].connects;

		records += c->total;
		if (c->count == 0)
			continue;
		if (!any || (double)c->connect_us[0] / 1e6 < min_s)
			min_s = (double)c->connect_us[0] / 1e6;
		if (!any || (double)c->connect_us[c->count - 1] / 1e6 > max_s)
			max_s = (double)c->connect_us[c->count - 1] / 1e6;
		any = 1;
		if (write_connect_data(dir, c, r, err) != 0)
			return -1;
	}
	if (!any) {
		snprintf(note, 256, "%s", records > 0 ? "no connection connected"
						      : "no per-connection records (a grid run records cells, not connections)");
		return 0;
	}
	fprintf(gp, "reset\n" TERMINAL "set output 'connect.svg'\n", 860, 380);
	fprintf(gp, "set title 'Connect latency: fraction of all connections connected within x (a curve below 1: the "
		    "rest never connected)'\n");
	fprintf(gp, "set xlabel 'connect time (log scale)'\nset ylabel 'fraction of connections'\n");
	connect_axes(gp, min_s, max_s);
	fprintf(gp, "plot ");
	for (size_t r = 0, shown = 0; r < n; r++) {
		char title[256];

		if (runs[r].connects.count == 0)
			continue;
		snprintf(title, sizeof(title), "%s%s%zu of %zu connected", n > 1 ? runs[r].label : "", n > 1 ? ": " : "",
			 runs[r].connects.count, runs[r].connects.total);
		fprintf(gp, "%s'connect-%zu.dat' using 1:2 with steps lw 2 lc rgb '%s' title ", shown++ ? ", \\\n  " : "",
			r, palette[r % PALETTE_SIZE]);
		quoted(gp, title);
	}
	fprintf(gp, "\nunset output\n");
	return 0;
}

/* Outcome counts of a run: client.outcome, or summed over the cells of a grid run. */
static double outcome_count(json_t *doc, const char *name)
{
	char path[96];
	double v = 0;
	json_t *cells = jsonpath_get(doc, "client.cells");
	json_t *cell;
	size_t i;

	snprintf(path, sizeof(path), "client.outcome.%s", name);
	if (jsonpath_number(doc, path, &v) == 0)
		return v;
	v = 0;
	snprintf(path, sizeof(path), "outcome.%s", name);
	json_array_foreach(cells, i, cell) {
		double c = 0;

		if (jsonpath_number(cell, path, &c) == 0)
			v += c;
	}
	return v;
}

static int write_outcomes(const char *dir, FILE *gp, const struct plot_loaded *runs, size_t n, char *note,
			  struct tl_err *err)
{
	double y_max = 0;
	FILE *f = open_data(dir, "outcomes.dat", err);

	if (f == NULL)
		return -1;
	for (size_t k = 0; k < OUTCOME_COUNT; k++) {
		fprintf(f, "%s", outcomes[k]);
		for (size_t r = 0; r < n; r++) {
			double v = outcome_count(runs[r].doc, outcomes[k]);

			fprintf(f, " %.0f", v);
			y_max = v > y_max ? v : y_max;
		}
		fputc('\n', f);
	}
	if (close_data(f, "outcomes.dat", err) != 0)
		return -1;
	if (y_max == 0) {
		snprintf(note, 256, "the client reported no connections");
		return 0;
	}
	fprintf(gp, "reset\n" TERMINAL "set output 'outcomes.svg'\n", 860, 340);
	fprintf(gp, "set title 'Outcome of every connection, by class'\nset ylabel 'connections'\n");
	fprintf(gp, "set style data histograms\nset style histogram clustered gap 1\n"
		    "set style fill solid 0.85 border -1\nset boxwidth 0.9 relative\nset grid ytics\n"
		    "set key top right\nset yrange [0:%.1f]\nset xtics nomirror\n", y_max * 1.15 + 1);
	fprintf(gp, "plot ");
	for (size_t r = 0; r < n; r++) {
		fprintf(gp, "%s'outcomes.dat' using %zu%s lc rgb '%s' title ", r ? ", \\\n  " : "", r + 2,
			r == 0 ? ":xtic(1)" : "", palette[r % PALETTE_SIZE]);
		quoted(gp, n > 1 ? runs[r].label : "connections");
	}
	/* The counts above the bars: in a clustered histogram bar r of group g sits at g + (r - (n-1)/2) / (n+gap). */
	for (size_t r = 0; r < n; r++)
		fprintf(gp, ", \\\n  'outcomes.dat' using ($0 + (%zu - %.1f) / %zu.0):%zu:(sprintf('%%d', int(column(%zu)))) "
			    "with labels offset 0,0.7 font 'sans,9' notitle",
			r, ((double)n - 1) / 2, n + 1, r + 2, r + 2);
	fprintf(gp, "\nunset output\n");
	return 0;
}

int plot_script_write(const char *dir, FILE *gp, const struct plot_loaded *runs, size_t n, int *drawn,
		      char (*note)[256], struct tl_err *err)
{
	for (int k = 0; k < PLOT_KINDS; k++) {
		drawn[k] = 0;
		note[k][0] = '\0';
	}
	if (write_acceptq(dir, gp, runs, n, err) != 0)
		return -1;
	drawn[PLOT_ACCEPTQ] = 1;
	if (n > STATE_PANELS_MAX) {
		snprintf(note[PLOT_STATES], 256, "%zu runs: more panels than a page can show (at most %d)", n,
			 STATE_PANELS_MAX);
	} else {
		if (write_states(dir, gp, runs, n, err) != 0)
			return -1;
		drawn[PLOT_STATES] = 1;
	}
	if (write_connect(dir, gp, runs, n, note[PLOT_CONNECT], err) != 0)
		return -1;
	drawn[PLOT_CONNECT] = note[PLOT_CONNECT][0] == '\0';
	if (write_outcomes(dir, gp, runs, n, note[PLOT_OUTCOMES], err) != 0)
		return -1;
	drawn[PLOT_OUTCOMES] = note[PLOT_OUTCOMES][0] == '\0';
	return 0;
}
