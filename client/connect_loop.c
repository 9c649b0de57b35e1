/*
 * connect_loop: one thread's socket loop: non-blocking connect() on epoll, then close, RST or hold
 * (connect mode), or an HTTP/1.1 exchange parsed by http-parser (the lean engine, HTTP mode).
 * One slot pool and one scheduler serve both: closed-loop workers and open-loop starts.
 */
#include "loop.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "lean_http.h"
#include "outcome.h"
#include "slot_pool.h"
#include "sockinfo.h"
#include "stop.h"

#define CONNECT_EVENTS 512

enum conn_state {
	CONN_IDLE,
	CONN_CONNECTING, /* SYN sent, waiting for EPOLLOUT */
	CONN_HOLDING,    /* connected, kept open (--after hold) */
	CONN_SENDING,    /* lean HTTP: the request is partly written */
	CONN_RECEIVING,  /* lean HTTP: waiting for the response */
	CONN_KEPT,       /* lean HTTP: idle kept-alive connection, between requests */
};

/* How conn_end leaves the socket. */
enum conn_close {
	CLOSE_FIN,  /* close(): FIN */
	CLOSE_RST,  /* SO_LINGER {1, 0}, then close(): RST */
	CLOSE_KEEP, /* keep it open for the slot's next request (keep-alive) */
};

struct conn_slot {
	int fd;
	enum conn_state state;
	int in_epoll;
	struct conn_record *rec;    /* the record of what is in flight */
	struct conn_record *opener; /* the record whose SYN opened fd: it gets TCP_INFO when fd closes */
	int64_t start_mono_us;
	int64_t deadline_us;        /* connect, exchange or hold deadline; -1 = none */
	uint32_t worker;
	uint16_t local_port;        /* of fd, for the records of requests that reuse it */
	uint8_t retried;            /* the record already moved off a stale kept-alive connection */
	size_t next_rec;            /* closed loop: slice index of the worker's next record */
	size_t end_rec;
	struct conn_slot *prev;     /* in the connecting or holding list */
	struct conn_slot *next;
	struct conn_slot *next_ready; /* in the ready (closed loop) or free (open loop) stack */
	struct lean_exchange x;     /* lean HTTP: the exchange in progress */
};

/* Slots in deadline order: deadlines are "event time + one constant", so they are appended in order,
 * save for the rare one that is walked back (an exchange whose connect took longer than the others). */
struct conn_list {
	struct conn_slot *head;
	struct conn_slot *tail;
};

struct connect_thread {
	struct loop_job *job;
	const struct client_opts *opts;
	int epfd;
	struct slot_pool pool;          /* every slot; open loop: those to reuse */
	struct conn_slot *ready;        /* closed loop: workers whose next connect is to start */
	struct conn_list connecting;
	struct conn_list exchanging;    /* lean HTTP: requests being sent or answered */
	struct conn_list holding;
	int http;                       /* HTTP mode: the lean engine's exchange after the connect */
	struct lean_request request;
	size_t in_flight;
	size_t started;
	size_t source_next;
	int64_t connect_limit_us;       /* 0 = leave it to the kernel */
	int draining;
	int stopping;
};

static void list_append(struct conn_list *list, struct conn_slot *s)
{
	s->next = NULL;
	s->prev = list->tail;
	if (list->tail != NULL)
		list->tail->next = s;
	else
		list->head = s;
	list->tail = s;
}

/* Insert s by its deadline, walking back from the tail (where it nearly always belongs). */
static void list_insert(struct conn_list *list, struct conn_slot *s)
{
	struct conn_slot *after = list->tail;

	while (after != NULL && after->deadline_us > s->deadline_us)
		after = after->prev;
	if (after == list->tail) {
		list_append(list, s);
		return;
	}
	s->prev = after;
	s->next = after != NULL ? after->next : list->head;
	s->next->prev = s;
	if (after != NULL)
		after->next = s;
	else
		list->head = s;
}

