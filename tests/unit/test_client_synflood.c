/* test_client_synflood: the SYN flood's prefix checks, the SYN packet and its checksum, and the synflood options. */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdint.h>

/* By path: server/ has headers of the same names on the test include path. */
#include "../../client/opts.h"
#include "../../client/spoof.h"
#include "../../client/synpacket.h"
#include "unit.h"

static struct in_addr addr_of(const char *text)
{
	struct in_addr a;

	inet_pton(AF_INET, text, &a);
	return a;
}

static void test_lab_range(void)
{
	CHECK(lab_range_contains(addr_of("198.18.0.0")));
	CHECK(lab_range_contains(addr_of("198.18.0.1")));
	CHECK(lab_range_contains(addr_of("198.19.255.255")));
	CHECK(!lab_range_contains(addr_of("198.17.255.255")));
	CHECK(!lab_range_contains(addr_of("198.20.0.0")));
	CHECK(!lab_range_contains(addr_of("10.0.0.1")));
	CHECK(!lab_range_contains(addr_of("127.0.0.1")));
}

static void test_prefix_parse(void)
{
	struct ipv4_prefix p;
	struct tl_err err;

	CHECK(spoof_prefix_parse("198.19.0.0/16", &p, &err) == 0);
	CHECK(p.length == 16);
	CHECK(p.network_host == 0xC6130000u);
	CHECK_STR(p.text, "198.19.0.0/16");
	CHECK(spoof_prefix_parse("198.18.0.0/15", &p, &err) == 0);
	CHECK(spoof_prefix_parse("198.19.7.9/32", &p, &err) == 0);
	CHECK(p.length == 32);

	/* Outside the lab: refused, whatever the length. */
	CHECK(spoof_prefix_parse("10.0.0.0/8", &p, &err) != 0);
	CHECK(strstr(err.msg, "outside 198.18.0.0/15") != NULL);
	CHECK(spoof_prefix_parse("198.20.0.0/16", &p, &err) != 0);
	CHECK(spoof_prefix_parse("198.16.0.0/14", &p, &err) != 0);
	/* Wider than the lab range although it starts inside it. */
	CHECK(spoof_prefix_parse("198.18.0.0/14", &p, &err) != 0);
	CHECK(spoof_prefix_parse("0.0.0.0/0", &p, &err) != 0);

	/* Malformed. */
	CHECK(spoof_prefix_parse("198.19.0.1/16", &p, &err) != 0);
	CHECK(strstr(err.msg, "host bits") != NULL);
	CHECK(spoof_prefix_parse("198.19.0.0", &p, &err) != 0);
	CHECK(spoof_prefix_parse("198.19.0.0/", &p, &err) != 0);
	CHECK(spoof_prefix_parse("198.19.0.0/33", &p, &err) != 0);
	CHECK(spoof_prefix_parse("198.19.0.0/-1", &p, &err) != 0);
	CHECK(spoof_prefix_parse("/16", &p, &err) != 0);
	CHECK(spoof_prefix_parse("lab/16", &p, &err) != 0);
	CHECK(spoof_prefix_parse("198.19.0.0/16x", &p, &err) != 0);
}

static void test_prefix_pick(void)
{
	struct ipv4_prefix p;
	struct tl_err err;
	uint32_t r = 12345;
	int all_inside = 1, edge = 0;

	CHECK(spoof_prefix_parse("198.19.0.0/16", &p, &err) == 0);
	CHECK(ipv4_prefix_contains(&p, addr_of("198.19.200.1")));
	CHECK(!ipv4_prefix_contains(&p, addr_of("198.18.0.1")));
	for (int i = 0; i < 100000; i++) {
		struct in_addr a;
		uint32_t host;

		r = r * 1103515245u + 12345u;
		a = spoof_pick(&p, r);
		host = ntohl(a.s_addr);
		all_inside &= ipv4_prefix_contains(&p, a) && lab_range_contains(a);
		edge |= (host & 0xFFFF) == 0 || (host & 0xFFFF) == 0xFFFF;
	}
	CHECK(all_inside);
	CHECK(!edge);
	/* The extremes of the random number still land inside. */
	CHECK(ntohl(spoof_pick(&p, 0).s_addr) == 0xC6130001u);
	CHECK(ntohl(spoof_pick(&p, 0xFFFFFFFFu).s_addr) != 0xC613FFFFu);

	CHECK(spoof_prefix_parse("198.19.7.9/32", &p, &err) == 0);
	CHECK(spoof_pick(&p, 777).s_addr == addr_of("198.19.7.9").s_addr);
	CHECK(spoof_prefix_parse("198.19.7.8/31", &p, &err) == 0);
	CHECK(spoof_pick(&p, 0).s_addr == addr_of("198.19.7.8").s_addr);
	CHECK(spoof_pick(&p, 1).s_addr == addr_of("198.19.7.9").s_addr);
}

