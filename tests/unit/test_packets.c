/* test_packets: the packet analyser on client and server captures the tests write (pcap_open_dead + pcap_dump). */
#include "unit.h"

#include <inttypes.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "packets/frame.h"
#include "packets/packets.h"
#include "pcap_frames.h"

#define CLI "198.18.0.2"
#define SRV "198.18.0.1"
#define PORT 8080
#define TRANSIT_US 20
#define T0 1700000000000000LL /* a run's first microsecond */

/* Which captures get a packet. */
enum where {
	BOTH,
	SENDER_ONLY,
	RECEIVER_ONLY,
};

/* A client capture and a server capture written side by side, as a run's raw/client.pcap and raw/server.pcap. */
struct pair {
	char dir[64];
	char path[PK_SIDES][96];
	struct pf_writer cap[PK_SIDES];
	struct pk_analysis *a;
};

static void pair_open_as(struct pair *p, int linktype, int vlan_tags)
{
	memset(p, 0, sizeof(*p));
	snprintf(p->dir, sizeof(p->dir), "/tmp/tcplab-unit-packets.XXXXXX");
	if (mkdtemp(p->dir) == NULL)
		abort();
	for (int side = 0; side < PK_SIDES; side++) {
		char path[sizeof(p->path[side])];

		/* Through a local buffer: gcc -O1 cannot tell p->path from p->dir (-Wrestrict). */
		snprintf(path, sizeof(path), "%s/%s.pcap", p->dir, side == PK_CLIENT ? "client" : "server");
		memcpy(p->path[side], path, sizeof(path));
		if (pf_open(&p->cap[side], p->path[side], linktype, 128) != 0)
			abort();
		p->cap[side].vlan_tags = vlan_tags;
	}
}

static void pair_open(struct pair *p)
{
	pair_open_as(p, DLT_EN10MB, 0);
}

/* One packet from `from` on client port cport: in the sender's capture at t_us, in the receiver's 20 us later. */
static void wire(struct pair *p, int64_t t_us, enum pk_side from, uint16_t cport, uint8_t flags, uint32_t seq,
		 uint32_t ack, uint32_t len, enum where where)
{
	enum pk_side to = from == PK_CLIENT ? PK_SERVER : PK_CLIENT;
	const char *src = from == PK_CLIENT ? CLI : SRV;
	const char *dst = from == PK_CLIENT ? SRV : CLI;
	uint16_t sport = from == PK_CLIENT ? cport : PORT;
	uint16_t dport = from == PK_CLIENT ? PORT : cport;

	if (where != RECEIVER_ONLY)
		pf_tcp(&p->cap[from], T0 + t_us, src, sport, dst, dport, flags, seq, ack, len);
	if (where != SENDER_ONLY)
		pf_tcp(&p->cap[to], T0 + t_us + TRANSIT_US, src, sport, dst, dport, flags, seq, ack, len);
}

static struct pk_options server_options(void)
{
	struct pk_options opt;

	packets_options_default(&opt);
	opt.server.sin_port = htons(PORT);
	inet_pton(AF_INET, SRV, &opt.server.sin_addr);
	return opt;
}

/* Close both files and analyse them (or only one: the other path NULL); 0 when the analysis succeeded. */
static int pair_analyse_with(struct pair *p, const struct pk_options *opt, int client, int server)
{
	struct tl_err err;
	int rc;

	for (int side = 0; side < PK_SIDES; side++)
		pf_close(&p->cap[side]);
	rc = packets_analyse(client ? p->path[PK_CLIENT] : NULL, server ? p->path[PK_SERVER] : NULL, opt, &p->a, &err);
	if (rc != 0)
		printf("analyse: %s\n", err.msg);
	return rc;
}

static int pair_analyse(struct pair *p)
{
	struct pk_options opt = server_options();

	return pair_analyse_with(p, &opt, 1, 1);
}

static void pair_close(struct pair *p)
{
	char path[128];

	packets_free(p->a);
	for (int side = 0; side < PK_SIDES; side++) {
		pf_close(&p->cap[side]);
		unlink(p->path[side]);
	}
	snprintf(path, sizeof(path), "%s/other.pcap", p->dir);
	unlink(path);
	rmdir(p->dir);
}

/* The one connection on client port cport (the first when there are several). */
static const struct pk_conn *conn_on(const struct pair *p, uint16_t cport)
{
	return packets_find(p->a, NULL, 0, cport, -1);
}

/* A whole clean exchange on cport starting at t_us: handshake, request, response, both FINs. */
static void clean_exchange(struct pair *p, int64_t t_us, uint16_t cport, uint32_t cisn, uint32_t sisn)
{
	wire(p, t_us, PK_CLIENT, cport, TCPF_SYN, cisn, 0, 0, BOTH);
	wire(p, t_us + 100, PK_SERVER, cport, TCPF_SYN | TCPF_ACK, sisn, cisn + 1, 0, BOTH);
	wire(p, t_us + 200, PK_CLIENT, cport, TCPF_ACK, cisn + 1, sisn + 1, 0, BOTH);
	wire(p, t_us + 300, PK_CLIENT, cport, TCPF_ACK | TCPF_PSH, cisn + 1, sisn + 1, 78, BOTH);
	wire(p, t_us + 400, PK_SERVER, cport, TCPF_ACK, sisn + 1, cisn + 79, 0, BOTH);
	wire(p, t_us + 5000, PK_SERVER, cport, TCPF_ACK | TCPF_PSH, sisn + 1, cisn + 79, 200, BOTH);
	wire(p, t_us + 5100, PK_CLIENT, cport, TCPF_ACK, cisn + 79, sisn + 201, 0, BOTH);
	wire(p, t_us + 5200, PK_CLIENT, cport, TCPF_FIN | TCPF_ACK, cisn + 79, sisn + 201, 0, BOTH);
	wire(p, t_us + 5300, PK_SERVER, cport, TCPF_FIN | TCPF_ACK, sisn + 201, cisn + 80, 0, BOTH);
	wire(p, t_us + 5400, PK_CLIENT, cport, TCPF_ACK, cisn + 80, sisn + 202, 0, BOTH);
}