static void list_remove(struct conn_list *list, struct conn_slot *s)
{
	if (s->prev != NULL)
		s->prev->next = s->next;
	else
		list->head = s->next;
	if (s->next != NULL)
		s->next->prev = s->prev;
	else
		list->tail = s->prev;
	s->prev = NULL;
	s->next = NULL;
}

static struct conn_list *list_of(struct connect_thread *t, struct conn_slot *s)
{
	switch (s->state) {
	case CONN_CONNECTING:
		return &t->connecting;
	case CONN_HOLDING:
		return &t->holding;
	case CONN_SENDING:
	case CONN_RECEIVING:
		return &t->exchanging;
	case CONN_IDLE:
	case CONN_KEPT:
		break;
	}
	return NULL;
}

/* Close fd, giving its SYN retransmissions and round-trip time (TCP_INFO, read just before) to the record that
 * opened it. */
static void conn_close_fd(struct conn_slot *s, int rst)
{
	if (s->fd < 0)
		return;
	if (s->opener != NULL) {
		struct sockinfo_tcp info;

		if (sockinfo_tcp(s->fd, &info) == 0) {
			s->opener->syn_retrans = (uint8_t)info.retrans;
			s->opener->rtt_us = info.rtt_us;
			s->opener->syn_src = SYN_SRC_TCP_INFO;
		}
		s->opener = NULL;
	}
	if (rst)
		sockinfo_linger_rst(s->fd);
	close(s->fd);
	s->fd = -1;
	s->in_epoll = 0;
	s->state = CONN_IDLE;
}

/* What is in flight is over: fill its record, close (or keep) the socket, and hand the slot on. */
static void conn_end(struct connect_thread *t, struct conn_slot *s, enum outcome outcome, int err_no,
		     enum conn_close how)
{
	struct conn_record *rec = s->rec;
	struct conn_list *list = list_of(t, s);
	int64_t now_us = clock_mono_us();
	int more;

	if (list != NULL)
		list_remove(list, s);
	rec->total_us = now_us - s->start_mono_us;
	rec->outcome = (uint8_t)outcome;
	rec->err_no = err_no;
	t->in_flight--;
	t->job->end_mono_us = now_us;
	/* Closed loop: the worker has another request, unless the run is over. */
	more = t->opts->rate_per_s > 0 || (s->next_rec < s->end_rec && !t->draining);
	if (how == CLOSE_KEEP && more && !t->stopping)
		s->state = CONN_KEPT;
	else
		conn_close_fd(s, how == CLOSE_RST);
	if (t->opts->rate_per_s > 0) {
		slot_pool_give(&t->pool, s);
	} else if (s->next_rec < s->end_rec) {
		/* Started from the loop, not from here: a run of instant failures must not recurse. */
		s->next_ready = t->ready;
		t->ready = s;
	}
}

/* A connect failed before a SYN left (socket, bind, or connect itself): no TCP_INFO to read. */
static void conn_fail_early(struct connect_thread *t, struct conn_slot *s, int err_no)
{
	s->opener = NULL;
	conn_end(t, s, outcome_from_errno(err_no), err_no, CLOSE_FIN);
}

static int epoll_set(struct connect_thread *t, struct conn_slot *s, uint32_t events)
{
	struct epoll_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.events = events;
	ev.data.ptr = s;
	if (epoll_ctl(t->epfd, s->in_epoll ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, s->fd, &ev) != 0)
		return errno;
	s->in_epoll = 1;
	return 0;
}

/*
 * Lean HTTP sockets are watched edge-triggered for input and output from the connect on: one
 * epoll_ctl per connection. The reader drains the socket on every wake-up (lean_receive), and the
 * output edge comes once, when the handshake completes.
 */
#define LEAN_EVENTS (EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET)

static void conn_open(struct connect_thread *t, struct conn_slot *s);

