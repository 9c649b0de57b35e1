/* conn: serve one accepted connection on a blocking socket, from first byte to close. */
#ifndef TL_SERVER_CONN_H
#define TL_SERVER_CONN_H

#include "run.h"

/* Serve fd as --raw or HTTP asks (every keep-alive request on it), then close it in the --close style. */
void conn_serve(const struct server_run *run, int fd);

#endif
