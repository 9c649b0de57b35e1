/* respond: sendmsg of head and body together, tracking partial writes. */
#include "respond.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include "http.h"

void respond_init(struct respond_state *st, const char *head, size_t head_len, int64_t body_bytes)
{
	st->head = head;
	st->head_len = head_len;
	st->head_sent = 0;
	st->body_left = body_bytes;
}

int respond_send(int fd, struct respond_state *st)
{
	size_t chunk_len;
	const char *chunk = http_body_chunk(&chunk_len);

	/* Head and body go in one call: two small writes would meet Nagle and delayed ACK (a 40 ms stall). */
	while (st->head_sent < st->head_len || st->body_left > 0) {
		size_t head_left = st->head_len - st->head_sent;
		struct iovec iov[2];
		struct msghdr msg;
		int niov = 0;
		ssize_t n;

		if (head_left > 0) {
			iov[niov].iov_base = (void *)(st->head + st->head_sent);
			iov[niov++].iov_len = head_left;
		}
		if (st->body_left > 0) {
			iov[niov].iov_base = (void *)chunk;
			iov[niov++].iov_len = st->body_left < (int64_t)chunk_len ? (size_t)st->body_left : chunk_len;
		}
		memset(&msg, 0, sizeof(msg));
		msg.msg_iov = iov;
		msg.msg_iovlen = (size_t)niov;
		/* MSG_NOSIGNAL: a vanished client gives EPIPE here rather than SIGPIPE. */
		n = sendmsg(fd, &msg, MSG_NOSIGNAL);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if ((size_t)n <= head_left) {
			st->head_sent += (size_t)n;
		} else {
			st->head_sent = st->head_len;
			st->body_left -= (int64_t)((size_t)n - head_left);
		}
	}
	return 0;
}