/* The checks a clean exchange must pass, whatever the link type. */
static void check_clean(const struct pair *p)
{
	const struct pk_totals *t = packets_totals(p->a);
	const struct pk_conn *c = conn_on(p, 40000);
	static const enum pk_kind kinds[] = { PK_SYN, PK_SYNACK, PK_ACK, PK_DATA, PK_DATA, PK_FIN, PK_FIN };

	CHECK(t->packets_read == 20);
	CHECK(t->undecodable == 0 && t->not_ipv4_tcp == 0 && t->other_tcp == 0);
	CHECK(t->connections == 1);
	CHECK(t->completed == 1 && t->never_completed == 0 && t->unanswered == 0);
	CHECK(t->syn == 1 && t->syn_retrans == 0 && t->synack == 1 && t->synack_retrans == 0);
	CHECK(t->fin[PK_CLIENT] == 1 && t->fin[PK_SERVER] == 1);
	CHECK(t->rst[PK_CLIENT] == 0 && t->rst[PK_SERVER] == 0);
	CHECK(t->only_sender == 0 && t->only_receiver == 0);
	CHECK(t->band_retrans[0] == 1 && t->band_time[SYN_BAND_0] == 1);
	CHECK(c != NULL);
	if (c == NULL)
		return;
	CHECK_STR(inet_ntoa(c->client_addr), CLI);
	CHECK(c->client_port == 40000 && c->server_port == PORT && c->instance == 1);
	CHECK(c->has_syn && c->client_isn == 1000 && c->answered && c->completed);
	CHECK(c->first_syn_us == T0 && c->established_us == T0 + 200 && c->handshake_us == 200);
	CHECK(c->first_us == T0 && c->last_us == T0 + 5400 + TRANSIT_US);
	CHECK(c->event_count == 7 && c->events_total == 7);
	for (uint32_t i = 0; i < c->event_count && i < 7; i++) {
		CHECK(c->events[i].kind == kinds[i]);
		CHECK(packets_event_seen(&c->events[i]) == PK_SEEN_BOTH);
		CHECK(c->events[i].arrive_us - c->events[i].send_us == TRANSIT_US);
	}
	if (c->event_count == 7) {
		CHECK(c->events[0].from == PK_CLIENT && c->events[1].from == PK_SERVER);
		CHECK(c->events[3].from == PK_CLIENT && c->events[3].payload_bytes == 78);
		CHECK(c->events[4].from == PK_SERVER && c->events[4].payload_bytes == 200);
		CHECK((c->events[3].marks & PK_MARK_FIRST_DATA) && (c->events[4].marks & PK_MARK_FIRST_DATA));
		CHECK(c->events[2].marks & PK_MARK_ACKS_SYNACK);
		CHECK(c->events[5].from == PK_CLIENT && c->events[6].from == PK_SERVER);
		CHECK(c->events[1].seq == 5000 && c->events[1].ack == 1001);
	}
}

static void test_clean_exchange(void)
{
	struct pair p;

	pair_open(&p);
	clean_exchange(&p, 0, 40000, 1000, 5000);
	CHECK(pair_analyse(&p) == 0);
	if (p.a != NULL)
		check_clean(&p);
	pair_close(&p);
}

/* The same exchange in every link type the analyser reads, and behind two VLAN tags. */
static void test_link_types(void)
{
	static const struct {
		int linktype;
		int vlan_tags;
	} kinds[] = {
		{ DLT_EN10MB, 0 }, { DLT_EN10MB, 2 }, { DLT_LINUX_SLL, 0 }, { DLT_LINUX_SLL, 1 },
		{ DLT_LINUX_SLL2, 0 }, { DLT_RAW, 0 }, { DLT_IPV4, 0 },
	};

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		struct pair p;

		pair_open_as(&p, kinds[i].linktype, kinds[i].vlan_tags);
		clean_exchange(&p, 0, 40000, 1000, 5000);
		CHECK(pair_analyse(&p) == 0);
		if (p.a != NULL) {
			CHECK(packets_totals(p.a)->capture[PK_CLIENT].linktype == kinds[i].linktype);
			check_clean(&p);
		}
		pair_close(&p);
	}
}

/* The client's first SYN is dropped by the server's kernel (both captures hold it) and answered after its
 * retransmission 1 s later; a second connection's first SYN is lost on the link (only the client's capture). */
static void test_syn_retransmitted(void)
{
	const struct pk_totals *t;
	const struct pk_conn *c;
	struct pair p;

	pair_open(&p);
	wire(&p, 0, PK_CLIENT, 40001, TCPF_SYN, 7000, 0, 0, BOTH);
	wire(&p, 1000000, PK_CLIENT, 40001, TCPF_SYN, 7000, 0, 0, BOTH);
	wire(&p, 1000100, PK_SERVER, 40001, TCPF_SYN | TCPF_ACK, 9000, 7001, 0, BOTH);
	wire(&p, 1000200, PK_CLIENT, 40001, TCPF_ACK, 7001, 9001, 0, BOTH);

	wire(&p, 10, PK_CLIENT, 40002, TCPF_SYN, 3000, 0, 0, SENDER_ONLY);
	wire(&p, 1000010, PK_CLIENT, 40002, TCPF_SYN, 3000, 0, 0, BOTH);
	wire(&p, 1000110, PK_SERVER, 40002, TCPF_SYN | TCPF_ACK, 4000, 3001, 0, BOTH);
	wire(&p, 1000210, PK_CLIENT, 40002, TCPF_ACK, 3001, 4001, 0, BOTH);
	CHECK(pair_analyse(&p) == 0);
	if (p.a == NULL)
		goto out;
	t = packets_totals(p.a);
	CHECK(t->connections == 2 && t->completed == 2);
	CHECK(t->syn == 4 && t->syn_retrans == 2 && t->synack == 2 && t->synack_retrans == 0);
	CHECK(t->band_retrans[0] == 0 && t->band_retrans[1] == 2 && t->band_time[SYN_BAND_1S] == 2);
	CHECK(t->only_sender == 1 && t->only_receiver == 0);
	c = conn_on(&p, 40001);
	CHECK(c != NULL && c->syn == 2 && c->syn_retrans == 1 && c->handshake_us == 1000200);
	if (c != NULL && c->event_count == 4) {
		CHECK(c->events[0].kind == PK_SYN && !(c->events[0].marks & PK_MARK_RETRANS));
		CHECK(c->events[1].kind == PK_SYN && (c->events[1].marks & PK_MARK_RETRANS));
		/* Each SYN matched with its own arrival, not the other's. */
		CHECK(c->events[0].arrive_us == T0 + TRANSIT_US);
		CHECK(c->events[1].arrive_us == T0 + 1000000 + TRANSIT_US);
	}
	c = conn_on(&p, 40002);
	CHECK(c != NULL && c->syn == 2 && c->only_sender == 1 && c->only_receiver == 0);
	if (c != NULL && c->event_count == 4) {
		CHECK(packets_event_seen(&c->events[0]) == PK_SEEN_SENDER && c->events[0].arrive_us == -1);
		CHECK(packets_event_seen(&c->events[1]) == PK_SEEN_BOTH && c->events[1].arrive_us == T0 + 1000010 + TRANSIT_US);
	}
out:
	pair_close(&p);
}

