/* test_scenario_good: valid scenarios and profiles load into the expected structs, argv and expectations. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fake_programs.h"
#include "scenario/profile.h"
#include "scenario/scenario.h"
#include "link/link.h"
#include "unit.h"

#define GOOD "tests/scenarios/good"
#define GOOD_PROFILES "tests/profiles/good"
#define LAB_ADDR "198.18.0.1"

static struct fake_bindir fake;

/* Compare a NULL-terminated argv with the expected words; prints both on a mismatch. */
static int argv_is(char **argv, const char *const *want)
{
	size_t i;

	for (i = 0; want[i] != NULL && argv[i] != NULL; i++) {
		if (strcmp(argv[i], want[i]) != 0)
			break;
	}
	if (want[i] == NULL && argv[i] == NULL)
		return 1;
	printf("     argv differs at word %zu:\n     got: ", i);
	for (size_t j = 0; argv[j] != NULL; j++)
		printf(" %s", argv[j]);
	printf("\n     want:");
	for (size_t j = 0; want[j] != NULL; j++)
		printf(" %s", want[j]);
	printf("\n");
	return 0;
}

/* The stand-in's argument log must hold "--check" and then argv without its program and "--json". */
static int check_log_is(const char *program, char **argv)
{
	char got[4096];
	char want[4096];
	size_t used;

	if (fake_read_args(&fake, program, got, sizeof(got)) != 0)
		return 0;
	/* The run's argv is program, --json, options; --check comes before its --json. */
	used = (size_t)snprintf(want, sizeof(want), "--check\n");
	for (size_t i = 1; argv[i] != NULL && used < sizeof(want); i++)
		used += (size_t)snprintf(want + used, sizeof(want) - used, "%s\n", argv[i]);
	if (strcmp(got, want) == 0)
		return 1;
	printf("     %s --check got:\n%s     want:\n%s", program, got, want);
	return 0;
}

static void test_accept_queue_capacity(void)
{
	static const char *const server_want[] = {
		"BIN/tcplab-server", "--json", "--listen", LAB_ADDR ":8080", "--backlog", "1", "--discipline", "serial",
		"--handle-time", "1s", NULL,
	};
	static const char *const client_want[] = {
		"BIN/tcplab-client", "--json", "--mode", "connect", "--concurrency", "4", "--after", "hold", "--hold", "2s",
		"--records", "/tmp/records.csv", "--records-format", "csv", LAB_ADDR ":8080", NULL,
	};
	struct tl_err err = { "" };
	struct scenario sc;
	char **argv = NULL;

	if (scenario_load(GOOD "/accept-queue-capacity.conf", GOOD_PROFILES, fake.dir, &sc, &err) != 0) {
		printf("     %s\n", err.msg);
		CHECK(0);
		return;
	}
	CHECK_STR(sc.name, "accept-queue-capacity");
	CHECK_STR(sc.description, "the accept queue holds backlog + 1 connections");
	CHECK_STR(sc.path, GOOD "/accept-queue-capacity.conf");
	CHECK(sc.duration_us == 20 * 1000000LL);
	CHECK(sc.sample_period_us == 10000);
	CHECK(sc.server.port == 8080);
	CHECK(sc.server.backlog == 1);
	CHECK(sc.client.sources == 0);
	CHECK_STR(sc.server.profile_name, "classroom");
	CHECK_STR(sc.server.profile.name, "classroom");
	CHECK(sc.server.profile.count == 4);
	CHECK_STR(sc.server.profile.settings[0].key, "net.core.somaxconn");
	CHECK_STR(sc.server.profile.settings[0].value, "64");
	CHECK_STR(sc.client.profile.name, "kernel-defaults");
	CHECK(sc.client.profile.count == 0);
	CHECK(sc.section_line[SECTION_SERVER] == 8);
	CHECK(sc.section_line[SECTION_COMPARE] == 28);

	CHECK(sc.expect_count == 4);
	if (sc.expect_count == 4) {
		CHECK(sc.expects[0].line == 23);
		CHECK_STR(sc.expects[0].path, "server.acceptq.max");
		CHECK(sc.expects[0].op == EXPECT_EQ);
		CHECK(sc.expects[0].value == 2);
		CHECK_STR(sc.expects[0].text, "server.acceptq.max == 2");
		CHECK_STR(sc.expects[1].path, "client.connect.bands.1s");
		CHECK(sc.expects[1].op == EXPECT_GE);
		CHECK_STR(sc.expects[2].path, "server.nstat.TcpExtListenOverflows");
		CHECK(sc.expects[3].line == 26);
	}
	CHECK(sc.compare_count == 2);
	if (sc.compare_count == 2) {
		CHECK_STR(sc.compare[0].name, "classroom");
		CHECK_STR(sc.compare[1].name, "high-concurrency");
		CHECK(sc.compare[1].count == 3);
	}

	CHECK(scenario_server_argv(&sc, "BIN", LAB_ADDR, &argv, &err) == 0);
	CHECK(argv != NULL && argv_is(argv, server_want));
	scenario_argv_free(argv);
	CHECK(scenario_client_argv(&sc, "BIN", LAB_ADDR, "/tmp/records.csv", NULL, &argv, &err) == 0);
	CHECK(argv != NULL && argv_is(argv, client_want));
	CHECK(scenario_client_writes_records(&sc));
	scenario_argv_free(argv);

	/* What --check saw: the same options, with the lab address standing in. */
	CHECK(scenario_server_argv(&sc, fake.dir, LAB_ADDR, &argv, &err) == 0);
	CHECK(check_log_is("tcplab-server", argv));
	scenario_argv_free(argv);
	/* --check also validates the records file the run will ask for (a grid refuses one). */
	CHECK(scenario_client_argv(&sc, fake.dir, LAB_ADDR, "connections.csv", NULL, &argv, &err) == 0);
	CHECK(check_log_is("tcplab-client", argv));
	scenario_argv_free(argv);

	CHECK(scenario_get(&sc, "server", "discipline") != NULL);
	CHECK(scenario_get(&sc, "server", "discipline")->line == 12);
	CHECK(scenario_get(&sc, "server", "engine") == NULL);
	CHECK(scenario_get(&sc, "nosuch", "engine") == NULL);
	scenario_free(&sc);
	CHECK(sc.expects == NULL && sc.compare == NULL);
}

