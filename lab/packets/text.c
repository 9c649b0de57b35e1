/* text: the totals and the ladders of an analysis as text a person reads: one line per packet, an arrow each. */
#include <arpa/inet.h>
#include <inttypes.h>
#include <string.h>
#include <time.h>

#include "packets/analysis.h"
#include "parse.h"

/* Width of the arrow between the client and server columns. */
#define ARROW_CHARS 40

static void print_capture(FILE *out, const char *side, const struct pk_capture_stats *s)
{
	if (!s->given)
		return;
	fprintf(out, "%s capture %s: %" PRIu64 " frames, link type %s (undecodable %" PRIu64 ", not IPv4 TCP %" PRIu64
		     ", other TCP %" PRIu64 ")\n",
		side, s->path, s->packets, frame_linktype_name(s->linktype), s->undecodable, s->not_ipv4_tcp, s->other_tcp);
	if (s->read_error[0] != '\0')
		fprintf(out, "  reading stopped early: %s\n", s->read_error);
}

void packets_print_totals(FILE *out, const struct pk_analysis *a)
{
	const struct pk_totals *t = &a->totals;
	char ip[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &a->tab.opt.server.sin_addr, ip, sizeof(ip));
	fprintf(out, "server %s:%u\n", ip, ntohs(a->tab.opt.server.sin_port));
	print_capture(out, "client", &t->capture[PK_CLIENT]);
	print_capture(out, "server", &t->capture[PK_SERVER]);
	fprintf(out, "connections %" PRIu64 ": completed %" PRIu64 ", never completed %" PRIu64 ", SYN never answered %" PRIu64
		     "\n",
		t->connections, t->completed, t->never_completed, t->unanswered);
	fprintf(out, "SYN %" PRIu64 " (retransmissions %" PRIu64 "), SYN-ACK %" PRIu64 " (retransmissions %" PRIu64 ")\n",
		t->syn, t->syn_retrans, t->synack, t->synack_retrans);
	fprintf(out, "FIN client %" PRIu64 " server %" PRIu64 ", RST client %" PRIu64 " server %" PRIu64 "\n",
		t->fin[PK_CLIENT], t->fin[PK_SERVER], t->rst[PK_CLIENT], t->rst[PK_SERVER]);
	if (a->tab.captures == 2)
		fprintf(out, "in one capture only: %" PRIu64 " sent and never received (lost on the link or missed by the "
			     "receiver's capture), %" PRIu64 " received but missing from the sender's capture\n",
			t->only_sender, t->only_receiver);
	fprintf(out, "handshakes by SYN retransmissions:");
	for (int b = 0; b < PK_BANDS_RETRANS; b++) {
		if (t->band_retrans[b] > 0)
			fprintf(out, " %s%d: %" PRIu64, b == PK_BANDS_RETRANS - 1 ? ">=" : "", b, t->band_retrans[b]);
	}
	fprintf(out, "\nhandshakes by time:");
	for (int b = 0; b < SYN_BAND_COUNT; b++)
		fprintf(out, " %s%s: %" PRIu64, b == SYN_BAND_0 || b == SYN_BAND_MORE ? "" : "~",
			stats_syn_band_name((enum syn_band)b), t->band_time[b]);
	fprintf(out, "\n");
	if (t->events_not_stored > 0)
		fprintf(out, "ladder events beyond the per-connection cap: %" PRIu64 " (counted, not listed)\n",
			t->events_not_stored);
}

/* The arrow of one event: its label inside dashes, pointing from sender to receiver; 'x' where it never
 * arrived, '?' where the sender's capture lacks it (only with both captures). */
static void arrow(const struct pk_event *e, int captures, char *buf)
{
	char flags[16];
	char label[64];
	size_t len;
	enum pk_seen seen = packets_event_seen(e);
	int lost = captures == 2 && seen == PK_SEEN_SENDER;
	int unsent = captures == 2 && seen == PK_SEEN_RECEIVER;

	packets_flags_text(e->tcp_flags, flags, sizeof(flags));
	if (e->payload_bytes > 0)
		snprintf(label, sizeof(label), " %s [%s] %" PRIu32 "B%s ", packets_kind_name((enum pk_kind)e->kind), flags,
			 e->payload_bytes, (e->marks & PK_MARK_RETRANS) ? " retrans" : "");
	else
		snprintf(label, sizeof(label), " %s [%s]%s ", packets_kind_name((enum pk_kind)e->kind), flags,
			 (e->marks & PK_MARK_RETRANS) ? " retrans" : "");
	memset(buf, '-', ARROW_CHARS);
	buf[ARROW_CHARS] = '\0';
	/* Room for the tail and tip of the arrow on both ends. */
	len = strlen(label);
	if (len > ARROW_CHARS - 8)
		len = ARROW_CHARS - 8;
	memcpy(buf + 4, label, len);
	if (e->from == PK_CLIENT) {
		buf[0] = unsent ? '?' : '-';
		buf[ARROW_CHARS - 2] = lost ? ' ' : '-';
		buf[ARROW_CHARS - 1] = lost ? 'x' : '>';
	} else {
		buf[0] = lost ? 'x' : '<';
		buf[1] = lost ? ' ' : '-';
		buf[ARROW_CHARS - 1] = unsent ? '?' : '-';
	}
}

