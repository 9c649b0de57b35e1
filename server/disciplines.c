/* disciplines: serial, pause, threads and acceptors over blocking sockets. */
#include "disciplines.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "conn.h"
#include "listener.h"
#include "stop.h"

/* Stack of a connection thread: its 8 KiB head buffer and a few frames; the default 8 MiB would cap thread counts. */
#define CONN_THREAD_STACK_BYTES (256 * 1024)

/* After EMFILE/ENFILE/ENOBUFS/ENOMEM, wait this long: retrying at once would spin on the same failure. */
#define ACCEPT_BACKOFF_US 10000

int discipline_accept_next(const struct server_run *run)
{
	for (;;) {
		int fd = listener_accept(run->listen_fd, 0);

		if (fd >= 0) {
			counters_inc(&run->slot->accepted);
			return fd;
		}
		/* The stop shuts the listener down, which wakes accept() with EINVAL. */
		if (stop_requested())
			return -1;
		if (errno == EINVAL) {
			/*
			 * The listener was shut down: by another prefork child's stop on the shared
			 * socket, a moment before this process's own SIGTERM arrives. Not an error.
			 */
			stop_wait();
			return -1;
		}
		counters_error(run->slot, ERR_ACCEPT);
		if (listener_accept_error_is_transient(errno))
			continue;
		clock_sleep_us(ACCEPT_BACKOFF_US);
	}
}

void discipline_serial(const struct server_run *run)
{
	const struct server_opts *opts = run->opts;
	long since_pause = 0;
	int fd;

	while ((fd = discipline_accept_next(run)) >= 0) {
		conn_serve(run, fd);
		if (opts->discipline == DISC_PAUSE && ++since_pause >= opts->pause_every) {
			/* The accept queue fills while we sleep: that is the point of pause:K:DUR. */
			since_pause = 0;
			clock_sleep_us(opts->pause_us);
		}
	}
}

struct conn_job {
	const struct server_run *run;
	int fd;
};

static void *conn_thread(void *arg)
{
	struct conn_job job = *(struct conn_job *)arg;

	free(arg);
	conn_serve(job.run, job.fd);
	return NULL;
}

/* Attributes shared by every detached thread this file starts. */
static int detached_attr(pthread_attr_t *attr)
{
	int rc = pthread_attr_init(attr);

	if (rc != 0)
		return rc;
	pthread_attr_setdetachstate(attr, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(attr, CONN_THREAD_STACK_BYTES);
	return 0;
}

void discipline_threads(const struct server_run *run)
{
	pthread_attr_t attr;
	int fd;

	if (detached_attr(&attr) != 0) {
		/* Without attributes no thread can start: serve one at a time rather than not at all. */
		counters_error(run->slot, ERR_OTHER);
		discipline_serial(run);
		return;
	}
	while ((fd = discipline_accept_next(run)) >= 0) {
		struct conn_job *job = malloc(sizeof(*job));
		pthread_t tid;

		if (job != NULL) {
			job->run = run;
			job->fd = fd;
		}
		if (job == NULL || pthread_create(&tid, &attr, conn_thread, job) != 0) {
			/* Out of threads or memory: the connection is lost, and counted. */
			free(job);
			counters_error(run->slot, ERR_OTHER);
			listener_close_conn(fd, run->opts->close_style);
		}
	}
	pthread_attr_destroy(&attr);
}

static void *acceptor_thread(void *arg)
{
	const struct server_run *run = arg;
	int fd;

	while ((fd = discipline_accept_next(run)) >= 0)
		conn_serve(run, fd);
	return NULL;
}

int discipline_acceptors_start(const struct server_run *run, struct tl_err *err)
{
	pthread_attr_t attr;
	int rc = detached_attr(&attr);

	if (rc != 0)
		return tl_errf(err, "pthread_attr_init: %s", strerror(rc));
	for (long i = 0; i < run->opts->workers; i++) {
		pthread_t tid;

		rc = pthread_create(&tid, &attr, acceptor_thread, (void *)run);
		if (rc != 0) {
			pthread_attr_destroy(&attr);
			return tl_errf(err, "acceptor thread %ld of %ld: %s", i + 1, run->opts->workers, strerror(rc));
		}
	}
	pthread_attr_destroy(&attr);
	return 0;
}
