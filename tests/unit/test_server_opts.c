/* test_server_opts: tcplab-server option parsing: every discipline form, bad values, flag combinations. */
#include <stdarg.h>
#include <string.h>

#include "opts.h"
#include "unit.h"

/* Parse a NULL-terminated list of arguments (after the program name); returns opts_parse's result. */
static int parse_args(struct server_opts *opts, enum opts_action *action, struct tl_err *err, ...)
{
	char *argv[32];
	int argc = 0;
	va_list ap;
	char *arg;

	argv[argc++] = "tcplab-server";
	va_start(ap, err);
	while ((arg = va_arg(ap, char *)) != NULL && argc < 31)
		argv[argc++] = arg;
	va_end(ap);
	argv[argc] = NULL;
	err->msg[0] = '\0';
	return opts_parse(argc, argv, opts, action, err);
}

/* Parse one --discipline value through the whole command line. */
static int parse_disc(const char *value, struct server_opts *opts, struct tl_err *err)
{
	enum opts_action action;

	return parse_args(opts, &action, err, "--discipline", (char *)value, NULL);
}

static void test_defaults(void)
{
	struct server_opts o;
	enum opts_action action;
	struct tl_err err;
	char disc[64];

	CHECK(parse_args(&o, &action, &err, NULL) == 0);
	CHECK(action == OPTS_RUN);
	CHECK(o.backlog == 128);
	CHECK(o.discipline == DISC_THREADS);
	CHECK(o.body_bytes == 2);
	CHECK(o.handle_us == 0);
	CHECK(o.keepalive == 1);
	CHECK(o.close_style == CLOSE_FIN);
	CHECK(o.raw == RAW_OFF);
	CHECK(o.engine == ENGINE_NATIVE);
	CHECK(o.duration_us == 0);
	CHECK(ntohs(o.listen_addr.sin_port) == 8080);
	CHECK(o.listen_addr.sin_addr.s_addr == htonl(INADDR_ANY));
	opts_format_discipline(&o, disc, sizeof(disc));
	CHECK_STR(disc, "threads");
}

static void test_discipline_forms(void)
{
	struct server_opts o;
	struct tl_err err;
	char disc[64];

	CHECK(parse_disc("serial", &o, &err) == 0 && o.discipline == DISC_SERIAL);
	CHECK(parse_disc("threads", &o, &err) == 0 && o.discipline == DISC_THREADS);
	CHECK(parse_disc("epoll", &o, &err) == 0 && o.discipline == DISC_EPOLL);
	CHECK(parse_disc("none", &o, &err) == 0 && o.discipline == DISC_NONE);
	CHECK(parse_disc("acceptors:4", &o, &err) == 0 && o.discipline == DISC_ACCEPTORS && o.workers == 4);
	CHECK(parse_disc("prefork:2", &o, &err) == 0 && o.discipline == DISC_PREFORK && o.workers == 2);
	opts_format_discipline(&o, disc, sizeof(disc));
	CHECK_STR(disc, "prefork:2");
	CHECK(parse_disc("pause:3:1s", &o, &err) == 0);
	CHECK(o.discipline == DISC_PAUSE && o.pause_every == 3 && o.pause_us == 1000000);
	opts_format_discipline(&o, disc, sizeof(disc));
	CHECK_STR(disc, "pause:3:1s");
	CHECK(parse_disc("pause:1:250ms", &o, &err) == 0 && o.pause_us == 250000);
}

static void test_discipline_bad(void)
{
	static const char *const bad[] = {
		"prefork:0", "prefork:", "prefork:-1", "prefork:x", "prefork:2000", "acceptors:0",
		"acceptors", "pause:3", "pause:3:xx", "pause:0:1s", "pause::1s", "pause:3:", "pause",
		"bogus", "", "Serial", "threads:2", "pause:1:nanms", "pause:1:infs", "pause:1: 1s", "pause: 1:1s",
		"pause:+1:1s", "pause:1:-1s", "pause:1:61m", "prefork: 2", "acceptors:+2",
	};
	struct server_opts o;
	struct tl_err err;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rc = parse_disc(bad[i], &o, &err);

		CHECK(rc == -1);
		CHECK(strncmp(err.msg, "--discipline: ", 14) == 0);
		if (rc != -1)
			printf("  accepted bad discipline '%s'\n", bad[i]);
	}
}

