/* test_scenario_bad: every malformed scenario and profile under tests/ is refused with the message its first line names. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fake_programs.h"
#include "scenario/profile.h"
#include "scenario/scenario.h"
#include "unit.h"

#define BAD_SCENARIOS "tests/scenarios/bad"
#define BAD_PROFILES "tests/profiles/bad"
#define GOOD_PROFILES "tests/profiles/good"

static struct fake_bindir fake;
static int fake_ready;

/* The text after "# key: " on the first line that has it (line 1 for "expect"); 0 when absent. */
static int directive(const char *path, const char *key, int first_line_only, char *out, size_t len)
{
	char line[512];
	char prefix[64];
	FILE *f = fopen(path, "r");
	int found = 0;

	if (f == NULL)
		return 0;
	snprintf(prefix, sizeof(prefix), "# %s: ", key);
	while (!found && fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if (strncmp(line, prefix, strlen(prefix)) == 0) {
			snprintf(out, len, "%s", line + strlen(prefix));
			found = 1;
		}
		if (first_line_only)
			break;
	}
	fclose(f);
	return found;
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The .conf files of dir, sorted; returns how many (at most max). */
static size_t list_conf(const char *dir, char **names, size_t max)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t n = 0;

	if (d == NULL)
		return 0;
	while ((de = readdir(d)) != NULL && n < max) {
		size_t len = strlen(de->d_name);

		if (len > 5 && strcmp(de->d_name + len - 5, ".conf") == 0)
			names[n++] = strdup(de->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(names[0]), compare_names);
	return n;
}

/* Load one bad file and check that it fails with the expected text in its message. */
static void check_bad_file(const char *dir, const char *name, int is_scenario, const char *bindir)
{
	char path[512];
	char expect[400];
	char profiles[256];
	struct tl_err err = { "" };
	int rc;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (!directive(path, "expect", 1, expect, sizeof(expect))) {
		printf("FAIL %s: the first line must be '# expect: <part of the error>'\n", path);
		unit_failed++;
		return;
	}
	if (is_scenario) {
		struct scenario sc;

		if (!directive(path, "profiles", 0, profiles, sizeof(profiles)))
			snprintf(profiles, sizeof(profiles), "%s", GOOD_PROFILES);
		rc = scenario_load(path, profiles, bindir, &sc, &err);
		if (rc == 0)
			scenario_free(&sc);
	} else {
		struct profile p;

		rc = profile_load(path, &p, &err);
	}
	if (rc == 0) {
		printf("FAIL %s: loaded without error, expected '%s'\n", path, expect);
		unit_failed++;
	} else if (strstr(err.msg, expect) == NULL) {
		printf("FAIL %s:\n     expected: %s\n     got:      %s\n", path, expect, err.msg);
		unit_failed++;
	} else {
		printf("     %s\n", err.msg);
		unit_passed++;
	}
}

static size_t check_bad_dir(const char *dir, int is_scenario, const char *bindir)
{
	char *names[256];
	size_t n = list_conf(dir, names, sizeof(names) / sizeof(names[0]));

	for (size_t i = 0; i < n; i++) {
		check_bad_file(dir, names[i], is_scenario, bindir);
		free(names[i]);
	}
	return n;
}

static void test_bad_scenarios(void)
{
	CHECK(fake_ready);
	if (!fake_ready)
		return;
	CHECK(check_bad_dir(BAD_SCENARIOS, 1, fake.dir) >= 24);
}

static void test_bad_profiles(void)
{
	CHECK(check_bad_dir(BAD_PROFILES, 0, NULL) >= 12);
}

static void test_missing_files(void)
{
	struct tl_err err = { "" };
	struct scenario sc;
	struct profile p;

	CHECK(scenario_load("tests/scenarios/bad/no-such-file.conf", GOOD_PROFILES, NULL, &sc, &err) != 0);
	CHECK(strstr(err.msg, "no-such-file.conf: No such file or directory") != NULL);
	CHECK(profile_load("tests/profiles/good/no-such-profile.conf", &p, &err) != 0);
	CHECK(strstr(err.msg, "no-such-profile.conf: No such file or directory") != NULL);
	CHECK(profile_load("tests/profiles/good", &p, &err) != 0);
	CHECK(strstr(err.msg, "tests/profiles/good: not a regular file") != NULL);
}

/* A program that cannot be run is reported at the section it would serve. */
static void test_missing_program(void)
{
	struct tl_err err = { "" };
	struct scenario sc;

	CHECK(scenario_load("tests/scenarios/good/minimal.conf", GOOD_PROFILES, "/nonexistent-bindir", &sc, &err) != 0);
	CHECK(strstr(err.msg, "minimal.conf:6: [server] cannot run /nonexistent-bindir/tcplab-server: No such file") !=
	      NULL);
}

/* The same refusal, said by the real tcplab-server, lands on the same key and line. */
static void test_real_server_refusal(void)
{
	char buf[512];
	const char *bindir = real_bindir(buf, sizeof(buf));
	struct tl_err err = { "" };
	struct scenario sc;

	CHECK(scenario_load(BAD_SCENARIOS "/bad-discipline.conf", GOOD_PROFILES, bindir, &sc, &err) != 0);
	printf("     real programs: %s\n", err.msg);
	CHECK(strstr(err.msg, "bad-discipline.conf:10: [server] discipline: ") != NULL);
}

/* Write len bytes of text to dir/name; returns the path in a static buffer. */
static const char *write_fixture(const char *dir, const char *name, const char *text, size_t len)
{
	static char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (f == NULL)
		return path;
	fwrite(text, 1, len, f);
	fclose(f);
	return path;
}

/* A NUL byte inside a line is refused at its line, in a scenario and in a profile (it used to cut the line). */
static void test_nul_byte(const char *dir)
{
	static const char scenario[] = "[scenario]\nname = nul\ndescription = a\0hidden part\nduration = 1s\n";
	static const char profile[] = "net.core.somaxconn = 64\n\nnet.ipv4.tcp_syncookies = 1\0 2\n";
	struct tl_err err = { "" };
	struct scenario sc;
	struct profile p;
	const char *path;

	path = write_fixture(dir, "nul.conf", scenario, sizeof(scenario) - 1);
	CHECK(scenario_load(path, GOOD_PROFILES, NULL, &sc, &err) != 0);
	CHECK(strstr(err.msg, "nul.conf:3: the line holds a NUL byte") != NULL);
	path = write_fixture(dir, "nul-profile.conf", profile, sizeof(profile) - 1);
	CHECK(profile_load(path, &p, &err) != 0);
	CHECK(strstr(err.msg, "nul-profile.conf:3: the line holds a NUL byte") != NULL);
}

/* 200 KB of newlines, or a file larger than the limit, is refused by size before anything is kept per line. */
static void test_file_limits(const char *dir)
{
	size_t len = 200 * 1024;
	char *text = malloc(300 * 1024);
	struct tl_err err = { "" };
	struct scenario sc;
	struct profile p;
	const char *path;

	if (text == NULL)
		return;
	memset(text, '\n', len);
	path = write_fixture(dir, "newlines.conf", text, len);
	CHECK(scenario_load(path, GOOD_PROFILES, NULL, &sc, &err) != 0);
	CHECK(strstr(err.msg, "newlines.conf: 204800 lines, more than the 10000") != NULL);
	CHECK(profile_load(path, &p, &err) != 0);
	CHECK(strstr(err.msg, "lines, more than the 10000") != NULL);
	memset(text, ';', 300 * 1024);
	path = write_fixture(dir, "big.conf", text, 300 * 1024);
	CHECK(profile_load(path, &p, &err) != 0);
	CHECK(strstr(err.msg, "big.conf: 307200 bytes, more than the 262144") != NULL);
	free(text);
}

/* Memory stays proportional to the file: 9 999 lines (the most allowed, 10 KB) take far less than 4 MiB. */
static void test_memory_proportional(const char *dir)
{
	size_t len = 9999;
	char *text = malloc(len + 64);
	const char *path;
	pid_t pid;
	int status = -1;

	if (text == NULL)
		return;
	memset(text, '\n', len);
	len += (size_t)snprintf(text + len, 64, "net.core.somaxconn = 64\n");
	path = write_fixture(dir, "many-lines.conf", text, len - 1);
	free(text);
	/* In a child, so its peak resident size is this load's and nothing else's. */
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		struct rusage before, after;
		struct tl_err err = { "" };
		struct profile p;
		int rc;

		getrusage(RUSAGE_SELF, &before);
		rc = profile_load(path, &p, &err);
		getrusage(RUSAGE_SELF, &after);
		if (rc != 0)
			printf("     %s\n", err.msg);
		printf("     10000-line profile: peak resident size grew by %ld KiB\n", after.ru_maxrss - before.ru_maxrss);
		fflush(stdout);
		_exit(rc == 0 && p.count == 1 && after.ru_maxrss - before.ru_maxrss < 4096 ? 0 : 1);
	}
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static void test_input_limits(void)
{
	char dir[] = "/tmp/tcplab-test.XXXXXX";

	if (mkdtemp(dir) == NULL) {
		CHECK(!"mkdtemp");
		return;
	}
	test_nul_byte(dir);
	test_file_limits(dir);
	test_memory_proportional(dir);
	for (const char *const *n = (const char *const[]){ "nul.conf", "nul-profile.conf", "newlines.conf", "big.conf",
							   "many-lines.conf", NULL };
	     *n != NULL; n++) {
		char path[512];

		snprintf(path, sizeof(path), "%s/%s", dir, *n);
		unlink(path);
	}
	rmdir(dir);
}

/* A text value given on the command line (--set) carries no control character into run.json. */
static void test_text_controls(void)
{
	static const char *const bad[] = { "scenario.description=a\x1b[31mb", "server.discipline=serial\n",
					   "scenario.description=tab\there", "scenario.description=del\x7f" };
	struct scenario_override o;
	const struct scenario_key *key;
	struct scenario_value v;
	struct tl_err err;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK(scenario_override_parse(bad[i], &o, &err) == 0);
		CHECK(scenario_override_key(&o, &key, &err) == 0);
		CHECK(scenario_key_parse(key, o.value, &v, &err) == -1 && strstr(err.msg, "control character") != NULL);
	}
	CHECK(scenario_override_parse("scenario.description=plain text, ok", &o, &err) == 0 &&
	      scenario_override_key(&o, &key, &err) == 0 && scenario_key_parse(key, o.value, &v, &err) == 0);
}

int main(void)
{
	const char *srcdir = getenv("TCPLAB_SRCDIR");
	char bindir_buf[512];

	/* Fixture paths (and the paths inside the expected messages) are relative to the source tree. */
	if (srcdir != NULL && srcdir[0] != '\0' && chdir(srcdir) != 0) {
		printf("FAIL cannot enter TCPLAB_SRCDIR=%s\n", srcdir);
		return 1;
	}
	fake_ready = fake_bindir_create(&fake) == 0;
	RUN(test_bad_scenarios);
	RUN(test_bad_profiles);
	RUN(test_missing_files);
	RUN(test_missing_program);
	RUN(test_input_limits);
	RUN(test_text_controls);
	if (real_bindir(bindir_buf, sizeof(bindir_buf)) != NULL)
		RUN(test_real_server_refusal);
	else
		printf("SKIP test_real_server_refusal: no tcplab-server and tcplab-client in the build's bin directory\n");
	fake_bindir_remove(&fake);
	return UNIT_END();
}
