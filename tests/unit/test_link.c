/* test_link: the link's rules (nftables ruleset, tbf parameters, nft counters read back) and the delay line. */
#include <stdio.h>
#include <string.h>

#include "delay/delay_line.h"
#include "side/link_rules.h"
#include "unit.h"

static void test_ruleset(void)
{
	struct side_link l = { .loss_ppm = 50000, .delay_us = 50000 };
	struct tl_err err;
	char buf[1024];

	CHECK(link_nft_ruleset("tlc-1234", &l, buf, sizeof(buf), &err) == 0);
	CHECK(strstr(buf, "table ip tcplab_link {") != NULL);
	CHECK(strstr(buf, "oifname \"tlc-1234\" counter name \"sent\"") != NULL);
	CHECK(strstr(buf, "numgen random mod 1000000 < 50000 counter name \"lost\" drop") != NULL);
	CHECK(strstr(buf, "priority -10;") != NULL);
	l.loss_ppm = 0;
	CHECK(link_nft_ruleset("eth0", &l, buf, sizeof(buf), &err) == 0);
	CHECK(strstr(buf, "numgen") == NULL);
	/* A name that could end the string or start a new statement never reaches a ruleset. */
	CHECK(link_nft_ruleset("a\" drop", &l, buf, sizeof(buf), &err) == -1);
	CHECK(link_nft_ruleset("x;flush", &l, buf, sizeof(buf), &err) == -1);
	CHECK(link_nft_ruleset("", &l, buf, sizeof(buf), &err) == -1);
	CHECK(link_nft_ruleset("abcdefghijklmnop", &l, buf, sizeof(buf), &err) == -1);
	l.loss_ppm = 1000001;
	CHECK(link_nft_ruleset("eth0", &l, buf, sizeof(buf), &err) == -1);
	CHECK(link_nft_ruleset("eth0", &(struct side_link){ .loss_ppm = 1 }, buf, 40, &err) == -1);
}

static void test_tbf(void)
{
	struct link_tbf t;

	link_tbf_params(10000000, &t);
	CHECK_STR(t.rate_bit, "10000000bit");
	CHECK_STR(t.burst_bytes, "12500");
	CHECK_STR(t.limit_bytes, "1514000");
	/* Slow links still get a bucket of two full frames. */
	link_tbf_params(8000, &t);
	CHECK_STR(t.burst_bytes, "3028");
	CHECK_STR(t.limit_bytes, "1514000");
	/* Fast links queue 100 ms more than their bucket. */
	link_tbf_params(1000000000, &t);
	CHECK_STR(t.burst_bytes, "1250000");
	CHECK_STR(t.limit_bytes, "13750000");
}

static void test_counts(void)
{
	static const char good[] =
		"{\"nftables\": [{\"metainfo\": {\"version\": \"1.0.6\"}}, {\"counter\": {\"family\": \"ip\", \"name\": "
		"\"sent\", \"table\": \"tcplab_link\", \"handle\": 2, \"packets\": 8341, \"bytes\": 1}}, {\"counter\": "
		"{\"family\": \"ip\", \"name\": \"lost\", \"table\": \"tcplab_link\", \"handle\": 3, \"packets\": 436, "
		"\"bytes\": 0}}]}";
	static const char other_table[] =
		"{\"nftables\": [{\"counter\": {\"name\": \"sent\", \"table\": \"filter\", \"packets\": 1}}, {\"counter\": "
		"{\"name\": \"lost\", \"table\": \"tcplab_link\", \"packets\": 2}}]}";
	static const char negative[] =
		"{\"nftables\": [{\"counter\": {\"name\": \"sent\", \"table\": \"tcplab_link\", \"packets\": -1}}, "
		"{\"counter\": {\"name\": \"lost\", \"table\": \"tcplab_link\", \"packets\": 2}}]}";
	struct side_link_counts n = { 0, 0 };
	struct tl_err err;

	CHECK(link_nft_counts_parse(good, &n, &err) == 0 && n.sent_packets == 8341 && n.lost_packets == 436);
	CHECK(link_nft_counts_parse(other_table, &n, &err) == -1);
	CHECK(link_nft_counts_parse(negative, &n, &err) == -1);
	CHECK(link_nft_counts_parse("Error: No such file or directory", &n, &err) == -1);
	CHECK(link_nft_counts_parse("{\"nftables\": 3}", &n, &err) == -1);
}

static void test_delay_line_order(void)
{
	struct delay_line dl;
	struct tl_err err;
	uint32_t last = 0;

	CHECK(delay_line_init(&dl, 4, 1000, 0, 1, &err) == 0);
	CHECK(delay_line_next_us(&dl) == -1);
	CHECK(delay_line_push(&dl, 10, 0) == 0);
	CHECK(delay_line_push(&dl, 11, 100) == 0);
	CHECK(delay_line_push(&dl, 12, 200) == 0);
	CHECK(delay_line_next_us(&dl) == 1000);
	CHECK(delay_line_take_due(&dl, 999, &last) == 0);
	CHECK(delay_line_take_due(&dl, 1150, &last) == 1 && last == 11);
	CHECK(dl.late_max_us == 150);
	CHECK(delay_line_push(&dl, 13, 300) == 0);
	CHECK(delay_line_push(&dl, 14, 300) == 0);
	CHECK(delay_line_push(&dl, 15, 300) == 0);
	/* Full: the fifth held packet is refused and counted. */
	CHECK(delay_line_push(&dl, 16, 300) == -1 && dl.packets_dropped_full == 1);
	CHECK(dl.held_max == 4);
	CHECK(delay_line_take_all(&dl, &last) == 1 && last == 15);
	CHECK(delay_line_take_all(&dl, &last) == 0);
	CHECK(dl.packets_delayed == 6);
	delay_line_free(&dl);
	CHECK(delay_line_init(&dl, 4, 1000, 2000, 1, &err) == -1);
	CHECK(delay_line_init(&dl, 0, 1000, 0, 1, &err) == -1);
}

static void test_delay_line_jitter(void)
{
	struct delay_line dl;
	struct tl_err err;
	int64_t prev = 0, lo = 1 << 30, hi = 0;
	uint32_t last;

	CHECK(delay_line_init(&dl, 100000, 50000, 10000, 42, &err) == 0);
	for (uint32_t i = 0; i < 20000; i++) {
		int64_t now = (int64_t)i * 1000;
		int64_t release;

		CHECK(delay_line_push(&dl, i, now) == 0);
		release = dl.ring[(dl.head + dl.count - 1) % dl.cap].release_us;
		/* In order, and never earlier than delay - jitter nor later than the packet ahead allows. */
		CHECK(release >= prev);
		CHECK(release >= now + 40000);
		if (release - now < lo)
			lo = release - now;
		if (release - now > hi)
			hi = release - now;
		prev = release;
		delay_line_take_due(&dl, now, &last);
	}
	/* The draws span the whole band. */
	CHECK(lo <= 40100);
	CHECK(hi >= 59900);
	delay_line_free(&dl);
}

int main(void)
{
	RUN(test_ruleset);
	RUN(test_tbf);
	RUN(test_counts);
	RUN(test_delay_line_order);
	RUN(test_delay_line_jitter);
	return UNIT_END();
}
