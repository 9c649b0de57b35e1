/* test_client_opts: tcplab-client option parsing, the checks between options, and TARGET parsing. */
#include <arpa/inet.h>
#include <stdarg.h>

/* By path: server/ has headers of the same names on the test include path. */
#include "../../client/opts.h"
#include "../../client/summary.h"
#include "../../client/target.h"
#include "unit.h"

/* Parse a NULL-terminated list of arguments (program name added). */
static int parse(struct client_opts *opts, struct tl_err *err, ...)
{
	char *argv[32];
	int argc = 0;
	va_list ap;
	char *arg;

	argv[argc++] = "tcplab-client";
	va_start(ap, err);
	while ((arg = va_arg(ap, char *)) != NULL && argc < 31)
		argv[argc++] = arg;
	va_end(ap);
	argv[argc] = NULL;
	err->msg[0] = '\0';
	return client_opts_parse(argc, argv, opts, err);
}

static int has(const struct tl_err *err, const char *part)
{
	return strstr(err->msg, part) != NULL;
}

static void test_defaults(void)
{
	struct client_opts o;
	struct tl_err err;

	CHECK(parse(&o, &err, "198.18.0.1:8080", NULL) == 0);
	CHECK(o.mode == MODE_HTTP);
	CHECK(o.concurrency == 1);
	CHECK(o.requests == 1);
	CHECK(o.threads == 1);
	CHECK(o.keepalive == 0);
	CHECK(o.rate_per_s == 0);
	CHECK(o.after == AFTER_CLOSE);
	CHECK(o.grid_total == 160);
	CHECK_STR(o.target.url, "http://198.18.0.1:8080/");
	CHECK(ntohs(o.target.addr.sin_port) == 8080);
}

static void test_full_http(void)
{
	struct client_opts o;
	struct tl_err err;

	CHECK(parse(&o, &err, "-c", "32", "-n", "5", "-T", "2", "-k", "on", "--connect-timeout", "1500ms", "--timeout",
		    "2s", "--server-workers", "100", "--handle-time", "40ms", "--source", "198.18.0.2,198.18.0.6",
		    "--records", "-", "--json", "-q", "http://198.18.0.1:8080/x/y", NULL) == 0);
	CHECK(o.concurrency == 32);
	CHECK(o.requests == 5);
	CHECK(o.threads == 2);
	CHECK(o.keepalive == 1);
	CHECK(o.connect_timeout_us == 1500000);
	CHECK(o.timeout_us == 2000000);
	CHECK(o.server_workers == 100);
	CHECK(o.handle_us == 40000);
	CHECK(o.source_count == 2);
	CHECK_STR(o.records_path, "-");
	CHECK(o.json && o.quiet);
	CHECK_STR(o.target.url, "http://198.18.0.1:8080/x/y");
}

static void test_connect_mode(void)
{
	struct client_opts o;
	struct tl_err err;

	CHECK(parse(&o, &err, "--mode", "connect", "--after", "hold", "--hold", "2s", "-c", "100", "198.18.0.1:80",
		    NULL) == 0);
	CHECK(o.mode == MODE_CONNECT);
	CHECK(o.after == AFTER_HOLD);
	CHECK(o.hold_us == 2000000);
	CHECK(parse(&o, &err, "-m", "connect", "--after", "rst", "198.18.0.1:80", NULL) == 0);
	CHECK(o.after == AFTER_RST);
	CHECK(parse(&o, &err, "-m", "connect", "--rate", "100", "--duration", "2s", "198.18.0.1:80", NULL) == 0);
	CHECK(o.rate_per_s == 100);
	CHECK(o.duration_us == 2000000);
}