/* The checksum computed the long way: pseudo-header and segment as 16-bit words, end-around carry. */
static uint16_t reference_checksum(const uint8_t *pkt, size_t tcp_len)
{
	uint32_t sum = 0;

	for (int i = 12; i < 20; i += 2)
		sum += (uint32_t)pkt[i] << 8 | pkt[i + 1];
	sum += 6;
	sum += (uint32_t)tcp_len;
	for (size_t i = 0; i < tcp_len; i += 2) {
		if (i == 16)
			continue; /* the checksum field itself counts as zero */
		sum += (uint32_t)pkt[20 + i] << 8 | (i + 1 < tcp_len ? pkt[20 + i + 1] : 0);
	}
	while (sum > 0xFFFF)
		sum = (sum & 0xFFFF) + (sum >> 16);
	return (uint16_t)~sum;
}

static void test_packet(void)
{
	uint8_t pkt[64];
	struct synpacket_fields f;
	uint16_t stored;

	memset(&f, 0, sizeof(f));
	f.source = addr_of("198.19.1.2");
	f.source_port = 40001;
	f.target.sin_family = AF_INET;
	f.target.sin_addr = addr_of("198.18.0.1");
	f.target.sin_port = htons(8080);
	f.seq = 0xDEADBEEFu;
	f.ip_id = 0x1234;
	CHECK(synpacket_build(pkt, 10, &f) == 0);
	CHECK(synpacket_build(pkt, sizeof(pkt), &f) == SYNPACKET_LEN);

	/* IPv4 header. */
	CHECK(pkt[0] == 0x45);
	CHECK((pkt[2] << 8 | pkt[3]) == SYNPACKET_LEN);
	CHECK((pkt[4] << 8 | pkt[5]) == 0x1234);
	CHECK(pkt[8] == 64);
	CHECK(pkt[9] == IPPROTO_TCP);
	CHECK(memcmp(pkt + 12, &f.source.s_addr, 4) == 0);
	CHECK(memcmp(pkt + 16, &f.target.sin_addr.s_addr, 4) == 0);

	/* TCP header: ports, sequence, no ACK number, 6 words, SYN alone, MSS 1460. */
	CHECK((pkt[20] << 8 | pkt[21]) == 40001);
	CHECK((pkt[22] << 8 | pkt[23]) == 8080);
	CHECK(((uint32_t)pkt[24] << 24 | (uint32_t)pkt[25] << 16 | (uint32_t)pkt[26] << 8 | pkt[27]) == 0xDEADBEEFu);
	CHECK(pkt[28] == 0 && pkt[29] == 0 && pkt[30] == 0 && pkt[31] == 0);
	CHECK(pkt[32] >> 4 == 6);
	CHECK(pkt[33] == 0x02);
	CHECK(pkt[40] == 2 && pkt[41] == 4 && (pkt[42] << 8 | pkt[43]) == 1460);

	/* The checksum: what an independent computation gives, and what a receiver's check accepts. */
	stored = (uint16_t)(pkt[36] << 8 | pkt[37]);
	CHECK(stored == reference_checksum(pkt, 24));
	CHECK(synpacket_tcp_checksum(pkt) == 0);
	pkt[25] ^= 0x01;
	CHECK(synpacket_tcp_checksum(pkt) != 0);
	pkt[25] ^= 0x01;
	/* A different source address changes the pseudo-header, hence the checksum. */
	f.source = addr_of("198.19.1.3");
	synpacket_build(pkt, sizeof(pkt), &f);
	CHECK((uint16_t)(pkt[36] << 8 | pkt[37]) != stored);
	CHECK(synpacket_tcp_checksum(pkt) == 0);
}

