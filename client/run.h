/* run: one load run: preallocated records, event-loop threads, and the wall clock around them. */
#ifndef TL_CLIENT_RUN_H
#define TL_CLIENT_RUN_H

#include <stddef.h>
#include <stdint.h>

#include "opts.h"
#include "record.h"
#include "synflood.h"
#include "tl_err.h"

struct run_result {
	struct conn_record *records; /* the record_count records started, in one dense array */
	size_t record_count;
	int64_t wall_us;             /* first start to last end, over all threads */
	int interrupted;             /* SIGINT/SIGTERM cut the run short */
	struct synflood_stats flood; /* --mode synflood: what the flood sent */
};

/* File descriptors a run of these options needs besides what the target lets pile up (open loop). */
size_t run_fds_needed(const struct client_opts *opts, long max_workers);

/* Once per process, after RLIMIT_NOFILE is raised to fd_limit: signal handling and the fd table. */
int run_prepare(size_t fd_limit, struct tl_err *err);

/* Connections the run will open, grid cells summed; -1 when that is not known in advance (keep-alive lets libcurl
 * decide, a closed loop with --duration stops early). --check --json prints it for the controller. */
int64_t run_planned_connections(const struct client_opts *opts);

/* Run the load opts describes; the caller frees the result with run_result_free. */
int run_execute(const struct client_opts *opts, struct run_result *result, struct tl_err *err);

/* Free the records of a result. */
void run_result_free(struct run_result *result);

#endif
