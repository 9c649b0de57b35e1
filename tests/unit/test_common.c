/* test_common: parsing and printing of numbers, durations, sizes, addresses and prefixes; percentiles and SYN bands;
 * paths. */
#include "unit.h"

#include <arpa/inet.h>

#include "csv.h"
#include "ipv4_prefix.h"
#include "parse.h"
#include "path.h"
#include "stats.h"

static void test_csv(void)
{
	char line[] = "id,local_port,,reused\r\n";
	char tail[] = "a,b,c";
	char *f[4];
	size_t n = csv_split(line, f, 4);

	CHECK(n == 4);
	CHECK_STR(f[0], "id");
	CHECK_STR(f[2], "");
	CHECK_STR(f[3], "reused");
	CHECK(csv_find(f, n, "local_port") == 1);
	CHECK(csv_find(f, n, "missing") == -1);
	/* At the limit the last field keeps the rest of the line. */
	CHECK(csv_split(tail, f, 2) == 2 && strcmp(f[1], "b,c") == 0);
}

static void test_csv_read_line(void)
{
	char text[] = "short\r\nexactly7\nwaytoolongforthebuffer\nlast";
	FILE *f = fmemopen(text, strlen(text), "r");
	char buf[9];

	CHECK(f != NULL);
	if (f == NULL)
		return;
	CHECK(csv_read_line(f, buf, sizeof(buf)) == 6 && strcmp(buf, "short\r") == 0);
	CHECK(csv_read_line(f, buf, sizeof(buf)) == 8 && strcmp(buf, "exactly7") == 0);
	/* Too long: refused, consumed whole, the next line read as it is. */
	CHECK(csv_read_line(f, buf, sizeof(buf)) == -2 && strlen(buf) == 8);
	CHECK(csv_read_line(f, buf, sizeof(buf)) == 4 && strcmp(buf, "last") == 0);
	CHECK(csv_read_line(f, buf, sizeof(buf)) == -1);
	fclose(f);
}

/* A message quoting input keeps no control character: no escape sequence reaches the terminal. */
static void test_err_inert(void)
{
	struct tl_err err;
	long v = 0;

	CHECK(parse_long("\033]0;owned\007\033[2J", 0, 100, &v, "x", &err) == -1);
	CHECK(strchr(err.msg, '\033') == NULL && strchr(err.msg, '\007') == NULL);
	CHECK(strstr(err.msg, "\\x1b]0;owned\\x07\\x1b[2J") != NULL);
	/* C1 controls as UTF-8 (CSI is U+009B), tabs and newlines too; other UTF-8 stays as it is. */
	tl_errf(&err, "a\xc2\x9b" "2Jb\tc\nd \xc3\xa9");
	CHECK(strcmp(err.msg, "a\\xc2\\x9b" "2Jb\\x09c\\x0ad \xc3\xa9") == 0);
	/* Wrapping keeps it inert and escapes only once. */
	tl_err_wrap(&err, "ctx\033");
	CHECK(strcmp(err.msg, "ctx\\x1b: a\\xc2\\x9b" "2Jb\\x09c\\x0ad \xc3\xa9") == 0);
}

static void test_parse_long(void)
{
	struct tl_err err;
	long v = 0;

	CHECK(parse_long("42", 0, 100, &v, "--backlog", &err) == 0 && v == 42);
	CHECK(parse_long("-1", 0, 100, &v, "--backlog", &err) == -1);
	CHECK(strstr(err.msg, "--backlog") != NULL && strstr(err.msg, "out of range") != NULL);
	CHECK(parse_long("12x", 0, 100, &v, "n", &err) == -1);
	CHECK(parse_long("", 0, 100, &v, "n", &err) == -1);
	CHECK(parse_long("99999999999999999999", 0, 100, &v, "n", &err) == -1);
}

