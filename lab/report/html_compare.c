/* html_compare: report.html of a comparison or sweep: the table with differing rows marked, charts on shared axes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "path.h"
#include "report/html.h"
#include "report/html_ladder.h"
#include "report/html_page.h"

static void cell_class(FILE *out, const struct compare_column *col)
{
	int held = compare_column_all_held(col);

	if (held == 1)
		fputs(" class=\"n pass\"", out);
	else if (held == 0)
		fputs(" class=\"n fail\"", out);
	else
		fputs(" class=\"n\"", out);
}

static void header_rows(FILE *out, const struct comparison *c)
{
	for (size_t line = 0; line < compare_header_lines(c); line++) {
		fputs("<tr><th>", out);
		html_escape(out, compare_header_name(c, line));
		fputs("</th>", out);
		for (size_t col = 0; col < c->column_count; col++) {
			fputs("<th>", out);
			html_escape(out, compare_header_cell(c, col, line));
			fputs("</th>", out);
		}
		fputs("</tr>\n", out);
	}
}

static void table(FILE *out, const struct comparison *c, const struct compare_table *t)
{
	char buf[256];

	fputs("<section id=\"table\">\n<h2>Side by side</h2>\n<table id=\"compare-table\">\n", out);
	header_rows(out, c);
	fputs("<tr><td>status</td>", out);
	for (size_t col = 0; col < c->column_count; col++) {
		compare_column_status(&c->columns[col], buf, sizeof(buf));
		fputs("<td class=\"n\">", out);
		html_escape(out, buf);
		fputs("</td>", out);
	}
	fputs("</tr>\n<tr><td>expectations</td>", out);
	for (size_t col = 0; col < c->column_count; col++) {
		compare_column_verdict(&c->columns[col], buf, sizeof(buf));
		fputs("<td", out);
		cell_class(out, &c->columns[col]);
		fputc('>', out);
		html_escape(out, buf);
		fputs("</td>", out);
	}
	fputs("</tr>\n", out);
	for (size_t i = 0; i < t->count; i++) {
		const struct compare_row *row = &t->rows[i];

		fprintf(out, "<tr%s data-path=\"", row->differs ? " class=\"differs\"" : "");
		html_escape(out, row->path);
		fputs("\"><td>", out);
		html_escape(out, row->label);
		fputs("</td>", out);
		for (size_t col = 0; col < c->column_count; col++) {
			compare_cell_format(row, &row->cells[col], c->repeat > 1, buf, sizeof(buf));
			fputs("<td class=\"n\">", out);
			html_escape(out, buf);
			fputs("</td>", out);
		}
		fputs("</tr>\n", out);
	}
	fputs("</table>\n<p class=\"meta\">Highlighted rows differ between columns (by more than 10%, and more than "
	      "5 ms for times).",
	      out);
	if (c->repeat > 1)
		fputs(" Each cell is the median of the replays, min..max in brackets.", out);
	fputs(" The expectations are written for the scenario's own profiles: in other columns a FAIL is a finding, "
	      "not an error.</p>\n</section>\n",
	      out);
}

static void run_links(FILE *out, const struct comparison *c)
{
	fprintf(out, "<section id=\"runs\">\n<h2>%s</h2>\n<ul>\n", c->stored ? "Run folders" : "Replays");
	for (size_t col = 0; col < c->column_count; col++) {
		for (size_t r = 0; r < c->columns[col].run_count; r++) {
			const struct compare_run *run = &c->columns[col].runs[r];

			fputs("<li>", out);
			html_escape(out, c->columns[col].label);
			fprintf(out, ", replay %zu: ", r + 1);
			if (run->dir[0] != '\0') {
				fputs("<a href=\"", out);
				html_escape(out, run->dir);
				fputs("/report.html\">", out);
				html_escape(out, run->dir);
				fputs("</a>", out);
			}
			if (run->error[0] != '\0') {
				fputs(" <span class=\"fail\">", out);
				html_escape(out, run->error);
				fputs("</span>", out);
			}
			fputs("</li>\n", out);
		}
	}
	fputs("</ul>\n</section>\n", out);
}

/* Ladders drawn per column: the first few of the typical replay's selection, enough to set them side by side. */
#define COMPARE_LADDERS_PER_COLUMN 3

