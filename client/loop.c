/* loop: open-loop pacing and the start barrier, shared by the HTTP and connect loops. */
#include "loop.h"

#include <errno.h>
#include <time.h>

#include "clock.h"

int64_t loop_due_us(const struct loop_job *job, size_t k)
{
	/* Threads interleave: global start number g = k * threads + thread, due at g / rate. */
	double g = (double)k * job->thread_count + job->thread_index;

	return (int64_t)(g * 1e6 / (double)job->opts->rate_per_s);
}

int loop_open_due(const struct loop_job *job, size_t started, int64_t now_us)
{
	return job->opts->rate_per_s > 0 && started < job->record_count &&
	       job->start_mono_us + loop_due_us(job, started) <= now_us;
}

void loop_record_begin(const struct loop_job *job, struct conn_record *rec, uint32_t worker, int64_t now_mono_us,
		       int64_t intended_mono_us)
{
	rec->flags = RECORD_STARTED;
	rec->worker = worker;
	rec->start_wall_us = job->start_wall_us + (now_mono_us - job->start_mono_us);
	rec->late_us = now_mono_us > intended_mono_us ? now_mono_us - intended_mono_us : 0;
}

int loop_epoll_wait(int epfd, struct epoll_event *events, int max_events, int64_t wait_us)
{
	static int no_pwait2;
	struct timespec ts;
	int n;

	if (!no_pwait2) {
		ts.tv_sec = wait_us / 1000000;
		ts.tv_nsec = (wait_us % 1000000) * 1000;
		n = epoll_pwait2(epfd, events, max_events, wait_us < 0 ? NULL : &ts, NULL);
		if (n >= 0 || errno != ENOSYS)
			return n;
		no_pwait2 = 1;
	}
	return epoll_wait(epfd, events, max_events, wait_us < 0 ? -1 : (int)((wait_us + 999) / 1000));
}

void start_gate_init(struct start_gate *gate)
{
	pthread_mutex_init(&gate->lock, NULL);
	pthread_cond_init(&gate->cond, NULL);
	gate->ready = 0;
	gate->go = 0;
	gate->abandon = 0;
}

void start_gate_open(struct start_gate *gate, unsigned threads, int abandon)
{
	pthread_mutex_lock(&gate->lock);
	while (!abandon && gate->ready < threads)
		pthread_cond_wait(&gate->cond, &gate->lock);
	gate->go = 1;
	gate->abandon = abandon;
	pthread_cond_broadcast(&gate->cond);
	pthread_mutex_unlock(&gate->lock);
}

int loop_start(struct loop_job *job)
{
	struct start_gate *gate = job->gate;
	int abandon;

	pthread_mutex_lock(&gate->lock);
	gate->ready++;
	pthread_cond_broadcast(&gate->cond);
	while (!gate->go)
		pthread_cond_wait(&gate->cond, &gate->lock);
	abandon = gate->abandon;
	pthread_mutex_unlock(&gate->lock);
	job->start_wall_us = clock_wall_us();
	job->start_mono_us = clock_mono_us();
	job->end_mono_us = job->start_mono_us;
	return abandon ? -1 : 0;
}
