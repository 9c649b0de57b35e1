/* guard: on TCP, a connection that has not carried the token is closed a fixed time after its accept. */
#ifndef TL_AGENT_GUARD_H
#define TL_AGENT_GUARD_H

#include <microhttpd.h>

#include "tl_err.h"

struct agent_guard;

/* Start the guard: with deadline_s > 0 a thread closes (shutdown) every connection still without the token
 * deadline_s after its accept, whatever it sends; with 0 nothing is closed. It also ends the log's windows. */
int guard_start(unsigned deadline_s, struct agent_guard **out, struct tl_err *err);

/* Stop the thread and free the guard (after the daemon stopped: no connection is left). */
void guard_stop(struct agent_guard *g);

/* libmicrohttpd's MHD_OPTION_NOTIFY_CONNECTION callback (cls is the guard): notes each accept and close. */
void guard_notify(void *cls, struct MHD_Connection *conn, void **socket_context,
		  enum MHD_ConnectionNotificationCode toe);

/* A request on conn carried the right token: the connection has no deadline any more. */
void guard_authorized(struct agent_guard *g, struct MHD_Connection *conn);

#endif
