/* gen_pcap: write a client and a server capture of many short connections (pcap_open_dead + pcap_dump), for the
 * packet analyser's benchmark. */
#include <stdio.h>
#include <stdlib.h>

#include "pcap_frames.h"

#define SERVER "198.18.0.1"
#define SERVER_PORT 8080
#define ADDRESSES 4           /* clients 198.18.0.2 .. 198.18.0.5 */
#define PORT_FIRST 32768
#define PORTS 10000           /* a narrow port range: each port carries several connections, with new ISNs */
#define LANES 8               /* connections under way at once */

/* One connection's packets in order: from (0 client, 1 server), flags, seq and ack offsets from the ISNs, length. */
struct step {
	int from;
	uint8_t flags;
	uint32_t seq_off, ack_off, len;
};

static const struct step exchange[] = {
	{ 0, 0x02, 0, 0, 0 },      /* SYN */
	{ 1, 0x12, 0, 1, 0 },      /* SYN-ACK */
	{ 0, 0x10, 1, 1, 0 },      /* ACK */
	{ 0, 0x18, 1, 1, 78 },     /* request */
	{ 1, 0x10, 1, 79, 0 },
	{ 1, 0x18, 1, 79, 200 },   /* response */
	{ 0, 0x10, 79, 201, 0 },
	{ 0, 0x11, 79, 201, 0 },   /* FIN */
	{ 1, 0x11, 201, 80, 0 },   /* FIN */
	{ 0, 0x10, 80, 202, 0 },
};
#define STEPS (sizeof(exchange) / sizeof(exchange[0]))

/* A connection under way in one lane. */
struct lane {
	char client[16];
	uint16_t port;
	uint32_t cisn, sisn;
	unsigned step;
	int dropped_syn; /* its first SYN is sent again (a SYN retransmission) */
};

int main(int argc, char **argv)
{
	struct pf_writer cap[2];
	struct lane lanes[LANES];
	unsigned long long want, written = 0, conns = 0;
	int64_t t_us = 1700000000000000LL;
	char *end;

	if (argc != 4) {
		fprintf(stderr, "usage: gen_pcap CLIENT.pcap SERVER.pcap PACKETS_PER_FILE\n");
		return 2;
	}
	want = strtoull(argv[3], &end, 10);
	if (*end != '\0' || want == 0) {
		fprintf(stderr, "gen_pcap: '%s' is not a packet count\n", argv[3]);
		return 2;
	}
	if (pf_open(&cap[0], argv[1], DLT_EN10MB, 128) != 0 || pf_open(&cap[1], argv[2], DLT_EN10MB, 128) != 0) {
		fprintf(stderr, "gen_pcap: cannot write %s or %s\n", argv[1], argv[2]);
		return 1;
	}
	for (unsigned l = 0; l < LANES; l++)
		lanes[l].step = STEPS;
	while (written < want) {
		for (unsigned l = 0; l < LANES && written < want; l++) {
			struct lane *c = &lanes[l];
			const struct step *s;
			const char *src, *dst;
			uint16_t sport, dport;

			if (c->step == STEPS) {
				/* A new connection: the next address and port, a new ISN; every tenth has its SYN dropped. */
				snprintf(c->client, sizeof(c->client), "198.18.0.%llu", 2 + conns % ADDRESSES);
				c->port = (uint16_t)(PORT_FIRST + (conns / ADDRESSES) % PORTS);
				c->cisn = (uint32_t)(conns * 2654435761u);
				c->sisn = (uint32_t)(conns * 40503u + 7);
				c->step = 0;
				c->dropped_syn = conns % 10 == 0;
				conns++;
			}
			s = &exchange[c->step];
			if (c->dropped_syn && c->step == 1) {
				/* The retransmitted SYN before the SYN-ACK. */
				s = &exchange[0];
				c->dropped_syn = 0;
			} else {
				c->step++;
			}
			src = s->from == 0 ? c->client : SERVER;
			dst = s->from == 0 ? SERVER : c->client;
			sport = s->from == 0 ? c->port : SERVER_PORT;
			dport = s->from == 0 ? SERVER_PORT : c->port;
			/* In the sender's capture, then 1 us later in the receiver's. */
			pf_tcp(&cap[s->from], t_us, src, sport, dst, dport, s->flags,
			       (s->from == 0 ? c->cisn : c->sisn) + s->seq_off,
			       (s->flags & 0x10) ? (s->from == 0 ? c->sisn : c->cisn) + s->ack_off : 0, s->len);
			pf_tcp(&cap[1 - s->from], t_us + 1, src, sport, dst, dport, s->flags,
			       (s->from == 0 ? c->cisn : c->sisn) + s->seq_off,
			       (s->flags & 0x10) ? (s->from == 0 ? c->sisn : c->cisn) + s->ack_off : 0, s->len);
			t_us += 2;
			written++;
		}
	}
	pf_close(&cap[0]);
	pf_close(&cap[1]);
	printf("%llu packets in each file, %llu connections\n", written, conns);
	return 0;
}