/* The final ACK reaches a full accept queue: the server retransmits its SYN-ACK twice, the client ACKs each. */
static void test_synack_retransmitted(void)
{
	const struct pk_conn *c;
	struct pair p;

	pair_open(&p);
	wire(&p, 0, PK_CLIENT, 40003, TCPF_SYN, 100, 0, 0, BOTH);
	wire(&p, 100, PK_SERVER, 40003, TCPF_SYN | TCPF_ACK, 200, 101, 0, BOTH);
	wire(&p, 200, PK_CLIENT, 40003, TCPF_ACK, 101, 201, 0, BOTH);
	wire(&p, 300, PK_CLIENT, 40003, TCPF_ACK | TCPF_PSH, 101, 201, 50, BOTH);
	wire(&p, 1000100, PK_SERVER, 40003, TCPF_SYN | TCPF_ACK, 200, 101, 0, BOTH);
	wire(&p, 1000200, PK_CLIENT, 40003, TCPF_ACK, 151, 201, 0, BOTH);
	wire(&p, 3000100, PK_SERVER, 40003, TCPF_SYN | TCPF_ACK, 200, 101, 0, BOTH);
	wire(&p, 3000200, PK_CLIENT, 40003, TCPF_ACK, 151, 201, 0, BOTH);
	CHECK(pair_analyse(&p) == 0);
	if (p.a == NULL)
		goto out;
	CHECK(packets_totals(p.a)->synack == 3 && packets_totals(p.a)->synack_retrans == 2);
	c = conn_on(&p, 40003);
	CHECK(c != NULL && c->synack == 3 && c->synack_retrans == 2 && c->syn_retrans == 0);
	/* The handshake completed with the first ACK; each repeated ACK is in the ladder. */
	CHECK(c != NULL && c->completed && c->handshake_us == 200);
	CHECK(c != NULL && c->event_count == 8);
	if (c != NULL && c->event_count == 8) {
		CHECK(c->events[4].kind == PK_SYNACK && (c->events[4].marks & PK_MARK_RETRANS));
		CHECK(c->events[5].kind == PK_ACK && c->events[7].kind == PK_ACK);
		CHECK(c->events[3].kind == PK_DATA);
	}
out:
	pair_close(&p);
}

/* RSTs from the server: one after the handshake (tcp_abort_on_overflow), one refusing a SYN. */
static void test_server_resets(void)
{
	struct pk_pick picks[8];
	const struct pk_conn *c;
	size_t n;
	struct pair p;

	pair_open(&p);
	wire(&p, 0, PK_CLIENT, 40004, TCPF_SYN, 100, 0, 0, BOTH);
	wire(&p, 100, PK_SERVER, 40004, TCPF_SYN | TCPF_ACK, 200, 101, 0, BOTH);
	wire(&p, 200, PK_CLIENT, 40004, TCPF_ACK, 101, 201, 0, BOTH);
	wire(&p, 300, PK_SERVER, 40004, TCPF_RST, 201, 0, 0, BOTH);
	wire(&p, 1000, PK_CLIENT, 40005, TCPF_SYN, 500, 0, 0, BOTH);
	wire(&p, 1100, PK_SERVER, 40005, TCPF_RST | TCPF_ACK, 0, 501, 0, BOTH);
	CHECK(pair_analyse(&p) == 0);
	if (p.a == NULL)
		goto out;
	CHECK(packets_totals(p.a)->rst[PK_SERVER] == 2 && packets_totals(p.a)->rst[PK_CLIENT] == 0);
	CHECK(packets_totals(p.a)->connections == 2 && packets_totals(p.a)->unanswered == 0);
	c = conn_on(&p, 40004);
	CHECK(c != NULL && c->rst[PK_SERVER] == 1 && c->completed && c->event_count == 4);
	CHECK(c != NULL && c->event_count == 4 && c->events[3].kind == PK_RST && c->events[3].from == PK_SERVER);
	c = conn_on(&p, 40005);
	CHECK(c != NULL && c->rst[PK_SERVER] == 1 && c->answered && !c->completed);
	n = packets_select(p.a, 8, picks);
	CHECK(n == 2);
	CHECK(n == 2 && (picks[0].reasons & PK_REASON_RESET) && (picks[1].reasons & PK_REASON_RESET));
	CHECK(n == 2 && (picks[1].reasons & PK_REASON_INCOMPLETE));
out:
	pair_close(&p);
}

/* A SYN never answered: sent and retransmitted twice, nothing comes back. */
static void test_unanswered_syn(void)
{
	const struct pk_totals *t;
	const struct pk_conn *c;
	struct pair p;

	pair_open(&p);
	wire(&p, 0, PK_CLIENT, 40006, TCPF_SYN, 100, 0, 0, BOTH);
	wire(&p, 1000000, PK_CLIENT, 40006, TCPF_SYN, 100, 0, 0, BOTH);
	wire(&p, 3000000, PK_CLIENT, 40006, TCPF_SYN, 100, 0, 0, BOTH);
	clean_exchange(&p, 4000000, 40000, 1000, 5000);
	CHECK(pair_analyse(&p) == 0);
	if (p.a == NULL)
		goto out;
	t = packets_totals(p.a);
	CHECK(t->connections == 2 && t->unanswered == 1 && t->never_completed == 1 && t->completed == 1);
	CHECK(t->syn == 4 && t->syn_retrans == 2);
	c = conn_on(&p, 40006);
	CHECK(c != NULL && !c->answered && !c->completed && c->syn == 3 && c->syn_retrans == 2);
	CHECK(c != NULL && c->handshake_us == -1 && c->established_us == -1 && c->first_syn_us == T0);
out:
	pair_close(&p);
}

