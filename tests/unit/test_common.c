/* test_common: parsing of numbers, durations, sizes, addresses and prefixes; percentiles and SYN bands. */
#include "unit.h"

#include <arpa/inet.h>

#include "ipv4_prefix.h"
#include "parse.h"
#include "stats.h"

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

int main(void)
{
	RUN(test_parse_long);
	RUN(test_parse_duration);
	RUN(test_parse_size);
	RUN(test_parse_addr);
	RUN(test_onoff);
	RUN(test_percentiles);
	RUN(test_bands);
	RUN(test_prefix);
	return UNIT_END();
}