static void test_bad_values(void)
{
	struct client_opts o;
	struct tl_err err;

	CHECK(parse(&o, &err, "--rate", "10", "--duration", "10xs", "198.18.0.1:80", NULL) != 0);
	CHECK(has(&err, "--duration: ") && has(&err, "10xs"));
	CHECK(parse(&o, &err, "-c", "-3", "198.18.0.1:80", NULL) != 0);
	CHECK(has(&err, "--concurrency: ") && has(&err, "-3"));
	CHECK(parse(&o, &err, "--concurrency", "0", "198.18.0.1:80", NULL) != 0);
	CHECK(has(&err, "--concurrency: "));
	CHECK(parse(&o, &err, "-c", "100001", "198.18.0.1:80", NULL) != 0);
	CHECK(parse(&o, &err, "-c", "12abc", "198.18.0.1:80", NULL) != 0);
	CHECK(has(&err, "--concurrency: "));
	CHECK(parse(&o, &err, "--mode", "udp", "198.18.0.1:80", NULL) != 0);
	CHECK(has(&err, "--mode: ") && has(&err, "udp"));
	CHECK(parse(&o, &err, "-k", "maybe", "198.18.0.1:80", NULL) != 0);
	CHECK(has(&err, "--keepalive: "));
	CHECK(parse(&o, &err, "-m", "connect", "--after", "linger", "198.18.0.1:80", NULL) != 0);
	CHECK(has(&err, "--after: "));
	CHECK(parse(&o, &err, "--source", "198.18.0.2,,198.18.0.3", "198.18.0.1:80", NULL) != 0);
	CHECK(has(&err, "--source: "));
	CHECK(parse(&o, &err, "--source", "host.example", "198.18.0.1:80", NULL) != 0);
	CHECK(has(&err, "--source: "));
	CHECK(parse(&o, &err, "--timeout", "-1s", "198.18.0.1:80", NULL) != 0);
	CHECK(has(&err, "--timeout: "));
	CHECK(parse(&o, &err, "-T", "0", "198.18.0.1:80", NULL) != 0);
	CHECK(has(&err, "--threads: "));
	CHECK(parse(&o, &err, "--grid", "1,2,x", "198.18.0.1:80", NULL) != 0);
	CHECK(has(&err, "--grid: "));
}

/* Blanks, signs, nan/inf and values beyond each option's range are refused by name. */
static void test_strict_numbers(void)
{
	struct client_opts o;
	struct tl_err err;

	CHECK(parse(&o, &err, "-c", " 3", "198.18.0.1:80", NULL) != 0 && has(&err, "--concurrency: "));
	CHECK(parse(&o, &err, "-c", "+3", "198.18.0.1:80", NULL) != 0 && has(&err, "--concurrency: "));
	CHECK(parse(&o, &err, "--timeout", "nanms", "198.18.0.1:80", NULL) != 0 && has(&err, "--timeout: "));
	CHECK(parse(&o, &err, "--timeout", "1441m", "198.18.0.1:80", NULL) != 0 && has(&err, "--timeout: "));
	CHECK(parse(&o, &err, "--connect-timeout", "infs", "198.18.0.1:80", NULL) != 0);
	CHECK(has(&err, "--connect-timeout: "));
	CHECK(parse(&o, &err, "--connect-timeout", "61m", "198.18.0.1:80", NULL) != 0);
	CHECK(parse(&o, &err, "--rate", "10", "--duration", " 1s", "198.18.0.1:80", NULL) != 0);
	CHECK(has(&err, "--duration: "));
	CHECK(parse(&o, &err, "--rate", "10", "--duration", "1441m", "198.18.0.1:80", NULL) != 0);
	CHECK(parse(&o, &err, "-m", "connect", "--after", "hold", "--hold", "\t-1m", "198.18.0.1:80", NULL) != 0);
	CHECK(has(&err, "--hold: "));
	CHECK(parse(&o, &err, "--server-workers", "2", "--handle-time", "nans", "198.18.0.1:80", NULL) != 0);
	CHECK(has(&err, "--handle-time: "));
	CHECK(parse(&o, &err, "--grid", "1, 2", "198.18.0.1:80", NULL) != 0 && has(&err, "--grid: "));
	CHECK(parse(&o, &err, "198.18.0.1: 80", NULL) != 0);
	CHECK(parse(&o, &err, "--timeout", "1440m", "198.18.0.1:80", NULL) == 0 && o.timeout_us == 86400LL * 1000000);
}