static void test_http_grid(void)
{
	static const char *const server_want[] = {
		"BIN/tcplab-server", "--json", "--listen", "10.0.0.1:9090", "--backlog", "256", "--discipline", "prefork:4",
		"--handle-time", "40ms", "--body-size", "4k", "--keepalive", "on", "--close", "rst", "--engine", "native",
		"--reuseport", NULL,
	};
	static const char *const client_want[] = {
		"BIN/tcplab-client", "--json", "--mode", "http", "--engine", "curl", "--threads", "2", "--keepalive", "off", "--connect-timeout", "5s",
		"--timeout", "10s", "--server-workers", "4", "--handle-time", "40ms", "--grid", "1,2,4,8", "--total",
		"160", "10.0.0.1:9090", NULL,
	};
	static const struct {
		int line;
		const char *path;
		enum expect_op op;
		double value;
		const char *text;
	} want[] = {
		{ 37, "server.acceptq.max", EXPECT_EQ, 2, "server.acceptq.max == 2" },
		{ 38, "client.outcome.ok", EXPECT_NE, 0, "client.outcome.ok != 0" },
		{ 39, "run.cells.0.wall_us", EXPECT_GE, 0.5, "run.cells.0.wall_us >= 0.5" },
		{ 40, "client.connect.p99_us", EXPECT_LE, 1500000, "client.connect.p99_us <= 1500000" },
		{ 41, "server.nstat.TcpExtListenOverflows", EXPECT_GT, 0, "server.nstat.TcpExtListenOverflows>0" },
		{ 42, "client.connect.bands.3s", EXPECT_LT, -0.25, "client.connect.bands.3s < -0.25" },
	};
	struct tl_err err = { "" };
	struct scenario sc;
	char **argv = NULL;

	if (scenario_load(GOOD "/http-grid.conf", GOOD_PROFILES, fake.dir, &sc, &err) != 0) {
		printf("     %s\n", err.msg);
		CHECK(0);
		return;
	}
	CHECK_STR(sc.description, "160 requests per cell: \"quotes\" stay, as does 100% of this text");
	CHECK(sc.duration_us == 120 * 1000000LL);
	CHECK(sc.sample_period_us == 1000);
	CHECK(sc.server.port == 9090);
	CHECK(sc.client.sources == 4);
	CHECK_STR(sc.client.profile.name, "all-keys");
	CHECK(scenario_get(&sc, "server", "body_size")->number == 4096);
	CHECK(scenario_get(&sc, "server", "keepalive")->number == 1);
	CHECK(scenario_get(&sc, "client", "grid")->number == 4);
	CHECK(scenario_get(&sc, "client", "total")->number == 160);
	CHECK(scenario_get(&sc, "client", "handle_time")->number == 40000);

	CHECK(sc.expect_count == sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < sc.expect_count && i < sizeof(want) / sizeof(want[0]); i++) {
		const struct expect *e = &sc.expects[i];

		CHECK(e->line == want[i].line);
		CHECK_STR(e->path, want[i].path);
		CHECK(e->op == want[i].op);
		CHECK(e->value == want[i].value);
		CHECK_STR(e->text, want[i].text);
	}

	CHECK(scenario_server_argv(&sc, "BIN", "10.0.0.1", &argv, &err) == 0);
	CHECK(argv != NULL && argv_is(argv, server_want));
	scenario_argv_free(argv);
	CHECK(scenario_client_argv(&sc, "BIN", "10.0.0.1", NULL, NULL, &argv, &err) == 0);
	CHECK(argv != NULL && argv_is(argv, client_want));
	/* Asked for records all the same, a grid's client gets none, and the run does not fetch them. */
	CHECK(!scenario_client_writes_records(&sc));
	scenario_argv_free(argv);
	CHECK(scenario_client_argv(&sc, "BIN", "10.0.0.1", "/tmp/records.csv", NULL, &argv, &err) == 0);
	CHECK(argv != NULL && argv_is(argv, client_want));
	scenario_argv_free(argv);
	scenario_free(&sc);
}

