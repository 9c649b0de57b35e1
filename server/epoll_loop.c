/* epoll_loop: a single-threaded event loop that never blocks; the handle time is a deadline, not a sleep. */
#include "epoll_loop.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "clock.h"
#include "http.h"
#include "listener.h"
#include "respond.h"
#include "stop.h"

#define MAX_EVENTS 256
/* Accepts per readiness event, so a flood of connects cannot starve connections already accepted. */
#define ACCEPT_BATCH 64
#define ACCEPT_BACKOFF_US 10000
/* Closed connections kept for reuse: a connection per request never costs a malloc, a free, nor the page
 * faults of fresh heap (8 KiB each, which glibc would otherwise give back and take again). */
#define SPARE_CONNS_MAX 4096

enum econn_state {
	ST_READING, /* waiting for (the rest of) a request head */
	ST_WAITING, /* request read; its handle time has not passed yet */
	ST_WRITING, /* response partly written; waiting for room in the send buffer */
	ST_HOLD,    /* --raw hold: never read, closed at exit */
};

struct econn {
	int fd;
	enum econn_state state;
	uint32_t events;         /* what epoll watches for now */
	int keepalive;           /* keep the connection after this response */
	int counted;             /* a 200 response to a counted request (not an error answer) */
	int64_t deadline_us;     /* end of the handle time (ST_WAITING) */
	struct econn *wait_next; /* FIFO of ST_WAITING, in deadline order */
	struct econn *all_prev, *all_next;
	struct respond_state resp;
	size_t len;
	char head[HTTP_MAX_RESPONSE_HEAD]; /* error answers only; 200 heads are the loop's */
	char buf[HTTP_MAX_HEAD_BYTES];
};

struct loop {
	const struct server_run *run;
	int epfd;
	int timer_fd;
	int stopping;
	struct econn *all;        /* every open connection, for the stop */
	struct econn *dead;       /* closed during this batch of events; freed after it */
	struct econn *spare;      /* freed connections kept for the next accepts */
	size_t spare_count;
	struct econn *wait_head;  /* every handle time is the same, so deadlines come in arrival order: a FIFO */
	struct econn *wait_tail;
	size_t open_conns;
	/* Every 200 answer has the same head but for Connection: formatted once, [0] close, [1] keep-alive. */
	char ok_head[2][HTTP_MAX_RESPONSE_HEAD];
	size_t ok_head_len[2];
};

/* Markers for epoll_event.data.ptr of the non-connection fds. */
static char mark_listener, mark_wake, mark_timer;

/* Point epoll at the events the connection's state waits for (no system call when they stay the same:
 * a kept-alive connection goes from reading to reading, request after request). */
static void watch(struct loop *lp, struct econn *c, uint32_t events)
{
	struct epoll_event ev = { .events = events, .data.ptr = c };

	if (c->events == events)
		return;
	c->events = events;
	epoll_ctl(lp->epfd, EPOLL_CTL_MOD, c->fd, &ev);
}

/* Arm the timerfd for the earliest deadline (or disarm it). */
static void arm_timer(struct loop *lp)
{
	struct itimerspec its;

	memset(&its, 0, sizeof(its));
	if (lp->wait_head != NULL) {
		int64_t at_us = lp->wait_head->deadline_us;

		its.it_value.tv_sec = at_us / 1000000;
		its.it_value.tv_nsec = (at_us % 1000000) * 1000;
		/* An all-zero it_value disarms: a deadline at exactly 0 never happens on CLOCK_MONOTONIC. */
	}
	timerfd_settime(lp->timer_fd, TFD_TIMER_ABSTIME, &its, NULL);
}

/* Close a connection (it must not be in the wait FIFO); its memory lives until the batch of events is done. */
static void conn_close(struct loop *lp, struct econn *c)
{
	/* No EPOLL_CTL_DEL: the fd is in no other process or table, so close() drops it from the epoll set. */
	listener_close_conn(c->fd, lp->run->opts->close_style);
	c->fd = -1;
	if (c->all_prev != NULL)
		c->all_prev->all_next = c->all_next;
	else
		lp->all = c->all_next;
	if (c->all_next != NULL)
		c->all_next->all_prev = c->all_prev;
	lp->open_conns--;
	/* A later event of the same epoll_wait batch may still point at c. */
	c->all_next = lp->dead;
	lp->dead = c;
}