static void test_parse_duration(void)
{
	struct tl_err err;
	int64_t us = 0;

	CHECK(parse_duration_us("40ms", &us, "d", &err) == 0 && us == 40000);
	CHECK(parse_duration_us("1s", &us, "d", &err) == 0 && us == 1000000);
	CHECK(parse_duration_us("1.5s", &us, "d", &err) == 0 && us == 1500000);
	CHECK(parse_duration_us("250us", &us, "d", &err) == 0 && us == 250);
	CHECK(parse_duration_us("2m", &us, "d", &err) == 0 && us == 120000000);
	CHECK(parse_duration_us("0", &us, "d", &err) == 0 && us == 0);
	CHECK(parse_duration_us("40", &us, "d", &err) == -1);
	CHECK(strstr(err.msg, "unit") != NULL);
	CHECK(parse_duration_us("10xs", &us, "d", &err) == -1);
	CHECK(parse_duration_us("-1s", &us, "d", &err) == -1);
	CHECK(parse_duration_us("ms", &us, "d", &err) == -1);
}

static void test_parse_percent_and_rate(void)
{
	static const char *const bad_percent[] = { "", " 5", "-1", "+5", "5 %", "101", "nan", "inf", "1e2", "5x", "0.00001", ".5" };
	static const char *const bad_rate[] = { "", "10", "10 mbit", "-10mbit", "10Mbit", "nanmbit", "1e3kbit", "7bit",
					       "101gbit", "10mbps" };
	struct tl_err err;
	int64_t v = 0;

	CHECK(parse_percent_ppm("5", &v, "loss", &err) == 0 && v == 50000);
	CHECK(parse_percent_ppm("0.5%", &v, "loss", &err) == 0 && v == 5000);
	CHECK(parse_percent_ppm("100", &v, "loss", &err) == 0 && v == 1000000);
	CHECK(parse_percent_ppm("0", &v, "loss", &err) == 0 && v == 0);
	CHECK(parse_percent_ppm("0.0001", &v, "loss", &err) == 0 && v == 1);
	for (size_t i = 0; i < sizeof(bad_percent) / sizeof(bad_percent[0]); i++) {
		v = 7;
		CHECK(parse_percent_ppm(bad_percent[i], &v, "loss", &err) == -1 && v == 7);
	}
	CHECK(parse_rate_bps("10mbit", &v, "rate", &err) == 0 && v == 10000000);
	CHECK(parse_rate_bps("1.5gbit", &v, "rate", &err) == 0 && v == 1500000000);
	CHECK(parse_rate_bps("8kbit", &v, "rate", &err) == 0 && v == 8000);
	CHECK(parse_rate_bps("8000bit", &v, "rate", &err) == 0 && v == 8000);
	for (size_t i = 0; i < sizeof(bad_rate) / sizeof(bad_rate[0]); i++) {
		v = 7;
		CHECK(parse_rate_bps(bad_rate[i], &v, "rate", &err) == -1 && v == 7);
	}
}

static void test_format_duration(void)
{
	char buf[32];

	format_duration_us(999, buf, sizeof(buf));
	CHECK_STR(buf, "999us");
	format_duration_us(1580, buf, sizeof(buf));
	CHECK_STR(buf, "1.58ms");
	format_duration_us(9994, buf, sizeof(buf));
	CHECK_STR(buf, "9.99ms");
	format_duration_us(9995, buf, sizeof(buf));
	CHECK_STR(buf, "10.0ms");
	format_duration_us(999949, buf, sizeof(buf));
	CHECK_STR(buf, "999.9ms");
	/* The unit switches where the printed value reaches 1 s. */
	format_duration_us(999950, buf, sizeof(buf));
	CHECK_STR(buf, "1.000s");
	format_duration_us(999999, buf, sizeof(buf));
	CHECK_STR(buf, "1.000s");
	format_duration_us(4001000, buf, sizeof(buf));
	CHECK_STR(buf, "4.001s");
}

static void test_parse_size(void)
{
	struct tl_err err;
	int64_t b = 0;

	CHECK(parse_size_bytes("2", &b, "s", &err) == 0 && b == 2);
	CHECK(parse_size_bytes("4k", &b, "s", &err) == 0 && b == 4096);
	CHECK(parse_size_bytes("1m", &b, "s", &err) == 0 && b == 1048576);
	CHECK(parse_size_bytes("2g", &b, "s", &err) == -1);
	CHECK(parse_size_bytes("-5", &b, "s", &err) == -1);
}