/* One client port carries two connections in turn (a new ISN); the first one's last ACK reaches the server's
 * capture after the second SYN was sent, and still goes to the first. */
static void test_port_reuse(void)
{
	struct in_addr cli;
	const struct pk_conn *c1;
	const struct pk_conn *c2;
	struct pair p;

	inet_pton(AF_INET, CLI, &cli);
	pair_open(&p);
	clean_exchange(&p, 0, 40007, 1000, 5000);
	/* The second connection: SYN in the client's capture 5 us before the first one's last ACK arrives. */
	pf_tcp(&p.cap[PK_CLIENT], T0 + 5410, CLI, 40007, SRV, PORT, TCPF_SYN, 900000, 0, 0);
	pf_tcp(&p.cap[PK_SERVER], T0 + 5430, CLI, 40007, SRV, PORT, TCPF_SYN, 900000, 0, 0);
	wire(&p, 5500, PK_SERVER, 40007, TCPF_SYN | TCPF_ACK, 77000, 900001, 0, BOTH);
	wire(&p, 5600, PK_CLIENT, 40007, TCPF_ACK, 900001, 77001, 0, BOTH);
	wire(&p, 5700, PK_CLIENT, 40007, TCPF_RST | TCPF_ACK, 900001, 77001, 0, BOTH);
	CHECK(pair_analyse(&p) == 0);
	if (p.a == NULL)
		goto out;
	CHECK(packets_conn_count(p.a) == 2);
	c1 = packets_conn(p.a, 0);
	c2 = packets_conn(p.a, 1);
	CHECK(c1 != NULL && c1->instance == 1 && c1->client_isn == 1000 && c1->event_count == 7 && c1->rst[PK_CLIENT] == 0);
	CHECK(c1 != NULL && c1->only_sender == 0 && c1->only_receiver == 0);
	CHECK(c1 != NULL && c1->last_us == T0 + 5420);
	CHECK(c2 != NULL && c2->instance == 2 && c2->client_isn == 900000 && c2->completed && c2->rst[PK_CLIENT] == 1);
	CHECK(c2 != NULL && c2->handshake_us == 190);
	/* A client record joins its connection by port and start time. */
	CHECK(packets_find(p.a, &cli, 1, 40007, T0 - 50) == c1);
	CHECK(packets_find(p.a, &cli, 1, 40007, T0 + 5400) == c2);
	CHECK(packets_find(p.a, &cli, 1, 40007, T0 + 5410) == c2);
	CHECK(packets_find(p.a, &cli, 1, 40007, T0 + 5410 + PK_FIND_SLACK_US) == c2);
	CHECK(packets_find(p.a, &cli, 1, 40007, T0 + 5410 + PK_FIND_SLACK_US + 1) == NULL);
	CHECK(packets_find(p.a, &cli, 1, 40007, -1) == c1);
	CHECK(packets_find(p.a, &cli, 1, 40008, -1) == NULL);
	inet_pton(AF_INET, "198.18.0.3", &cli);
	CHECK(packets_find(p.a, &cli, 1, 40007, -1) == NULL);
out:
	pair_close(&p);
}

/* Connections closed with RST reuse their port within microseconds: each record finds its own. */
static void test_rapid_port_reuse(void)
{
	const struct pk_conn *c;
	struct pair p;

	pair_open(&p);
	for (uint32_t i = 0; i < 5; i++) {
		int64_t t = i * 300;
		uint32_t isn = 1000 + i * 100000;

		wire(&p, t, PK_CLIENT, 40020, TCPF_SYN, isn, 0, 0, BOTH);
		wire(&p, t + 50, PK_SERVER, 40020, TCPF_SYN | TCPF_ACK, 7 + i, isn + 1, 0, BOTH);
		wire(&p, t + 100, PK_CLIENT, 40020, TCPF_ACK, isn + 1, 8 + i, 0, BOTH);
		wire(&p, t + 150, PK_CLIENT, 40020, TCPF_RST | TCPF_ACK, isn + 1, 8 + i, 0, BOTH);
	}
	CHECK(pair_analyse(&p) == 0);
	if (p.a == NULL)
		goto out;
	CHECK(packets_conn_count(p.a) == 5 && packets_totals(p.a)->completed == 5);
	CHECK(packets_totals(p.a)->rst[PK_CLIENT] == 5 && packets_totals(p.a)->only_sender == 0);
	for (uint32_t i = 0; i < 5; i++) {
		/* The record's start comes a little before its SYN. */
		c = packets_find(p.a, NULL, 0, 40020, T0 + i * 300 - 10);
		CHECK(c != NULL && c->instance == i + 1 && c->client_isn == 1000 + i * 100000 && c->rst[PK_CLIENT] == 1);
		CHECK(c != NULL && c->event_count == 4 && c->handshake_us == 100);
	}
out:
	pair_close(&p);
}

/* Packets that one capture lacks: lost on the link, and missed by the sender's capture. */
static void test_one_side(void)
{
	const struct pk_conn *c;
	struct pair p;

	pair_open(&p);
	wire(&p, 0, PK_CLIENT, 40009, TCPF_SYN, 100, 0, 0, BOTH);
	wire(&p, 100, PK_SERVER, 40009, TCPF_SYN | TCPF_ACK, 200, 101, 0, RECEIVER_ONLY);
	wire(&p, 200, PK_CLIENT, 40009, TCPF_ACK, 101, 201, 0, BOTH);
	wire(&p, 300, PK_CLIENT, 40009, TCPF_FIN | TCPF_ACK, 101, 201, 0, SENDER_ONLY);
	CHECK(pair_analyse(&p) == 0);
	if (p.a == NULL)
		goto out;
	c = conn_on(&p, 40009);
	CHECK(c != NULL && c->only_sender == 1 && c->only_receiver == 1 && c->synack == 1 && c->completed);
	if (c != NULL && c->event_count == 4) {
		CHECK(packets_event_seen(&c->events[1]) == PK_SEEN_RECEIVER && c->events[1].send_us == -1);
		CHECK(packets_event_us(&c->events[1]) == T0 + 100 + TRANSIT_US);
		CHECK(packets_event_seen(&c->events[3]) == PK_SEEN_SENDER);
	}
	CHECK(packets_totals(p.a)->only_sender == 1 && packets_totals(p.a)->only_receiver == 1);
out:
	pair_close(&p);
}