static const char *const good_files[] = {
	"accept-queue-capacity.conf", "http-grid.conf", "mhd-rate.conf", "minimal.conf", "never-accept.conf",
	"synflood.conf", "capture-capped.conf", "link-all-keys.conf",
};

/* Between them the good scenarios set every key, so every option mapping meets the real --check. */
static void test_good_cover_every_key(void)
{
	int used[SCENARIO_KEY_MAX] = { 0 };

	for (size_t f = 0; f < sizeof(good_files) / sizeof(good_files[0]); f++) {
		struct tl_err err = { "" };
		struct scenario sc;
		char path[256];

		snprintf(path, sizeof(path), "%s/%s", GOOD, good_files[f]);
		if (scenario_load(path, GOOD_PROFILES, fake.dir, &sc, &err) != 0) {
			printf("     %s\n", err.msg);
			CHECK(0);
			continue;
		}
		for (size_t i = 0; i < scenario_key_count(); i++)
			used[i] |= sc.values[i].line > 0;
		scenario_free(&sc);
	}
	for (size_t i = 0; i < scenario_key_count(); i++) {
		if (!used[i])
			printf("     no good scenario sets [%s] %s\n",
			       scenario_section_name(scenario_key_at(i)->section), scenario_key_at(i)->name);
		CHECK(used[i]);
	}
}

/* [link]: each direction's own key wins over the plain one, and the plan says what each way gets. */
static void test_link_plan(void)
{
	struct tl_err err = { "" };
	struct scenario sc;
	struct link_plan plan;

	if (scenario_load(GOOD "/link-all-keys.conf", GOOD_PROFILES, NULL, &sc, &err) != 0) {
		printf("     %s\n", err.msg);
		CHECK(0);
		return;
	}
	link_plan_from_scenario(&sc, &plan);
	CHECK(plan.any == 1);
	CHECK(plan.dir[LINK_CLIENT_TO_SERVER].delay_us == 50000 && plan.dir[LINK_CLIENT_TO_SERVER].jitter_us == 5000);
	CHECK(plan.dir[LINK_CLIENT_TO_SERVER].loss_ppm == 50000 && plan.dir[LINK_CLIENT_TO_SERVER].rate_bps == 10000000);
	CHECK(plan.dir[LINK_SERVER_TO_CLIENT].delay_us == 10000 && plan.dir[LINK_SERVER_TO_CLIENT].jitter_us == 10000);
	CHECK(plan.dir[LINK_SERVER_TO_CLIENT].loss_ppm == 0 && plan.dir[LINK_SERVER_TO_CLIENT].rate_bps == 1500000000);
	scenario_free(&sc);
	if (scenario_load(GOOD "/minimal.conf", GOOD_PROFILES, NULL, &sc, &err) != 0) {
		CHECK(0);
		return;
	}
	link_plan_from_scenario(&sc, &plan);
	CHECK(plan.any == 0);
	scenario_free(&sc);
}

