/* test_scenario_bad: every malformed scenario and profile under tests/ is refused with the message its first line names. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
	if (real_bindir(bindir_buf, sizeof(bindir_buf)) != NULL)
		RUN(test_real_server_refusal);
	else
		printf("SKIP test_real_server_refusal: no tcplab-server and tcplab-client in the build's bin directory\n");
	fake_bindir_remove(&fake);
	return UNIT_END();
}
