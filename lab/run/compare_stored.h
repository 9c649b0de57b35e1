/* compare_stored: a comparison of finished run folders, from this machine or others, set side by side as they are. */
#ifndef TL_COMPARE_STORED_H
#define TL_COMPARE_STORED_H

#include <stddef.h>

#include "run/compare.h"
#include "tl_err.h"

/* Most run folders one stored comparison takes (compare.json's own limit, DOC_COLUMNS_MAX). */
#define COMPARE_STORED_MAX 64

/*
 * Check every folder as `tcplab report` checks a run folder (a real folder, not a symlink, named once, run.json
 * of this schema version, samples.csv, connections.csv, raw/drops.csv), all of one scenario; then copy what the
 * reports read into o->results_dir/<time>-compare-<scenario>/<N>-<folder>/ (run.json, samples.csv,
 * connections.csv, raw/drops.csv; summary.md and report.html are written anew, the captures stay where they
 * are) and write compare.json, compare.md and report.html as a replayed comparison does. The columns are
 * labelled by the folders as given, made printable. -1 with err (naming the folder) when a folder is refused
 * (*refused set: bad input) or the comparison could not be written.
 */
int compare_stored(char *const *folders, size_t n, const struct compare_opts *o, struct compare_result *res,
		   int *refused, struct tl_err *err);

#endif