/* Free the connections closed during the last batch (into the spare list while it has room). */
static void free_dead(struct loop *lp)
{
	while (lp->dead != NULL) {
		struct econn *c = lp->dead;

		lp->dead = c->all_next;
		if (lp->spare_count < SPARE_CONNS_MAX && !lp->stopping) {
			c->all_next = lp->spare;
			lp->spare = c;
			lp->spare_count++;
		} else {
			free(c);
		}
	}
}

/* Drop c from the wait FIFO (it was reset while waiting): a linear walk, but only on that rare path. */
static void wait_remove(struct loop *lp, struct econn *c)
{
	struct econn **pp = &lp->wait_head;
	struct econn *prev = NULL;

	while (*pp != NULL && *pp != c) {
		prev = *pp;
		pp = &(*pp)->wait_next;
	}
	if (*pp == NULL)
		return;
	*pp = c->wait_next;
	if (lp->wait_tail == c)
		lp->wait_tail = prev;
	c->wait_next = NULL;
	arm_timer(lp);
}

/* Put c at the end of the wait FIFO with its deadline. */
static void wait_push(struct loop *lp, struct econn *c)
{
	c->state = ST_WAITING;
	c->deadline_us = clock_mono_us() + lp->run->opts->handle_us;
	c->wait_next = NULL;
	if (lp->wait_tail != NULL)
		lp->wait_tail->wait_next = c;
	else
		lp->wait_head = c;
	lp->wait_tail = c;
	watch(lp, c, 0);
	if (lp->wait_head == c)
		arm_timer(lp);
}

static void process_buffer(struct loop *lp, struct econn *c);

/* The response is out: count it, then close or go back to reading. */
static void response_done(struct loop *lp, struct econn *c)
{
	if (c->counted) {
		counters_inc(&lp->run->slot->responses);
		stop_inflight_add(-1);
		c->counted = 0;
	}
	if (!c->keepalive || lp->stopping) {
		conn_close(lp, c);
		return;
	}
	c->state = ST_READING;
	watch(lp, c, EPOLLIN);
	/* A pipelining client may already have sent the next request. */
	if (c->len > 0)
		process_buffer(lp, c);
}

/* A failed write or read ends the connection; count the request as finished. */
static void conn_fail(struct loop *lp, struct econn *c, int errnum, enum err_class plain)
{
	counters_error(lp->run->slot, (errnum == ECONNRESET || errnum == EPIPE) ? ERR_RESET : plain);
	if (c->counted)
		stop_inflight_add(-1);
	conn_close(lp, c);
}

/* Write what the socket takes; wait for EPOLLOUT if it is full. */
static void write_some(struct loop *lp, struct econn *c)
{
	if (respond_send(c->fd, &c->resp) == 0) {
		response_done(lp, c);
		return;
	}
	if (errno == EAGAIN || errno == EWOULDBLOCK) {
		if (c->state != ST_WRITING) {
			c->state = ST_WRITING;
			watch(lp, c, EPOLLOUT);
		}
		return;
	}
	conn_fail(lp, c, errno, ERR_WRITE);
}

/* The handle time is over: --raw close closes, HTTP answers. */
static void handle_time_over(struct loop *lp, struct econn *c)
{
	if (lp->run->opts->raw == RAW_CLOSE) {
		stop_inflight_add(-1);
		conn_close(lp, c);
		return;
	}
	write_some(lp, c);
}