/* Blanks and signs in front are refused, not skipped the way strtol/strtoll/strtod skip them. */
static void test_parse_blanks_and_signs(void)
{
	static const char *const bad_longs[] = { " 5", "\t5", "+5", " -5", "-", "--5", "5 ", "- 5" };
	static const char *const bad_sizes[] = { " -5", "\t-1m", " 5", "+5", "-0", "\n4k", "4 k", "0x10" };
	static const char *const bad_durations[] = { " 1s", "\t-1m", "+1s", "-0s", " -5ms", "1 s", ".5s", "1.s",
						     "1e3ms", "0x10ms", "1,5s" };
	struct tl_err err;
	long l = 0;
	int64_t v = 0;

	for (size_t i = 0; i < sizeof(bad_longs) / sizeof(bad_longs[0]); i++) {
		CHECK(parse_long(bad_longs[i], -100, 100, &l, "n", &err) == -1);
		CHECK(strstr(err.msg, "n: ") == err.msg);
	}
	CHECK(parse_long("-5", -100, 100, &l, "n", &err) == 0 && l == -5);
	for (size_t i = 0; i < sizeof(bad_sizes) / sizeof(bad_sizes[0]); i++) {
		v = 7;
		CHECK(parse_size_bytes(bad_sizes[i], &v, "--body-size", &err) == -1 && v == 7);
		CHECK(strstr(err.msg, "--body-size: ") == err.msg);
	}
	for (size_t i = 0; i < sizeof(bad_durations) / sizeof(bad_durations[0]); i++) {
		v = 7;
		CHECK(parse_duration_us(bad_durations[i], &v, "d", &err) == -1 && v == 7);
		if (v != 7 || strstr(err.msg, "d: ") != err.msg)
			printf("  accepted duration '%s'\n", bad_durations[i]);
	}
}

/* nan and inf never become a number (casting NaN to an integer is undefined), nor does a value too large. */
static void test_parse_non_finite_and_overflow(void)
{
	static const char *const bad_durations[] = { "nanms", "NaNs", "nan(0x1)ms", "infms", "infinitys", "INFus",
						     "99999999999999999999999m", "1000000000000000000000000000000s",
						     "4000000001s" };
	static const char *const bad_sizes[] = { "nan", "inf", "99999999999999999999", "9223372036854775807k",
						 "9007199254740993m", "1048577k", "1025m", "1073741825" };
	struct tl_err err;
	int64_t v;

	for (size_t i = 0; i < sizeof(bad_durations) / sizeof(bad_durations[0]); i++) {
		v = 7;
		CHECK(parse_duration_us(bad_durations[i], &v, "--discipline: pause:K:DUR: DUR", &err) == -1 && v == 7);
		if (v != 7)
			printf("  accepted duration '%s'\n", bad_durations[i]);
	}
	for (size_t i = 0; i < sizeof(bad_sizes) / sizeof(bad_sizes[0]); i++) {
		v = 7;
		CHECK(parse_size_bytes(bad_sizes[i], &v, "s", &err) == -1 && v == 7);
	}
	CHECK(parse_size_bytes("1024m", &v, "s", &err) == 0 && v == (int64_t)1 << 30);
	CHECK(parse_size_bytes("1048576k", &v, "s", &err) == 0 && v == (int64_t)1 << 30);
	CHECK(parse_duration_us("100000000s", &v, "d", &err) == 0 && v == 100000000LL * 1000000);
}

static void test_parse_ranges(void)
{
	struct tl_err err;
	int64_t v = 0;

	CHECK(parse_duration_range_us("2m", 0, 1000, &v, "d", &err) == -1);
	CHECK(parse_duration_range_us("2s", 0, 1000000, &v, "--hold", &err) == -1);
	CHECK(strstr(err.msg, "--hold: 2s is out of range [0us, 1.000s]") != NULL);
	CHECK(parse_duration_range_us("0", 1, 1000000, &v, "--duration", &err) == -1);
	CHECK(parse_duration_range_us("1s", 0, 1000000, &v, "d", &err) == 0 && v == 1000000);
	CHECK(parse_size_range_bytes("5k", 0, 4096, &v, "--body-size", &err) == -1);
	CHECK(strstr(err.msg, "--body-size: 5k is out of range [0, 4096] bytes") != NULL);
	CHECK(parse_size_range_bytes("4k", 0, 4096, &v, "--body-size", &err) == 0 && v == 4096);
}

