/* http_loop: one thread's HTTP load on a libcurl multi handle driven by epoll. */
#include "loop.h"

#include <curl/curl.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "fdtable.h"
#include "outcome.h"
#include "slot_pool.h"
#include "sockinfo.h"
#include "stop.h"

/*
 * Why curl_multi_socket_action on our own epoll, not curl_multi_poll:
 * curl_multi_perform/poll walk every easy handle and rebuild a pollfd array
 * on each call, O(workers) per wake-up; with thousands of workers that cost
 * lands between a response and the next request and blurs the latencies we
 * measure. socket_action touches only the sockets epoll reports, so a wake-up
 * costs O(events), and the same loop shape serves the connect mode.
 */

#define HTTP_EVENTS 512

struct http_thread;

/* One request in flight at a time: a worker in closed loop, a pool entry in open loop. */
struct http_slot {
	CURL *easy;                 /* reused for every request of the slot */
	struct http_thread *thread;
	struct conn_record *rec;    /* record of the request in flight */
	int64_t start_mono_us;
	uint32_t worker;
	size_t next_rec;            /* closed loop: slice index of the worker's next record */
	size_t end_rec;             /* closed loop: one past the worker's last record */
	int bind_errno;             /* the --source bind failed with this errno */
	int opened_socket;          /* this request opened a new connection */
	int in_flight;
};

struct http_thread {
	struct loop_job *job;
	const struct client_opts *opts;
	CURLM *multi;
	int epfd;
	int64_t timer_due_us;       /* libcurl's timer; -1 = none */
	struct slot_pool pool;      /* every slot (for the abort on stop); open loop: those to reuse */
	size_t in_flight;
	size_t started;             /* open loop: connections started so far */
	size_t source_next;
	int stopping;               /* SIGINT/SIGTERM: abort what is in flight */
	int draining;               /* --duration over: the closed loop starts no new request */
	struct curl_slist *headers;
};

static size_t discard_body(char *ptr, size_t size, size_t nmemb, void *userdata)
{
	(void)ptr;
	(void)userdata;
	return size * nmemb;
}

/*
 * CURL_POLL_REMOVE does not unregister at once: without keep-alive libcurl
 * closes the socket right after removing it, and close() drops it from epoll
 * for free. The entry is only marked; should the socket report an event
 * before it is closed (an idle kept-alive connection), the loop unregisters
 * it then. One epoll_ctl less per connection.
 */
static int on_socket(CURL *easy, curl_socket_t fd, int what, void *userp, void *socketp)
{
	struct http_thread *t = userp;
	struct fd_entry *entry = fdtable_get(fd);
	struct epoll_event ev;

	(void)easy;
	(void)socketp;
	if (what == CURL_POLL_REMOVE) {
		if (entry == NULL)
			epoll_ctl(t->epfd, EPOLL_CTL_DEL, fd, NULL);
		else
			entry->unwanted = 1;
		return 0;
	}
	memset(&ev, 0, sizeof(ev));
	ev.events = ((what & CURL_POLL_IN) ? EPOLLIN : 0u) | ((what & CURL_POLL_OUT) ? EPOLLOUT : 0u);
	ev.data.fd = fd;
	if (entry != NULL && entry->in_epoll) {
		entry->unwanted = 0;
		epoll_ctl(t->epfd, EPOLL_CTL_MOD, fd, &ev);
		return 0;
	}
	if (epoll_ctl(t->epfd, EPOLL_CTL_ADD, fd, &ev) != 0 && errno == EEXIST)
		epoll_ctl(t->epfd, EPOLL_CTL_MOD, fd, &ev);
	if (entry != NULL) {
		entry->in_epoll = 1;
		entry->unwanted = 0;
	}
	return 0;
}

static int on_timer(CURLM *multi, long timeout_ms, void *userp)
{
	struct http_thread *t = userp;

	(void)multi;
	t->timer_due_us = timeout_ms < 0 ? -1 : clock_mono_us() + (int64_t)timeout_ms * 1000;
	return 0;
}