static void test_minimal_defaults(void)
{
	static const char *const server_want[] = { "BIN/tcplab-server", "--json", "--listen", LAB_ADDR ":8080", NULL };
	static const char *const client_want[] = { "BIN/tcplab-client", "--json", LAB_ADDR ":8080", NULL };
	struct tl_err err = { "" };
	struct scenario sc;
	char **argv = NULL;

	/* No bindir: the --check step is skipped. */
	if (scenario_load(GOOD "/minimal.conf", GOOD_PROFILES, NULL, &sc, &err) != 0) {
		printf("     %s\n", err.msg);
		CHECK(0);
		return;
	}
	CHECK(sc.sample_period_us == 10000);
	CHECK(sc.server.port == 8080);
	CHECK(scenario_get(&sc, "server", "port")->line == 0);
	CHECK(sc.server.backlog == -1);
	CHECK(sc.client.sources == 0);
	CHECK(sc.expect_count == 0 && sc.expects == NULL);
	CHECK(sc.compare_count == 0);
	CHECK(sc.section_line[SECTION_EXPECT] == 0);
	CHECK(scenario_server_argv(&sc, "BIN", LAB_ADDR, &argv, &err) == 0);
	CHECK(argv != NULL && argv_is(argv, server_want));
	scenario_argv_free(argv);
	CHECK(scenario_client_argv(&sc, "BIN", LAB_ADDR, NULL, NULL, &argv, &err) == 0);
	CHECK(argv != NULL && argv_is(argv, client_want));
	scenario_argv_free(argv);
	scenario_free(&sc);
}

/* A file saved on Windows: byte order mark and CRLF line ends. */
static void test_bom_and_crlf(void)
{
	static const char text[] = "\xEF\xBB\xBF[scenario]\r\nname = crlf\r\ndescription = saved elsewhere\r\n"
				   "duration = 1s\r\n[server]\r\nprofile = classroom\r\nbacklog = 5\r\n[client]\r\n"
				   "profile = classroom\r\n[expect]\r\nserver.acceptq.max < 7\r\n";
	char dir[] = "/tmp/tcplab-unit-crlf.XXXXXX";
	char path[64];
	struct tl_err err = { "" };
	struct scenario sc;
	FILE *f;

	if (mkdtemp(dir) == NULL) {
		CHECK(0);
		return;
	}
	snprintf(path, sizeof(path), "%s/crlf.conf", dir);
	f = fopen(path, "w");
	CHECK(f != NULL);
	if (f != NULL) {
		fputs(text, f);
		fclose(f);
		if (scenario_load(path, GOOD_PROFILES, NULL, &sc, &err) != 0) {
			printf("     %s\n", err.msg);
			CHECK(0);
		} else {
			CHECK_STR(sc.name, "crlf");
			CHECK(sc.server.backlog == 5);
			CHECK(sc.expect_count == 1 && sc.expects[0].op == EXPECT_LT && sc.expects[0].line == 11);
			CHECK(sc.expect_count == 1 && strcmp(sc.expects[0].text, "server.acceptq.max < 7") == 0);
			scenario_free(&sc);
		}
	}
	unlink(path);
	rmdir(dir);
}

