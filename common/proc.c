/* proc: run one program to its end with no shell: input, captured output or a file, a time limit, how it ended. */
#include "proc.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/pidfd.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "clock.h"

/* What failed in the child before its program ran, sent to the parent through a close-on-exec pipe. */
struct child_failure {
	int stage; /* one of the STAGE_ values */
	int errnum;
};

enum { STAGE_OUTPUT, STAGE_STDIO, STAGE_SETNS, STAGE_CHDIR, STAGE_EXEC };

static const char *const stage_text[] = { "creating its output file", "setting up its input and output",
					  "entering the network namespace", "entering its folder", "exec" };

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

static void close_all(int *fds, size_t n)
{
	for (size_t i = 0; i < n; i++)
		close_fd(&fds[i]);
}

static __attribute__((noreturn)) void child_fail(int report_fd, int stage)
{
	struct child_failure f = { .stage = stage, .errnum = errno };

	if (write(report_fd, &f, sizeof(f)) < 0)
		_exit(127);
	_exit(127);
}

void proc_child_setup(pid_t parent)
{
	sigset_t none;

	/* Its own process group, so that whatever it starts ends with it; dies with the process that runs it;
	 * signals as a fresh program expects them. */
	setpgid(0, 0);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(127);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
}

/* In the child: wire stdin, stdout and stderr, enter the namespace and folder, exec. Never returns. */
static __attribute__((noreturn)) void child_exec(const struct proc_spec *spec, pid_t parent, int in_fd, int out_fd,
						 int report_fd)
{
	int null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	int file_fd = -1;

	proc_child_setup(parent);
	if (spec->out_path != NULL) {
		file_fd = open(spec->out_path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
		if (file_fd < 0)
			child_fail(report_fd, STAGE_OUTPUT);
	}
	if (null_fd < 0 || dup2(in_fd >= 0 ? in_fd : null_fd, STDIN_FILENO) < 0)
		child_fail(report_fd, STAGE_STDIO);
	if (file_fd >= 0) {
		if (dup2(file_fd, STDOUT_FILENO) < 0 || dup2(spec->stderr_null ? null_fd : file_fd, STDERR_FILENO) < 0)
			child_fail(report_fd, STAGE_STDIO);
	} else {
		int stdout_fd = spec->stdout_null ? null_fd : out_fd;

		if (dup2(stdout_fd >= 0 ? stdout_fd : null_fd, STDOUT_FILENO) < 0 ||
		    dup2(out_fd >= 0 ? out_fd : null_fd, STDERR_FILENO) < 0)
			child_fail(report_fd, STAGE_STDIO);
	}
	if (spec->netns_fd >= 0 && setns(spec->netns_fd, CLONE_NEWNET) != 0)
		child_fail(report_fd, STAGE_SETNS);
	if (spec->dir != NULL && chdir(spec->dir) != 0)
		child_fail(report_fd, STAGE_CHDIR);
	execvp(spec->argv[0], spec->argv);
	child_fail(report_fd, STAGE_EXEC);
}

/* Keep what fits of a chunk of output, from the beginning: the first lines say what went wrong. */
static void keep_output(const struct proc_spec *spec, size_t *used, const char *chunk, size_t n)
{
	size_t take;

	if (spec->output == NULL || spec->output_cap == 0 || *used + 1 >= spec->output_cap)
		return;
	take = n < spec->output_cap - 1 - *used ? n : spec->output_cap - 1 - *used;
	memcpy(spec->output + *used, chunk, take);
	*used += take;
	spec->output[*used] = '\0';
}

/* Milliseconds left until deadline_us for poll(), -1 without a deadline, 0 once passed. */
static int poll_ms_left(int64_t deadline_us)
{
	int64_t left_us;

	if (deadline_us == 0)
		return -1;
	left_us = deadline_us - clock_mono_us();
	if (left_us <= 0)
		return 0;
	return left_us / 1000 >= 1000000 ? 1000000 : (int)((left_us + 999) / 1000);
}

/* After the program exits, its output is read this much longer: a process it left behind may hold the pipe. */
#define DRAIN_AFTER_EXIT_US 200000
/* Without a pidfd (kernels before 5.3, some seccomp profiles) the exit is looked for this often. */
#define EXIT_CHECK_MS 10

/* Whether the child has exited, without reaping it (its pid stays reserved for the group kill). */
static int child_exited(pid_t pid)
{
	siginfo_t info;

	memset(&info, 0, sizeof(info));
	return waitid(P_PID, (id_t)pid, &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == pid;
}

/*
 * Feed stdin and keep the output until the child has exited and its output is drained (or, after its exit,
 * DRAIN_AFTER_EXIT_US has passed), or until the deadline: returns 1 when the deadline came first.
 */
static int pump(const struct proc_spec *spec, pid_t pid, int in_fd, int out_fd, int64_t deadline_us)
{
	const char *text = spec->stdin_text;
	size_t text_len = text != NULL ? strlen(text) : 0;
	int pidfd = pidfd_open(pid, 0);
	int64_t drain_until_us = 0;
	size_t written = 0;
	size_t used = 0;
	int exited = 0;

	if (spec->output != NULL && spec->output_cap > 0)
		spec->output[0] = '\0';
	if (in_fd >= 0 && text_len == 0)
		close_fd(&in_fd);
	for (;;) {
		struct pollfd p[3] = { { .fd = in_fd, .events = POLLOUT },
				       { .fd = out_fd, .events = POLLIN },
				       { .fd = exited ? -1 : pidfd, .events = POLLIN } };
		int64_t now_us = clock_mono_us();
		int ms = poll_ms_left(deadline_us);
		int r;

		if (exited && (out_fd < 0 || now_us >= drain_until_us))
			break;
		if (ms == 0 && !exited)
			break;
		if (exited) {
			int left = (int)((drain_until_us - now_us + 999) / 1000);

			ms = ms < 0 || left < ms ? left : ms;
		} else if (pidfd < 0 && (ms < 0 || ms > EXIT_CHECK_MS)) {
			ms = EXIT_CHECK_MS;
		}
		r = poll(p, 3, ms);
		if (r < 0 && errno != EINTR)
			break;
		if (!exited && (pidfd >= 0 ? r > 0 && (p[2].revents & POLLIN) : child_exited(pid))) {
			exited = 1;
			drain_until_us = clock_mono_us() + DRAIN_AFTER_EXIT_US;
		}
		if (r <= 0)
			continue;
		if (in_fd >= 0 && (p[0].revents & (POLLOUT | POLLERR | POLLHUP))) {
			ssize_t w = write(in_fd, text + written, text_len - written);

			if (w > 0)
				written += (size_t)w;
			/* A program that stops reading its input shows it in its exit status. */
			if ((w < 0 && errno != EINTR && errno != EAGAIN) || written == text_len)
				close_fd(&in_fd);
		}
		if (out_fd >= 0 && (p[1].revents & (POLLIN | POLLERR | POLLHUP))) {
			char chunk[4096];
			ssize_t n = read(out_fd, chunk, sizeof(chunk));

			if (n < 0 && (errno == EINTR || errno == EAGAIN))
				continue;
			if (n <= 0)
				close_fd(&out_fd);
			else
				keep_output(spec, &used, chunk, (size_t)n);
		}
	}
	close_fd(&in_fd);
	close_fd(&out_fd);
	close_fd(&pidfd);
	return !exited;
}

/* Kill what is left of the child's process group (all of it on a timeout), then reap the child. */
static void reap(pid_t pid, int timed_out, int *wait_status)
{
	/* The child leads its own group: whatever it started goes too, so nothing outlives the run. */
	kill(-pid, SIGKILL);
	if (timed_out)
		kill(pid, SIGKILL);
	while (waitpid(pid, wait_status, 0) < 0 && errno == EINTR)
		;
}

int proc_run(const struct proc_spec *spec, struct proc_result *res, struct tl_err *err)
{
	/* stdin, output and failure-report pipes: read end, write end each. */
	int fds[6] = { -1, -1, -1, -1, -1, -1 };
	int64_t deadline_us = spec->timeout_us > 0 ? clock_mono_us() + spec->timeout_us : 0;
	int capture = spec->out_path == NULL;
	struct child_failure failure;
	pid_t parent = getpid();
	ssize_t got;
	pid_t pid;

	memset(res, 0, sizeof(*res));
	if ((spec->stdin_text != NULL && pipe2(&fds[0], O_CLOEXEC) != 0) ||
	    (capture && pipe2(&fds[2], O_CLOEXEC) != 0) || pipe2(&fds[4], O_CLOEXEC) != 0) {
		tl_errf(err, "running %s: pipe: %s", spec->argv[0], strerror(errno));
		close_all(fds, 6);
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		tl_errf(err, "running %s: fork: %s", spec->argv[0], strerror(errno));
		close_all(fds, 6);
		return -1;
	}
	if (pid == 0)
		child_exec(spec, parent, fds[0], fds[3], fds[5]);
	setpgid(pid, pid);
	close_fd(&fds[0]);
	close_fd(&fds[3]);
	close_fd(&fds[5]);
	if (fds[1] >= 0)
		fcntl(fds[1], F_SETFL, O_NONBLOCK);
	res->timed_out = pump(spec, pid, fds[1], fds[2], deadline_us);
	fds[1] = fds[2] = -1;
	reap(pid, res->timed_out, &res->wait_status);
	do
		got = read(fds[4], &failure, sizeof(failure));
	while (got < 0 && errno == EINTR);
	close_fd(&fds[4]);
	if (got == (ssize_t)sizeof(failure) && failure.stage == STAGE_EXEC)
		return tl_errf(err, "cannot run %s: %s", spec->argv[0], strerror(failure.errnum));
	if (got == (ssize_t)sizeof(failure) && failure.stage >= 0 && failure.stage < STAGE_EXEC)
		return tl_errf(err, "cannot run %s: %s: %s", spec->argv[0], stage_text[failure.stage],
			       strerror(failure.errnum));
	return 0;
}

void proc_describe(const struct proc_result *res, int64_t timeout_us, char *buf, size_t len)
{
	if (res->timed_out)
		snprintf(buf, len, "did not finish within %lld s", (long long)(timeout_us / 1000000));
	else if (WIFEXITED(res->wait_status))
		snprintf(buf, len, "exit status %d", WEXITSTATUS(res->wait_status));
	else if (WIFSIGNALED(res->wait_status))
		snprintf(buf, len, "killed by signal %d (%s)", WTERMSIG(res->wait_status),
			 strsignal(WTERMSIG(res->wait_status)));
	else
		snprintf(buf, len, "wait status %d", res->wait_status);
}

int proc_succeeded(const struct proc_result *res)
{
	return !res->timed_out && WIFEXITED(res->wait_status) && WEXITSTATUS(res->wait_status) == 0;
}