/* A new socket of this slot's request: bind the --source, remember which record sent the SYN. */
static int on_sockopt(void *clientp, curl_socket_t fd, curlsocktype purpose)
{
	struct http_slot *slot = clientp;
	const struct client_opts *opts = slot->thread->opts;
	struct fd_entry *entry;

	(void)purpose;
	slot->opened_socket = 1;
	if (opts->source_count > 0) {
		size_t i = (slot->thread->source_next++ + slot->thread->job->thread_index) % opts->source_count;
		int rc = sockinfo_bind_source(fd, opts->sources[i]);

		if (rc != 0) {
			slot->bind_errno = rc;
			return CURL_SOCKOPT_ERROR;
		}
	}
	entry = fdtable_get(fd);
	if (entry != NULL)
		entry->rec = slot->rec;
	return CURL_SOCKOPT_OK;
}

/* libcurl closes a connection: read the retransmissions and round-trip time while the socket still exists. */
static int on_closesocket(void *clientp, curl_socket_t fd)
{
	struct fd_entry *entry = fdtable_get(fd);

	(void)clientp;
	if (entry != NULL) {
		if (entry->rec != NULL) {
			struct sockinfo_tcp info;

			if (sockinfo_tcp(fd, &info) == 0) {
				entry->rec->syn_retrans = (uint8_t)info.retrans;
				entry->rec->rtt_us = info.rtt_us;
				entry->rec->syn_src = SYN_SRC_TCP_INFO;
			}
			entry->rec = NULL;
		}
		entry->in_epoll = 0;
		entry->unwanted = 0;
	}
	return close(fd);
}

static int slot_setup(struct http_thread *t, struct http_slot *slot, struct tl_err *err)
{
	const struct client_opts *opts = t->opts;
	CURL *e = curl_easy_init();

	if (e == NULL)
		return tl_errf(err, "curl_easy_init failed (out of memory?)");
	slot->easy = e;
	slot->thread = t;
	curl_easy_setopt(e, CURLOPT_URL, opts->target.url);
	curl_easy_setopt(e, CURLOPT_PRIVATE, slot);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	/* A proxy from the environment would put another hop between us and the server. */
	curl_easy_setopt(e, CURLOPT_PROXY, "");
	curl_easy_setopt(e, CURLOPT_IPRESOLVE, (long)CURL_IPRESOLVE_V4);
	curl_easy_setopt(e, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
	/* Nagle only holds a write back while earlier data is unacknowledged; a request goes out in
	 * one write after the previous response (which acknowledged it), so TCP_NODELAY would only
	 * cost a setsockopt per connection. */
	curl_easy_setopt(e, CURLOPT_TCP_NODELAY, 0L);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, discard_body);
	curl_easy_setopt(e, CURLOPT_SOCKOPTFUNCTION, on_sockopt);
	curl_easy_setopt(e, CURLOPT_SOCKOPTDATA, slot);
	curl_easy_setopt(e, CURLOPT_CLOSESOCKETFUNCTION, on_closesocket);
	curl_easy_setopt(e, CURLOPT_CLOSESOCKETDATA, t);
	/* 0 keeps libcurl's built-in 300 s, above the kernel's default SYN give-up (~127 s). */
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, (long)(opts->connect_timeout_us / 1000));
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)(opts->timeout_us / 1000));
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, t->headers);
	if (!opts->keepalive)
		curl_easy_setopt(e, CURLOPT_FORBID_REUSE, 1L);
	return 0;
}

static struct http_slot *slot_new(struct http_thread *t, struct tl_err *err)
{
	struct http_slot *slot = slot_pool_add(&t->pool, sizeof(*slot), "request slot", err);

	if (slot == NULL || slot_setup(t, slot, err) != 0)
		return NULL;
	return slot;
}

