/* exec: the lab's commands (ip, ss, nstat) through the one runner (common/proc.c), and lab programs started in
 * the background in their namespace and process group. */
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
#include "proc.h"

/* ip, ss and nstat answer in milliseconds; one that takes this long is stuck. */
#define EXEC_TIMEOUT_US (60 * 1000000LL)

int exec_capture(char *const argv[], const char *stdin_text, char *output, size_t cap, int *wait_status,
		 struct tl_err *err)
{
	return exec_capture_netns(-1, argv, stdin_text, output, cap, wait_status, err);
}

int exec_capture_netns(int netns_fd, char *const argv[], const char *stdin_text, char *output, size_t cap,
		       int *wait_status, struct tl_err *err)
{
	struct proc_spec spec = { .argv = argv, .netns_fd = netns_fd, .stdin_text = stdin_text, .output = output,
				  .output_cap = cap, .timeout_us = EXEC_TIMEOUT_US };
	struct proc_result res;

	if (proc_run(&spec, &res, err) != 0)
		return -1;
	if (res.timed_out)
		return tl_errf(err, "%s did not finish within %lld s", argv[0], EXEC_TIMEOUT_US / 1000000);
	*wait_status = res.wait_status;
	return 0;
}

static void child_redirect(int target_fd, const char *path)
{
	/* A new file: nothing planted where the output goes (a link, a FIFO, another file) is written through. */
	int fd = open(path ? path : "/dev/null", O_WRONLY | O_CLOEXEC | (path ? O_CREAT | O_EXCL | O_NOFOLLOW : 0),
		      0644);

	if (fd < 0) {
		dprintf(2, "cannot open %s: %s\n", path ? path : "/dev/null", strerror(errno));
		_exit(127);
	}
	dup2(fd, target_fd);
}

int exec_spawn(int netns_fd, char *const argv[], const char *stdout_path, const char *stderr_path,
	       const struct exec_user *user, int lend_net_raw, pid_t *pid_out, struct tl_err *err)
{
	pid_t parent = getpid();
	pid_t pid = fork();

	if (pid < 0)
		return tl_errf(err, "fork for %s: %s", argv[0], strerror(errno));
	if (pid == 0) {
		/* Our own process group: a Ctrl-C at the terminal reaches the controller, which stops us in order. */
		proc_child_setup(parent);
		child_redirect(2, stderr_path);
		child_redirect(1, stdout_path);
		if (netns_fd >= 0 && setns(netns_fd, CLONE_NEWNET) != 0) {
			dprintf(2, "setns: %s\n", strerror(errno));
			_exit(127);
		}
		if (user != NULL) {
			struct tl_err user_err;

			if (caps_become(user->uid, user->gid, &user_err) != 0) {
				dprintf(2, "cannot run %s as %u:%u: %s\n", argv[0], (unsigned)user->uid,
					(unsigned)user->gid, user_err.msg);
				_exit(127);
			}
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
	struct proc_spec spec = { .argv = argv, .netns_fd = netns_fd, .out_path = out_path, .stderr_null = 1,
				  .timeout_us = EXEC_TIMEOUT_US };
	struct proc_result res;
	char how[96];

	if (proc_run(&spec, &res, err) != 0)
		return -1;
	if (!proc_succeeded(&res)) {
		proc_describe(&res, EXEC_TIMEOUT_US, how, sizeof(how));
		return tl_errf(err, "%s: %s", argv[0], how);
	}
	return 0;
}