static void test_parse_addr(void)
{
	struct tl_err err;
	struct sockaddr_in sa;

	CHECK(parse_ipv4_port("198.18.0.1:8080", &sa, "--listen", &err) == 0);
	CHECK(ntohs(sa.sin_port) == 8080 && ntohl(sa.sin_addr.s_addr) == 0xc6120001u);
	CHECK(parse_ipv4_port(":80", &sa, "--listen", &err) == 0 && sa.sin_addr.s_addr == htonl(INADDR_ANY));
	CHECK(parse_ipv4_port("8080", &sa, "--listen", &err) == 0 && ntohs(sa.sin_port) == 8080);
	CHECK(parse_ipv4_port("1.2.3:80", &sa, "--listen", &err) == -1);
	CHECK(parse_ipv4_port("1.2.3.4:0", &sa, "--listen", &err) == -1);
	CHECK(parse_ipv4_port("1.2.3.4:99999", &sa, "--listen", &err) == -1);
	CHECK(parse_ipv4_port("1.2.3.4: 80", &sa, "--listen", &err) == -1);
	CHECK(parse_ipv4_port("1.2.3.4:+80", &sa, "--listen", &err) == -1);
	CHECK(parse_ipv4_port(" 1.2.3.4:80", &sa, "--listen", &err) == -1);
}

static void test_onoff(void)
{
	struct tl_err err;
	int v = -1;

	CHECK(parse_onoff("on", &v, "k", &err) == 0 && v == 1);
	CHECK(parse_onoff("off", &v, "k", &err) == 0 && v == 0);
	CHECK(parse_onoff("maybe", &v, "k", &err) == -1);
}

static void test_percentiles(void)
{
	int64_t v[] = { 50, 10, 40, 20, 30, 100, 90, 80, 70, 60 };
	size_t n = sizeof(v) / sizeof(v[0]);

	stats_sort_us(v, n);
	CHECK(v[0] == 10 && v[9] == 100);
	CHECK(stats_percentile_us(v, n, 50) == 50);
	CHECK(stats_percentile_us(v, n, 90) == 90);
	CHECK(stats_percentile_us(v, n, 99) == 100);
	CHECK(stats_percentile_us(v, n, 100) == 100);
	CHECK(stats_percentile_us(v, 0, 50) == 0);
	CHECK(stats_percentile_us(v, 1, 99) == 10);
}

static void test_bands(void)
{
	CHECK(stats_syn_band(200) == SYN_BAND_0);
	CHECK(stats_syn_band(1030000) == SYN_BAND_1S);
	CHECK(stats_syn_band(3050000) == SYN_BAND_3S);
	CHECK(stats_syn_band(7100000) == SYN_BAND_7S);
	CHECK(stats_syn_band(15000000) == SYN_BAND_MORE);
	CHECK_STR(stats_syn_band_name(SYN_BAND_1S), "1s");
}

static struct in_addr addr_of(const char *text)
{
	struct in_addr a;

	inet_pton(AF_INET, text, &a);
	return a;
}

