/* exec: run helper programs (ip, ss, nstat) and lab programs, optionally inside a network namespace. */
#ifndef TL_EXEC_H
#define TL_EXEC_H

#include <stddef.h>
#include <sys/types.h>

#include "tl_err.h"

/* Run argv (PATH lookup, no shell) with stdin_text on its stdin; capture stdout+stderr (truncated to cap); killed
 * and an error after 60 s, and an error when it cannot be started. */
int exec_capture(char *const argv[], const char *stdin_text, char *output, size_t cap, int *wait_status,
		 struct tl_err *err);

/* exec_capture with argv run inside the namespace netns_fd (-1: ours). */
int exec_capture_netns(int netns_fd, char *const argv[], const char *stdin_text, char *output, size_t cap,
		       int *wait_status, struct tl_err *err);

/* Whom a spawned program runs as: another user than the one starting it (tcplab-agent --program-user). */
struct exec_user {
	uid_t uid;
	gid_t gid;
};

/* Start argv inside the namespace netns_fd (-1: ours) in its own process group, stdout/stderr to files
 * (NULL: /dev/null, opened before the user changes); the child dies with the controller. With user (NULL:
 * ours) it runs as that user (caps_become); with lend_net_raw the child, and it alone, executes with
 * CAP_NET_RAW (caps_lend_net_raw). */
int exec_spawn(int netns_fd, char *const argv[], const char *stdout_path, const char *stderr_path,
	       const struct exec_user *user, int lend_net_raw, pid_t *pid, struct tl_err *err);

/* Run argv inside netns_fd with stdout to the new file out_path and wait for it; fails unless it exits 0. */
int exec_to_file(int netns_fd, char *const argv[], const char *out_path, struct tl_err *err);

#endif
