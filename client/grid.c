/* grid: runs the cells of --grid one after the other and prints them as one aligned table or JSON object. */
#include "grid.h"

#include <stdlib.h>
#include <string.h>

#include "json_out.h"
#include "run.h"
#include "summary.h"

#define GRID_COLUMNS 8

struct grid_cell {
	long workers;
	long requests_per_worker;
	struct run_summary summary;
};

static const char *const grid_headers[GRID_COLUMNS] = {
	"P", "R", "requests", "wall ms", "theoretical ms", "amplification", "retransmitted connects", "errors",
};

static void cell_texts(const struct grid_cell *cell, char texts[GRID_COLUMNS][32])
{
	const struct run_summary *s = &cell->summary;

	snprintf(texts[0], 32, "%ld", cell->workers);
	snprintf(texts[1], 32, "%ld", cell->requests_per_worker);
	snprintf(texts[2], 32, "%zu", s->requests);
	snprintf(texts[3], 32, "%.1f", (double)s->wall_us / 1e3);
	if (s->theoretical_us > 0) {
		snprintf(texts[4], 32, "%.1f", (double)s->theoretical_us / 1e3);
		snprintf(texts[5], 32, "%.3fx", s->amplification);
	} else {
		snprintf(texts[4], 32, "-");
		snprintf(texts[5], 32, "-");
	}
	snprintf(texts[6], 32, "%zu", s->retransmitted);
	snprintf(texts[7], 32, "%zu", s->errors);
}

static void print_table(FILE *out, const struct client_opts *opts, const struct grid_cell *cells, size_t count,
			int interrupted)
{
	size_t width[GRID_COLUMNS];
	char texts[GRID_COLUMNS][32];

	for (int c = 0; c < GRID_COLUMNS; c++)
		width[c] = strlen(grid_headers[c]);
	for (size_t i = 0; i < count; i++) {
		cell_texts(&cells[i], texts);
		for (int c = 0; c < GRID_COLUMNS; c++)
			if (strlen(texts[c]) > width[c])
				width[c] = strlen(texts[c]);
	}
	fprintf(out, "tcplab-client grid %s: %ld requests per cell, keep-alive %s\n\n", opts->target.display,
		opts->grid_total, opts->keepalive ? "on" : "off");
	for (int c = 0; c < GRID_COLUMNS; c++)
		fprintf(out, "| %-*s ", (int)width[c], grid_headers[c]);
	fputs("|\n", out);
	for (int c = 0; c < GRID_COLUMNS; c++) {
		fputs("| ", out);
		for (size_t k = 0; k < width[c]; k++)
			fputc('-', out);
		fputc(' ', out);
	}
	fputs("|\n", out);
	for (size_t i = 0; i < count; i++) {
		cell_texts(&cells[i], texts);
		for (int c = 0; c < GRID_COLUMNS; c++)
			fprintf(out, "| %*s ", (int)width[c], texts[c]);
		fputs("|\n", out);
	}
	if (interrupted)
		fputs("\ninterrupted: the last cell was cut short and later cells did not run\n", out);
}

static void print_json(FILE *out, const struct client_opts *opts, const struct grid_cell *cells, size_t count,
		       int interrupted)
{
	fputc('{', out);
	json_out_key(out, "mode", 1);
	json_out_string(out, "grid");
	json_out_key(out, "target", 0);
	json_out_string(out, opts->target.display);
	json_out_key(out, "total", 0);
	json_out_int(out, opts->grid_total, 0);
	json_out_key(out, "keepalive", 0);
	fputs(opts->keepalive ? "true" : "false", out);
	json_out_key(out, "cells", 0);
	fputc('[', out);
	for (size_t i = 0; i < count; i++) {
		const struct run_summary *s = &cells[i].summary;

		if (i > 0)
			fputc(',', out);
		fputc('{', out);
		json_out_key(out, "workers", 1);
		json_out_int(out, cells[i].workers, 0);
		json_out_key(out, "requests_per_worker", 0);
		json_out_int(out, cells[i].requests_per_worker, 0);
		json_out_key(out, "requests", 0);
		json_out_int(out, (int64_t)s->requests, 0);
		json_out_key(out, "wall_us", 0);
		json_out_int(out, s->wall_us, 0);
		json_out_key(out, "theoretical_us", 0);
		json_out_int(out, s->theoretical_us, 1);
		json_out_key(out, "amplification", 0);
		json_out_number(out, s->amplification, 1);
		json_out_key(out, "retransmitted", 0);
		json_out_int(out, (int64_t)s->retransmitted, 0);
		json_out_key(out, "errors", 0);
		json_out_int(out, (int64_t)s->errors, 0);
		json_out_key(out, "outcome", 0);
		fputc('{', out);
		for (int o = 0; o < OUTCOME_COUNT; o++) {
			json_out_key(out, outcome_name((enum outcome)o), o == 0);
			json_out_int(out, (int64_t)s->outcome[o], 0);
		}
		fputs("}}", out);
	}
	fputc(']', out);
	json_out_key(out, "interrupted", 0);
	fputs(interrupted ? "true" : "false", out);
	fputs("}\n", out);
}

int grid_run(const struct client_opts *opts, FILE *out, struct tl_err *err)
{
	struct grid_cell cells[CLIENT_MAX_GRID];
	size_t done = 0;
	int interrupted = 0;

	for (size_t i = 0; i < opts->grid_count && !interrupted; i++) {
		struct client_opts cell_opts = *opts;
		struct run_result result;

		cell_opts.concurrency = opts->grid[i];
		cell_opts.requests = opts->grid_total / opts->grid[i];
		if (cell_opts.threads > cell_opts.concurrency)
			cell_opts.threads = cell_opts.concurrency;
		if (run_execute(&cell_opts, &result, err) != 0)
			return tl_err_wrap(err, "grid cell P=%ld", opts->grid[i]);
		cells[done].workers = cell_opts.concurrency;
		cells[done].requests_per_worker = cell_opts.requests;
		if (summary_compute(&cell_opts, &result, &cells[done].summary, err) != 0) {
			run_result_free(&result);
			return -1;
		}
		interrupted = result.interrupted;
		run_result_free(&result);
		done++;
	}
	if (opts->json)
		print_json(out, opts, cells, done, interrupted);
	else if (!opts->quiet)
		print_table(out, opts, cells, done, interrupted);
	return 0;
}