static void test_flag_errors(void)
{
	struct client_opts o;
	struct tl_err err;

	CHECK(parse(&o, &err, "--bogus", "198.18.0.1:80", NULL) != 0);
	CHECK(has(&err, "--bogus"));
	CHECK(parse(&o, &err, "198.18.0.1:80", "--mode", NULL) != 0);
	CHECK(has(&err, "--mode: "));
	CHECK(parse(&o, &err, "--json=yes", "198.18.0.1:80", NULL) != 0);
	CHECK(has(&err, "--json: "));
	CHECK(parse(&o, &err, "-h", NULL) == 0);
	CHECK(o.help);
	/* --version needs no target either. */
	CHECK(parse(&o, &err, "--version", NULL) == 0);
	CHECK(o.version && !o.help);
}

static void test_combinations(void)
{
	struct client_opts o;
	struct tl_err err;

	CHECK(parse(&o, &err, "--rate", "10", "198.18.0.1:80", NULL) != 0);
	CHECK(has(&err, "--rate: ") && has(&err, "--duration"));
	CHECK(parse(&o, &err, "--rate", "10", "--duration", "1s", "-c", "4", "198.18.0.1:80", NULL) != 0);
	CHECK(has(&err, "--concurrency: "));
	CHECK(parse(&o, &err, "--after", "hold", "198.18.0.1:80", NULL) != 0);
	CHECK(has(&err, "--after: "));
	CHECK(parse(&o, &err, "-m", "connect", "--hold", "1s", "198.18.0.1:80", NULL) != 0);
	CHECK(has(&err, "--hold: "));
	CHECK(parse(&o, &err, "-m", "connect", "-k", "on", "198.18.0.1:80", NULL) != 0);
	CHECK(has(&err, "--keepalive: "));
	CHECK(parse(&o, &err, "--server-workers", "4", "198.18.0.1:80", NULL) != 0);
	CHECK(has(&err, "--server-workers: "));
	CHECK(parse(&o, &err, "--total", "100", "198.18.0.1:80", NULL) != 0);
	CHECK(has(&err, "--total: "));
	CHECK(parse(&o, &err, "--grid", "1,2,400", "198.18.0.1:80", NULL) != 0);
	CHECK(has(&err, "--grid: "));
	CHECK(parse(&o, &err, "--grid", "1,2", "-c", "3", "198.18.0.1:80", NULL) != 0);
	CHECK(has(&err, "--grid: "));
	CHECK(parse(&o, &err, "-m", "connect", "--grid", "1,2", "198.18.0.1:80", NULL) != 0);
	CHECK(has(&err, "--grid: "));
	CHECK(parse(&o, &err, "-c", "100000", "-n", "1000", "198.18.0.1:80", NULL) != 0);
	CHECK(has(&err, "--requests: "));
	CHECK(parse(&o, &err, "--grid", "1,2,4,8,16,32,80,160", "--server-workers", "1000", "--handle-time", "40ms",
		    "198.18.0.1:80", NULL) == 0);
	CHECK(o.grid_count == 8 && o.grid[7] == 160);
	/* More threads than workers would idle: clamped. */
	CHECK(parse(&o, &err, "-c", "2", "-T", "8", "198.18.0.1:80", NULL) == 0);
	CHECK(o.threads == 2);
}

static void test_targets(void)
{
	struct client_opts o;
	struct tl_err err;
	struct target t;

	CHECK(parse(&o, &err, NULL) != 0);
	CHECK(has(&err, "TARGET"));
	CHECK(parse(&o, &err, "198.18.0.1:80", "198.18.0.1:81", NULL) != 0);
	CHECK(target_parse("198.18.0.1:80", &t, &err) == 0);
	CHECK_STR(t.url, "http://198.18.0.1:80/");
	CHECK(target_parse("http://198.18.0.1:8080/a?b=c", &t, &err) == 0);
	CHECK_STR(t.url, "http://198.18.0.1:8080/a?b=c");
	CHECK(target_parse("localhost:80", &t, &err) == 0);
	CHECK_STR(t.url, "http://127.0.0.1:80/");
	CHECK(target_parse("https://198.18.0.1:443/", &t, &err) != 0);
	CHECK(target_parse("198.18.0.1", &t, &err) != 0);
	CHECK(target_parse("8080", &t, &err) != 0);
	CHECK(target_parse("0.0.0.0:80", &t, &err) != 0);
	CHECK(target_parse("198.18.0.1:0", &t, &err) != 0);
	CHECK(target_parse("198.18.0.1:70000", &t, &err) != 0);
	CHECK(target_parse("http://example.com:80/", &t, &err) != 0);
}

