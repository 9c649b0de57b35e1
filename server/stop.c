/* stop: a watcher thread that owns the signals, and the drain of requests in progress. */
#include "stop.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>

#include "clock.h"

static atomic_int stop_flag;
static atomic_int inflight;
static pthread_mutex_t stop_mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t stop_cond = PTHREAD_COND_INITIALIZER;
static pthread_t watcher;
static int64_t watcher_duration_us;
static struct stop_hooks watcher_hooks;

void stop_block_signals(void)
{
	sigset_t set;

	/* Only the watcher receives the end signals (sigtimedwait), so no other thread is ever interrupted. */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGCHLD);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	/* A client that vanishes must give EPIPE on write, not kill the server. */
	signal(SIGPIPE, SIG_IGN);
}

/* Wait for SIGINT/SIGTERM, or until deadline_us on the monotonic clock (0 = no deadline). */
static void wait_for_end(int64_t deadline_us)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	for (;;) {
		struct timespec ts;
		int64_t left_us;
		int sig;

		if (deadline_us == 0) {
			sig = sigwaitinfo(&set, NULL);
		} else {
			left_us = deadline_us - clock_mono_us();
			if (left_us <= 0)
				return;
			ts.tv_sec = left_us / 1000000;
			ts.tv_nsec = (left_us % 1000000) * 1000;
			sig = sigtimedwait(&set, NULL, &ts);
		}
		if (sig == SIGINT || sig == SIGTERM)
			return;
		if (sig < 0 && errno == EAGAIN)
			return;
	}
}

static void *watcher_main(void *unused)
{
	int64_t deadline_us = 0;
	int64_t drain_end_us;

	(void)unused;
	if (watcher_duration_us > 0)
		deadline_us = clock_mono_us() + watcher_duration_us;
	wait_for_end(deadline_us);
	pthread_mutex_lock(&stop_mutex);
	atomic_store(&stop_flag, 1);
	pthread_cond_broadcast(&stop_cond);
	pthread_mutex_unlock(&stop_mutex);
	if (watcher_hooks.on_stop != NULL)
		watcher_hooks.on_stop(watcher_hooks.arg);
	drain_end_us = clock_mono_us() + STOP_DRAIN_US;
	while (atomic_load(&inflight) > 0 && clock_mono_us() < drain_end_us)
		clock_sleep_us(2000);
	watcher_hooks.on_finish(watcher_hooks.arg);
	return NULL;
}

int stop_watcher_start(int64_t duration_us, const struct stop_hooks *hooks, struct tl_err *err)
{
	int rc;

	watcher_duration_us = duration_us;
	watcher_hooks = *hooks;
	rc = pthread_create(&watcher, NULL, watcher_main, NULL);
	if (rc != 0)
		return tl_errf(err, "pthread_create (signal watcher): %s", strerror(rc));
	return 0;
}

void stop_watcher_join(void)
{
	pthread_join(watcher, NULL);
}

int stop_requested(void)
{
	return atomic_load(&stop_flag);
}

void stop_wait(void)
{
	pthread_mutex_lock(&stop_mutex);
	while (!atomic_load(&stop_flag))
		pthread_cond_wait(&stop_cond, &stop_mutex);
	pthread_mutex_unlock(&stop_mutex);
}

void stop_inflight_add(int delta)
{
	atomic_fetch_add(&inflight, delta);
}