static void test_sum16(void)
{
	/* RFC 1071's example: 00 01 f2 03 f4 f5 f6 f7 sums to ddf2, checksum 220d. */
	static const uint8_t data[] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7 };

	CHECK(synpacket_fold(synpacket_sum16(data, sizeof(data), 0)) == 0x220d);
	/* An odd length pads with a zero byte. */
	CHECK(synpacket_sum16(data, 3, 0) == 0x0001 + 0xf200);
}

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

static void test_opts(void)
{
	struct client_opts o;
	struct tl_err err;

	CHECK(parse(&o, &err, "-m", "synflood", "--spoof", "198.19.0.0/16", "--rate", "2000", "--duration", "2s",
		    "198.18.0.1:8080", NULL) == 0);
	CHECK(o.mode == MODE_SYNFLOOD);
	CHECK(o.flood_rate_per_s == 2000);
	CHECK(o.rate_per_s == 0);
	CHECK(o.duration_us == 2000000);
	CHECK_STR(o.spoof.text, "198.19.0.0/16");
	CHECK_STR(client_mode_name(o.mode), "synflood");

	CHECK(parse(&o, &err, "-m", "synflood", "--spoof", "198.19.0.0/16", "--rate", "2000", "--duration", "2s",
		    "--probe-rate", "10", "--connect-timeout", "5s", "198.18.0.1:8080", NULL) == 0);
	CHECK(o.flood_rate_per_s == 2000);
	CHECK(o.rate_per_s == 10);
	CHECK(o.after == AFTER_CLOSE);

	/* The flood never leaves the lab. */
	CHECK(parse(&o, &err, "-m", "synflood", "--spoof", "198.19.0.0/16", "--rate", "10", "--duration", "1s",
		    "10.0.0.1:80", NULL) != 0);
	CHECK(has(&err, "target 10.0.0.1 is outside 198.18.0.0/15"));
	CHECK(parse(&o, &err, "-m", "synflood", "--spoof", "192.0.2.0/24", "--rate", "10", "--duration", "1s",
		    "198.18.0.1:80", NULL) != 0);
	CHECK(has(&err, "outside 198.18.0.0/15"));
	CHECK(parse(&o, &err, "-m", "synflood", "--spoof", "198.18.0.0/24", "--rate", "10", "--duration", "1s",
		    "198.18.0.1:80", NULL) != 0);
	CHECK(has(&err, "contains the target"));

	/* What a flood needs, and what it does not take. */
	CHECK(parse(&o, &err, "-m", "synflood", "--rate", "10", "--duration", "1s", "198.18.0.1:80", NULL) != 0);
	CHECK(has(&err, "needs --spoof"));
	CHECK(parse(&o, &err, "-m", "synflood", "--spoof", "198.19.0.0/16", "--duration", "1s", "198.18.0.1:80",
		    NULL) != 0);
	CHECK(has(&err, "needs --rate"));
	CHECK(parse(&o, &err, "-m", "synflood", "--spoof", "198.19.0.0/16", "--rate", "10", "--duration", "1s", "-c",
		    "4", "198.18.0.1:80", NULL) != 0);
	CHECK(has(&err, "--concurrency: not with --mode synflood"));
	CHECK(parse(&o, &err, "-m", "synflood", "--spoof", "198.19.0.0/16", "--rate", "10", "--duration", "1s",
		    "--after", "hold", "198.18.0.1:80", NULL) != 0);
	CHECK(has(&err, "--after: not with --mode synflood"));
	CHECK(parse(&o, &err, "-m", "synflood", "--spoof", "198.19.0.0/16", "--rate", "1", "--duration", "10ms",
		    "198.18.0.1:80", NULL) != 0);
	CHECK(has(&err, "sends no SYN"));

	/* Flood options outside the flood. */
	CHECK(parse(&o, &err, "--spoof", "198.19.0.0/16", "198.18.0.1:80", NULL) != 0);
	CHECK(has(&err, "--spoof: only with --mode synflood"));
	CHECK(parse(&o, &err, "-m", "connect", "--probe-rate", "5", "198.18.0.1:80", NULL) != 0);
	CHECK(has(&err, "--probe-rate: only with --mode synflood"));
	CHECK(parse(&o, &err, "-m", "flood", "198.18.0.1:80", NULL) != 0);
	CHECK(has(&err, "not http, connect or synflood"));
}

int main(void)
{
	RUN(test_lab_range);
	RUN(test_prefix_parse);
	RUN(test_prefix_pick);
	RUN(test_sum16);
	RUN(test_packet);
	RUN(test_opts);
	return UNIT_END();
}
