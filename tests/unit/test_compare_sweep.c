/* test_compare_sweep: --set axes, the grid of points, and scenarios loaded with keys replaced (and checked again). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fake_programs.h"
#include "run/sweep.h"
#include "scenario/scenario.h"
#include "unit.h"

#define GOOD "tests/scenarios/good"
#define GOOD_PROFILES "tests/profiles/good"

static struct fake_bindir fake;

static int add_fails(const char *text, const char *says)
{
	struct sweep s;
	struct tl_err err;

	memset(&s, 0, sizeof(s));
	if (sweep_add_axis(&s, text, &err) == 0) {
		printf("     --set %s was accepted\n", text);
		return 0;
	}
	if (strstr(err.msg, says) == NULL) {
		printf("     --set %s: '%s' lacks '%s'\n", text, err.msg, says);
		return 0;
	}
	return 1;
}

static void test_axes(void)
{
	struct sweep s;
	struct tl_err err;

	memset(&s, 0, sizeof(s));
	CHECK(sweep_add_axis(&s, "server.backlog= 5 , 256", &err) == 0);
	CHECK(s.axis_count == 1 && s.axes[0].count == 2);
	CHECK_STR(s.axes[0].values[0], "5");
	CHECK_STR(s.axes[0].values[1], "256");
	CHECK_STR(s.axes[0].key.section, "server");
	CHECK_STR(s.axes[0].key.key, "backlog");
	CHECK(sweep_add_axis(&s, "client.concurrency=1,8,32", &err) == 0);
	CHECK(sweep_points(&s) == 6);
	CHECK(add_fails("server.backlog=", "empty value"));
	CHECK(add_fails("server.backlog=5,,6", "empty value"));
	CHECK(add_fails("server.backlog=5,", "empty value"));
	CHECK(add_fails("backlog=5", "SECTION.KEY=VALUE"));
	CHECK(add_fails("server.nokey=1", "known in [server]"));
	CHECK(add_fails("expect.x=1", "only [scenario], [server], [client], [capture] and [link]"));
	CHECK(add_fails("scenario.name=x", "cannot be replaced"));
	CHECK(add_fails("client.grid=1,2", "takes a list"));
	CHECK(sweep_add_axis(&s, "server.backlog=7", &err) == -1 && strstr(err.msg, "already swept") != NULL);
}

static void test_grid_limit(void)
{
	struct sweep s;
	struct tl_err err;

	memset(&s, 0, sizeof(s));
	CHECK(sweep_add_axis(&s, "server.backlog=1,2,3,4,5,6,7,8,9,10", &err) == 0);
	CHECK(sweep_add_axis(&s, "client.concurrency=1,2,3,4,5,6,7", &err) == 0);
	CHECK(sweep_points(&s) > SWEEP_POINTS_MAX);
}

static void test_load_points(void)
{
	struct sweep s;
	struct scenario scs[4];
	struct compare_spec specs[4];
	struct tl_err err;
	int rc;

	memset(&s, 0, sizeof(s));
	CHECK(sweep_add_axis(&s, "server.backlog=5,256", &err) == 0);
	CHECK(sweep_add_axis(&s, "client.concurrency=1,8", &err) == 0);
	rc = sweep_load(&s, GOOD "/minimal.conf", GOOD_PROFILES, NULL, scs, specs, &err);
	if (rc != 0)
		printf("     %s\n", err.msg);
	CHECK(rc == 0);
	if (rc != 0)
		return;
	/* The first axis varies slowest. */
	CHECK(scs[0].server.backlog == 5 && scs[1].server.backlog == 5 && scs[2].server.backlog == 256);
	CHECK_STR(scenario_get(&scs[1], "client", "concurrency")->text, "8");
	CHECK_STR(specs[1].label, "backlog=5 concurrency=8");
	CHECK_STR(specs[3].settings[0].key, "server.backlog");
	CHECK_STR(specs[3].settings[1].value, "8");
	CHECK(specs[3].setting_count == 2 && specs[3].sc == &scs[3]);
	for (int i = 0; i < 4; i++)
		scenario_free(&scs[i]);
}

static void test_shared_key_names(void)
{
	struct sweep s;
	struct scenario scs[1];
	struct compare_spec specs[1];
	struct tl_err err;

	memset(&s, 0, sizeof(s));
	CHECK(sweep_add_axis(&s, "server.handle_time=40ms", &err) == 0);
	CHECK(sweep_add_axis(&s, "client.handle_time=40ms", &err) == 0);
	CHECK(sweep_load(&s, GOOD "/minimal.conf", GOOD_PROFILES, NULL, scs, specs, &err) == 0);
	CHECK_STR(specs[0].label, "server.handle_time=40ms client.handle_time=40ms");
	scenario_free(&scs[0]);
}

static void test_override_checks(void)
{
	struct scenario_override ov;
	struct scenario sc;
	struct tl_err err;
	int rc;

	/* The value goes through the same checks as one written in the file. */
	CHECK(scenario_override_parse("server.backlog=-3", &ov, &err) == 0);
	CHECK(scenario_load_overridden(GOOD "/minimal.conf", GOOD_PROFILES, NULL, &ov, 1, &sc, &err) == -1);
	CHECK(strstr(err.msg, "server.backlog=-3") != NULL);
	/* A profile can be replaced too: it is loaded like the file's own. */
	CHECK(scenario_override_parse("server.profile=classroom", &ov, &err) == 0);
	rc = scenario_load_overridden(GOOD "/minimal.conf", GOOD_PROFILES, NULL, &ov, 1, &sc, &err);
	CHECK(rc == 0);
	if (rc == 0) {
		CHECK_STR(sc.server.profile.name, "classroom");
		CHECK_STR(sc.client.profile.name, "kernel-defaults");
		scenario_free(&sc);
	}
	CHECK(scenario_override_parse("server.profile=nosuch", &ov, &err) == 0);
	CHECK(scenario_load_overridden(GOOD "/minimal.conf", GOOD_PROFILES, NULL, &ov, 1, &sc, &err) == -1);
	CHECK(strstr(err.msg, "nosuch") != NULL);
	/* The programs' --check sees the replaced value and refuses it. */
	CHECK(scenario_override_parse("server.discipline=bogus", &ov, &err) == 0);
	CHECK(scenario_load_overridden(GOOD "/minimal.conf", GOOD_PROFILES, fake.dir, &ov, 1, &sc, &err) == -1);
	CHECK(strstr(err.msg, "discipline") != NULL && strstr(err.msg, "bogus") != NULL);
	CHECK(scenario_override_parse("server.discipline=threads", &ov, &err) == 0);
	rc = scenario_load_overridden(GOOD "/minimal.conf", GOOD_PROFILES, fake.dir, &ov, 1, &sc, &err);
	CHECK(rc == 0);
	if (rc == 0)
		scenario_free(&sc);
}

int main(void)
{
	const char *srcdir = getenv("TCPLAB_SRCDIR");

	/* Fixture paths are relative to the source tree. */
	if (srcdir != NULL && srcdir[0] != '\0' && chdir(srcdir) != 0) {
		printf("FAIL cannot enter TCPLAB_SRCDIR=%s\n", srcdir);
		return 1;
	}
	if (fake_bindir_create(&fake) != 0) {
		printf("FAIL cannot create the stand-in programs in /tmp\n");
		return 1;
	}
	RUN(test_axes);
	RUN(test_grid_limit);
	RUN(test_load_points);
	RUN(test_shared_key_names);
	RUN(test_override_checks);
	fake_bindir_remove(&fake);
	return UNIT_END();
}