/* Act on what the exchange says it needs next, or on how it ended. */
static void http_step(struct connect_thread *t, struct conn_slot *s, enum lean_step step, enum outcome outcome,
		      int err_no)
{
	struct conn_record *rec = s->rec;

	switch (step) {
	case LEAN_WRITE:
		s->state = CONN_SENDING;
		return;
	case LEAN_READ:
		s->state = CONN_RECEIVING;
		return;
	case LEAN_DONE:
		rec->http_status = (int16_t)lean_status(&s->x);
		conn_end(t, s, OUTCOME_OK, 0, t->opts->keepalive && s->x.keep ? CLOSE_KEEP : CLOSE_FIN);
		return;
	case LEAN_FAILED:
		break;
	}
	rec->http_status = (int16_t)lean_status(&s->x);
	if ((rec->flags & RECORD_REUSED) && s->x.got_bytes == 0 && !s->retried && outcome == OUTCOME_RESET) {
		/* The server had closed the idle kept-alive connection: the request goes out again on a new
		 * one, as libcurl does, and the record is that new connection's. */
		list_remove(&t->exchanging, s);
		conn_close_fd(s, 0);
		s->retried = 1;
		rec->flags &= (uint8_t)~RECORD_REUSED;
		rec->connect_us = -1;
		rec->http_status = 0;
		conn_open(t, s);
		return;
	}
	conn_end(t, s, outcome, err_no, CLOSE_FIN);
}

/* The connection is up (or kept from the last request): send the request and wait for the answer. */
static void http_begin(struct connect_thread *t, struct conn_slot *s)
{
	enum outcome outcome = OUTCOME_OK;
	int err_no = 0;
	enum lean_step step;

	if (!s->in_epoll) {
		int rc = epoll_set(t, s, LEAN_EVENTS);

		if (rc != 0) {
			conn_end(t, s, outcome_from_errno(rc), rc, CLOSE_FIN);
			return;
		}
	}
	lean_exchange_reset(&s->x);
	s->state = CONN_SENDING;
	s->deadline_us = t->opts->timeout_us > 0 ? s->start_mono_us + t->opts->timeout_us : -1;
	list_insert(&t->exchanging, s);
	step = lean_send(s->fd, &s->x, &t->request, &outcome, &err_no);
	http_step(t, s, step, outcome, err_no);
}

static void conn_connected(struct connect_thread *t, struct conn_slot *s, int64_t now_us)
{
	const struct client_opts *opts = t->opts;
	struct conn_list *list = list_of(t, s);
	int rc;

	if (list != NULL)
		list_remove(list, s);
	s->rec->connect_us = now_us - s->start_mono_us;
	if (t->http) {
		http_begin(t, s);
		return;
	}
	switch (opts->after) {
	case AFTER_CLOSE:
		conn_end(t, s, OUTCOME_OK, 0, CLOSE_FIN);
		return;
	case AFTER_RST:
		conn_end(t, s, OUTCOME_OK, 0, CLOSE_RST);
		return;
	case AFTER_HOLD:
		break;
	}
	/* Held: watch for the peer's RST (tcp_abort_on_overflow) or FIN while we wait. */
	rc = epoll_set(t, s, EPOLLIN | EPOLLRDHUP);
	if (rc != 0) {
		conn_end(t, s, outcome_from_errno(rc), rc, CLOSE_FIN);
		return;
	}
	s->state = CONN_HOLDING;
	s->deadline_us = opts->hold_us > 0 ? now_us + opts->hold_us : -1;
	if (opts->duration_us > 0) {
		int64_t run_end = t->job->start_mono_us + opts->duration_us;

		if (s->deadline_us < 0 || run_end < s->deadline_us)
			s->deadline_us = run_end;
	}
	list_append(&t->holding, s);
}

