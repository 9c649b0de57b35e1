/* loop: what one event-loop thread is given (its workers and record slice) and the two loop kinds. */
#ifndef TL_CLIENT_LOOP_H
#define TL_CLIENT_LOOP_H

#include <pthread.h>
#include <sys/epoll.h>
#include <stddef.h>
#include <stdint.h>

#include "opts.h"
#include "record.h"
#include "tl_err.h"

/* Every thread sets up (easy handles, slots) before the clock starts; main opens the gate. */
struct start_gate {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	unsigned ready;  /* threads done with their setup */
	int go;          /* the gate is open */
	int abandon;     /* the run is called off (a thread could not be created) */
};

struct loop_job {
	const struct client_opts *opts;
	struct conn_record *records; /* this thread's slice of the run's records */
	size_t record_count;
	uint32_t thread_index;
	uint32_t thread_count;
	uint32_t worker_first;       /* closed loop: this thread's workers are worker_first .. +worker_count-1 */
	uint32_t worker_count;
	struct start_gate *gate;
	size_t *worker_used;         /* out, closed loop: records each of this thread's workers started */
	size_t open_used;            /* out, open loop: records this thread started */
	int64_t start_mono_us;       /* out: when this thread started its first connection */
	int64_t start_wall_us;       /* out: the epoch time at start_mono_us (records derive wall times from it) */
	int64_t end_mono_us;         /* out: when its last connection ended */
	int failed;                  /* out: a runtime failure, described in err */
	struct tl_err err;
};

/* Open loop: when the k-th connection of this thread is due, in microseconds after the start. */
int64_t loop_due_us(const struct loop_job *job, size_t k);

/* Open loop: whether the thread's next start (it has started `started`) is due by now_us; every
 * connection scheduled inside the duration is started, however late the loop gets to it. */
int loop_open_due(const struct loop_job *job, size_t started, int64_t now_us);

/* Start a record: flags, worker, wall start, and how late it starts against intended_mono_us. */
void loop_record_begin(const struct loop_job *job, struct conn_record *rec, uint32_t worker, int64_t now_mono_us,
		       int64_t intended_mono_us);

/* epoll_pwait2 with a timeout in microseconds (-1: none); on kernels (or valgrind) without it, epoll_wait
 * with the timeout rounded up to a millisecond. Returns what they return, errno set. */
int loop_epoll_wait(int epfd, struct epoll_event *events, int max_events, int64_t wait_us);

/* Initialise a closed gate. */
void start_gate_init(struct start_gate *gate);

/* Main: wait until `threads` threads are ready, then open the gate (abandon = call the run off). */
void start_gate_open(struct start_gate *gate, unsigned threads, int abandon);

/* Thread: report ready, wait for the gate and record the start time; returns 0, or -1 when abandoned. */
int loop_start(struct loop_job *job);

/* HTTP mode thread body (libcurl multi, socket-action on epoll). */
void *http_loop_run(void *job);

/* Connect mode thread body (raw non-blocking connect on epoll); HTTP mode with --engine lean too. */
void *connect_loop_run(void *job);

#endif
