/* results: write a run's folder (run.json, samples.csv, connections.csv, summary.md, raw/) atomically. */
#ifndef TL_RESULTS_H
#define TL_RESULTS_H

#include <jansson.h>
#include <stddef.h>

#include "report/rundoc.h"

/* Write every file into tmpdir, then rename it to results_dir/<time>-<scenario>; the final path goes to dir. */
int results_commit(json_t *doc, const struct rundoc_input *in, const char *tmpdir, const char *results_dir, char *dir,
		   size_t dir_len, struct tl_err *err);

/* Remove a temporary results folder and everything in it. */
void results_remove_tmp(const char *tmpdir);

/* Write text to path atomically (path.tmp, fsync, rename). */
int results_write_file(const char *path, const char *text, size_t len, struct tl_err *err);

#endif
