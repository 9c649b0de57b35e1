/* run: splits workers and records over threads, starts them together and measures the wall time. */
#include "run.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fdtable.h"
#include "loop.h"
#include "stop.h"

/* Room for stdio, epoll, eventfd and libcurl's own descriptors next to the sockets. */
#define RUN_SPARE_FDS 64

size_t run_fds_needed(const struct client_opts *opts, long max_workers)
{
	/* Open loop: as many in flight as the target lets pile up; the hard limit is the budget. */
	if (opts->rate_per_s > 0)
		return RUN_SPARE_FDS;
	return (size_t)max_workers + RUN_SPARE_FDS;
}

int run_prepare(size_t fd_limit, struct tl_err *err)
{
	if (client_stop_init(err) != 0)
		return -1;
	return fdtable_init(fd_limit, err);
}

static size_t run_record_count(const struct client_opts *opts)
{
	if (opts->rate_per_s > 0)
		return (size_t)llround((double)opts->rate_per_s * (double)opts->duration_us / 1e6);
	return (size_t)opts->concurrency * (size_t)opts->requests;
}

int64_t run_planned_connections(const struct client_opts *opts)
{
	int64_t sum = 0;

	/* A flood's SYNs come from a raw socket: its only connections are the probes (an open loop or none). */
	if (opts->mode == MODE_SYNFLOOD && opts->rate_per_s == 0)
		return 0;
	if (opts->mode == MODE_HTTP && opts->keepalive)
		return -1;
	for (size_t i = 0; i < opts->grid_count; i++)
		sum += (int64_t)opts->grid[i] * (opts->grid_total / opts->grid[i]);
	if (opts->grid_count > 0)
		return sum;
	if (opts->rate_per_s == 0 && opts->duration_us > 0)
		return -1;
	return (int64_t)run_record_count(opts);
}

/* Give each thread its workers (closed loop) or its share of the starts (open loop), and its record slice. */
static void plan_jobs(const struct client_opts *opts, struct conn_record *records, size_t record_count,
		      size_t *worker_used, struct loop_job *jobs, unsigned threads, struct start_gate *gate)
{
	size_t base = 0;

	for (unsigned i = 0; i < threads; i++) {
		struct loop_job *job = &jobs[i];

		memset(job, 0, sizeof(*job));
		job->opts = opts;
		job->thread_index = i;
		job->thread_count = threads;
		job->gate = gate;
		if (opts->rate_per_s > 0) {
			job->record_count = i < record_count ? (record_count - i + threads - 1) / threads : 0;
		} else {
			size_t first = (size_t)opts->concurrency * i / threads;
			size_t last = (size_t)opts->concurrency * (i + 1) / threads;

			job->worker_first = (uint32_t)first;
			job->worker_count = (uint32_t)(last - first);
			job->worker_used = worker_used + first;
			job->record_count = job->worker_count * (size_t)opts->requests;
		}
		job->records = records + base;
		base += job->record_count;
	}
}

/*
 * Keep only the records that were started, in one dense array: a closed loop planned R per worker and a run
 * cut short by --duration or a signal may have used few of them. Summaries and record files then walk (and
 * page in) what was used, not the whole plan.
 */
static void compact_records(const struct client_opts *opts, struct run_result *result, const struct loop_job *jobs,
			    unsigned threads)
{
	struct conn_record *dst = result->records;

	for (unsigned i = 0; i < threads; i++) {
		const struct loop_job *job = &jobs[i];

		if (opts->rate_per_s > 0) {
			memmove(dst, job->records, job->open_used * sizeof(*dst));
			dst += job->open_used;
			continue;
		}
		for (uint32_t w = 0; w < job->worker_count; w++) {
			size_t n = job->worker_used[w];

			memmove(dst, job->records + (size_t)w * (size_t)opts->requests, n * sizeof(*dst));
			dst += n;
		}
	}
	result->record_count = (size_t)(dst - result->records);
}

int run_execute(const struct client_opts *opts, struct run_result *result, struct tl_err *err)
{
	/* A flood without probes has no connections of its own: no event-loop thread at all. */
	unsigned threads = opts->mode == MODE_SYNFLOOD && opts->rate_per_s == 0 ? 0 : (unsigned)opts->threads;
	struct synflood flood;
	struct loop_job *jobs;
	size_t *worker_used;
	pthread_t *tids;
	struct start_gate gate;
	unsigned created = 0;
	int64_t first_start = 0, last_end = 0;
	int rc = 0;

	memset(result, 0, sizeof(*result));
	result->record_count = run_record_count(opts);
	result->records = calloc(result->record_count ? result->record_count : 1, sizeof(result->records[0]));
	jobs = calloc(threads ? threads : 1, sizeof(jobs[0]));
	tids = calloc(threads ? threads : 1, sizeof(tids[0]));
	worker_used = calloc(opts->concurrency > 0 ? (size_t)opts->concurrency : 1, sizeof(worker_used[0]));
	if (result->records == NULL || jobs == NULL || tids == NULL || worker_used == NULL) {
		free(jobs);
		free(tids);
		free(worker_used);
		run_result_free(result);
		return tl_errf(err, "out of memory for %zu connection records", result->record_count);
	}
	if (opts->mode == MODE_SYNFLOOD && synflood_open(&flood, opts, err) != 0) {
		free(jobs);
		free(tids);
		free(worker_used);
		run_result_free(result);
		return -1;
	}
	start_gate_init(&gate);
	plan_jobs(opts, result->records, result->record_count, worker_used, jobs, threads, &gate);
	for (; created < threads; created++) {
		void *(*body)(void *) =
			opts->mode == MODE_HTTP && opts->engine == ENGINE_CURL ? http_loop_run : connect_loop_run;

		if (pthread_create(&tids[created], NULL, body, &jobs[created]) != 0)
			break;
	}
	/* The flood starts with the probes: they see the SYN queue as it fills. */
	if (opts->mode == MODE_SYNFLOOD && created == threads && synflood_start(&flood, err) != 0)
		rc = -1;
	start_gate_open(&gate, created, created < threads || rc != 0);
	for (unsigned i = 0; i < created; i++)
		pthread_join(tids[i], NULL);
	if (created < threads)
		rc = tl_errf(err, "could not create event-loop thread %u of %u", created + 1, threads);
	if (opts->mode == MODE_SYNFLOOD) {
		struct tl_err flood_err;

		if (synflood_finish(&flood, &flood_err) != 0 && rc == 0) {
			*err = flood_err;
			rc = -1;
		}
		result->flood = flood.stats;
	}
	for (unsigned i = 0; i < created && rc == 0; i++) {
		if (jobs[i].failed) {
			*err = jobs[i].err;
			rc = tl_err_wrap(err, "thread %u", i);
			break;
		}
		if (i == 0 || jobs[i].start_mono_us < first_start)
			first_start = jobs[i].start_mono_us;
		if (i == 0 || jobs[i].end_mono_us > last_end)
			last_end = jobs[i].end_mono_us;
	}
	if (rc == 0)
		compact_records(opts, result, jobs, created);
	free(jobs);
	free(tids);
	free(worker_used);
	if (rc != 0) {
		run_result_free(result);
		return rc;
	}
	result->wall_us = created > 0 ? last_end - first_start : result->flood.elapsed_us;
	result->interrupted = client_stop_requested();
	records_estimate_syn(result->records, result->record_count);
	return 0;
}

void run_result_free(struct run_result *result)
{
	free(result->records);
	result->records = NULL;
	result->record_count = 0;
}
