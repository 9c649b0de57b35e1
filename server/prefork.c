/* prefork: fork, forward the end signal, reap; children run the serial discipline. */
#include "prefork.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "disciplines.h"
#include "listener.h"
#include "run.h"
#include "stop.h"

/* Children drain for STOP_DRAIN_US; this much more lets them exit before they are killed. */
#define REAP_GRACE_US 500000

static void child_on_stop(void *arg)
{
	const struct server_run *run = arg;

	/* Wakes this process's accept(); on a shared socket it ends accepting for all, which is what the stop means. */
	shutdown(run->listen_fd, SHUT_RD);
}

static void child_on_finish(void *arg)
{
	(void)arg;
	_exit(0);
}

/* A child's whole life: serial serving on fd until the parent's SIGTERM. */
static void child_main(const struct server_opts *opts, int fd, struct counters *slot, pid_t parent)
{
	struct server_run run = { .opts = opts, .listen_fd = fd, .wake_fd = -1, .slot = slot };
	struct stop_hooks hooks = { .on_stop = child_on_stop, .on_finish = child_on_finish, .arg = &run };
	struct tl_err err;

	/* If the parent dies without forwarding a signal, the children must not linger. */
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() != parent)
		_exit(0);
	if (stop_watcher_start(0, &hooks, &err) != 0) {
		fprintf(stderr, "tcplab-server: prefork child %d: %s\n", (int)getpid(), err.msg);
		_exit(1);
	}
	discipline_serial(&run);
	stop_watcher_join();
	_exit(0);
}

/* Wait for SIGINT/SIGTERM, the deadline, or a child's death (then returns its pid via waitpid by the caller). */
static int wait_parent_signal(int64_t deadline_us)
{
	sigset_t set;
	struct timespec ts;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGCHLD);
	for (;;) {
		int sig;

		if (deadline_us == 0) {
			sig = sigwaitinfo(&set, NULL);
		} else {
			int64_t left_us = deadline_us - clock_mono_us();

			if (left_us <= 0)
				return 0;
			ts.tv_sec = left_us / 1000000;
			ts.tv_nsec = (left_us % 1000000) * 1000;
			sig = sigtimedwait(&set, NULL, &ts);
		}
		if (sig > 0)
			return sig;
		if (errno == EAGAIN)
			return 0;
	}
}

/* Reap children that have exited; returns how many were reaped, marking them in pids as 0. */
static int reap(pid_t *pids, long n, int report)
{
	int reaped = 0;
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		for (long i = 0; i < n; i++) {
			if (pids[i] != pid)
				continue;
			pids[i] = 0;
			reaped++;
			if (report && WIFEXITED(status))
				fprintf(stderr, "tcplab-server: prefork child %ld (pid %d) exited with status %d\n", i,
					(int)pid, WEXITSTATUS(status));
			else if (report && WIFSIGNALED(status))
				fprintf(stderr, "tcplab-server: prefork child %ld (pid %d) killed by signal %d\n", i,
					(int)pid, WTERMSIG(status));
		}
	}
	return reaped;
}

/* Forward SIGTERM by pid, give the children their drain time, then kill and reap what is left. */
static void stop_children(pid_t *pids, long n)
{
	int64_t give_up_us = clock_mono_us() + STOP_DRAIN_US + REAP_GRACE_US;
	long live = 0;

	for (long i = 0; i < n; i++) {
		if (pids[i] > 0) {
			kill(pids[i], SIGTERM);
			live++;
		}
	}
	while (live > 0 && clock_mono_us() < give_up_us) {
		live -= reap(pids, n, 0);
		if (live > 0)
			clock_sleep_us(5000);
	}
	for (long i = 0; i < n; i++) {
		if (pids[i] > 0) {
			kill(pids[i], SIGKILL);
			waitpid(pids[i], NULL, 0);
			pids[i] = 0;
		}
	}
}

/* Open the SO_REUSEPORT listeners of children 1..n-1 (child 0 has listen_fd). */
static int open_reuseport_fds(const struct server_opts *opts, int listen_fd, int *fds, struct tl_err *err)
{
	fds[0] = listen_fd;
	for (long i = 1; i < opts->workers; i++) {
		fds[i] = listener_open(&opts->listen_addr, opts->listen_text, opts->backlog, 1, 0, err);
		if (fds[i] < 0) {
			while (--i > 0)
				close(fds[i]);
			return tl_err_wrap(err, "SO_REUSEPORT listener %ld of %ld", i + 1, opts->workers);
		}
	}
	return 0;
}

int prefork_run(const struct server_opts *opts, int listen_fd, struct counters *slots, struct tl_err *err)
{
	long n = opts->workers;
	pid_t *pids = calloc((size_t)n, sizeof(*pids));
	int *fds = calloc((size_t)n, sizeof(*fds));
	pid_t parent = getpid();
	int64_t deadline_us = opts->duration_us > 0 ? clock_mono_us() + opts->duration_us : 0;
	int rc = 0;
	long live = 0;

	if (pids == NULL || fds == NULL) {
		free(pids);
		free(fds);
		return tl_errf(err, "out of memory for %ld children", n);
	}
	if (opts->reuseport) {
		if (open_reuseport_fds(opts, listen_fd, fds, err) != 0)
			goto out;
	} else {
		for (long i = 0; i < n; i++)
			fds[i] = listen_fd;
	}
	fflush(NULL); /* nothing buffered may be written twice by the children */
	for (long i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid < 0) {
			rc = tl_errf(err, "fork of child %ld of %ld: %s", i + 1, n, strerror(errno));
			break;
		}
		if (pid == 0) {
			/* Keep only this child's own socket: with SO_REUSEPORT each socket is one queue. */
			if (opts->reuseport) {
				for (long j = 0; j < n; j++)
					if (j != i)
						close(fds[j]);
			}
			child_main(opts, fds[i], &slots[i], parent);
		}
		pids[i] = pid;
		live++;
	}
	/* With SO_REUSEPORT the parent must not hold the sockets: only children's queues should exist. */
	if (opts->reuseport) {
		for (long i = 0; i < n; i++)
			close(fds[i]);
	}
	while (rc == 0 && live > 0) {
		int sig = wait_parent_signal(deadline_us);
		int gone;

		if (sig != SIGCHLD)
			break;
		gone = reap(pids, n, 1);
		if (gone > 0)
			rc = tl_errf(err, "%d prefork child(ren) ended before the stop", gone);
		live -= gone;
	}
	stop_children(pids, n);
out:
	free(pids);
	free(fds);
	return rc;
}