/* With one capture the ladder still comes, each event from that capture alone. */
static void test_one_capture(void)
{
	struct pk_options opt = server_options();
	const struct pk_conn *c;
	json_t *j;
	struct pair p;

	pair_open(&p);
	clean_exchange(&p, 0, 40000, 1000, 5000);
	CHECK(pair_analyse_with(&p, &opt, 1, 0) == 0);
	if (p.a == NULL)
		goto out;
	CHECK(packets_totals(p.a)->packets_read == 10 && !packets_totals(p.a)->capture[PK_SERVER].given);
	c = conn_on(&p, 40000);
	CHECK(c != NULL && c->event_count == 7 && c->completed && c->handshake_us == 200);
	CHECK(c != NULL && c->event_count == 7 && packets_event_seen(&c->events[0]) == PK_SEEN_SENDER &&
	      packets_event_seen(&c->events[1]) == PK_SEEN_RECEIVER);
	j = packets_totals_json(p.a);
	CHECK(j != NULL && json_object_get(j, "seen_one_side") == NULL);
	CHECK(j != NULL && json_is_null(json_object_get(json_object_get(j, "captures"), "server")));
	json_decref(j);
out:
	pair_close(&p);
}

/* Frames to mangle: one clean SYN of each link type. */
static uint32_t good_frame(int linktype, int vlan_tags, uint8_t *buf)
{
	struct pf_writer w = { .linktype = linktype, .vlan_tags = vlan_tags };
	uint32_t l2 = pf_link_header(&w, buf, 0x0800);
	uint8_t *ip = buf + l2;

	memset(ip, 0, 40);
	ip[0] = 0x45;
	pf_put16(ip + 2, 40);
	ip[9] = 6;
	inet_pton(AF_INET, CLI, ip + 12);
	inet_pton(AF_INET, SRV, ip + 16);
	pf_put16(ip + 20, 40000);
	pf_put16(ip + 22, PORT);
	pf_put32(ip + 24, 1234);
	ip[32] = 5 << 4;
	ip[33] = TCPF_SYN;
	return l2 + 40;
}

/* Truncated frames, other protocols and garbage in every link type: counted, never read past their end. */
static void test_hostile_frames(void)
{
	static const struct {
		int linktype;
		int vlan_tags;
	} kinds[] = {
		{ DLT_EN10MB, 0 }, { DLT_EN10MB, 3 }, { DLT_LINUX_SLL, 0 }, { DLT_LINUX_SLL2, 1 }, { DLT_RAW, 0 }, { DLT_IPV4, 0 },
	};
	struct frame_packet pkt;
	uint8_t buf[PF_FRAME_MAX];
	uint32_t len;
	unsigned seed = 12345;

	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		int linktype = kinds[k].linktype;
		uint64_t expect_undecodable = 0, expect_other = 0;
		struct pair p;

		len = good_frame(linktype, kinds[k].vlan_tags, buf);
		CHECK(frame_decode(linktype, buf, len, len, &pkt) == FRAME_TCP);
		CHECK(pkt.src_port == 40000 && pkt.dst_port == PORT && pkt.seq == 1234 && pkt.tcp_flags == TCPF_SYN);
		pair_open_as(&p, linktype, 0);
		/* Every truncation of a good frame: a copy on the heap of exactly that size, so that a read past its
		 * end is caught by the sanitizers. */
		for (uint32_t cut = 0; cut < len; cut++) {
			uint8_t *copy = malloc(cut + 1);

			memcpy(copy, buf, cut);
			CHECK(frame_decode(linktype, copy, cut, len, &pkt) == FRAME_UNDECODABLE);
			free(copy);
			pf_raw(&p.cap[PK_CLIENT], T0 + cut, buf, cut, len);
			expect_undecodable++;
		}
		/* Lengths that lie: an IPv4 total length beyond the frame, a header length under 20, a TCP data
		 * offset under 20 or beyond the total length, a fragment. */
		{
			uint32_t l2 = len - 40;
			uint8_t bad[PF_FRAME_MAX];
			const struct {
				uint32_t at;
				uint8_t value;
			} lies[] = { { 2, 0x05 }, { 0, 0x44 }, { 32, 0x40 }, { 32, 0xf0 }, { 7, 0x08 } };

			for (size_t i = 0; i < sizeof(lies) / sizeof(lies[0]); i++) {
				memcpy(bad, buf, len);
				bad[l2 + lies[i].at] = lies[i].value;
				CHECK(frame_decode(linktype, bad, len, len, &pkt) == FRAME_UNDECODABLE);
				pf_raw(&p.cap[PK_CLIENT], T0 + 1000 + i, bad, len, len);
				expect_undecodable++;
			}
			/* UDP, then (for framed link types) ARP. */
			memcpy(bad, buf, len);
			bad[l2 + 9] = 17;
			CHECK(frame_decode(linktype, bad, len, len, &pkt) == FRAME_NOT_IPV4_TCP);
			pf_raw(&p.cap[PK_CLIENT], T0 + 2000, bad, len, len);
			expect_other++;
			if (linktype != DLT_RAW && linktype != DLT_IPV4) {
				struct pf_writer w = { .linktype = linktype };
				uint32_t n = pf_link_header(&w, bad, 0x0806);

				memset(bad + n, 0, 28);
				CHECK(frame_decode(linktype, bad, n + 28, n + 28, &pkt) == FRAME_NOT_IPV4_TCP);
				pf_raw(&p.cap[PK_CLIENT], T0 + 2001, bad, n + 28, n + 28);
				expect_other++;
			}
		}
		/* Random bytes of random lengths: whatever they decode to, nothing is read past them. */
		for (int i = 0; i < 20000; i++) {
			uint32_t n = (uint32_t)(rand_r(&seed) % 96);
			uint8_t *junk = malloc(n + 1);
			enum frame_result r;

			for (uint32_t b = 0; b < n; b++)
				junk[b] = (uint8_t)rand_r(&seed);
			/* Half of them with a plausible start, to get deeper into the headers. */
			if (i % 2 == 0 && n >= len - 40 + 1)
				memcpy(junk, buf, len - 40 + 1);
			r = frame_decode(linktype, junk, n, n + (uint32_t)(rand_r(&seed) % 64), &pkt);
			CHECK(r == FRAME_TCP || r == FRAME_NOT_IPV4_TCP || r == FRAME_UNDECODABLE);
			free(junk);
		}
		/* The good frame last, so the file holds one connection. */
		pf_raw(&p.cap[PK_CLIENT], T0 + 3000, buf, len, len);
		{
			struct pk_options opt = server_options();
			const struct pk_totals *t;

			CHECK(pair_analyse_with(&p, &opt, 1, 0) == 0);
			if (p.a != NULL) {
				t = packets_totals(p.a);
				CHECK(t->undecodable == expect_undecodable);
				CHECK(t->not_ipv4_tcp == expect_other);
				CHECK(t->packets_read == expect_undecodable + expect_other + 1);
				CHECK(t->connections == 1 && t->syn == 1);
			}
		}
		pair_close(&p);
	}
}

