/* summary: the final report of a run, as human lines or one JSON object, on stdout. */
#ifndef TL_SERVER_SUMMARY_H
#define TL_SERVER_SUMMARY_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "counters.h"
#include "opts.h"

/* Everything the summary reports besides the counters. */
struct summary_info {
	const struct server_opts *opts;
	long somaxconn;               /* -1 when unknown */
	long effective_backlog;
	int64_t elapsed_us;
	const struct counters *slots; /* one per process */
	size_t nslots;
};

/* Print the summary: JSON when opts->json, else a few human lines. */
void summary_print(FILE *out, const struct summary_info *info);

#endif
