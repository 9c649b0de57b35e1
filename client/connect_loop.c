/* connect_loop: one thread's handshake-only load: non-blocking connect() on epoll, then close, RST or hold. */
#include "loop.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "outcome.h"
#include "sockinfo.h"
#include "stop.h"

#define CONNECT_EVENTS 512

enum conn_state {
	CONN_IDLE,
	CONN_CONNECTING, /* SYN sent, waiting for EPOLLOUT */
	CONN_HOLDING,    /* connected, kept open (--after hold) */
};

struct conn_slot {
	int fd;
	enum conn_state state;
	int in_epoll;
	struct conn_record *rec;
	int64_t start_mono_us;
	int64_t deadline_us;        /* connect or hold deadline; -1 = none */
	uint32_t worker;
	size_t next_rec;            /* closed loop: slice index of the worker's next record */
	size_t end_rec;
	struct conn_slot *prev;     /* in the connecting or holding list */
	struct conn_slot *next;
	struct conn_slot *next_ready; /* in the ready (closed loop) or free (open loop) stack */
};

/* Slots in deadline order: every deadline is "event time + the same constant", so appending keeps it sorted. */
struct conn_list {
	struct conn_slot *head;
	struct conn_slot *tail;
};

struct connect_thread {
	struct loop_job *job;
	const struct client_opts *opts;
	int epfd;
	struct conn_slot **slots;
	size_t slot_count;
	size_t slot_cap;
	struct conn_slot *free_slots;   /* open loop: slots to reuse */
	struct conn_slot *ready;        /* closed loop: workers whose next connect is to start */
	struct conn_list connecting;
	struct conn_list holding;
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
	case CONN_IDLE:
		break;
	}
	return NULL;
}

/* The connection is over: read TCP_INFO, close, fill the record, and hand the slot on. */
static void conn_end(struct connect_thread *t, struct conn_slot *s, enum outcome outcome, int err_no, int rst)
{
	struct conn_record *rec = s->rec;
	struct conn_list *list = list_of(t, s);
	int64_t now_us = clock_mono_us();

	if (list != NULL)
		list_remove(list, s);
	if (s->fd >= 0) {
		int retrans = sockinfo_retrans(s->fd);

		if (retrans >= 0) {
			rec->syn_retrans = (uint8_t)retrans;
			rec->syn_src = SYN_SRC_TCP_INFO;
		}
		if (rst)
			sockinfo_linger_rst(s->fd);
		close(s->fd);
		s->fd = -1;
	}
	s->state = CONN_IDLE;
	s->in_epoll = 0;
	rec->total_us = now_us - s->start_mono_us;
	rec->outcome = (uint8_t)outcome;
	rec->err_no = err_no;
	t->in_flight--;
	t->job->end_mono_us = now_us;
	if (t->opts->rate_per_s > 0) {
		s->next_ready = t->free_slots;
		t->free_slots = s;
	} else if (s->next_rec < s->end_rec) {
		/* Started from the loop, not from here: a run of instant failures must not recurse. */
		s->next_ready = t->ready;
		t->ready = s;
	}
}