/* Act on the buffered bytes: a full head starts the handle time; a bad one is answered and closed. */
static void process_buffer(struct loop *lp, struct econn *c)
{
	size_t head_len = 0;
	int keepalive = 0;
	size_t resp_len;
	enum http_parse_result parsed = http_parse_request(c->buf, c->len, &head_len, &keepalive);

	switch (parsed) {
	case HTTP_NEED_MORE:
		return;
	case HTTP_TOO_LARGE:
	case HTTP_BAD:
		counters_error(lp->run->slot, parsed == HTTP_TOO_LARGE ? ERR_HEADER_TOO_LARGE : ERR_OTHER);
		resp_len = http_format_error_head(c->head, sizeof(c->head), parsed);
		respond_init(&c->resp, c->head, resp_len, 0);
		c->keepalive = 0;
		c->len = 0;
		write_some(lp, c);
		return;
	case HTTP_REQUEST:
		break;
	}
	counters_inc(&lp->run->slot->requests);
	stop_inflight_add(1);
	c->counted = 1;
	c->keepalive = keepalive && lp->run->opts->keepalive;
	memmove(c->buf, c->buf + head_len, c->len - head_len);
	c->len -= head_len;
	respond_init(&c->resp, lp->ok_head[c->keepalive], lp->ok_head_len[c->keepalive], lp->run->opts->body_bytes);
	if (lp->run->opts->handle_us > 0)
		wait_push(lp, c);
	else
		write_some(lp, c);
}

/* Read what arrived and act on it (a full buffer needs no read: it is answered 431). */
static void on_readable(struct loop *lp, struct econn *c)
{
	if (c->len < sizeof(c->buf)) {
		ssize_t n = recv(c->fd, c->buf + c->len, sizeof(c->buf) - c->len, 0);

		if (n < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
				conn_fail(lp, c, errno, ERR_READ);
			return;
		}
		if (n == 0) {
			counters_inc(&lp->run->slot->closed_by_peer);
			conn_close(lp, c);
			return;
		}
		c->len += (size_t)n;
	}
	process_buffer(lp, c);
}

/* Events on a connection fd. */
static void on_conn_event(struct loop *lp, struct econn *c, uint32_t events)
{
	if (c->fd < 0)
		return;
	switch (c->state) {
	case ST_READING:
		on_readable(lp, c);
		return;
	case ST_WRITING:
		write_some(lp, c);
		return;
	case ST_WAITING:
	case ST_HOLD:
		/* Only EPOLLERR/EPOLLHUP arrive here (nothing else is watched): the peer reset or left. */
		if (c->state == ST_WAITING) {
			wait_remove(lp, c);
			conn_fail(lp, c, ECONNRESET, ERR_READ);
			return;
		}
		if (events & EPOLLERR)
			counters_error(lp->run->slot, ERR_RESET);
		else
			counters_inc(&lp->run->slot->closed_by_peer);
		conn_close(lp, c);
		return;
	}
}

/* Register a freshly accepted connection in the state --raw asks for. */
static void add_conn(struct loop *lp, int fd)
{
	const struct server_opts *opts = lp->run->opts;
	/* Not calloc: zeroing the 8 KiB request buffer of every connection costs more than its use. */
	struct econn *c = lp->spare;
	struct epoll_event ev = { .events = EPOLLIN };

	if (c != NULL) {
		lp->spare = c->all_next;
		lp->spare_count--;
	} else {
		c = malloc(sizeof(*c));
	}
	if (c == NULL) {
		counters_error(lp->run->slot, ERR_OTHER);
		listener_close_conn(fd, opts->close_style);
		return;
	}
	memset(c, 0, offsetof(struct econn, head));
	c->fd = fd;
	c->state = ST_READING;
	if (opts->raw != RAW_OFF) {
		c->state = ST_HOLD;
		ev.events = 0;
	}
	c->events = ev.events;
	ev.data.ptr = c;
	if (epoll_ctl(lp->epfd, EPOLL_CTL_ADD, fd, &ev) != 0) {
		counters_error(lp->run->slot, ERR_OTHER);
		listener_close_conn(fd, opts->close_style);
		free(c);
		return;
	}
	c->all_next = lp->all;
	if (lp->all != NULL)
		lp->all->all_prev = c;
	lp->all = c;
	lp->open_conns++;
	if (opts->raw == RAW_CLOSE) {
		stop_inflight_add(1);
		if (opts->handle_us > 0)
			wait_push(lp, c);
		else
			handle_time_over(lp, c);
	}
}

static void on_listener(struct loop *lp)
{
	for (int i = 0; i < ACCEPT_BATCH && !lp->stopping; i++) {
		int fd = listener_accept(lp->run->listen_fd, 1);

		if (fd >= 0) {
			counters_inc(&lp->run->slot->accepted);
			add_conn(lp, fd);
			continue;
		}
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return;
		if (stop_requested())
			return;
		counters_error(lp->run->slot, ERR_ACCEPT);
		if (listener_accept_error_is_transient(errno))
			continue;
		/* Out of fds or memory: the listener stays readable, so pause rather than spin. */
		clock_sleep_us(ACCEPT_BACKOFF_US);
		return;
	}
}

