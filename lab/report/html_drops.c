/* html_drops: the kernel's drop decisions of a run over time (raw/drops.csv), one line per side, event and reason. */
#include "report/html_drops.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csv.h"
#include "parse.h"
#include "path.h"
#include "report/html_page.h"

#define FIELDS_MAX 16
/* The tracer records at most 100 000 events; a file with many more was not written by it. */
#define ROWS_MAX 200000
#define LINE_MAX_BYTES 512
#define SERIES_MAX 8
#define BINS 60
#define NAME_MAX_LEN 64
/* Ten days in microseconds: no run lasts longer. */
#define TIME_MAX_US (10LL * 24 * 3600 * 1000000)

#define SVG_W 720
#define SVG_H 220
#define PLOT_X0 56
#define PLOT_Y0 16
#define PLOT_W 640
#define PLOT_H 160

struct series {
	char label[3 * NAME_MAX_LEN];
	long long total;
	long long bins[BINS];
};

struct timeline {
	struct series s[SERIES_MAX];
	size_t count;
	long long other; /* events of series beyond SERIES_MAX */
	int64_t *t_us;   /* per row, for the second pass */
	size_t *which;   /* per row, its series or SERIES_MAX */
	size_t rows;
	int64_t t_max_us;
};

/* Only what a tracer writes: upper-case reason names, lower-case event and side names. */
static int name_ok(const char *s, const char *allowed)
{
	size_t n = strlen(s);

	return n < NAME_MAX_LEN && strspn(s, allowed) == n;
}

static size_t series_of(struct timeline *tl, const char *side, const char *event, const char *reason)
{
	char label[sizeof(tl->s[0].label)];

	snprintf(label, sizeof(label), "%s %s%s%s", side, event, reason[0] ? " " : "", reason);
	for (size_t i = 0; i < tl->count; i++) {
		if (strcmp(tl->s[i].label, label) == 0)
			return i;
	}
	if (tl->count == SERIES_MAX)
		return SERIES_MAX;
	snprintf(tl->s[tl->count].label, sizeof(tl->s[0].label), "%s", label);
	return tl->count++;
}

/* Read path's rows, every field checked, into tl; an error names the file and line. */
static int load(const char *path, struct timeline *tl, struct tl_err *err)
{
	FILE *f = csv_open_untrusted(path, HTML_DROPS_FILE_MAX_BYTES, err);
	char line[LINE_MAX_BYTES];
	char *fields[FIELDS_MAX];
	int ti, si, ei, ri;
	size_t n, lineno = 1;
	long len;
	int rc = -1;

	if (f == NULL)
		return -1;
	if ((len = csv_read_line(f, line, sizeof(line))) < 0) {
		tl_errf(err, "%s: %s", path, len == -2 ? "the header line is too long" : "empty file");
		goto out;
	}
	n = csv_split(line, fields, FIELDS_MAX);
	ti = csv_find(fields, n, "time_us");
	si = csv_find(fields, n, "side");
	ei = csv_find(fields, n, "event");
	ri = csv_find(fields, n, "reason");
	if (ti < 0 || si < 0 || ei < 0 || ri < 0) {
		tl_errf(err, "%s: the header lacks time_us, side, event or reason", path);
		goto out;
	}
	tl->t_us = calloc(ROWS_MAX, sizeof(*tl->t_us));
	tl->which = calloc(ROWS_MAX, sizeof(*tl->which));
	if (tl->t_us == NULL || tl->which == NULL) {
		tl_errf(err, "out of memory reading %s", path);
		goto out;
	}
	while ((len = csv_read_line(f, line, sizeof(line))) != -1) {
		char what[1200];
		long t;
		int w;
		int max = ti > si ? ti : si;

		lineno++;
		if (len == -2) {
			tl_errf(err, "%s:%zu: longer than %d bytes", path, lineno, LINE_MAX_BYTES - 1);
			goto out;
		}
		max = max > ei ? max : ei;
		max = max > ri ? max : ri;
		if (tl->rows == ROWS_MAX) {
			tl_errf(err, "%s: more than %d rows", path, ROWS_MAX);
			goto out;
		}
		n = csv_split(line, fields, FIELDS_MAX);
		if ((int)n <= max) {
			tl_errf(err, "%s:%zu: too few fields", path, lineno);
			goto out;
		}
		w = snprintf(what, sizeof(what), "%s:%zu: time_us", path, lineno);
		if (w < 0 || (size_t)w >= sizeof(what)) {
			tl_errf(err, "%s: the path is too long", path);
			goto out;
		}
		if (parse_long(fields[ti], 0, TIME_MAX_US, &t, what, err) != 0)
			goto out;
		if ((strcmp(fields[si], "server") != 0 && strcmp(fields[si], "client") != 0) ||
		    !name_ok(fields[ei], "abcdefghijklmnopqrstuvwxyz_") ||
		    !name_ok(fields[ri], "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")) {
			tl_errf(err, "%s:%zu: side, event or reason is not one a tracer writes", path, lineno);
			goto out;
		}
		tl->t_us[tl->rows] = t;
		tl->which[tl->rows] = series_of(tl, fields[si], fields[ei], fields[ri]);
		if (t > tl->t_max_us)
			tl->t_max_us = t;
		tl->rows++;
	}
	rc = 0;
out:
	fclose(f);
	return rc;
}

static void bin_rows(struct timeline *tl)
{
	int64_t span = tl->t_max_us + 1;

	for (size_t r = 0; r < tl->rows; r++) {
		size_t b = (size_t)((tl->t_us[r] * BINS) / span);

		if (tl->which[r] == SERIES_MAX) {
			tl->other++;
			continue;
		}
		tl->s[tl->which[r]].bins[b < BINS ? b : BINS - 1]++;
		tl->s[tl->which[r]].total++;
	}
}