/* Open a new connection for the slot's record: socket, optional source bind, non-blocking connect. */
static void conn_open(struct connect_thread *t, struct conn_slot *s)
{
	const struct client_opts *opts = t->opts;
	struct conn_record *rec = s->rec;
	int rc;

	s->in_epoll = 0;
	s->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s->fd < 0) {
		conn_fail_early(t, s, errno);
		return;
	}
	if (opts->source_count > 0) {
		size_t i = (t->source_next++ + t->job->thread_index) % opts->source_count;

		rc = sockinfo_bind_source(s->fd, opts->sources[i]);
		if (rc != 0) {
			conn_fail_early(t, s, rc);
			return;
		}
	}
	rc = connect(s->fd, (const struct sockaddr *)&opts->target.addr, sizeof(opts->target.addr));
	if (rc != 0 && errno != EINPROGRESS) {
		/* EADDRNOTAVAIL (no free port), ENETUNREACH ...: connect() said no before any SYN. */
		conn_fail_early(t, s, errno);
		return;
	}
	/* From here a SYN is out: this record gets the socket's retransmissions when it closes. */
	s->opener = rec;
	/* The port is chosen by connect() itself and released again if the handshake fails. */
	s->local_port = sockinfo_local_port(s->fd);
	rec->local_port = s->local_port;
	if (rc == 0) {
		conn_connected(t, s, clock_mono_us());
		return;
	}
	rc = epoll_set(t, s, t->http ? LEAN_EVENTS : EPOLLOUT);
	if (rc != 0) {
		conn_end(t, s, outcome_from_errno(rc), rc, CLOSE_FIN);
		return;
	}
	s->state = CONN_CONNECTING;
	s->deadline_us = t->connect_limit_us > 0 ? s->start_mono_us + t->connect_limit_us : -1;
	list_append(&t->connecting, s);
}

/* Start rec on slot s: on its kept-alive connection when it has one, else on a new connection. */
static void conn_start(struct connect_thread *t, struct conn_slot *s, struct conn_record *rec, int64_t now_us,
		       int64_t intended_us)
{
	loop_record_begin(t->job, rec, s->worker, now_us, intended_us);
	rec->first_byte_us = -1;
	rec->connect_us = -1;
	s->rec = rec;
	s->start_mono_us = now_us;
	s->retried = 0;
	t->in_flight++;
	if (s->state == CONN_KEPT) {
		rec->flags |= RECORD_REUSED;
		rec->connect_us = 0;
		rec->local_port = s->local_port;
		http_begin(t, s);
		return;
	}
	conn_open(t, s);
}

/* Events of a connecting socket: EPOLLOUT alone is a completed handshake; an error carries SO_ERROR. */
static void on_connecting(struct connect_thread *t, struct conn_slot *s, uint32_t events)
{
	int so_error = 0;
	socklen_t len = sizeof(so_error);

	if (events & (EPOLLERR | EPOLLHUP)) {
		if (getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &so_error, &len) != 0)
			so_error = errno;
		if (so_error == 0)
			so_error = ECONNRESET;
		conn_end(t, s, outcome_from_errno(so_error), so_error, CLOSE_FIN);
		return;
	}
	if (events & EPOLLOUT)
		conn_connected(t, s, clock_mono_us());
}

/* Events of a held connection: whatever the server sends is read and dropped; EOF or an error ends it. */
static void on_holding(struct connect_thread *t, struct conn_slot *s)
{
	char buf[4096];
	ssize_t n = recv(s->fd, buf, sizeof(buf), MSG_DONTWAIT);

	if (n > 0 || (n < 0 && (errno == EAGAIN || errno == EINTR)))
		return;
	if (n == 0)
		conn_end(t, s, OUTCOME_OK, 0, CLOSE_FIN);
	else
		conn_end(t, s, outcome_from_errno(errno), errno, CLOSE_FIN);
}

static void conn_event(struct connect_thread *t, struct conn_slot *s, uint32_t events)
{
	enum outcome outcome = OUTCOME_OK;
	enum lean_step step = LEAN_READ;
	int err_no = 0, first_byte = 0;

	switch (s->state) {
	case CONN_CONNECTING:
		on_connecting(t, s, events);
		return;
	case CONN_HOLDING:
		on_holding(t, s);
		return;
	case CONN_SENDING:
		step = lean_send(s->fd, &s->x, &t->request, &outcome, &err_no);
		if (step == LEAN_READ)
			step = lean_receive(s->fd, &s->x, &first_byte, &outcome, &err_no);
		break;
	case CONN_RECEIVING:
		step = lean_receive(s->fd, &s->x, &first_byte, &outcome, &err_no);
		break;
	case CONN_KEPT:
		/* An idle kept-alive connection only wakes up when the server closes it. */
		conn_close_fd(s, 0);
		return;
	case CONN_IDLE:
		return;
	}
	if (first_byte)
		s->rec->first_byte_us = clock_mono_us() - s->start_mono_us;
	http_step(t, s, step, outcome, err_no);
}

