/* exec: fork/exec with output capture, namespaces and process groups. */
#include "exec.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "caps.h"

static pid_t waitpid_eintr(pid_t pid, int *status)
{
	pid_t r;

	do
		r = waitpid(pid, status, 0);
	while (r < 0 && errno == EINTR);
	return r;
}

int exec_capture(char *const argv[], const char *stdin_text, char *output, size_t cap, int *wait_status,
		 struct tl_err *err)
{
	return exec_capture_netns(-1, argv, stdin_text, output, cap, wait_status, err);
}

int exec_capture_netns(int netns_fd, char *const argv[], const char *stdin_text, char *output, size_t cap,
		       int *wait_status, struct tl_err *err)
{
	int in_pipe[2];
	int out_pipe[2];
	size_t used = 0;
	pid_t pid;

	if (pipe2(in_pipe, O_CLOEXEC) != 0)
		return tl_errf(err, "pipe: %s", strerror(errno));
	if (pipe2(out_pipe, O_CLOEXEC) != 0) {
		close(in_pipe[0]);
		close(in_pipe[1]);
		return tl_errf(err, "pipe: %s", strerror(errno));
	}
	pid = fork();
	if (pid < 0) {
		close(in_pipe[0]);
		close(in_pipe[1]);
		close(out_pipe[0]);
		close(out_pipe[1]);
		return tl_errf(err, "fork: %s", strerror(errno));
	}
	if (pid == 0) {
		dup2(in_pipe[0], 0);
		dup2(out_pipe[1], 1);
		dup2(out_pipe[1], 2);
		if (netns_fd >= 0 && setns(netns_fd, CLONE_NEWNET) != 0) {
			dprintf(2, "setns for %s: %s\n", argv[0], strerror(errno));
			_exit(127);
		}
		execvp(argv[0], argv);
		dprintf(2, "cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(in_pipe[0]);
	close(out_pipe[1]);
	if (stdin_text != NULL) {
		size_t len = strlen(stdin_text);
		size_t done = 0;

		/* The commands are small (far below the pipe buffer); a failed write shows in the exit status. */
		while (done < len) {
			ssize_t w = write(in_pipe[1], stdin_text + done, len - done);
			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0)
				break;
			done += (size_t)w;
		}
	}
	close(in_pipe[1]);
	for (;;) {
		char scratch[512];
		char *dst = used + 1 < cap ? output + used : scratch;
		size_t room = used + 1 < cap ? cap - used - 1 : sizeof(scratch);
		ssize_t r = read(out_pipe[0], dst, room);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		if (dst != scratch)
			used += (size_t)r;
	}
	if (cap > 0)
		output[used < cap ? used : cap - 1] = '\0';
	close(out_pipe[0]);
	if (waitpid_eintr(pid, wait_status) < 0)
		return tl_errf(err, "waitpid %s: %s", argv[0], strerror(errno));
	return 0;
}

static void child_redirect(int target_fd, const char *path)
{
	int fd = open(path ? path : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fd < 0) {
		dprintf(2, "cannot open %s: %s\n", path ? path : "/dev/null", strerror(errno));
		_exit(127);
	}
	dup2(fd, target_fd);
}

int exec_spawn(int netns_fd, char *const argv[], const char *stdout_path, const char *stderr_path, int lend_net_raw,
	       pid_t *pid_out, struct tl_err *err)
{
	pid_t parent = getpid();
	pid_t pid = fork();

	if (pid < 0)
		return tl_errf(err, "fork for %s: %s", argv[0], strerror(errno));
	if (pid == 0) {
		sigset_t none;

		/* Our own process group: a Ctrl-C at the terminal reaches the controller, which stops us in order. */
		setpgid(0, 0);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(127);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGPIPE, SIG_DFL);
		child_redirect(2, stderr_path);
		child_redirect(1, stdout_path);
		if (netns_fd >= 0 && setns(netns_fd, CLONE_NEWNET) != 0) {
			dprintf(2, "setns: %s\n", strerror(errno));
			_exit(127);
		}
		if (lend_net_raw) {
			struct tl_err caps_err;

			if (caps_lend_net_raw(&caps_err) != 0) {
				dprintf(2, "cannot lend CAP_NET_RAW to %s: %s\n", argv[0], caps_err.msg);
				_exit(127);
			}
		}
		execvp(argv[0], argv);
		dprintf(2, "cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	setpgid(pid, pid);
	*pid_out = pid;
	return 0;
}

int exec_to_file(int netns_fd, char *const argv[], const char *out_path, struct tl_err *err)
{
	pid_t pid;
	int status;

	if (exec_spawn(netns_fd, argv, out_path, NULL, 0, &pid, err) != 0)
		return -1;
	if (waitpid_eintr(pid, &status) < 0)
		return tl_errf(err, "waitpid %s: %s", argv[0], strerror(errno));
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return tl_errf(err, "%s exited with status %d", argv[0], WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	return 0;
}
