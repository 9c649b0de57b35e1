/* disciplines: the blocking accept disciplines (serial, pause, threads, acceptors, none). */
#ifndef TL_SERVER_DISCIPLINES_H
#define TL_SERVER_DISCIPLINES_H

#include "run.h"
#include "tl_err.h"

/* Take the next connection off the listen queue, counting it; -1 once the stop is requested. */
int discipline_accept_next(const struct server_run *run);

/* serial (and pause:K:DUR): accept and serve one connection at a time in the calling thread, until the stop. */
void discipline_serial(const struct server_run *run);

/* threads: accept in the calling thread and serve each connection in its own detached thread, until the stop. */
void discipline_threads(const struct server_run *run);

/* acceptors:N: start N detached threads, each accepting and serving on the one socket; returns once they run. */
int discipline_acceptors_start(const struct server_run *run, struct tl_err *err);

#endif