static void test_values(void)
{
	struct server_opts o;
	enum opts_action action;
	struct tl_err err;

	CHECK(parse_args(&o, &action, &err, "-l", "198.18.0.1:9000", "-b", "5", "-t", "40ms", "-s", "4k",
			 "--keepalive", "off", "--close", "rst", "--duration", "3s", "--json", "-q", NULL) == 0);
	CHECK(ntohs(o.listen_addr.sin_port) == 9000);
	CHECK_STR(o.listen_text, "198.18.0.1:9000");
	CHECK(o.backlog == 5);
	CHECK(o.handle_us == 40000);
	CHECK(o.body_bytes == 4096);
	CHECK(o.keepalive == 0);
	CHECK(o.close_style == CLOSE_RST);
	CHECK(o.duration_us == 3000000);
	CHECK(o.json == 1 && o.quiet == 1);
	CHECK(parse_args(&o, &action, &err, "--backlog", "0", NULL) == 0 && o.backlog == 0);
	CHECK(parse_args(&o, &action, &err, "--raw", "hold", NULL) == 0 && o.raw == RAW_HOLD);
	CHECK(parse_args(&o, &action, &err, "--raw", "close", NULL) == 0 && o.raw == RAW_CLOSE);
	CHECK(parse_args(&o, &action, &err, "-d", "prefork:3", "--reuseport", NULL) == 0 && o.reuseport == 1);
}

static void test_bad_values(void)
{
	struct server_opts o;
	enum opts_action action;
	struct tl_err err;

	CHECK(parse_args(&o, &action, &err, "--backlog", "-1", NULL) == -1);
	CHECK(strncmp(err.msg, "--backlog: ", 11) == 0);
	CHECK(parse_args(&o, &action, &err, "-b", "1000001", NULL) == -1);
	CHECK(parse_args(&o, &action, &err, "-b", "12x", NULL) == -1);
	CHECK(parse_args(&o, &action, &err, "--listen", "9000", NULL) == 0 && ntohs(o.listen_addr.sin_port) == 9000);
	CHECK(parse_args(&o, &action, &err, "--listen", "1.2.3.4", NULL) == -1);
	CHECK(parse_args(&o, &action, &err, "--listen", "1.2.3.4:0", NULL) == -1);
	CHECK(strncmp(err.msg, "--listen: ", 10) == 0);
	CHECK(parse_args(&o, &action, &err, "--listen", "nohost:80", NULL) == -1);
	CHECK(parse_args(&o, &action, &err, "-t", "40", NULL) == -1);
	CHECK(strncmp(err.msg, "--handle-time: ", 15) == 0);
	CHECK(parse_args(&o, &action, &err, "-s", "-2", NULL) == -1);
	CHECK(parse_args(&o, &action, &err, "--body-size", " -5", NULL) == -1);
	CHECK(strncmp(err.msg, "--body-size: ", 13) == 0);
	CHECK(parse_args(&o, &action, &err, "--body-size", "\t-1m", NULL) == -1);
	CHECK(parse_args(&o, &action, &err, "--body-size", "2048m", NULL) == -1);
	CHECK(parse_args(&o, &action, &err, "--body-size", "1024m", NULL) == 0 && o.body_bytes == (int64_t)1 << 30);
	CHECK(parse_args(&o, &action, &err, "--handle-time", "nanms", NULL) == -1);
	CHECK(parse_args(&o, &action, &err, "--handle-time", "61m", NULL) == -1);
	CHECK(parse_args(&o, &action, &err, "--duration", "1441m", NULL) == -1);
	CHECK(parse_args(&o, &action, &err, "--backlog", " 5", NULL) == -1);
	CHECK(parse_args(&o, &action, &err, "--backlog", "+5", NULL) == -1);
	CHECK(parse_args(&o, &action, &err, "--keepalive", "maybe", NULL) == -1);
	CHECK(parse_args(&o, &action, &err, "--close", "abort", NULL) == -1);
	CHECK(strncmp(err.msg, "--close: ", 9) == 0);
	CHECK(parse_args(&o, &action, &err, "--raw", "open", NULL) == -1);
	CHECK(parse_args(&o, &action, &err, "--engine", "nginx", NULL) == -1);
	CHECK(parse_args(&o, &action, &err, "--duration", "0", NULL) == -1);
	CHECK(parse_args(&o, &action, &err, "--bogus", NULL) == -1);
	CHECK(strncmp(err.msg, "--bogus: ", 9) == 0);
	CHECK(parse_args(&o, &action, &err, "--backlog", NULL) == -1);
	CHECK_STR(err.msg, "--backlog: needs a value");
	CHECK(parse_args(&o, &action, &err, "-d", NULL) == -1);
	CHECK_STR(err.msg, "--discipline: needs a value");
	CHECK(parse_args(&o, &action, &err, "--json=yes", NULL) == -1);
	CHECK_STR(err.msg, "--json: takes no value");
	CHECK(parse_args(&o, &action, &err, "extra", NULL) == -1);
}