static struct conn_slot *slot_new(struct connect_thread *t, struct tl_err *err)
{
	struct conn_slot *s = slot_pool_add(&t->pool, sizeof(*s), "connection slot", err);

	if (s != NULL)
		s->fd = -1;
	return s;
}

/* Start the closed-loop workers that are ready, and every open-loop connection that is due by now. */
static int start_pending(struct connect_thread *t, int64_t now_us, struct tl_err *err)
{
	struct loop_job *job = t->job;

	while (t->ready != NULL && !t->draining) {
		struct conn_slot *s = t->ready;

		t->ready = s->next_ready;
		conn_start(t, s, &job->records[s->next_rec++], now_us, now_us);
	}
	/* The duration ends nothing here: every connection it scheduled starts, late or not. */
	while (loop_open_due(job, t->started, now_us)) {
		struct conn_slot *s = slot_pool_take(&t->pool);

		if (s == NULL) {
			s = slot_new(t, err);
			if (s == NULL)
				return -1;
			s->worker = job->thread_index;
		}
		conn_start(t, s, &job->records[t->started], now_us, job->start_mono_us + loop_due_us(job, t->started));
		t->started++;
		now_us = clock_mono_us();
	}
	return 0;
}

static void expire(struct connect_thread *t, int64_t now_us)
{
	while (t->connecting.head != NULL && t->connecting.head->deadline_us >= 0 &&
	       t->connecting.head->deadline_us <= now_us)
		conn_end(t, t->connecting.head, OUTCOME_TIMEOUT, ETIMEDOUT, CLOSE_FIN);
	while (t->exchanging.head != NULL && t->exchanging.head->deadline_us >= 0 &&
	       t->exchanging.head->deadline_us <= now_us)
		conn_end(t, t->exchanging.head, OUTCOME_TIMEOUT, ETIMEDOUT, CLOSE_FIN);
	while (t->holding.head != NULL && t->holding.head->deadline_us >= 0 && t->holding.head->deadline_us <= now_us)
		conn_end(t, t->holding.head, OUTCOME_OK, 0, CLOSE_FIN);
}

static void stop_all(struct connect_thread *t)
{
	t->stopping = 1;
	while (t->connecting.head != NULL)
		conn_end(t, t->connecting.head, OUTCOME_ABORTED, 0, CLOSE_FIN);
	while (t->exchanging.head != NULL)
		conn_end(t, t->exchanging.head, OUTCOME_ABORTED, 0, CLOSE_FIN);
	/* A held connection ending on SIGINT is the normal end of a hold. */
	while (t->holding.head != NULL)
		conn_end(t, t->holding.head, OUTCOME_OK, 0, CLOSE_FIN);
}

static int64_t earliest(int64_t a, int64_t b)
{
	if (a < 0)
		return b;
	if (b < 0)
		return a;
	return a < b ? a : b;
}

/* Microseconds until the next deadline or due start, or -1 to wait for sockets only. */
static int64_t next_wait_us(const struct connect_thread *t, int64_t now_us)
{
	const struct loop_job *job = t->job;
	int64_t due = -1;

	if (t->connecting.head != NULL)
		due = earliest(due, t->connecting.head->deadline_us);
	if (t->exchanging.head != NULL)
		due = earliest(due, t->exchanging.head->deadline_us);
	if (t->holding.head != NULL)
		due = earliest(due, t->holding.head->deadline_us);
	if (t->opts->rate_per_s > 0 && t->started < job->record_count)
		due = earliest(due, job->start_mono_us + loop_due_us(job, t->started));
	if (!t->draining && t->opts->duration_us > 0)
		due = earliest(due, job->start_mono_us + t->opts->duration_us);
	if (due < 0)
		return -1;
	return due > now_us ? due - now_us : 0;
}