/* A connect failed before a SYN left (socket, bind, or connect itself). */
static void conn_fail_early(struct connect_thread *t, struct conn_slot *s, int err_no)
{
	if (s->fd >= 0) {
		/* No SYN went out: nothing to read from TCP_INFO. */
		close(s->fd);
		s->fd = -1;
	}
	conn_end(t, s, outcome_from_errno(err_no), err_no, 0);
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

static void conn_connected(struct connect_thread *t, struct conn_slot *s, int64_t now_us)
{
	const struct client_opts *opts = t->opts;
	struct conn_list *list = list_of(t, s);
	int rc;

	if (list != NULL)
		list_remove(list, s);
	s->rec->connect_us = now_us - s->start_mono_us;
	switch (opts->after) {
	case AFTER_CLOSE:
		conn_end(t, s, OUTCOME_OK, 0, 0);
		return;
	case AFTER_RST:
		conn_end(t, s, OUTCOME_OK, 0, 1);
		return;
	case AFTER_HOLD:
		break;
	}
	/* Held: watch for the peer's RST (tcp_abort_on_overflow) or FIN while we wait. */
	rc = epoll_set(t, s, EPOLLIN | EPOLLRDHUP);
	if (rc != 0) {
		conn_end(t, s, outcome_from_errno(rc), rc, 0);
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

static void conn_start(struct connect_thread *t, struct conn_slot *s, struct conn_record *rec)
{
	const struct client_opts *opts = t->opts;
	int rc;

	rec->flags = RECORD_STARTED;
	rec->worker = s->worker;
	rec->first_byte_us = -1;
	rec->connect_us = -1;
	rec->start_wall_us = clock_wall_us();
	s->rec = rec;
	s->start_mono_us = clock_mono_us();
	s->in_epoll = 0;
	t->in_flight++;
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
	/* The port is chosen by connect() itself and released again if the handshake fails. */
	rec->local_port = sockinfo_local_port(s->fd);
	if (rc == 0) {
		conn_connected(t, s, clock_mono_us());
		return;
	}
	rc = epoll_set(t, s, EPOLLOUT);
	if (rc != 0) {
		conn_end(t, s, outcome_from_errno(rc), rc, 0);
		return;
	}
	s->state = CONN_CONNECTING;
	s->deadline_us = t->connect_limit_us > 0 ? s->start_mono_us + t->connect_limit_us : -1;
	list_append(&t->connecting, s);
}

static void conn_event(struct connect_thread *t, struct conn_slot *s, uint32_t events)
{
	char buf[4096];
	ssize_t n;

	if (s->state == CONN_CONNECTING) {
		int so_error = 0;
		socklen_t len = sizeof(so_error);

		if (getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &so_error, &len) != 0)
			so_error = errno;
		if (so_error == 0 && (events & EPOLLOUT))
			conn_connected(t, s, clock_mono_us());
		else if (so_error != 0)
			conn_end(t, s, outcome_from_errno(so_error), so_error, 0);
		return;
	}
	if (s->state != CONN_HOLDING)
		return;
	/* Whatever the server sends is read and dropped; EOF or an error ends the hold. */
	n = recv(s->fd, buf, sizeof(buf), MSG_DONTWAIT);
	if (n > 0 || (n < 0 && (errno == EAGAIN || errno == EINTR)))
		return;
	if (n == 0)
		conn_end(t, s, OUTCOME_OK, 0, 0);
	else
		conn_end(t, s, outcome_from_errno(errno), errno, 0);
}

static struct conn_slot *slot_new(struct connect_thread *t, struct tl_err *err)
{
	struct conn_slot *s;

	if (t->slot_count == t->slot_cap) {
		size_t cap = t->slot_cap ? t->slot_cap * 2 : 64;
		struct conn_slot **grown = realloc(t->slots, cap * sizeof(*grown));

		if (grown == NULL) {
			tl_errf(err, "out of memory for %zu connection slots", cap);
			return NULL;
		}
		t->slots = grown;
		t->slot_cap = cap;
	}
	s = calloc(1, sizeof(*s));
	if (s == NULL) {
		tl_errf(err, "out of memory for a connection slot");
		return NULL;
	}
	s->fd = -1;
	t->slots[t->slot_count++] = s;
	return s;
}

/* Start the closed-loop workers that are ready, and the open-loop connections that are due. */
static int start_pending(struct connect_thread *t, int64_t now_us, struct tl_err *err)
{
	struct loop_job *job = t->job;

	while (t->ready != NULL && !t->draining) {
		struct conn_slot *s = t->ready;

		t->ready = s->next_ready;
		conn_start(t, s, &job->records[s->next_rec++]);
	}
	while (t->opts->rate_per_s > 0 && !t->draining && t->started < job->record_count &&
	       job->start_mono_us + loop_due_us(job, t->started) <= now_us) {
		struct conn_slot *s = t->free_slots;

		if (s != NULL) {
			t->free_slots = s->next_ready;
		} else {
			s = slot_new(t, err);
			if (s == NULL)
				return -1;
			s->worker = job->thread_index;
		}
		conn_start(t, s, &job->records[t->started++]);
	}
	return 0;
}

static void expire(struct connect_thread *t, int64_t now_us)
{
	while (t->connecting.head != NULL && t->connecting.head->deadline_us >= 0 &&
	       t->connecting.head->deadline_us <= now_us)
		conn_end(t, t->connecting.head, OUTCOME_TIMEOUT, ETIMEDOUT, 0);
	while (t->holding.head != NULL && t->holding.head->deadline_us >= 0 && t->holding.head->deadline_us <= now_us)
		conn_end(t, t->holding.head, OUTCOME_OK, 0, 0);
}

static void stop_all(struct connect_thread *t)
{
	while (t->connecting.head != NULL)
		conn_end(t, t->connecting.head, OUTCOME_ABORTED, 0, 0);
	/* A held connection ending on SIGINT is the normal end of a hold. */
	while (t->holding.head != NULL)
		conn_end(t, t->holding.head, OUTCOME_OK, 0, 0);
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
	if (t->holding.head != NULL)
		due = earliest(due, t->holding.head->deadline_us);
	if (!t->draining && t->opts->rate_per_s > 0 && t->started < job->record_count)
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
		struct timespec ts;
		int n;

		if (!t->draining && t->opts->duration_us > 0 && now_us >= job->start_mono_us + t->opts->duration_us)
			t->draining = 1;
		expire(t, now_us);
		if (start_pending(t, now_us, err) != 0)
			return -1;
		if (t->in_flight == 0 &&
		    (t->draining || (t->ready == NULL && (t->opts->rate_per_s == 0 || t->started >= job->record_count))))
			return 0;
		wait_us = next_wait_us(t, clock_mono_us());
		ts.tv_sec = wait_us / 1000000;
		ts.tv_nsec = (wait_us % 1000000) * 1000;
		n = epoll_pwait2(t->epfd, events, CONNECT_EVENTS, wait_us < 0 ? NULL : &ts, NULL);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return tl_errf(err, "epoll_pwait2: %s", strerror(errno));
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

static void thread_teardown(struct connect_thread *t)
{
	for (size_t i = 0; i < t->slot_count; i++) {
		if (t->slots[i]->fd >= 0)
			close(t->slots[i]->fd);
		free(t->slots[i]);
	}
	free(t->slots);
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
