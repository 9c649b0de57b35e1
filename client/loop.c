/* loop: open-loop pacing and the start barrier, shared by the HTTP and connect loops. */
#include "loop.h"

#include "clock.h"

int64_t loop_due_us(const struct loop_job *job, size_t k)
{
	/* Threads interleave: global start number g = k * threads + thread, due at g / rate. */
	double g = (double)k * job->thread_count + job->thread_index;

	return (int64_t)(g * 1e6 / (double)job->opts->rate_per_s);
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
	job->start_mono_us = clock_mono_us();
	job->end_mono_us = job->start_mono_us;
	return abandon ? -1 : 0;
}