static int thread_loop(struct connect_thread *t, struct tl_err *err)
{
	struct loop_job *job = t->job;
	struct epoll_event events[CONNECT_EVENTS];

	for (;;) {
		int64_t now_us = clock_mono_us();
		int64_t wait_us;
		int n;

		if (!t->draining && t->opts->duration_us > 0 && now_us >= job->start_mono_us + t->opts->duration_us)
			t->draining = 1;
		expire(t, now_us);
		if (start_pending(t, now_us, err) != 0)
			return -1;
		if (t->in_flight == 0 && (t->opts->rate_per_s > 0 ? t->started >= job->record_count :
								      t->draining || t->ready == NULL))
			return 0;
		wait_us = next_wait_us(t, clock_mono_us());
		n = loop_epoll_wait(t->epfd, events, CONNECT_EVENTS, wait_us);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return tl_errf(err, "epoll_wait: %s", strerror(errno));
		}
		for (int i = 0; i < n; i++) {
			struct conn_slot *s = events[i].data.ptr;

			if (s == NULL) {
				t->stopping = 1;
				continue;
			}
			conn_event(t, s, events[i].events);
		}
		if (t->stopping) {
			t->ready = NULL;
			stop_all(t);
			return 0;
		}
	}
}

static int thread_setup(struct connect_thread *t, struct loop_job *job, struct tl_err *err)
{
	const struct client_opts *opts = job->opts;
	struct epoll_event ev;

	memset(t, 0, sizeof(*t));
	t->job = job;
	t->opts = opts;
	t->connect_limit_us = opts->connect_timeout_us;
	if (opts->timeout_us > 0 && (t->connect_limit_us == 0 || opts->timeout_us < t->connect_limit_us))
		t->connect_limit_us = opts->timeout_us;
	t->http = opts->mode == MODE_HTTP;
	if (t->http && lean_request_build(&t->request, &opts->target, opts->keepalive, err) != 0)
		return -1;
	t->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (t->epfd < 0)
		return tl_errf(err, "epoll_create1: %s", strerror(errno));
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN;
	ev.data.ptr = NULL;
	if (epoll_ctl(t->epfd, EPOLL_CTL_ADD, client_stop_fd(), &ev) != 0)
		return tl_errf(err, "epoll_ctl(stop eventfd): %s", strerror(errno));
	if (opts->rate_per_s > 0)
		return 0;
	/* Closed loop: one slot per worker, all ready to start when the clock starts. */
	for (uint32_t w = job->worker_count; w-- > 0;) {
		struct conn_slot *s = slot_new(t, err);

		if (s == NULL)
			return -1;
		s->worker = job->worker_first + w;
		s->next_rec = (size_t)w * (size_t)opts->requests;
		s->end_rec = s->next_rec + (size_t)opts->requests;
		s->next_ready = t->ready;
		t->ready = s;
	}
	return 0;
}

static void release_slot(void *slot, void *arg)
{
	(void)arg;
	conn_close_fd(slot, 0);
}

static void thread_teardown(struct connect_thread *t)
{
	/* How much of the record slice was used: the run keeps only that. */
	t->job->open_used = t->started;
	for (size_t i = 0; i < t->pool.count && t->opts->rate_per_s == 0; i++) {
		struct conn_slot *s = t->pool.items[i];

		t->job->worker_used[s->worker - t->job->worker_first] =
			s->next_rec - (size_t)(s->worker - t->job->worker_first) * (size_t)t->opts->requests;
	}
	/* Kept-alive connections close now, and still give their openers the TCP_INFO reading. */
	slot_pool_free(&t->pool, release_slot, NULL);
	if (t->epfd >= 0)
		close(t->epfd);
}

void *connect_loop_run(void *arg)
{
	struct loop_job *job = arg;
	struct connect_thread t;
	int rc = thread_setup(&t, job, &job->err);

	if (loop_start(job) != 0)
		rc = 1; /* called off before the start: nothing ran, nothing to report */
	if (rc == 0 && !client_stop_requested())
		rc = thread_loop(&t, &job->err);
	if (rc < 0)
		job->failed = 1;
	thread_teardown(&t);
	return NULL;
}