/* all-keys.conf sets every allowed key: the integration test checks each is per namespace from that file. */
static void test_all_keys_profile(void)
{
	struct tl_err err = { "" };
	struct profile p;

	if (profile_load(GOOD_PROFILES "/all-keys.conf", &p, &err) != 0) {
		printf("     %s\n", err.msg);
		CHECK(0);
		return;
	}
	CHECK_STR(p.name, "all-keys");
	CHECK(p.count == profile_allowed_count());
	for (size_t i = 0; profile_allowed_key(i) != NULL; i++) {
		int found = 0;

		for (size_t j = 0; j < p.count; j++)
			found |= strcmp(p.settings[j].key, profile_allowed_key(i)) == 0;
		if (!found)
			printf("     all-keys.conf lacks %s\n", profile_allowed_key(i));
		CHECK(found);
	}
	CHECK(profile_allowed_key(profile_allowed_count()) == NULL);
	/* Slash form is stored dotted; values are normalized to one space between integers. */
	CHECK_STR(p.settings[1].key, "net.ipv4.tcp_max_syn_backlog");
	CHECK_STR(p.settings[1].proc_path, "net/ipv4/tcp_max_syn_backlog");
	CHECK(p.settings[1].line == 4);
	for (size_t j = 0; j < p.count; j++) {
		if (strcmp(p.settings[j].key, "net.ipv4.ip_local_port_range") == 0)
			CHECK_STR(p.settings[j].value, "40000 40999");
		if (strcmp(p.settings[j].key, "net.ipv4.tcp_rmem") == 0)
			CHECK_STR(p.settings[j].value, "4096 65536 1048576");
	}
}

static void test_profile_lookup(void)
{
	struct tl_err err = { "" };
	char path[256];
	char list[256];

	CHECK(profile_find(GOOD_PROFILES, "classroom", path, sizeof(path), &err) == 0);
	CHECK_STR(path, GOOD_PROFILES "/classroom.conf");
	CHECK(profile_find(GOOD_PROFILES, "../good/classroom", path, sizeof(path), &err) != 0);
	CHECK(strstr(err.msg, "is not a profile name") != NULL);
	profile_list(GOOD_PROFILES, list, sizeof(list));
	CHECK_STR(list, "all-keys, classroom, high-concurrency, kernel-defaults");
	profile_list("/nonexistent-dir", list, sizeof(list));
	CHECK_STR(list, "(none)");
	CHECK(profile_name_valid("kernel-defaults"));
	CHECK(!profile_name_valid(""));
	CHECK(!profile_name_valid("Upper"));
}

static void test_expect_parse_and_hold(void)
{
	struct tl_err err = { "" };
	struct expect e;

	CHECK(expect_parse("server.a.b>=1", 3, &e, &err) == 0);
	CHECK(e.op == EXPECT_GE && e.value == 1 && e.line == 3);
	CHECK(expect_parse("  run.x != -0.5  ", 4, &e, &err) == 0);
	CHECK(e.op == EXPECT_NE && e.value == -0.5);
	CHECK_STR(e.text, "run.x != -0.5");
	CHECK(expect_holds(&e, 0) && !expect_holds(&e, -0.5));
	CHECK(expect_parse("client.x == 3", 1, &e, &err) == 0);
	CHECK(expect_holds(&e, 3.0) && !expect_holds(&e, 3.5));
	CHECK(expect_parse("client.x > 3", 1, &e, &err) == 0);
	CHECK(expect_holds(&e, 4) && !expect_holds(&e, 3));
	CHECK(expect_parse("client.x < 3", 1, &e, &err) == 0);
	CHECK(expect_holds(&e, 2) && !expect_holds(&e, 3));
	CHECK(expect_parse("client.x <= 3", 1, &e, &err) == 0);
	CHECK(expect_holds(&e, 3) && !expect_holds(&e, 4));
	CHECK(expect_parse("client.x ==3.", 1, &e, &err) != 0);
	CHECK(expect_parse("client.x == .5", 1, &e, &err) != 0);
	CHECK(expect_parse("client.x == nan", 1, &e, &err) != 0);
	CHECK(expect_parse("client.x <> 1", 1, &e, &err) != 0);
	CHECK(expect_parse("client. == 1", 1, &e, &err) != 0);
	CHECK_STR(expect_op_name(EXPECT_LT), "<");
}

