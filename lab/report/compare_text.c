/* compare_text: the comparison as one table, columns side by side, for the terminal and for compare.md. */
#include "compare_text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Widest cell text kept; longer labels are cut (compare.json keeps them whole). */
#define CELL_MAX 96

static size_t max_size(size_t a, size_t b)
{
	return a > b ? a : b;
}

static void header_cell(const struct comparison *c, size_t col, size_t line, char *buf, size_t len)
{
	snprintf(buf, len, "%.*s", CELL_MAX - 1, compare_header_cell(c, col, line));
}

static void header_name(const struct comparison *c, size_t line, char *buf, size_t len)
{
	snprintf(buf, len, "%s", compare_header_name(c, line));
}

/* Width of every column (index 0: the row labels). */
static void column_widths(const struct comparison *c, const struct compare_table *t, int spread, size_t *w)
{
	char buf[CELL_MAX * 2];

	w[0] = strlen("expectations");
	for (size_t line = 0; line < compare_header_lines(c); line++) {
		header_name(c, line, buf, sizeof(buf));
		w[0] = max_size(w[0], strlen(buf));
	}
	for (size_t i = 0; i < t->count; i++)
		w[0] = max_size(w[0], strlen(t->rows[i].label));
	for (size_t col = 0; col < c->column_count; col++) {
		w[col + 1] = 6;
		for (size_t line = 0; line < compare_header_lines(c); line++) {
			header_cell(c, col, line, buf, sizeof(buf));
			w[col + 1] = max_size(w[col + 1], strlen(buf));
		}
		compare_column_status(&c->columns[col], buf, sizeof(buf));
		w[col + 1] = max_size(w[col + 1], strlen(buf));
		compare_column_verdict(&c->columns[col], buf, sizeof(buf));
		w[col + 1] = max_size(w[col + 1], strlen(buf));
		for (size_t i = 0; i < t->count; i++) {
			compare_cell_format(&t->rows[i], &t->rows[i].cells[col], spread, buf, sizeof(buf));
			w[col + 1] = max_size(w[col + 1], strlen(buf));
		}
	}
}

static void print_line(FILE *out, const char *mark, const char *label, size_t label_w)
{
	fprintf(out, "%s %-*s", mark, (int)label_w, label);
}

static void render_table(FILE *out, const struct comparison *c, const struct compare_table *t)
{
	int spread = c->repeat > 1;
	size_t *w = calloc(c->column_count + 1, sizeof(*w));
	char buf[CELL_MAX * 2];

	if (w == NULL)
		return;
	column_widths(c, t, spread, w);
	for (size_t line = 0; line < compare_header_lines(c); line++) {
		header_name(c, line, buf, sizeof(buf));
		print_line(out, " ", buf, w[0]);
		for (size_t col = 0; col < c->column_count; col++) {
			header_cell(c, col, line, buf, sizeof(buf));
			fprintf(out, "  %*s", (int)w[col + 1], buf);
		}
		fputc('\n', out);
	}
	print_line(out, " ", "status", w[0]);
	for (size_t col = 0; col < c->column_count; col++) {
		compare_column_status(&c->columns[col], buf, sizeof(buf));
		fprintf(out, "  %*s", (int)w[col + 1], buf);
	}
	fputc('\n', out);
	print_line(out, " ", "expectations", w[0]);
	for (size_t col = 0; col < c->column_count; col++) {
		compare_column_verdict(&c->columns[col], buf, sizeof(buf));
		fprintf(out, "  %*s", (int)w[col + 1], buf);
	}
	fputc('\n', out);
	for (size_t i = 0; i < t->count; i++) {
		const struct compare_row *row = &t->rows[i];

		print_line(out, row->differs ? "*" : " ", row->label, w[0]);
		for (size_t col = 0; col < c->column_count; col++) {
			compare_cell_format(row, &row->cells[col], spread, buf, sizeof(buf));
			fprintf(out, "  %*s", (int)w[col + 1], buf);
		}
		fputc('\n', out);
	}
	free(w);
}

static void render_heading(FILE *out, const struct comparison *c)
{
	fprintf(out, "%s — %s\n", c->scenario, c->description);
	if (strcmp(c->kind, "sweep") == 0)
		fprintf(out, "  sweep: %zu combinations", c->column_count);
	else if (c->stored)
		fprintf(out, "  compare: %zu run folders as they were recorded (not replayed here)", c->column_count);
	else
		fprintf(out, "  compare: %zu columns, profiles on the %s side%s", c->column_count, c->side,
			strcmp(c->side, "both") == 0 ? "s" : "");
	fprintf(out, ", %d %s%s each%s; * marks rows whose columns differ\n", c->repeat, c->stored ? "run" : "replay",
		c->repeat == 1 ? "" : "s", c->repeat > 1 ? " (median, min..max)" : "");
	if (c->interrupted)
		fprintf(out, "  interrupted: the columns show what had run\n");
}

static void render_errors(FILE *out, const struct comparison *c)
{
	for (size_t col = 0; col < c->column_count; col++) {
		for (size_t r = 0; r < c->columns[col].run_count; r++) {
			const struct compare_run *run = &c->columns[col].runs[r];

			if (run->error[0] != '\0')
				fprintf(out, "%s, replay %zu: %s\n", c->columns[col].label, r + 1, run->error);
		}
	}
}

static void render_runs(FILE *out, const struct comparison *c)
{
	fprintf(out, "\nRun folders (each with run.json, samples.csv, connections.csv, summary.md):\n\n");
	for (size_t col = 0; col < c->column_count; col++) {
		for (size_t r = 0; r < c->columns[col].run_count; r++) {
			const struct compare_run *run = &c->columns[col].runs[r];

			if (run->dir[0] != '\0')
				fprintf(out, "- %s, replay %zu: [%s](%s/summary.md)\n", c->columns[col].label, r + 1, run->dir,
					run->dir);
		}
	}
}

char *compare_render(const struct comparison *c, const struct compare_table *t, enum summary_style style)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	if (out == NULL)
		return NULL;
	switch (style) {
	case SUMMARY_TERMINAL:
		render_heading(out, c);
		render_table(out, c, t);
		render_errors(out, c);
		break;
	case SUMMARY_MARKDOWN:
		fprintf(out, "# %s: %s\n\n```\n", c->kind, c->scenario);
		render_heading(out, c);
		render_table(out, c, t);
		render_errors(out, c);
		fprintf(out, "```\n");
		render_runs(out, c);
		break;
	}
	if (fclose(out) != 0) {
		free(text);
		return NULL;
	}
	return text;
}
