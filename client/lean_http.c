/* lean_http: request formatting and response parsing (http-parser, as wrk uses) for the lean engine. */
#include "lean_http.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

/* Response bytes read per recv(): a small response arrives in one. */
#define LEAN_RECV_BYTES 16384

static int on_message_complete(http_parser *parser)
{
	struct lean_exchange *x = parser->data;

	x->complete = 1;
	x->keep = http_should_keep_alive(parser);
	/* Pause: whatever follows the response belongs to no request of ours. */
	http_parser_pause(parser, 1);
	return 0;
}

/* Only completion matters: the body is counted by the parser and dropped with the buffer. */
static const http_parser_settings lean_settings = {
	.on_message_complete = on_message_complete,
};

int lean_request_build(struct lean_request *req, const struct target *target, int keepalive, struct tl_err *err)
{
	char ip[INET_ADDRSTRLEN];
	const char *path = target->url;
	int n;

	/* target->url is http://ADDR:PORT/path: the path starts at the first '/' after the "//". */
	path = strchr(path + strlen("http://"), '/');
	if (path == NULL)
		path = "/";
	if (inet_ntop(AF_INET, &target->addr.sin_addr, ip, sizeof(ip)) == NULL)
		return tl_errf(err, "target %s: %s", target->display, strerror(errno));
	n = snprintf(req->text, sizeof(req->text), "GET %s HTTP/1.1\r\nHost: %s:%u\r\n%s\r\n", path, ip,
		     ntohs(target->addr.sin_port), keepalive ? "" : "Connection: close\r\n");
	if (n < 0 || (size_t)n >= sizeof(req->text))
		return tl_errf(err, "target %s: the request is longer than %zu bytes", target->display,
			       sizeof(req->text) - 1);
	req->len = (size_t)n;
	return 0;
}

void lean_exchange_reset(struct lean_exchange *x)
{
	http_parser_init(&x->parser, HTTP_RESPONSE);
	x->parser.data = x;
	x->sent_bytes = 0;
	x->got_bytes = 0;
	x->complete = 0;
	x->keep = 0;
}

enum lean_step lean_send(int fd, struct lean_exchange *x, const struct lean_request *req, enum outcome *outcome,
			 int *err_no)
{
	while (x->sent_bytes < req->len) {
		ssize_t n = send(fd, req->text + x->sent_bytes, req->len - x->sent_bytes, MSG_NOSIGNAL);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return LEAN_WRITE;
			*err_no = errno;
			*outcome = outcome_from_errno(errno);
			return LEAN_FAILED;
		}
		x->sent_bytes += (size_t)n;
	}
	return LEAN_READ;
}

/* The connection ended (EOF): a response that runs until the close is complete now, any other is cut. */
static enum lean_step on_eof(struct lean_exchange *x, enum outcome *outcome, int *err_no)
{
	if (x->got_bytes > 0) {
		http_parser_execute(&x->parser, &lean_settings, NULL, 0);
		if (x->complete) {
			x->keep = 0;
			return LEAN_DONE;
		}
	}
	/* Closed before a byte (libcurl's "got nothing") or in the middle: the peer tore it down. */
	*outcome = OUTCOME_RESET;
	*err_no = 0;
	return LEAN_FAILED;
}

enum lean_step lean_receive(int fd, struct lean_exchange *x, int *first_byte, enum outcome *outcome, int *err_no)
{
	char buf[LEAN_RECV_BYTES];

	*first_byte = 0;
	for (;;) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		size_t parsed;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return LEAN_READ;
			*err_no = errno;
			*outcome = outcome_from_errno(errno);
			return LEAN_FAILED;
		}
		if (n == 0)
			return on_eof(x, outcome, err_no);
		if (x->got_bytes == 0)
			*first_byte = 1;
		x->got_bytes += (size_t)n;
		parsed = http_parser_execute(&x->parser, &lean_settings, buf, (size_t)n);
		if (x->complete)
			return LEAN_DONE;
		if (HTTP_PARSER_ERRNO(&x->parser) != HPE_OK || parsed != (size_t)n) {
			/* Not HTTP/1.x: libcurl calls this a weird server reply, our class "other". */
			*err_no = EPROTO;
			*outcome = OUTCOME_OTHER;
			return LEAN_FAILED;
		}
		/* A short read means the socket is drained: no need for the EAGAIN round trip. */
		if ((size_t)n < sizeof(buf))
			return LEAN_READ;
	}
}

int lean_status(const struct lean_exchange *x)
{
	return (int)x->parser.status_code;
}