static void test_combinations(void)
{
	struct server_opts o;
	enum opts_action action;
	struct tl_err err;
	char disc[64];

	CHECK(parse_args(&o, &action, &err, "--reuseport", NULL) == -1);
	CHECK(strncmp(err.msg, "--reuseport: ", 13) == 0);
	CHECK(parse_args(&o, &action, &err, "-d", "serial", "--reuseport", NULL) == -1);
	CHECK(parse_args(&o, &action, &err, "--engine", "mhd", NULL) == 0 && o.engine == ENGINE_MHD);
	opts_format_discipline(&o, disc, sizeof(disc));
	CHECK_STR(disc, "mhd-internal-thread");
	CHECK(parse_args(&o, &action, &err, "--engine", "mhd", "-d", "threads", NULL) == 0);
	CHECK(parse_args(&o, &action, &err, "--engine", "mhd", "-d", "epoll", NULL) == -1);
	CHECK(strncmp(err.msg, "--discipline: ", 14) == 0);
	CHECK(parse_args(&o, &action, &err, "--engine", "mhd", "--raw", "hold", NULL) == -1);
	CHECK(strncmp(err.msg, "--raw: ", 7) == 0);
	CHECK(parse_args(&o, &action, &err, "--engine", "mhd", "--mhd-threads", "4", "--mhd-conn-limit", "10",
			 NULL) == 0);
	CHECK(o.mhd_threads == 4 && o.mhd_conn_limit == 10);
	opts_format_discipline(&o, disc, sizeof(disc));
	CHECK_STR(disc, "mhd-pool:4");
	CHECK(parse_args(&o, &action, &err, "--engine", "mhd", "--mhd-threads", "0", NULL) == 0);
	CHECK(parse_args(&o, &action, &err, "--engine", "mhd", "--mhd-threads", "-1", NULL) == -1);
	CHECK(parse_args(&o, &action, &err, "--engine", "mhd", "--mhd-conn-limit", "0", NULL) == -1);
	CHECK(parse_args(&o, &action, &err, "--mhd-threads", "2", NULL) == -1);
	CHECK(strncmp(err.msg, "--mhd-threads: ", 15) == 0);
	CHECK(parse_args(&o, &action, &err, "--mhd-conn-limit", "2", NULL) == -1);
}

static void test_actions(void)
{
	struct server_opts o;
	enum opts_action action;
	struct tl_err err;

	CHECK(parse_args(&o, &action, &err, "--check", "-d", "epoll", NULL) == 0 && action == OPTS_CHECK);
	CHECK(parse_args(&o, &action, &err, "--check", "-d", "prefork:0", NULL) == -1);
	CHECK(parse_args(&o, &action, &err, "-h", NULL) == 0 && action == OPTS_HELP);
	CHECK(parse_args(&o, &action, &err, "--help", NULL) == 0 && action == OPTS_HELP);
	CHECK(parse_args(&o, &action, &err, "--version", NULL) == 0 && action == OPTS_VERSION);
}

int main(void)
{
	RUN(test_defaults);
	RUN(test_discipline_forms);
	RUN(test_discipline_bad);
	RUN(test_values);
	RUN(test_bad_values);
	RUN(test_combinations);
	RUN(test_actions);
	return UNIT_END();
}
