/* test_proc: the one process runner: input, captured output, output files, folders, time limits, exec failures. */
#include "unit.h"

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "clock.h"
#include "proc.h"

static char tmpdir[] = "/tmp/tcplab-test.proc.XXXXXX";

/* Running, not a zombie waiting for its new parent to reap it. */
static int alive(int pid)
{
	char path[64], state = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	f = fopen(path, "r");
	if (f == NULL)
		return 0;
	if (fscanf(f, "%*d (%*[^)]) %c", &state) != 1)
		state = 0;
	fclose(f);
	return state != 0 && state != 'Z';
}

static int run(char *const argv[], struct proc_spec *spec, struct proc_result *res, struct tl_err *err)
{
	spec->argv = argv;
	return proc_run(spec, res, err);
}

static void test_capture_and_stdin(void)
{
	char out[64];
	char *cat[] = { "cat", NULL };
	char *sh_err[] = { "sh", "-c", "echo out; echo err >&2; exit 3", NULL };
	struct proc_spec spec = { .netns_fd = -1, .stdin_text = "hello\nworld\n", .output = out, .output_cap = sizeof(out) };
	struct proc_result res;
	struct tl_err err;

	CHECK(run(cat, &spec, &res, &err) == 0 && proc_succeeded(&res));
	CHECK_STR(out, "hello\nworld\n");
	/* stdout and stderr both captured; the exit status reported, not an error. */
	spec = (struct proc_spec){ .netns_fd = -1, .output = out, .output_cap = sizeof(out) };
	CHECK(run(sh_err, &spec, &res, &err) == 0 && !proc_succeeded(&res));
	CHECK(WIFEXITED(res.wait_status) && WEXITSTATUS(res.wait_status) == 3);
	CHECK(strstr(out, "out\n") != NULL && strstr(out, "err\n") != NULL);
	/* stdout to /dev/null: only stderr is kept. */
	spec.stdout_null = 1;
	CHECK(run(sh_err, &spec, &res, &err) == 0);
	CHECK_STR(out, "err\n");
}

static void test_output_is_cut_not_overrun(void)
{
	char out[8];
	char *seq[] = { "seq", "1", "100000", NULL };
	struct proc_spec spec = { .netns_fd = -1, .output = out, .output_cap = sizeof(out) };
	struct proc_result res;
	struct tl_err err;

	/* More output than fits: the beginning kept, the rest drained so the program is not blocked. */
	CHECK(run(seq, &spec, &res, &err) == 0 && proc_succeeded(&res));
	CHECK_STR(out, "1\n2\n3\n4");
}

static void test_big_stdin(void)
{
	size_t len = 1 << 20;
	char *text = malloc(len + 1);
	char out[32];
	char *wc[] = { "wc", "-c", NULL };
	struct proc_spec spec = { .netns_fd = -1, .output = out, .output_cap = sizeof(out) };
	struct proc_result res;
	struct tl_err err;

	if (text == NULL) {
		CHECK(text != NULL);
		return;
	}
	memset(text, 'x', len);
	text[len] = '\0';
	/* Far beyond a pipe's buffer: written as the program reads, never a deadlock. */
	spec.stdin_text = text;
	CHECK(run(wc, &spec, &res, &err) == 0 && proc_succeeded(&res));
	CHECK(strtol(out, NULL, 10) == (long)len);
	free(text);
}

