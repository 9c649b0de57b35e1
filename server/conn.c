/* conn: the blocking connection handler shared by serial, threads, acceptors, prefork and pause. */
#include "conn.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "clock.h"
#include "http.h"
#include "listener.h"
#include "respond.h"
#include "stop.h"

/* Count a failed read or write by its errno. */
static void count_io_error(struct counters *slot, int errnum, enum err_class plain)
{
	counters_error(slot, (errnum == ECONNRESET || errnum == EPIPE) ? ERR_RESET : plain);
}

/* Send a whole response on the blocking socket; 0 or -1 with errno. */
static int send_response(int fd, const char *head, size_t head_len, int64_t body_bytes)
{
	struct respond_state st;

	respond_init(&st, head, head_len, body_bytes);
	return respond_send(fd, &st);
}

/* Answer a bad or oversized head and count it. */
static void send_error(const struct server_run *run, int fd, enum http_parse_result why)
{
	char head[HTTP_MAX_RESPONSE_HEAD];
	size_t len = http_format_error_head(head, sizeof(head), why);

	counters_error(run->slot, why == HTTP_TOO_LARGE ? ERR_HEADER_TOO_LARGE : ERR_OTHER);
	if (send_response(fd, head, len, 0) != 0)
		count_io_error(run->slot, errno, ERR_WRITE);
}

/* Serve HTTP requests on fd until the connection should close. */
static void serve_http(const struct server_run *run, int fd)
{
	char buf[HTTP_MAX_HEAD_BYTES];
	size_t len = 0;

	for (;;) {
		char head[HTTP_MAX_RESPONSE_HEAD];
		size_t head_len = 0;
		size_t resp_len;
		int keepalive = 0;
		enum http_parse_result parsed = http_parse_request(buf, len, &head_len, &keepalive);
		ssize_t n;
		int rc;

		switch (parsed) {
		case HTTP_NEED_MORE:
			n = recv(fd, buf + len, sizeof(buf) - len, 0);
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0) {
				count_io_error(run->slot, errno, ERR_READ);
				return;
			}
			if (n == 0) {
				counters_inc(&run->slot->closed_by_peer);
				return;
			}
			len += (size_t)n;
			continue;
		case HTTP_TOO_LARGE:
		case HTTP_BAD:
			send_error(run, fd, parsed);
			return;
		case HTTP_REQUEST:
			break;
		}
		counters_inc(&run->slot->requests);
		keepalive = keepalive && run->opts->keepalive;
		stop_inflight_add(1);
		clock_sleep_us(run->opts->handle_us);
		resp_len = http_format_ok_head(head, sizeof(head), run->opts->body_bytes, keepalive);
		rc = send_response(fd, head, resp_len, run->opts->body_bytes);
		if (rc != 0)
			count_io_error(run->slot, errno, ERR_WRITE);
		else
			counters_inc(&run->slot->responses);
		stop_inflight_add(-1);
		if (rc != 0 || !keepalive)
			return;
		/* Keep bytes of a pipelined next request. */
		memmove(buf, buf + head_len, len - head_len);
		len -= head_len;
	}
}

void conn_serve(const struct server_run *run, int fd)
{
	switch (run->opts->raw) {
	case RAW_OFF:
		serve_http(run, fd);
		break;
	case RAW_HOLD:
		/* Never read: whatever the client sends stays in the receive queue until exit. */
		stop_wait();
		break;
	case RAW_CLOSE:
		stop_inflight_add(1);
		clock_sleep_us(run->opts->handle_us);
		stop_inflight_add(-1);
		break;
	}
	listener_close_conn(fd, run->opts->close_style);
}
