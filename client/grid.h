/* grid: the seed-000 experiment: for each P, P workers x (total / P) requests, one cell after another, one table. */
#ifndef TL_CLIENT_GRID_H
#define TL_CLIENT_GRID_H

#include <stdio.h>

#include "opts.h"
#include "tl_err.h"

/* Run every cell of opts->grid and print the table (or one JSON object with --json) to out. */
int grid_run(const struct client_opts *opts, FILE *out, struct tl_err *err);

#endif