/* Traffic of other ports and hosts is counted apart, not filed under connections. */
static void test_other_tcp(void)
{
	struct pair p;

	pair_open(&p);
	pf_tcp(&p.cap[PK_CLIENT], T0, CLI, 40000, SRV, 9999, TCPF_SYN, 1, 0, 0);
	pf_tcp(&p.cap[PK_CLIENT], T0 + 1, "198.18.0.9", 40000, CLI, PORT, TCPF_SYN, 1, 0, 0);
	wire(&p, 10, PK_CLIENT, 40000, TCPF_SYN, 1, 0, 0, BOTH);
	CHECK(pair_analyse(&p) == 0);
	if (p.a != NULL) {
		CHECK(packets_totals(p.a)->other_tcp == 2 && packets_totals(p.a)->connections == 1);
		CHECK(packets_totals(p.a)->capture[PK_CLIENT].other_tcp == 2);
	}
	pair_close(&p);
}

/* Files that are not captures, or that cannot be read to the end. */
static void test_bad_files(void)
{
	struct pk_options opt = server_options();
	struct pk_analysis *a = NULL;
	struct tl_err err;
	char path[160];
	struct pair p;
	FILE *f;

	pair_open(&p);
	clean_exchange(&p, 0, 40000, 1000, 5000);
	for (int side = 0; side < PK_SIDES; side++)
		pf_close(&p.cap[side]);
	snprintf(path, sizeof(path), "%s/other.pcap", p.dir);

	/* Not a pcap file: an error naming it. */
	f = fopen(path, "w");
	fputs("GET / HTTP/1.1\r\n\r\nnot a capture at all\n", f);
	fclose(f);
	CHECK(packets_analyse(p.path[PK_CLIENT], path, &opt, &a, &err) == -1 && a == NULL);
	CHECK(strstr(err.msg, path) != NULL);
	/* Missing. */
	unlink(path);
	CHECK(packets_analyse(path, NULL, &opt, &a, &err) == -1 && strstr(err.msg, path) != NULL);
	/* Empty. */
	f = fopen(path, "w");
	fclose(f);
	CHECK(packets_analyse(path, NULL, &opt, &a, &err) == -1 && strstr(err.msg, path) != NULL);
	/* A link type it does not read. */
	{
		struct pf_writer w;

		CHECK(pf_open(&w, path, DLT_NULL, 128) == 0);
		pf_close(&w);
		CHECK(packets_analyse(path, NULL, &opt, &a, &err) == -1 && strstr(err.msg, "link type") != NULL);
	}
	/* Options out of range. */
	opt.events_per_conn = 2;
	CHECK(packets_analyse(p.path[PK_CLIENT], NULL, &opt, &a, &err) == -1 && strstr(err.msg, "events") != NULL);
	opt = server_options();
	CHECK(packets_analyse(NULL, NULL, &opt, &a, &err) == -1);

	/* Cut in the middle of the last record: what came before counts, and the cut is reported. */
	{
		struct stat st;
		const struct pk_totals *t;

		CHECK(stat(p.path[PK_SERVER], &st) == 0);
		CHECK(truncate(p.path[PK_SERVER], st.st_size - 30) == 0);
		CHECK(packets_analyse(p.path[PK_CLIENT], p.path[PK_SERVER], &opt, &a, &err) == 0);
		if (a != NULL) {
			t = packets_totals(a);
			CHECK(t->capture[PK_SERVER].packets == 9 && t->capture[PK_CLIENT].packets == 10);
			CHECK(t->capture[PK_SERVER].read_error[0] != '\0' && t->capture[PK_CLIENT].read_error[0] == '\0');
			CHECK(t->completed == 1 && t->fin[PK_CLIENT] == 1);
		}
		packets_free(a);
		a = NULL;
	}
	pair_close(&p);
}

/* Nanosecond files are read in microseconds. */
static void test_nanosecond_file(void)
{
	struct pair p;

	pair_open(&p);
	for (int side = 0; side < PK_SIDES; side++) {
		pf_close(&p.cap[side]);
		CHECK(pf_open_nano(&p.cap[side], p.path[side], DLT_EN10MB, 128) == 0);
	}
	clean_exchange(&p, 0, 40000, 1000, 5000);
	CHECK(pair_analyse(&p) == 0);
	if (p.a != NULL)
		check_clean(&p);
	pair_close(&p);
}