/* The profiles in sysctl/ and the labs in lab/scenarios/ that ship with tcplab all load. */
static void test_shipped_files(void)
{
	char bindir_buf[512];
	const char *bindir = real_bindir(bindir_buf, sizeof(bindir_buf));
	const char *const dirs[] = { "sysctl", "lab/scenarios" };

	for (size_t d = 0; d < 2; d++) {
		DIR *dir = opendir(dirs[d]);
		struct dirent *de;

		if (dir == NULL)
			continue;
		while ((de = readdir(dir)) != NULL) {
			size_t len = strlen(de->d_name);
			struct tl_err err = { "" };
			char path[512];
			int rc;

			if (len <= 5 || strcmp(de->d_name + len - 5, ".conf") != 0)
				continue;
			snprintf(path, sizeof(path), "%s/%s", dirs[d], de->d_name);
			if (d == 0) {
				struct profile p;

				rc = profile_load(path, &p, &err);
			} else {
				struct scenario sc;

				rc = scenario_load(path, "sysctl", bindir, &sc, &err);
				if (rc == 0)
					scenario_free(&sc);
			}
			if (rc != 0)
				printf("     %s\n", err.msg);
			CHECK(rc == 0);
		}
		closedir(dir);
	}
}

/* With the real programs built, the good scenarios pass their --check too. */
static void test_good_with_real_programs(void)
{
	char bindir_buf[512];
	const char *bindir = real_bindir(bindir_buf, sizeof(bindir_buf));

	for (size_t i = 0; i < sizeof(good_files) / sizeof(good_files[0]); i++) {
		struct tl_err err = { "" };
		struct scenario sc;
		char path[256];
		int rc;

		snprintf(path, sizeof(path), "%s/%s", GOOD, good_files[i]);
		rc = scenario_load(path, GOOD_PROFILES, bindir, &sc, &err);
		if (rc != 0)
			printf("     %s\n", err.msg);
		else
			scenario_free(&sc);
		CHECK(rc == 0);
	}
}

/* The controller takes the client's own plan from its --check: 4 workers x 1 connect; a grid of
 * 1, 2, 4, 8 workers x 160 / P requests, one connection each; without programs there is none. */
static void test_client_plan(void)
{
	static const struct {
		const char *file;
		int64_t planned;
	} want[] = { { "accept-queue-capacity.conf", 4 }, { "http-grid.conf", 640 } };
	char bindir_buf[512];
	const char *bindir = real_bindir(bindir_buf, sizeof(bindir_buf));
	struct tl_err err = { "" };
	struct scenario sc;
	char path[256];

	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", GOOD, want[i].file);
		CHECK(scenario_load(path, GOOD_PROFILES, bindir, &sc, &err) == 0);
		CHECK(sc.planned_connections == want[i].planned);
		scenario_free(&sc);
	}
	CHECK(scenario_load(path, GOOD_PROFILES, NULL, &sc, &err) == 0);
	CHECK(sc.planned_connections == -1);
	scenario_free(&sc);
}

int main(void)
{
	const char *srcdir = getenv("TCPLAB_SRCDIR");
	char bindir_buf[512];

	/* Fixture paths are relative to the source tree. */
	if (srcdir != NULL && srcdir[0] != '\0' && chdir(srcdir) != 0) {
		printf("FAIL cannot enter TCPLAB_SRCDIR=%s\n", srcdir);
		return 1;
	}
	if (fake_bindir_create(&fake) != 0) {
		printf("FAIL cannot create the stand-in programs in /tmp\n");
		return 1;
	}
	RUN(test_accept_queue_capacity);
	RUN(test_http_grid);
	RUN(test_good_cover_every_key);
	RUN(test_link_plan);
	RUN(test_minimal_defaults);
	RUN(test_bom_and_crlf);
	RUN(test_all_keys_profile);
	RUN(test_profile_lookup);
	RUN(test_expect_parse_and_hold);
	RUN(test_shipped_files);
	if (real_bindir(bindir_buf, sizeof(bindir_buf)) != NULL) {
		RUN(test_good_with_real_programs);
		RUN(test_client_plan);
	} else {
		printf("SKIP test_good_with_real_programs: no tcplab-server and tcplab-client in the build's bin directory\n");
		printf("SKIP test_client_plan: no tcplab-client in the build's bin directory\n");
	}
	fake_bindir_remove(&fake);
	return UNIT_END();
}
