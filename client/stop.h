/* stop: SIGINT/SIGTERM end a run early: a flag, and an eventfd that every event loop watches. */
#ifndef TL_CLIENT_STOP_H
#define TL_CLIENT_STOP_H

#include "tl_err.h"

/* Create the eventfd and install the SIGINT/SIGTERM handlers. */
int client_stop_init(struct tl_err *err);

/* The eventfd: readable (and staying so) once a stop was requested. */
int client_stop_fd(void);

/* Whether a stop was requested. */
int client_stop_requested(void);

/* Request a stop (async-signal-safe: the handlers call it). */
void client_stop_request(void);

#endif