/* A connection with more events than are stored: the counts stay exact, and so does the matching. */
static void test_event_cap(void)
{
	struct pk_options opt = server_options();
	const struct pk_conn *c;
	struct pair p;

	pair_open(&p);
	opt.events_per_conn = 8;
	wire(&p, 0, PK_CLIENT, 40010, TCPF_SYN, 100, 0, 0, BOTH);
	wire(&p, 100, PK_SERVER, 40010, TCPF_SYN | TCPF_ACK, 200, 101, 0, BOTH);
	wire(&p, 200, PK_CLIENT, 40010, TCPF_ACK, 101, 201, 0, BOTH);
	/* 100 RSTs from the client (as to each segment of a closed socket), one lost on the link. */
	for (int i = 0; i < 100; i++)
		wire(&p, 1000 + i * 100, PK_CLIENT, 40010, TCPF_RST, 101 + (uint32_t)(i % 7), 0, 0, i == 50 ? SENDER_ONLY : BOTH);
	CHECK(pair_analyse_with(&p, &opt, 1, 1) == 0);
	if (p.a == NULL)
		goto out;
	c = conn_on(&p, 40010);
	CHECK(c != NULL && c->rst[PK_CLIENT] == 100 && c->event_count == 8 && c->events_total == 103);
	CHECK(c != NULL && c->only_sender == 1 && c->only_receiver == 0);
	CHECK(packets_totals(p.a)->events_not_stored == 95);
out:
	pair_close(&p);
}

/* Many connections: the selection stays within its limit, has no duplicates, covers each category, in order. */
static void test_selection(void)
{
	struct pk_pick picks[16];
	int seen_band[3] = { 0 };
	int resets = 0, incomplete = 0, slowest = 0;
	size_t n;
	struct pair p;

	pair_open(&p);
	/* 30 clean connections with rising handshake times, 10 with one SYN retransmission, 30 flood SYNs never
	 * completed, 10 reset by the server, 2 with two SYN retransmissions. */
	for (uint16_t i = 0; i < 30; i++) {
		uint16_t port = (uint16_t)(41000 + i);
		int64_t t = i * 10000;

		wire(&p, t, PK_CLIENT, port, TCPF_SYN, 1000u * i, 0, 0, BOTH);
		wire(&p, t + 50, PK_SERVER, port, TCPF_SYN | TCPF_ACK, 7, 1000u * i + 1, 0, BOTH);
		wire(&p, t + 100 + i * 10, PK_CLIENT, port, TCPF_ACK, 1000u * i + 1, 8, 0, BOTH);
	}
	for (uint16_t i = 0; i < 10; i++) {
		uint16_t port = (uint16_t)(42000 + i);
		int64_t t = 400000 + i * 10000;

		wire(&p, t, PK_CLIENT, port, TCPF_SYN, 5, 0, 0, BOTH);
		wire(&p, t + 1000000, PK_CLIENT, port, TCPF_SYN, 5, 0, 0, BOTH);
		wire(&p, t + 1000050, PK_SERVER, port, TCPF_SYN | TCPF_ACK, 7, 6, 0, BOTH);
		wire(&p, t + 1000100, PK_CLIENT, port, TCPF_ACK, 6, 8, 0, BOTH);
	}
	for (uint16_t i = 0; i < 30; i++)
		wire(&p, 2000000 + i * 100, PK_CLIENT, (uint16_t)(43000 + i), TCPF_SYN, 9, 0, 0, BOTH);
	for (uint16_t i = 0; i < 10; i++) {
		uint16_t port = (uint16_t)(44000 + i);
		int64_t t = 3000000 + i * 1000;

		wire(&p, t, PK_CLIENT, port, TCPF_SYN, 11, 0, 0, BOTH);
		wire(&p, t + 50, PK_SERVER, port, TCPF_RST | TCPF_ACK, 0, 12, 0, BOTH);
	}
	for (uint16_t i = 0; i < 2; i++) {
		uint16_t port = (uint16_t)(45000 + i);
		int64_t t = 4000000 + i * 1000;

		wire(&p, t, PK_CLIENT, port, TCPF_SYN, 13, 0, 0, BOTH);
		wire(&p, t + 1000000, PK_CLIENT, port, TCPF_SYN, 13, 0, 0, BOTH);
		wire(&p, t + 3000000, PK_CLIENT, port, TCPF_SYN, 13, 0, 0, BOTH);
		wire(&p, t + 3000050, PK_SERVER, port, TCPF_SYN | TCPF_ACK, 7, 14, 0, BOTH);
		wire(&p, t + 3000100, PK_CLIENT, port, TCPF_ACK, 14, 8, 0, BOTH);
	}
	CHECK(pair_analyse(&p) == 0);
	if (p.a == NULL)
		goto out;
	CHECK(packets_totals(p.a)->connections == 82);
	CHECK(packets_totals(p.a)->band_retrans[0] == 30 && packets_totals(p.a)->band_retrans[1] == 10 &&
	      packets_totals(p.a)->band_retrans[2] == 2);
	n = packets_select(p.a, 16, picks);
	CHECK(n == 16);
	for (size_t i = 0; i < n; i++) {
		const struct pk_conn *c = picks[i].conn;

		if (i > 0)
			CHECK(picks[i - 1].conn < c && picks[i - 1].conn->first_us <= c->first_us);
		if (picks[i].reasons & PK_REASON_BAND)
			seen_band[c->syn_retrans < 3 ? c->syn_retrans : 2]++;
		resets += (picks[i].reasons & PK_REASON_RESET) != 0;
		incomplete += (picks[i].reasons & PK_REASON_INCOMPLETE) != 0;
		slowest += (picks[i].reasons & PK_REASON_SLOWEST) != 0;
		CHECK(picks[i].reasons != 0);
	}
	CHECK(seen_band[0] == 1 && seen_band[1] == 1 && seen_band[2] == 1);
	/* 3 band picks, then 13 in turn: slowest, reset, incomplete ... (5, 4, 4 at least). */
	CHECK(resets >= 4 && incomplete >= 8 && slowest >= 4);
	/* The slowest handshakes are the two with two retransmissions, then the ten with one. */
	CHECK(picks[n - 1].conn->syn_retrans == 2 && (picks[n - 1].reasons & PK_REASON_SLOWEST));
	/* The same selection again: stable. */
	{
		struct pk_pick again[16];

		CHECK(packets_select(p.a, 16, again) == n);
		for (size_t i = 0; i < n; i++)
			CHECK(again[i].conn == picks[i].conn && again[i].reasons == picks[i].reasons);
		CHECK(packets_select(p.a, 0, again) == 0);
		CHECK(packets_select(p.a, 3, again) == 3 && (again[0].reasons & PK_REASON_BAND) &&
		      (again[2].reasons & PK_REASON_BAND));
	}
out:
	pair_close(&p);
}