/* The typical replay's first ladders of every column, one column beside the other. */
static void ladders_side_by_side(FILE *out, const struct comparison *c)
{
	int any = 0;

	for (size_t col = 0; col < c->column_count && !any; col++) {
		int r = compare_column_typical(&c->columns[col]);

		any = r >= 0 && json_array_size(json_object_get(json_object_get(c->columns[col].runs[r].doc, "packets"),
								 "ladders")) > 0;
	}
	if (!any)
		return;
	fputs("<section id=\"ladders\">\n<h2>Packets side by side</h2>\n<p class=\"meta\">The connections with the most "
	      "to show of each column's typical replay (retransmissions, resets, handshakes never completed), as its "
	      "captures saw them; its run folder's report.html has every ladder it selected.</p>\n<div class=\"ladder-row\">\n",
	      out);
	for (size_t col = 0; col < c->column_count; col++) {
		int r = compare_column_typical(&c->columns[col]);

		if (r >= 0)
			html_ladders_column(out, c->columns[col].runs[r].doc, c->columns[col].label, (int)col,
					    COMPARE_LADDERS_PER_COLUMN);
	}
	fputs("</div>\n</section>\n", out);
}

static void heading(FILE *out, const struct comparison *c)
{
	char when[64];
	time_t t = (time_t)(c->started_wall_us / 1000000);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	fputs("<h1>", out);
	html_escape(out, c->kind);
	fputs(": ", out);
	html_escape(out, c->scenario);
	fputs("</h1>\n<p class=\"desc\">", out);
	html_escape(out, c->description);
	fprintf(out, "</p>\n<p class=\"meta\">started %s &middot; %zu columns &middot; %d %s%s each", when,
		c->column_count, c->repeat, c->stored ? "run" : "replay", c->repeat == 1 ? "" : "s");
	if (c->stored) {
		fputs(" &middot; run folders as they were recorded, not replayed here", out);
	} else if (strcmp(c->kind, "compare") == 0) {
		fputs(" &middot; profiles applied to the ", out);
		html_escape(out, c->side);
		fputs(" side", out);
	}
	fprintf(out, "%s</p>\n", c->interrupted ? " &middot; <span class=\"fail\">interrupted</span>" : "");
}

int html_report_compare(const char *dir, const struct comparison *c, const struct compare_table *t,
			struct tl_err *err)
{
	struct plot_source *src = calloc(c->column_count ? c->column_count : 1, sizeof(*src));
	char (*paths)[TL_PATH_LEN] = calloc(c->column_count ? c->column_count : 1, sizeof(*paths));
	struct plot_set plots;
	size_t n = 0;
	char *text = NULL;
	size_t len = 0;
	char title[160];
	FILE *out;

	memset(&plots, 0, sizeof(plots));
	if (src == NULL || paths == NULL) {
		free(src);
		free(paths);
		return tl_errf(err, "out of memory rendering report.html");
	}
	for (size_t col = 0; col < c->column_count; col++) {
		int r = compare_column_typical(&c->columns[col]);

		if (r < 0)
			continue;
		if (tl_path_fmt(paths[n], sizeof(paths[n]), err, "%s/%s", dir, c->columns[col].runs[r].dir) != 0) {
			free(src);
			free(paths);
			return -1;
		}
		src[n].label = c->columns[col].label;
		src[n].dir = paths[n];
		src[n].doc = c->columns[col].runs[r].doc;
		n++;
	}
	if (n > 0 && plot_draw(src, n, &plots, err) != 0) {
		free(src);
		free(paths);
		return -1;
	}
	for (int k = 0; n == 0 && k < PLOT_KINDS; k++)
		snprintf(plots.note[k], sizeof(plots.note[k]), "no replay completed");
	out = open_memstream(&text, &len);
	if (out == NULL) {
		plot_set_free(&plots);
		free(src);
		free(paths);
		return tl_errf(err, "out of memory rendering report.html");
	}
	snprintf(title, sizeof(title), "tcplab %s: %s", c->kind, c->scenario);
	html_head(out, title);
	heading(out, c);
	table(out, c, t);
	html_plots(out, &plots, 1);
	ladders_side_by_side(out, c);
	run_links(out, c);
	html_end(out, "compare.json and the run folders it lists");
	plot_set_free(&plots);
	free(src);
	free(paths);
	return html_finish(out, &text, &len, dir, err);
}
