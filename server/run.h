/* run: what every discipline needs to serve: the options, the listening socket and this process's counters. */
#ifndef TL_SERVER_RUN_H
#define TL_SERVER_RUN_H

#include "counters.h"
#include "opts.h"

struct server_run {
	const struct server_opts *opts;
	int listen_fd;          /* -1 when this process has none */
	int wake_fd;            /* eventfd the stop writes to (epoll loop), or -1 */
	struct counters *slot;  /* this process's counters */
};

#endif
