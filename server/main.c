/* main: tcplab-server: parse the options, open the listener, run the chosen discipline or engine, print the summary. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "clock.h"
#include "counters.h"
#include "disciplines.h"
#include "epoll_loop.h"
#include "listener.h"
#include "mhd_engine.h"
#include "opts.h"
#include "prefork.h"
#include "run.h"
#include "stop.h"
#include "summary.h"
#include "version.h"

/* What the stop hooks need: the run and the summary's facts. */
struct server_main {
	struct server_run run;
	struct mhd_engine mhd; /* --engine mhd */
	struct summary_info info;
	int64_t start_us;
};

/* Stop accepting: wake the accept()s (shutdown of the listener) or the event loop, or quiesce libmicrohttpd. */
static void on_stop(void *arg)
{
	struct server_main *m = arg;

	if (m->run.opts->engine == ENGINE_MHD)
		mhd_engine_quiesce(&m->mhd);
	if (m->run.listen_fd >= 0)
		shutdown(m->run.listen_fd, SHUT_RD);
	if (m->run.wake_fd >= 0)
		eventfd_write(m->run.wake_fd, 1);
}

/* Print the summary and end the process, whatever other threads are still doing. */
static void on_finish(void *arg)
{
	struct server_main *m = arg;

	m->info.elapsed_us = clock_mono_us() - m->start_us;
	summary_print(stdout, &m->info);
	fflush(stderr);
	/* _exit: threads may still be inside a handler; atexit work racing them would gain nothing. */
	_exit(0);
}

static void print_startup(const struct server_opts *opts, long somaxconn, long effective_backlog)
{
	char discipline[64];

	if (somaxconn >= 0 && somaxconn < opts->backlog)
		fprintf(stderr, "tcplab-server: warning: backlog %ld > net.core.somaxconn %ld: the kernel truncates it to %ld\n",
			opts->backlog, somaxconn, somaxconn);
	if (opts->quiet)
		return;
	opts_format_discipline(opts, discipline, sizeof(discipline));
	fprintf(stderr, "tcplab-server: listening on %s, backlog %ld (effective %ld, somaxconn %ld), discipline %s, "
			"engine %s, pid %d\n",
		opts->listen_text, opts->backlog, effective_backlog, somaxconn, discipline,
		opts_engine_name(opts->engine), (int)getpid());
}

/* Run the single-process disciplines (and the mhd engine) until on_finish ends the process. */
static int run_in_process(struct server_main *m, struct tl_err *err)
{
	const struct server_opts *opts = m->run.opts;
	struct stop_hooks hooks = { .on_stop = on_stop, .on_finish = on_finish, .arg = m };

	if (opts->engine == ENGINE_NATIVE && opts->discipline == DISC_EPOLL) {
		m->run.wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		if (m->run.wake_fd < 0)
			return tl_errf(err, "eventfd: cannot create the stop wake-up");
	}
	if (stop_watcher_start(opts->duration_us, &hooks, err) != 0)
		return -1;
	if (opts->engine == ENGINE_NATIVE) {
		switch (opts->discipline) {
		case DISC_SERIAL:
		case DISC_PAUSE:
			discipline_serial(&m->run);
			break;
		case DISC_THREADS:
			discipline_threads(&m->run);
			break;
		case DISC_ACCEPTORS:
			if (discipline_acceptors_start(&m->run, err) != 0)
				return -1;
			break;
		case DISC_EPOLL:
			if (epoll_loop_run(&m->run, err) != 0)
				return -1;
			break;
		case DISC_NONE:
			/* The point of "none": connections wait in the accept queue until the end. */
			break;
		case DISC_PREFORK:
			return tl_errf(err, "internal: prefork reached the in-process runner");
		}
	}
	stop_watcher_join();
	return 0;
}

int main(int argc, char **argv)
{
	static struct server_opts opts;
	static struct server_main m;
	enum opts_action action = OPTS_RUN;
	struct tl_err err;
	size_t nslots;

	if (opts_parse(argc, argv, &opts, &action, &err) != 0) {
		fprintf(stderr, "tcplab-server: %s\n", err.msg);
		return 2;
	}
	switch (action) {
	case OPTS_HELP:
		opts_print_help(stdout);
		return 0;
	case OPTS_VERSION:
		printf("tcplab-server %s\n", tl_version());
		return 0;
	case OPTS_CHECK:
		return 0;
	case OPTS_RUN:
		break;
	}
	/* The handle time is a sleep: without this every sleep may overshoot by the default 50 us of timer
	 * slack, which the grid would count as server overhead. Threads and children inherit it. */
	prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);
	nslots = (opts.engine == ENGINE_NATIVE && opts.discipline == DISC_PREFORK) ? (size_t)opts.workers : 1;
	m.run = (struct server_run){ .opts = &opts, .listen_fd = -1, .wake_fd = -1 };
	m.run.slot = counters_create(nslots, &err);
	if (m.run.slot == NULL)
		goto fail;
	m.info = (struct summary_info){ .opts = &opts, .slots = m.run.slot, .nslots = nslots };
	/* Read in this process's network namespace: the one whose limit applies to our listen(). */
	m.info.somaxconn = listener_read_somaxconn();
	m.info.effective_backlog = listener_effective_backlog(opts.backlog, m.info.somaxconn);
	/* Before any thread or child exists, so all of them inherit the blocked end signals. */
	stop_block_signals();
	if (opts.engine == ENGINE_MHD) {
		if (mhd_engine_start(&m.mhd, &m.run, &err) != 0)
			goto fail;
	} else {
		m.run.listen_fd = listener_open(&opts.listen_addr, opts.listen_text, opts.backlog,
						opts.discipline == DISC_PREFORK && opts.reuseport,
						opts.discipline == DISC_EPOLL, &err);
		if (m.run.listen_fd < 0)
			goto fail;
	}
	m.start_us = clock_mono_us();
	print_startup(&opts, m.info.somaxconn, m.info.effective_backlog);
	if (opts.engine == ENGINE_NATIVE && opts.discipline == DISC_PREFORK) {
		int rc = prefork_run(&opts, m.run.listen_fd, m.run.slot, &err);

		m.info.elapsed_us = clock_mono_us() - m.start_us;
		summary_print(stdout, &m.info);
		if (rc != 0)
			goto fail;
		return 0;
	}
	if (run_in_process(&m, &err) != 0)
		goto fail;
	return 0;
fail:
	fprintf(stderr, "tcplab-server: %s\n", err.msg);
	return 1;
}
