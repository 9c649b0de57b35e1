/* prefork: N child processes, each a serial server, with a shared listener or one SO_REUSEPORT listener each. */
#ifndef TL_SERVER_PREFORK_H
#define TL_SERVER_PREFORK_H

#include "counters.h"
#include "opts.h"
#include "tl_err.h"

/*
 * Fork opts->workers children (child i counts into slots[i]), wait for SIGINT/SIGTERM or
 * --duration, forward SIGTERM to each child by pid and reap them. listen_fd is the shared
 * socket, or with --reuseport the first child's; the others are opened here before forking.
 * Returns 0, or -1 with err when a child could not start or ended on its own.
 */
int prefork_run(const struct server_opts *opts, int listen_fd, struct counters *slots, struct tl_err *err);

#endif
