/* stop: the end of a run: SIGINT/SIGTERM or --duration, stop accepting, let requests in progress finish (1 s at most). */
#ifndef TL_SERVER_STOP_H
#define TL_SERVER_STOP_H

#include <stdint.h>

#include "tl_err.h"

/* How long requests in progress may run on after the stop. */
#define STOP_DRAIN_US 1000000

/* Called by the watcher: on_stop when the stop is requested (stop accepting), on_finish when draining is over (must exit). */
struct stop_hooks {
	void (*on_stop)(void *arg);
	void (*on_finish)(void *arg);
	void *arg;
};

/* Block SIGINT, SIGTERM (and SIGCHLD) in the calling thread and ignore SIGPIPE; call before creating threads so they inherit it. */
void stop_block_signals(void);

/* Start the watcher thread: waits for SIGINT/SIGTERM or duration_us (0 = none), then runs the hooks. */
int stop_watcher_start(int64_t duration_us, const struct stop_hooks *hooks, struct tl_err *err);

/* Wait for the watcher, which ends the process through on_finish: the last call of a main thread. */
void stop_watcher_join(void);

/* Whether the stop was requested. */
int stop_requested(void);

/* Block until the stop is requested (connections held open wait here). */
void stop_wait(void);

/* A request (or raw connection's handle time) starts (+1) or ends (-1): the watcher drains these. */
void stop_inflight_add(int delta);

#endif