/* The JSON of the totals and of one ladder, in the documented shape. */
static void test_json(void)
{
	json_t *doc, *ladder, *ev, *tot;
	struct pair p;

	pair_open(&p);
	wire(&p, 0, PK_CLIENT, 40000, TCPF_SYN, 1000, 0, 0, SENDER_ONLY);
	clean_exchange(&p, 1000000, 40000, 1000, 5000);
	CHECK(pair_analyse(&p) == 0);
	if (p.a == NULL)
		goto out;
	doc = packets_doc_json(p.a, PK_LADDERS_DEFAULT);
	CHECK(doc != NULL);
	CHECK_STR(json_string_value(json_object_get(doc, "server")), SRV ":8080");
	tot = json_object_get(doc, "totals");
	CHECK(json_integer_value(json_object_get(tot, "syn")) == 2);
	CHECK(json_integer_value(json_object_get(tot, "syn_retrans")) == 1);
	CHECK(json_integer_value(json_object_get(json_object_get(tot, "fin"), "server")) == 1);
	CHECK(json_integer_value(json_object_get(json_object_get(tot, "seen_one_side"), "sender")) == 1);
	CHECK(json_integer_value(json_object_get(json_object_get(json_object_get(tot, "bands"), "by_retrans"), "1")) == 1);
	CHECK(json_integer_value(json_object_get(json_object_get(json_object_get(tot, "bands"), "by_time"), "1s")) == 1);
	CHECK(json_integer_value(json_object_get(json_object_get(json_object_get(tot, "captures"), "client"), "packets")) == 11);
	CHECK_STR(json_string_value(json_object_get(json_object_get(json_object_get(tot, "captures"), "server"), "link_type")),
		  "EN10MB");
	CHECK(json_array_size(json_object_get(doc, "ladders")) == 1);
	ladder = json_array_get(json_object_get(doc, "ladders"), 0);
	CHECK_STR(json_string_value(json_object_get(ladder, "client")), CLI ":40000");
	CHECK_STR(json_string_value(json_object_get(ladder, "server")), SRV ":8080");
	CHECK(json_integer_value(json_object_get(ladder, "syn_retrans")) == 1);
	CHECK(json_integer_value(json_object_get(ladder, "handshake_us")) == 1000200);
	CHECK_STR(json_string_value(json_object_get(json_object_get(ladder, "band"), "retrans")), "1");
	CHECK_STR(json_string_value(json_object_get(json_object_get(ladder, "band"), "time")), "1s");
	CHECK(json_is_true(json_object_get(ladder, "completed")));
	CHECK(json_array_size(json_object_get(ladder, "events")) == 8);
	ev = json_array_get(json_object_get(ladder, "events"), 0);
	CHECK(json_integer_value(json_object_get(ev, "t_us")) == T0);
	CHECK_STR(json_string_value(json_object_get(ev, "from")), "client");
	CHECK_STR(json_string_value(json_object_get(ev, "kind")), "SYN");
	CHECK_STR(json_string_value(json_object_get(ev, "flags")), "S");
	CHECK_STR(json_string_value(json_object_get(ev, "seen")), "sender");
	CHECK(json_object_get(ev, "arrive_us") == NULL);
	ev = json_array_get(json_object_get(ladder, "events"), 2);
	CHECK_STR(json_string_value(json_object_get(ev, "kind")), "SYN-ACK");
	CHECK_STR(json_string_value(json_object_get(ev, "flags")), "S.");
	CHECK_STR(json_string_value(json_object_get(ev, "from")), "server");
	CHECK_STR(json_string_value(json_object_get(ev, "seen")), "both");
	CHECK(json_integer_value(json_object_get(ev, "arrive_us")) == T0 + 1000100 + TRANSIT_US);
	CHECK(json_is_true(json_object_get(json_array_get(json_object_get(ladder, "events"), 1), "retrans")));
	json_decref(doc);
out:
	pair_close(&p);
}

/* The text ladder: one line per event, arrows pointing the right way, lost packets crossed. */
static void test_text(void)
{
	struct pk_pick pick;
	char *buf = NULL;
	size_t len = 0;
	FILE *out;
	struct pair p;

	pair_open(&p);
	wire(&p, 0, PK_CLIENT, 40000, TCPF_SYN, 1000, 0, 0, SENDER_ONLY);
	clean_exchange(&p, 1000000, 40000, 1000, 5000);
	CHECK(pair_analyse(&p) == 0);
	if (p.a == NULL)
		goto out;
	CHECK(packets_select(p.a, 1, &pick) == 1);
	out = open_memstream(&buf, &len);
	packets_print_totals(out, p.a);
	packets_print_ladder(out, p.a, &pick);
	fclose(out);
	CHECK(strstr(buf, "SYN 2 (retransmissions 1), SYN-ACK 1 (retransmissions 0)") != NULL);
	CHECK(strstr(buf, "198.18.0.2:40000 > 198.18.0.1:8080") != NULL);
	CHECK(strstr(buf, "handshake 1.000s") != NULL);
	CHECK(strstr(buf, "client ---- SYN [S] ") != NULL && strstr(buf, " x server  not in the server's capture") != NULL);
	CHECK(strstr(buf, "client <--- SYN-ACK [S.] ") != NULL);
	CHECK(strstr(buf, "SYN [S] retrans") != NULL);
	CHECK(strstr(buf, "+1.000000  client") != NULL);
	free(buf);
out:
	pair_close(&p);
}

int main(void)
{
	RUN(test_clean_exchange);
	RUN(test_link_types);
	RUN(test_syn_retransmitted);
	RUN(test_synack_retransmitted);
	RUN(test_server_resets);
	RUN(test_unanswered_syn);
	RUN(test_port_reuse);
	RUN(test_rapid_port_reuse);
	RUN(test_one_side);
	RUN(test_one_capture);
	RUN(test_hostile_frames);
	RUN(test_other_tcp);
	RUN(test_bad_files);
	RUN(test_nanosecond_file);
	RUN(test_event_cap);
	RUN(test_selection);
	RUN(test_json);
	RUN(test_text);
	return UNIT_END();
}
