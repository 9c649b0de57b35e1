/* listener: the listening socket, accept4 in the redis anet.c style, and the two ways of closing. */
#ifndef TL_SERVER_LISTENER_H
#define TL_SERVER_LISTENER_H

#include <netinet/in.h>

#include "opts.h"
#include "tl_err.h"

/* Open a TCP socket with SO_REUSEADDR (and SO_REUSEPORT if asked), bind it and listen(backlog); returns the fd or -1. */
int listener_open(const struct sockaddr_in *addr, const char *addr_text, long backlog, int reuseport,
		  int nonblock, struct tl_err *err);

/* net.core.somaxconn of the current network namespace, or -1 when it cannot be read. */
long listener_read_somaxconn(void);

/* The backlog the kernel really uses: min(backlog, somaxconn). */
long listener_effective_backlog(long backlog, long somaxconn);

/* accept4 with SOCK_CLOEXEC (and SOCK_NONBLOCK if nonblock), retrying EINTR; -1 with errno otherwise. */
int listener_accept(int listen_fd, int nonblock);

/* Whether an accept() errno means "try again" for this connection only (the peer left, a network hiccup). */
int listener_accept_error_is_transient(int errnum);

/* Close a connection: plain close() (FIN) or SO_LINGER {1, 0} first (RST). */
void listener_close_conn(int fd, enum close_style style);

#endif