static void test_file_and_folder(void)
{
	char path[128], link_path[128], out[64];
	char *pwd[] = { "sh", "-c", "pwd; echo hidden >&2", NULL };
	struct proc_spec spec = { .netns_fd = -1, .dir = tmpdir, .out_path = path };
	struct proc_result res;
	struct tl_err err;
	FILE *f;

	snprintf(path, sizeof(path), "%s/out.txt", tmpdir);
	CHECK(run(pwd, &spec, &res, &err) == 0 && proc_succeeded(&res));
	f = fopen(path, "r");
	CHECK(f != NULL);
	if (f != NULL) {
		size_t n = fread(out, 1, sizeof(out) - 1, f);

		out[n] = '\0';
		fclose(f);
		CHECK(strncmp(out, tmpdir, strlen(tmpdir)) == 0 && strstr(out, "hidden") != NULL);
	}
	/* The file must be new: an existing one, or a planted symlink, is refused before the program runs. */
	CHECK(run(pwd, &spec, &res, &err) == -1 && strstr(err.msg, "output file") != NULL);
	snprintf(link_path, sizeof(link_path), "%s/link.txt", tmpdir);
	CHECK(symlink("/tmp/tcplab-test.proc-elsewhere", link_path) == 0);
	spec.out_path = link_path;
	CHECK(run(pwd, &spec, &res, &err) == -1 && access("/tmp/tcplab-test.proc-elsewhere", F_OK) != 0);
	unlink(link_path);
	/* stderr_null: the file holds stdout alone. */
	CHECK(unlink(path) == 0);
	spec.out_path = path;
	spec.stderr_null = 1;
	CHECK(run(pwd, &spec, &res, &err) == 0);
	f = fopen(path, "r");
	if (f != NULL) {
		size_t n = fread(out, 1, sizeof(out) - 1, f);

		out[n] = '\0';
		fclose(f);
		CHECK(strstr(out, "hidden") == NULL);
	}
	unlink(path);
	/* A folder that does not exist. */
	spec = (struct proc_spec){ .netns_fd = -1, .dir = "/nonexistent-folder" };
	CHECK(run(pwd, &spec, &res, &err) == -1 && strstr(err.msg, "entering its folder") != NULL);
}

static void test_exec_failure_and_timeout(void)
{
	char *missing[] = { "/nonexistent/tcplab-program", NULL };
	char *sleeper[] = { "sleep", "10", NULL };
	char *quiet_sleeper[] = { "sh", "-c", "exec sleep 10 >/dev/null 2>&1", NULL };
	struct proc_spec spec = { .netns_fd = -1 };
	struct proc_result res;
	struct tl_err err;
	char how[96];
	int64_t start;

	CHECK(run(missing, &spec, &res, &err) == -1);
	CHECK(strstr(err.msg, "cannot run /nonexistent/tcplab-program: No such file") != NULL);
	/* Killed at the limit, whether it holds the output pipe open or not. */
	spec.timeout_us = 200000;
	start = clock_mono_us();
	CHECK(run(sleeper, &spec, &res, &err) == 0 && res.timed_out && !proc_succeeded(&res));
	CHECK(clock_mono_us() - start < 2000000);
	start = clock_mono_us();
	CHECK(run(quiet_sleeper, &spec, &res, &err) == 0 && res.timed_out);
	CHECK(clock_mono_us() - start < 2000000);
	/* A program that exits at once while something it started holds its output: it ended (no timeout), and
	 * what it started is gone too. */
	{
		char *leaves[] = { "sh", "-c", "sleep 30 & echo $! > /tmp/tcplab-test.proc-child; echo started", NULL };
		char out[32];
		struct proc_spec s2 = { .netns_fd = -1, .output = out, .output_cap = sizeof(out), .timeout_us = 5000000 };
		FILE *f;
		int child = 0;

		start = clock_mono_us();
		CHECK(run(leaves, &s2, &res, &err) == 0 && !res.timed_out && proc_succeeded(&res));
		CHECK(clock_mono_us() - start < 2000000 && strcmp(out, "started\n") == 0);
		f = fopen("/tmp/tcplab-test.proc-child", "r");
		CHECK(f != NULL && fscanf(f, "%d", &child) == 1 && child > 0);
		if (f != NULL)
			fclose(f);
		unlink("/tmp/tcplab-test.proc-child");
		for (int i = 0; i < 100 && child > 0 && alive(child); i++)
			usleep(10000);
		CHECK(child > 0 && !alive(child));
	}
	res = (struct proc_result){ .timed_out = 1 };
	proc_describe(&res, spec.timeout_us, how, sizeof(how));
	CHECK(strstr(how, "did not finish") != NULL);
	res = (struct proc_result){ .wait_status = SIGTERM };
	proc_describe(&res, 0, how, sizeof(how));
	CHECK(strstr(how, "signal 15") != NULL);
}

int main(void)
{
	if (mkdtemp(tmpdir) == NULL) {
		printf("FAIL mkdtemp\n");
		return 1;
	}
	RUN(test_capture_and_stdin);
	RUN(test_output_is_cut_not_overrun);
	RUN(test_big_stdin);
	RUN(test_file_and_folder);
	RUN(test_exec_failure_and_timeout);
	rmdir(tmpdir);
	return UNIT_END();
}