static void draw(FILE *out, const struct timeline *tl)
{
	static const char *const colors[SERIES_MAX] = { "#b3261e", "#1f5fa8", "#2e7d32", "#8e44ad",
							 "#e67e22", "#16a085", "#7f8c8d", "#c0392b" };
	long long peak = 1;
	double span_s = (double)(tl->t_max_us + 1) / 1e6;

	for (size_t i = 0; i < tl->count; i++) {
		for (int b = 0; b < BINS; b++)
			peak = tl->s[i].bins[b] > peak ? tl->s[i].bins[b] : peak;
	}
	fprintf(out, "<svg class=\"drops\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\">\n", SVG_W,
		SVG_H, SVG_W, SVG_H);
	fprintf(out, "<path d=\"M%d %d V%d H%d\" stroke=\"#999\" fill=\"none\"/>\n", PLOT_X0, PLOT_Y0,
		PLOT_Y0 + PLOT_H, PLOT_X0 + PLOT_W);
	fprintf(out, "<text x=\"%d\" y=\"%d\" class=\"note\" text-anchor=\"end\">%lld</text>\n", PLOT_X0 - 6,
		PLOT_Y0 + 4, peak);
	fprintf(out, "<text x=\"%d\" y=\"%d\" class=\"note\" text-anchor=\"end\">0</text>\n", PLOT_X0 - 6,
		PLOT_Y0 + PLOT_H);
	fprintf(out, "<text x=\"%d\" y=\"%d\" class=\"note\">0 s</text>\n", PLOT_X0, PLOT_Y0 + PLOT_H + 16);
	fprintf(out, "<text x=\"%d\" y=\"%d\" class=\"note\" text-anchor=\"end\">%.3g s</text>\n", PLOT_X0 + PLOT_W,
		PLOT_Y0 + PLOT_H + 16, span_s);
	for (size_t i = 0; i < tl->count; i++) {
		fprintf(out, "<polyline fill=\"none\" stroke-width=\"1.8\" stroke=\"%s\" points=\"", colors[i]);
		for (int b = 0; b < BINS; b++)
			fprintf(out, "%d,%d ", PLOT_X0 + (b * PLOT_W) / (BINS - 1),
				PLOT_Y0 + PLOT_H - (int)((tl->s[i].bins[b] * PLOT_H) / peak));
		fputs("\"/>\n", out);
	}
	fputs("</svg>\n<ul class=\"drops-legend\">\n", out);
	for (size_t i = 0; i < tl->count; i++) {
		fprintf(out, "<li><span style=\"color:%s\">&#9632;</span> ", colors[i]);
		html_escape(out, tl->s[i].label);
		fprintf(out, ": %lld</li>\n", tl->s[i].total);
	}
	if (tl->other > 0)
		fprintf(out, "<li>%lld more events of other kinds (raw/drops.csv)</li>\n", tl->other);
	fputs("</ul>\n", out);
	fprintf(out, "<p class=\"meta\">Events per %.3g s bin, from raw/drops.csv.</p>\n", span_s / BINS);
}

int html_drops_check(const char *dir, struct tl_err *err)
{
	struct timeline tl;
	struct stat st;
	char path[TL_PATH_LEN];
	int rc;

	/* raw/ itself must be the folder's own, not a link to somewhere else. */
	if (tl_path_fmt(path, sizeof(path), err, "%s/raw", dir) != 0)
		return -1;
	if (lstat(path, &st) == 0 && !S_ISDIR(st.st_mode))
		return tl_errf(err, "%s: not a folder (a symlink?)", path);
	if (tl_path_fmt(path, sizeof(path), err, "%s/raw/drops.csv", dir) != 0)
		return -1;
	if (lstat(path, &st) != 0 && errno == ENOENT)
		return 0;
	memset(&tl, 0, sizeof(tl));
	rc = load(path, &tl, err);
	free(tl.t_us);
	free(tl.which);
	return rc;
}

void html_drops_section(FILE *out, const char *dir, json_t *doc)
{
	json_t *drops = json_object_get(doc, "drops");
	const char *status = json_string_value(json_object_get(drops, "status"));
	struct timeline tl;
	struct tl_err err;
	char path[TL_PATH_LEN];

	fputs("<section id=\"drops\">\n<h2>Kernel drops over time</h2>\n", out);
	if (status == NULL || strcmp(status, "on") != 0) {
		const char *reason = json_string_value(json_object_get(drops, "reason"));

		fputs("<p class=\"meta\">No drop tracing in this run", out);
		if (reason != NULL) {
			fputs(": ", out);
			html_escape(out, reason);
		}
		fputs(".</p>\n</section>\n", out);
		return;
	}
	memset(&tl, 0, sizeof(tl));
	if (tl_path_fmt(path, sizeof(path), &err, "%s/raw/drops.csv", dir) != 0 || load(path, &tl, &err) != 0) {
		fputs("<p class=\"meta\">", out);
		html_escape(out, err.msg);
		fputs("</p>\n", out);
	} else if (tl.rows == 0) {
		fputs("<p class=\"meta\">The kernel dropped nothing, retransmitted no SYN-ACK and sent or received no "
		      "reset in the lab's namespaces.</p>\n",
		      out);
	} else {
		bin_rows(&tl);
		draw(out, &tl);
	}
	fputs("<p class=\"meta\">Each packet the kernel freed with a drop reason, each SYN-ACK it retransmitted, each "
	      "reset it sent or received, in the two lab namespaces only. A SYN refused because the accept queue "
	      "is full is not freed with a reason on this kernel: ListenOverflows counts it.</p>\n</section>\n",
	      out);
	free(tl.t_us);
	free(tl.which);
}
