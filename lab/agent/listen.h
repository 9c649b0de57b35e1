/* listen: the agent's listening socket: a unix socket on a shared volume, or TCP. */
#ifndef TL_AGENT_LISTEN_H
#define TL_AGENT_LISTEN_H

#include "tl_err.h"

/* Bind and listen on the unix socket path (a stale socket there is replaced, any other file is not);
 * the socket is made rw for its owner and group only. */
int agent_listen_unix(const char *path, int *fd, struct tl_err *err);

/* Bind and listen on "ADDR:PORT". */
int agent_listen_tcp(const char *addr_port, int *fd, struct tl_err *err);

#endif