static void test_prefix(void)
{
	struct ipv4_prefix p, q;
	struct tl_err err;

	CHECK(ipv4_prefix_parse("198.19.0.0/16", "route", &p, &err) == 0 && p.length == 16);
	CHECK_STR(p.text, "198.19.0.0/16");
	CHECK(ipv4_prefix_contains(&p, addr_of("198.19.255.1")) && !ipv4_prefix_contains(&p, addr_of("198.18.0.2")));
	CHECK(lab_range_holds(&p));
	CHECK(ipv4_prefix_parse("198.18.0.0/24", "route", &q, &err) == 0 && !ipv4_prefix_overlaps(&p, &q));
	CHECK(ipv4_prefix_parse("198.18.0.0/15", "route", &q, &err) == 0 && ipv4_prefix_overlaps(&p, &q));
	CHECK(ipv4_prefix_overlaps(&q, &p) && lab_range_holds(&q));
	CHECK(ipv4_prefix_parse("0.0.0.0/0", "route", &q, &err) == 0 && ipv4_prefix_overlaps(&p, &q) && !lab_range_holds(&q));
	CHECK(ipv4_prefix_parse("198.16.0.0/14", "route", &q, &err) == 0 && !lab_range_holds(&q));
	CHECK(ipv4_prefix_parse("198.19.0.1/16", "route", &q, &err) == -1 && strstr(err.msg, "host bits") != NULL);
	CHECK(strstr(err.msg, "route: ") == err.msg);
	CHECK(ipv4_prefix_parse("198.19.0.0", "route", &q, &err) == -1);
	CHECK(ipv4_prefix_parse("198.19.0.0/33", "route", &q, &err) == -1);
	CHECK(ipv4_prefix_parse("x/16", "route", &q, &err) == -1);
	CHECK(lab_range_contains(addr_of("198.19.255.255")) && !lab_range_contains(addr_of("198.20.0.0")));
}

static void test_path_fmt(void)
{
	struct tl_err err;
	char buf[8];
	char big[TL_PATH_LEN];
	char over[TL_PATH_LEN + 8];

	CHECK(tl_path_fmt(buf, sizeof(buf), &err, "%s/%s", "ab", "cd") == 0);
	CHECK_STR(buf, "ab/cd");
	/* Exactly full: 7 bytes and the terminator. */
	CHECK(tl_path_fmt(buf, sizeof(buf), &err, "%s/%s", "abc", "def") == 0);
	CHECK_STR(buf, "abc/def");
	/* One byte over: refused, nothing half-built left behind, the message names the cut path and the limit. */
	err.msg[0] = '\0';
	CHECK(tl_path_fmt(buf, sizeof(buf), &err, "%s/%s", "abcd", "def") == -1);
	CHECK_STR(buf, "");
	CHECK(strstr(err.msg, "too long") != NULL);
	CHECK(strstr(err.msg, "8 bytes, at most 7") != NULL);
	CHECK(strstr(err.msg, "abcd/de") != NULL);
	/* Without an error to fill it still refuses. */
	CHECK(tl_path_fmt(buf, sizeof(buf), NULL, "%s.tmp-XXXXXX", "results") == -1 && buf[0] == '\0');
	CHECK(tl_path_fmt(buf, 0, &err, "x") == -1);
	/* At the project's path size: TL_PATH_LEN - 1 bytes fit, one more does not. */
	memset(over, 'a', sizeof(over) - 1);
	over[sizeof(over) - 1] = '\0';
	CHECK(tl_path_fmt(big, sizeof(big), &err, "%.*s", TL_PATH_LEN - 1, over) == 0 && strlen(big) == TL_PATH_LEN - 1);
	CHECK(tl_path_fmt(big, sizeof(big), &err, "%.*s", TL_PATH_LEN, over) == -1 && big[0] == '\0');
	CHECK(tl_path_fmt(big, sizeof(big), &err, "%s/x", over) == -1 && big[0] == '\0');
	CHECK(strlen(err.msg) < sizeof(err.msg) - 1);
}

int main(void)
{
	RUN(test_csv);
	RUN(test_csv_read_line);
	RUN(test_err_inert);
	RUN(test_parse_long);
	RUN(test_parse_duration);
	RUN(test_parse_percent_and_rate);
	RUN(test_format_duration);
	RUN(test_parse_size);
	RUN(test_parse_blanks_and_signs);
	RUN(test_parse_non_finite_and_overflow);
	RUN(test_parse_ranges);
	RUN(test_parse_addr);
	RUN(test_onoff);
	RUN(test_percentiles);
	RUN(test_bands);
	RUN(test_prefix);
	RUN(test_path_fmt);
	return UNIT_END();
}
