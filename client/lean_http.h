/* lean_http: the lean engine's HTTP/1.1 exchange on a connected socket: one request out, one response parsed. */
#ifndef TL_CLIENT_LEAN_HTTP_H
#define TL_CLIENT_LEAN_HTTP_H

#include <http_parser.h>
#include <stddef.h>
#include <stdint.h>

#include "outcome.h"
#include "target.h"
#include "tl_err.h"

/* The request every exchange of a run sends: built once, written as it is. */
struct lean_request {
	char text[768];
	size_t len;
};

/* One request/response on a socket; reset for every request of a kept-alive connection. */
struct lean_exchange {
	http_parser parser;
	size_t sent_bytes;    /* request bytes written so far */
	size_t got_bytes;     /* response bytes read so far */
	int complete;         /* the response is complete */
	int keep;             /* the connection may carry another request */
};

/* What an exchange needs next, or how it ended. */
enum lean_step {
	LEAN_WRITE, /* the request is not all out: wait until the socket is writable */
	LEAN_READ,  /* waiting for (more of) the response */
	LEAN_DONE,  /* a complete response: outcome ok */
	LEAN_FAILED, /* ended without a complete response: see the outcome and errno */
};

/* Build "GET path HTTP/1.1" with Host (and "Connection: close" without keep-alive). */
int lean_request_build(struct lean_request *req, const struct target *target, int keepalive, struct tl_err *err);

/* Get x ready for a new request on its connection. */
void lean_exchange_reset(struct lean_exchange *x);

/* Write what is left of the request; LEAN_READ once it is all out. */
enum lean_step lean_send(int fd, struct lean_exchange *x, const struct lean_request *req, enum outcome *outcome,
			 int *err_no);

/* Read until the response is complete or the socket has nothing more (edge-triggered epoll: drains it);
 * *first_byte is set when this call read the response's first bytes. */
enum lean_step lean_receive(int fd, struct lean_exchange *x, int *first_byte, enum outcome *outcome, int *err_no);

/* HTTP status of the (complete or partial) response, 0 when no status line was parsed. */
int lean_status(const struct lean_exchange *x);

#endif
