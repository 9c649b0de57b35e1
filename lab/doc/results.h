/* results: write a run's folder (run.json, samples.csv, connections.csv, summary.md, raw/) atomically. */
#ifndef TL_RESULTS_H
#define TL_RESULTS_H

#include <jansson.h>
#include <stddef.h>

#include "doc/rundoc.h"

/* Write every file into tmpdir (run.json from doc, summary.md from summary_md), then rename it to
 * results_dir/<time>-<scenario>; the final path goes to dir. */
int results_commit(json_t *doc, const char *summary_md, const struct rundoc_input *in, const char *tmpdir,
		   const char *results_dir, char *dir, size_t dir_len, struct tl_err *err);

/* Create results_dir (if needed) and in it the temporary folder .tmp-<label>-<pid>-XXXXXX, its path in tmp;
 * *lock_fd holds an exclusive flock on it until closed, so `tcplab cleanup` (results_tmp_in_use) leaves it be,
 * whichever pid namespace the controller runs in. */
int results_make_tmp(const char *results_dir, const char *label, char *tmp, size_t len, int *lock_fd,
		     struct tl_err *err);

/* Whether a controller still holds the lock of a temporary results folder. */
int results_tmp_in_use(const char *tmpdir);

/* Remove a temporary results folder and everything in it. */
void results_remove_tmp(const char *tmpdir);

/* Write text to path atomically (path.tmp, fsync, rename). */
int results_write_file(const char *path, const char *text, size_t len, struct tl_err *err);

#endif