/* Start the slot's request for rec; intended_mono_us is when the schedule wanted it (-1: now, closed loop). */
static int request_start(struct http_thread *t, struct http_slot *slot, struct conn_record *rec,
			 int64_t intended_mono_us, struct tl_err *err)
{
	CURLMcode mc;

	slot->rec = rec;
	slot->bind_errno = 0;
	slot->opened_socket = 0;
	slot->start_mono_us = clock_mono_us();
	loop_record_begin(t->job, rec, slot->worker, slot->start_mono_us,
			  intended_mono_us < 0 ? slot->start_mono_us : intended_mono_us);
	mc = curl_multi_add_handle(t->multi, slot->easy);
	if (mc != CURLM_OK)
		return tl_errf(err, "curl_multi_add_handle: %s", curl_multi_strerror(mc));
	slot->in_flight = 1;
	t->in_flight++;
	return 0;
}

static int64_t positive_or_missing(curl_off_t us)
{
	return us > 0 ? (int64_t)us : -1;
}

/* Fill the slot's record from libcurl's view of the finished (or aborted) transfer. */
static void request_finish(struct http_slot *slot, CURLcode code, int aborted)
{
	struct conn_record *rec = slot->rec;
	curl_off_t connect_t = 0, first_byte_t = 0, total_t = 0;
	long os_errno = 0, status = 0, local_port = 0;
	enum outcome outcome;
	int err_no;

	curl_easy_getinfo(slot->easy, CURLINFO_CONNECT_TIME_T, &connect_t);
	curl_easy_getinfo(slot->easy, CURLINFO_STARTTRANSFER_TIME_T, &first_byte_t);
	curl_easy_getinfo(slot->easy, CURLINFO_TOTAL_TIME_T, &total_t);
	curl_easy_getinfo(slot->easy, CURLINFO_OS_ERRNO, &os_errno);
	curl_easy_getinfo(slot->easy, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_getinfo(slot->easy, CURLINFO_LOCAL_PORT, &local_port);
	err_no = slot->bind_errno != 0 ? slot->bind_errno : (int)os_errno;
	outcome = aborted ? OUTCOME_ABORTED : outcome_from_curl(code, err_no);
	if (outcome == OUTCOME_TIMEOUT && err_no == 0)
		err_no = ETIMEDOUT;
	if (slot->opened_socket) {
		rec->connect_us = positive_or_missing(connect_t);
	} else if (slot->bind_errno == 0 && code == CURLE_OK) {
		/* No socket opened and success: the request rode a kept-alive connection. */
		rec->flags |= RECORD_REUSED;
		rec->connect_us = 0;
	} else {
		rec->connect_us = -1;
	}
	rec->first_byte_us = positive_or_missing(first_byte_t);
	rec->total_us = aborted ? clock_mono_us() - slot->start_mono_us : (int64_t)total_t;
	rec->outcome = (uint8_t)outcome;
	rec->err_no = err_no;
	rec->http_status = (int16_t)status;
	rec->local_port = (uint16_t)local_port;
}

static void slot_release(struct http_thread *t, struct http_slot *slot)
{
	curl_multi_remove_handle(t->multi, slot->easy);
	slot->in_flight = 0;
	t->in_flight--;
	if (t->opts->rate_per_s > 0)
		slot_pool_give(&t->pool, slot);
}

static int drain_done(struct http_thread *t, struct tl_err *err)
{
	CURLMsg *msg;
	int left;

	while ((msg = curl_multi_info_read(t->multi, &left)) != NULL) {
		struct http_slot *slot;
		char *priv = NULL;

		if (msg->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &priv);
		slot = (struct http_slot *)priv;
		request_finish(slot, msg->data.result, 0);
		t->job->end_mono_us = clock_mono_us();
		slot_release(t, slot);
		/* Closed loop: the worker's next request goes out at once, from this same wake-up. */
		if (t->opts->rate_per_s == 0 && !t->stopping && !t->draining && slot->next_rec < slot->end_rec) {
			if (request_start(t, slot, &t->job->records[slot->next_rec++], -1, err) != 0)
				return -1;
		}
	}
	return 0;
}

/* Open loop: start every connection that is due by now, each with the time it was due. */
static int start_due(struct http_thread *t, int64_t now_us, struct tl_err *err)
{
	struct loop_job *job = t->job;

	while (loop_open_due(job, t->started, now_us)) {
		struct http_slot *slot = slot_pool_take(&t->pool);

		if (slot == NULL) {
			slot = slot_new(t, err);
			if (slot == NULL)
				return -1;
			slot->worker = job->thread_index;
		}
		if (request_start(t, slot, &job->records[t->started], job->start_mono_us + loop_due_us(job, t->started),
				  err) != 0)
			return -1;
		t->started++;
	}
	return 0;
}

static void abort_in_flight(struct http_thread *t)
{
	for (size_t i = 0; i < t->pool.count; i++) {
		struct http_slot *slot = t->pool.items[i];

		if (!slot->in_flight)
			continue;
		request_finish(slot, CURLE_OK, 1);
		slot_release(t, slot);
	}
}

static int thread_setup(struct http_thread *t, struct loop_job *job, struct tl_err *err)
{
	memset(t, 0, sizeof(*t));
	t->job = job;
	t->opts = job->opts;
	t->epfd = -1;
	t->timer_due_us = -1;
	/* "Accept:" with no value drops libcurl's default header: less to build and send per request. */
	t->headers = curl_slist_append(NULL, "Accept:");
	if (t->headers != NULL && !job->opts->keepalive)
		t->headers = curl_slist_append(t->headers, "Connection: close");
	t->multi = curl_multi_init();
	if (t->headers == NULL || t->multi == NULL)
		return tl_errf(err, "libcurl initialisation failed (out of memory?)");
	t->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (t->epfd < 0)
		return tl_errf(err, "epoll_create1: %s", strerror(errno));
	curl_multi_setopt(t->multi, CURLMOPT_SOCKETFUNCTION, on_socket);
	curl_multi_setopt(t->multi, CURLMOPT_SOCKETDATA, t);
	curl_multi_setopt(t->multi, CURLMOPT_TIMERFUNCTION, on_timer);
	curl_multi_setopt(t->multi, CURLMOPT_TIMERDATA, t);
	if (t->opts->rate_per_s == 0) {
		/* Closed loop: one slot per worker, all created before the clock starts. */
		long requests = t->opts->requests;

		for (uint32_t w = 0; w < job->worker_count; w++) {
			struct http_slot *slot = slot_new(t, err);

			if (slot == NULL)
				return -1;
			slot->worker = job->worker_first + w;
			slot->next_rec = (size_t)w * (size_t)requests;
			slot->end_rec = slot->next_rec + (size_t)requests;
		}
	}
	{
		struct epoll_event ev;

		memset(&ev, 0, sizeof(ev));
		ev.events = EPOLLIN;
		ev.data.fd = client_stop_fd();
		if (epoll_ctl(t->epfd, EPOLL_CTL_ADD, client_stop_fd(), &ev) != 0)
			return tl_errf(err, "epoll_ctl(stop eventfd): %s", strerror(errno));
	}
	return 0;
}

static void release_slot(void *p, void *arg)
{
	struct http_slot *slot = p;

	(void)arg;
	if (slot->easy != NULL)
		curl_easy_cleanup(slot->easy);
}

static void thread_teardown(struct http_thread *t)
{
	/* How much of the record slice was used: the run keeps only that. */
	t->job->open_used = t->started;
	for (size_t i = 0; i < t->pool.count && t->opts->rate_per_s == 0; i++) {
		struct http_slot *slot = t->pool.items[i];

		t->job->worker_used[slot->worker - t->job->worker_first] =
			slot->next_rec - (size_t)(slot->worker - t->job->worker_first) * (size_t)t->opts->requests;
	}
	/* Handles out of the multi first, then the multi (closing cached connections, which
	 * still reports their TCP_INFO), then the easy handles. */
	for (size_t i = 0; i < t->pool.count; i++) {
		struct http_slot *slot = t->pool.items[i];

		if (slot->in_flight)
			curl_multi_remove_handle(t->multi, slot->easy);
	}
	if (t->multi != NULL)
		curl_multi_cleanup(t->multi);
	slot_pool_free(&t->pool, release_slot, NULL);
	curl_slist_free_all(t->headers);
	if (t->epfd >= 0)
		close(t->epfd);
}

/* Microseconds until the next thing to do, or -1 to wait for sockets only. */
static int64_t next_wait_us(const struct http_thread *t, int64_t now_us)
{
	const struct loop_job *job = t->job;
	int64_t wait_us = -1;

	if (t->timer_due_us >= 0)
		wait_us = t->timer_due_us > now_us ? t->timer_due_us - now_us : 0;
	/* Open loop: the duration ends nothing; every connection it scheduled starts, late or not. */
	if (t->opts->rate_per_s > 0 && !t->stopping && t->started < job->record_count) {
		int64_t due = job->start_mono_us + loop_due_us(job, t->started);
		int64_t until = due > now_us ? due - now_us : 0;

		if (wait_us < 0 || until < wait_us)
			wait_us = until;
	}
	if (t->opts->duration_us > 0 && !t->draining) {
		int64_t end = job->start_mono_us + t->opts->duration_us;
		int64_t until = end > now_us ? end - now_us : 0;

		if (wait_us < 0 || until < wait_us)
			wait_us = until;
	}
	return wait_us;
}

static int thread_loop(struct http_thread *t, struct tl_err *err)
{
	struct loop_job *job = t->job;
	struct epoll_event events[HTTP_EVENTS];
	int running = 0;

	if (t->opts->rate_per_s == 0) {
		for (size_t i = 0; i < t->pool.count; i++) {
			struct http_slot *slot = t->pool.items[i];

			if (request_start(t, slot, &job->records[slot->next_rec++], -1, err) != 0)
				return -1;
		}
	}
	for (;;) {
		int64_t now_us = clock_mono_us();
		int64_t wait_us;
		int n;

		if (!t->draining && t->opts->duration_us > 0 && now_us >= job->start_mono_us + t->opts->duration_us)
			t->draining = 1;
		if (!t->stopping && t->opts->rate_per_s > 0 && start_due(t, now_us, err) != 0)
			return -1;
		if (t->timer_due_us >= 0 && now_us >= t->timer_due_us) {
			/* One-shot, like a timerfd: libcurl sets the next one from inside the call. */
			t->timer_due_us = -1;
			curl_multi_socket_action(t->multi, CURL_SOCKET_TIMEOUT, 0, &running);
			if (drain_done(t, err) != 0)
				return -1;
			now_us = clock_mono_us();
		}
		if (t->in_flight == 0 && (t->opts->rate_per_s == 0 || t->stopping || t->started >= job->record_count))
			return 0;
		wait_us = next_wait_us(t, now_us);
		n = loop_epoll_wait(t->epfd, events, HTTP_EVENTS, wait_us);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return tl_errf(err, "epoll_wait: %s", strerror(errno));
		}
		for (int i = 0; i < n; i++) {
			int fd = events[i].data.fd;
			int flags = 0;
			struct fd_entry *entry;

			if (fd == client_stop_fd()) {
				t->stopping = 1;
				t->draining = 1;
				continue;
			}
			entry = fdtable_get(fd);
			if (entry != NULL && entry->unwanted) {
				/* libcurl no longer watches it (see on_socket): unregister now. */
				epoll_ctl(t->epfd, EPOLL_CTL_DEL, fd, NULL);
				entry->in_epoll = 0;
				entry->unwanted = 0;
				continue;
			}
			if (events[i].events & EPOLLIN)
				flags |= CURL_CSELECT_IN;
			if (events[i].events & EPOLLOUT)
				flags |= CURL_CSELECT_OUT;
			if (events[i].events & (EPOLLERR | EPOLLHUP))
				flags |= CURL_CSELECT_ERR;
			curl_multi_socket_action(t->multi, fd, flags, &running);
		}
		if (drain_done(t, err) != 0)
			return -1;
		if (t->stopping) {
			abort_in_flight(t);
			job->end_mono_us = clock_mono_us();
			return 0;
		}
	}
}

void *http_loop_run(void *arg)
{
	struct loop_job *job = arg;
	struct http_thread t;
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