static void test_engine(void)
{
	struct client_opts o;
	struct tl_err err;

	CHECK(parse(&o, &err, "198.18.0.1:8080", NULL) == 0);
	CHECK(o.engine == ENGINE_LEAN);
	CHECK(parse(&o, &err, "--engine", "curl", "-k", "on", "198.18.0.1:8080", NULL) == 0);
	CHECK(o.engine == ENGINE_CURL);
	CHECK_STR(client_engine_name(o.engine), "curl");
	CHECK(parse(&o, &err, "--engine", "lean", "--grid", "1,2", "198.18.0.1:8080", NULL) == 0);
	CHECK(o.engine == ENGINE_LEAN);
	CHECK(parse(&o, &err, "--engine", "nghttp2", "198.18.0.1:8080", NULL) != 0);
	CHECK(has(&err, "--engine: 'nghttp2' is not lean or curl"));
	CHECK(parse(&o, &err, "-m", "connect", "--engine", "lean", "198.18.0.1:8080", NULL) != 0);
	CHECK(has(&err, "--engine: only with --mode http"));
}

/* "198.18.0.2,198.18.0.3,...": the client's own address and n extra ones, as the controller lists them. */
static void source_list(char *buf, size_t len, int extra)
{
	size_t off = (size_t)snprintf(buf, len, "198.18.0.2");

	for (int i = 0; i < extra; i++)
		off += (size_t)snprintf(buf + off, len - off, ",198.18.0.%d", 3 + i);
}

static void test_source_limit(void)
{
	char list[LAB_SOURCE_LIST_CHARS + 32];
	struct client_opts o;
	struct tl_err err;

	/* The most a scenario may ask for ([client] sources) beside the client's own address is accepted... */
	source_list(list, sizeof(list), LAB_EXTRA_SOURCES_MAX);
	CHECK(strlen(list) < LAB_SOURCE_LIST_CHARS);
	CHECK(parse(&o, &err, "--source", list, "198.18.0.1:80", NULL) == 0);
	CHECK(o.source_count == LAB_SOURCE_ADDRS_MAX);
	/* ...and one more is refused. */
	source_list(list, sizeof(list), LAB_EXTRA_SOURCES_MAX + 1);
	CHECK(parse(&o, &err, "--source", list, "198.18.0.1:80", NULL) != 0);
	CHECK(has(&err, "--source: more than"));
}

static void test_theoretical(void)
{
	/* Seed grid: P workers x R repeats, 40 ms each, a server with enough workers: R x 40 ms. */
	CHECK(summary_theoretical_us(1, 160, 1000, 40000) == 6400000);
	CHECK(summary_theoretical_us(32, 5, 1000, 40000) == 200000);
	CHECK(summary_theoretical_us(160, 1, 1000, 40000) == 40000);
	/* A serial server: everything in a row. */
	CHECK(summary_theoretical_us(32, 5, 1, 40000) == 6400000);
	/* 4 server workers for 10 x 3 requests: ceil(30 / 4) = 8 rounds. */
	CHECK(summary_theoretical_us(10, 3, 4, 40000) == 320000);
}

int main(void)
{
	RUN(test_defaults);
	RUN(test_full_http);
	RUN(test_connect_mode);
	RUN(test_bad_values);
	RUN(test_strict_numbers);
	RUN(test_flag_errors);
	RUN(test_combinations);
	RUN(test_targets);
	RUN(test_engine);
	RUN(test_theoretical);
	RUN(test_source_limit);
	return UNIT_END();
}
