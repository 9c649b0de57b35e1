/* proc: run one program to its end, with no shell: stdin text, output captured or sent to a file, a time limit,
 * and how it ended (exit status, signal, exec failure, timeout). The one runner every part of tcplab uses. */
#ifndef TL_PROC_H
#define TL_PROC_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "tl_err.h"

/* What to run and where its input and output go. Fields left 0/NULL take the defaults given. */
struct proc_spec {
	char *const *argv;      /* argv[0] looked up in PATH */
	int netns_fd;           /* enter this network namespace first; -1: stay (0 is a valid fd: set it) */
	const char *dir;        /* chdir here first; NULL: stay */
	const char *stdin_text; /* written to its stdin; NULL: /dev/null */
	const char *out_path;   /* stdout (and stderr) to this new file, 0644 (O_EXCL, no symlink); NULL: captured */
	int stdout_null;        /* with out_path NULL: stdout to /dev/null, only stderr captured */
	int stderr_null;        /* with out_path: stderr to /dev/null, the file holds stdout alone */
	char *output;           /* captured text, NUL-terminated, its beginning kept; NULL: discarded */
	size_t output_cap;
	int64_t timeout_us;     /* killed (SIGKILL) after this long; 0: no limit */
};

/* How it ended. */
struct proc_result {
	int wait_status; /* as waitpid gives it */
	int timed_out;   /* killed at the time limit */
};

/* In a child just forked by parent: its own process group, killed when parent dies (exits at once if it already
 * has), no blocked signals, SIGINT/SIGTERM/SIGPIPE at their defaults. Every runner's child starts with it. */
void proc_child_setup(pid_t parent);

/* Run spec's program and wait for it. Returns 0 once it ran (look at res: any exit status, a signal, a timeout),
 * -1 with err when it could not be started (fork, the output file, setns, chdir, exec: "cannot run X: ..."). */
int proc_run(const struct proc_spec *spec, struct proc_result *res, struct tl_err *err);

/* "exit status N", "signal N (name)" or "timed out after S s": how res says the program ended. */
void proc_describe(const struct proc_result *res, int64_t timeout_us, char *buf, size_t len);

/* Whether it exited with status 0 (not killed, not timed out). */
int proc_succeeded(const struct proc_result *res);

#endif
