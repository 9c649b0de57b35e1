/* rusage_run: run a command and write the CPU time, peak RSS and wall time it (and its children) used. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long us_of(struct timeval tv)
{
	return (long long)tv.tv_sec * 1000000LL + tv.tv_usec;
}

static long long mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

/* Usage: rusage_run OUT_FILE COMMAND [ARG...]; OUT_FILE gets one line of key=value pairs; exit status is the
 * command's (128 + signal when a signal ended it). */
int main(int argc, char **argv)
{
	struct rusage ru;
	long long start_us, wall_us;
	FILE *out;
	pid_t pid;
	int status;

	if (argc < 3) {
		fprintf(stderr, "usage: rusage_run OUT_FILE COMMAND [ARG...]\n");
		return 2;
	}
	start_us = mono_us();
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "rusage_run: fork: %s\n", strerror(errno));
		return 2;
	}
	if (pid == 0) {
		execvp(argv[2], argv + 2);
		fprintf(stderr, "rusage_run: %s: %s\n", argv[2], strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			fprintf(stderr, "rusage_run: waitpid: %s\n", strerror(errno));
			return 2;
		}
	}
	wall_us = mono_us() - start_us;
	getrusage(RUSAGE_CHILDREN, &ru);
	out = fopen(argv[1], "w");
	if (out == NULL) {
		fprintf(stderr, "rusage_run: %s: %s\n", argv[1], strerror(errno));
		return 2;
	}
	fprintf(out, "user_us=%lld sys_us=%lld maxrss_kb=%ld wall_us=%lld\n", us_of(ru.ru_utime), us_of(ru.ru_stime),
		ru.ru_maxrss, wall_us);
	if (fclose(out) != 0)
		return 2;
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}
