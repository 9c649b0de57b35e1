/* test_client_lean_http: the lean engine's request text and its response parsing over a socket pair. */
#include <errno.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../../client/lean_http.h"
#include "unit.h"

/* A connected pair: [0] the client's end (non-blocking, as the loop's sockets are), [1] the server's. */
static int pair(int fds[2])
{
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
		return -1;
	return fcntl(fds[0], F_SETFL, O_NONBLOCK);
}

static void put(int fd, const char *text)
{
	CHECK(write(fd, text, strlen(text)) == (ssize_t)strlen(text));
}

static void test_request(void)
{
	struct lean_request req;
	struct target target;
	struct tl_err err;

	CHECK(target_parse("http://198.18.0.1:8080/a/b?c=1", &target, &err) == 0);
	CHECK(lean_request_build(&req, &target, 1, &err) == 0);
	CHECK_STR(req.text, "GET /a/b?c=1 HTTP/1.1\r\nHost: 198.18.0.1:8080\r\n\r\n");
	CHECK(req.len == strlen(req.text));
	CHECK(target_parse("198.18.0.1:80", &target, &err) == 0);
	CHECK(lean_request_build(&req, &target, 0, &err) == 0);
	CHECK_STR(req.text, "GET / HTTP/1.1\r\nHost: 198.18.0.1:80\r\nConnection: close\r\n\r\n");
}

/* Send the request, check the server end got it whole, answer with the given parts, return the step. */
static enum lean_step exchange(const char *const *parts, size_t nparts, int close_after, struct lean_exchange *x,
			       enum outcome *outcome, int *err_no, int *first_byte_seen)
{
	struct lean_request req;
	struct target target;
	struct tl_err err;
	char got[256];
	int fds[2];
	enum lean_step step;
	int first = 0;

	*first_byte_seen = 0;
	CHECK(target_parse("198.18.0.1:8080", &target, &err) == 0);
	CHECK(lean_request_build(&req, &target, 1, &err) == 0);
	CHECK(pair(fds) == 0);
	lean_exchange_reset(x);
	CHECK(lean_send(fds[0], x, &req, outcome, err_no) == LEAN_READ);
	CHECK(read(fds[1], got, sizeof(got)) == (ssize_t)req.len);
	step = lean_receive(fds[0], x, &first, outcome, err_no);
	CHECK(step == LEAN_READ); /* nothing sent yet: wait */
	CHECK(first == 0);
	for (size_t i = 0; i < nparts; i++) {
		put(fds[1], parts[i]);
		step = lean_receive(fds[0], x, &first, outcome, err_no);
		*first_byte_seen |= first;
		if (step != LEAN_READ)
			break;
	}
	if (close_after && step == LEAN_READ) {
		close(fds[1]);
		fds[1] = -1;
		step = lean_receive(fds[0], x, &first, outcome, err_no);
	}
	close(fds[0]);
	if (fds[1] >= 0)
		close(fds[1]);
	return step;
}

static void test_responses(void)
{
	static const char *const whole[] = { "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nxx" };
	static const char *const split[] = { "HTTP/1.1 503 Service Unavailable\r\nCont", "ent-Length: 3\r\n\r\nx",
					     "yz" };
	static const char *const closing[] = { "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nxx" };
	static const char *const until_eof[] = { "HTTP/1.0 200 OK\r\n\r\nbody runs until the close" };
	static const char *const cut[] = { "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nxx" };
	static const char *const garbage[] = { "SSH-2.0-OpenSSH_9.2\r\n" };
	struct lean_exchange x;
	enum outcome outcome;
	int err_no, first;

	CHECK(exchange(whole, 1, 0, &x, &outcome, &err_no, &first) == LEAN_DONE);
	CHECK(x.keep == 1 && lean_status(&x) == 200 && first == 1);

	CHECK(exchange(split, 3, 0, &x, &outcome, &err_no, &first) == LEAN_DONE);
	CHECK(x.keep == 1 && lean_status(&x) == 503 && first == 1);

	CHECK(exchange(closing, 1, 0, &x, &outcome, &err_no, &first) == LEAN_DONE);
	CHECK(x.keep == 0);

	CHECK(exchange(until_eof, 1, 1, &x, &outcome, &err_no, &first) == LEAN_DONE);
	CHECK(x.keep == 0 && lean_status(&x) == 200);

	/* Closed before a byte: libcurl's "got nothing", our reset. */
	CHECK(exchange(NULL, 0, 1, &x, &outcome, &err_no, &first) == LEAN_FAILED);
	CHECK(outcome == OUTCOME_RESET && err_no == 0 && x.got_bytes == 0);

	/* Closed in the middle of the body. */
	CHECK(exchange(cut, 1, 1, &x, &outcome, &err_no, &first) == LEAN_FAILED);
	CHECK(outcome == OUTCOME_RESET && x.got_bytes > 0);

	CHECK(exchange(garbage, 1, 0, &x, &outcome, &err_no, &first) == LEAN_FAILED);
	CHECK(outcome == OUTCOME_OTHER && err_no == EPROTO);
}

static void test_send_error(void)
{
	struct lean_request req;
	struct lean_exchange x;
	struct target target;
	struct tl_err err;
	enum outcome outcome = OUTCOME_OK;
	int err_no = 0;
	int fds[2];

	CHECK(target_parse("198.18.0.1:8080", &target, &err) == 0);
	CHECK(lean_request_build(&req, &target, 0, &err) == 0);
	CHECK(pair(fds) == 0);
	close(fds[1]);
	lean_exchange_reset(&x);
	CHECK(lean_send(fds[0], &x, &req, &outcome, &err_no) == LEAN_FAILED);
	CHECK(err_no == EPIPE && outcome == OUTCOME_RESET);
	close(fds[0]);
}

int main(void)
{
	RUN(test_request);
	RUN(test_responses);
	RUN(test_send_error);
	return UNIT_END();
}