static void on_timer(struct loop *lp)
{
	uint64_t expirations;
	int64_t now_us = clock_mono_us();

	if (read(lp->timer_fd, &expirations, sizeof(expirations)) < 0 && errno != EAGAIN)
		counters_error(lp->run->slot, ERR_OTHER);
	while (lp->wait_head != NULL && lp->wait_head->deadline_us <= now_us) {
		struct econn *c = lp->wait_head;

		lp->wait_head = c->wait_next;
		if (lp->wait_head == NULL)
			lp->wait_tail = NULL;
		c->wait_next = NULL;
		handle_time_over(lp, c);
	}
	arm_timer(lp);
}

/* The stop: no more accepts; idle and held connections close now, requests in progress finish. */
static void on_stop(struct loop *lp)
{
	struct econn *c = lp->all;

	lp->stopping = 1;
	epoll_ctl(lp->epfd, EPOLL_CTL_DEL, lp->run->listen_fd, NULL);
	epoll_ctl(lp->epfd, EPOLL_CTL_DEL, lp->run->wake_fd, NULL);
	while (c != NULL) {
		struct econn *next = c->all_next;

		if (c->state == ST_HOLD || (c->state == ST_READING && c->len == 0))
			conn_close(lp, c);
		c = next;
	}
}

/* Add a non-connection fd to the epoll set. */
static int add_fd(struct loop *lp, int fd, void *mark, struct tl_err *err)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = mark };

	if (epoll_ctl(lp->epfd, EPOLL_CTL_ADD, fd, &ev) != 0)
		return tl_errf(err, "epoll_ctl add fd %d: %s", fd, strerror(errno));
	return 0;
}

int epoll_loop_run(const struct server_run *run, struct tl_err *err)
{
	struct loop lp = { .run = run, .epfd = -1, .timer_fd = -1 };
	struct epoll_event events[MAX_EVENTS];
	int rc = -1;

	for (int keep = 0; keep < 2; keep++)
		lp.ok_head_len[keep] = http_format_ok_head(lp.ok_head[keep], sizeof(lp.ok_head[keep]),
							   run->opts->body_bytes, keep);
	lp.epfd = epoll_create1(EPOLL_CLOEXEC);
	if (lp.epfd < 0)
		return tl_errf(err, "epoll_create1: %s", strerror(errno));
	lp.timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (lp.timer_fd < 0) {
		tl_errf(err, "timerfd_create: %s", strerror(errno));
		goto out;
	}
	if (add_fd(&lp, run->listen_fd, &mark_listener, err) != 0 || add_fd(&lp, run->wake_fd, &mark_wake, err) != 0 ||
	    add_fd(&lp, lp.timer_fd, &mark_timer, err) != 0)
		goto out;
	/* The stop may have come before the wake fd was watched. */
	if (stop_requested()) {
		on_stop(&lp);
		free_dead(&lp);
	}
	while (!lp.stopping || lp.open_conns > 0) {
		int n = epoll_wait(lp.epfd, events, MAX_EVENTS, -1);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			tl_errf(err, "epoll_wait: %s", strerror(errno));
			goto out;
		}
		for (int i = 0; i < n; i++) {
			void *p = events[i].data.ptr;

			if (p == &mark_listener)
				on_listener(&lp);
			else if (p == &mark_wake)
				on_stop(&lp);
			else if (p == &mark_timer)
				on_timer(&lp);
			else
				on_conn_event(&lp, p, events[i].events);
		}
		free_dead(&lp);
	}
	rc = 0;
out:
	while (lp.all != NULL)
		conn_close(&lp, lp.all);
	lp.stopping = 1;
	free_dead(&lp);
	while (lp.spare != NULL) {
		struct econn *c = lp.spare;

		lp.spare = c->all_next;
		free(c);
	}
	if (lp.timer_fd >= 0)
		close(lp.timer_fd);
	close(lp.epfd);
	return rc;
}