static void print_reasons(FILE *out, unsigned reasons)
{
	static const struct {
		unsigned bit;
		const char *text;
	} names[] = {
		{ PK_REASON_BAND, "first of its SYN band" },
		{ PK_REASON_SLOWEST, "slowest" },
		{ PK_REASON_RESET, "reset" },
		{ PK_REASON_INCOMPLETE, "never completed" },
	};
	const char *sep = " [";

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (reasons & names[i].bit) {
			fprintf(out, "%s%s", sep, names[i].text);
			sep = ", ";
		}
	}
	if (reasons != 0)
		fprintf(out, "]");
}

void packets_print_ladder(FILE *out, const struct pk_analysis *a, const struct pk_pick *pick)
{
	const struct pk_conn *c = pick->conn;
	const char *receiver_name[PK_SIDES] = { "server", "client" };
	char client[INET_ADDRSTRLEN], server[INET_ADDRSTRLEN];
	char when[64], took[32], line[ARROW_CHARS + 1];
	time_t secs = (time_t)(c->first_us / 1000000);
	struct tm tm;

	inet_ntop(AF_INET, &c->client_addr, client, sizeof(client));
	inet_ntop(AF_INET, &c->server_addr, server, sizeof(server));
	if (gmtime_r(&secs, &tm) == NULL || strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm) == 0)
		snprintf(when, sizeof(when), "%" PRId64 " s", (int64_t)secs);
	fprintf(out, "\n%s:%u > %s:%u", client, c->client_port, server, c->server_port);
	if (c->instance > 1)
		fprintf(out, " (connection %" PRIu32 " on this port)", c->instance);
	print_reasons(out, pick->reasons);
	fprintf(out, " from %s.%06" PRId64 " UTC\n", when, c->first_us % 1000000);
	if (c->handshake_us >= 0) {
		format_duration_us(c->handshake_us, took, sizeof(took));
		fprintf(out, "  handshake %s", took);
	} else {
		fprintf(out, "  %s", !c->has_syn ? "no SYN in the captures" : c->answered ? "never completed" : "SYN never answered");
	}
	fprintf(out, "; SYN %" PRIu32 " (retransmissions %" PRIu32 "), SYN-ACK %" PRIu32 " (retransmissions %" PRIu32
		     "), FIN client %" PRIu32 " server %" PRIu32 ", RST client %" PRIu32 " server %" PRIu32 "\n",
		c->syn, c->syn_retrans, c->synack, c->synack_retrans, c->fin[PK_CLIENT], c->fin[PK_SERVER], c->rst[PK_CLIENT],
		c->rst[PK_SERVER]);
	for (uint32_t i = 0; i < c->event_count; i++) {
		const struct pk_event *e = &c->events[i];
		int64_t rel_us = packets_event_us(e) - c->first_us;

		arrow(e, a->tab.captures, line);
		fprintf(out, "  %+4" PRId64 ".%06" PRId64 "  client %s server", rel_us / 1000000, rel_us % 1000000, line);
		if (a->tab.captures == 2) {
			switch (packets_event_seen(e)) {
			case PK_SEEN_BOTH:
				fprintf(out, "  arrived after %" PRId64 "us", e->arrive_us - e->send_us);
				break;
			case PK_SEEN_SENDER:
				fprintf(out, "  not in the %s's capture", receiver_name[e->from]);
				break;
			case PK_SEEN_RECEIVER:
				fprintf(out, "  not in the %s's capture", packets_side_name((enum pk_side)e->from));
				break;
			}
		}
		fprintf(out, "\n");
	}
	if (c->events_total > c->event_count)
		fprintf(out, "  ... %" PRIu32 " more events not listed\n", c->events_total - c->event_count);
}
