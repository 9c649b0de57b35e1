/* respond: write a response head and its 'x' body, resumable for non-blocking sockets. */
#ifndef TL_SERVER_RESPOND_H
#define TL_SERVER_RESPOND_H

#include <stddef.h>
#include <stdint.h>

/* Progress of one response being written. */
struct respond_state {
	const char *head;   /* the head bytes (owned by the caller) */
	size_t head_len;
	size_t head_sent;
	int64_t body_left;  /* body bytes still to send */
};

/* Start a response: head (kept by the caller until done) and body_bytes of 'x'. */
void respond_init(struct respond_state *st, const char *head, size_t head_len, int64_t body_bytes);

/* Send as much as the socket takes: 0 when all is sent, -1 with errno (EAGAIN: call again when writable). */
int respond_send(int fd, struct respond_state *st);

#endif
