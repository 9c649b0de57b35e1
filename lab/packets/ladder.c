/* ladder: the packets a ladder shows, filed into a connection: their kind, matched across the captures, counted. */
#include <stdlib.h>

#include "packets/conntab.h"

/* Unmatched packets kept for matching once a connection's stored events are full. */
#define RING_OBS 16

/* Who saw a packet: the capture on its sender's side, or the one on its receiver's. */
enum role {
	ROLE_SENDER,
	ROLE_RECEIVER,
};

/* A packet filed past the stored events, waiting for its twin from the other capture. */
struct ring_obs {
	int64_t t_us;
	uint32_t seq, ack, payload_bytes;
	uint8_t tcp_flags, from, role, used;
};

struct obs_ring {
	struct ring_obs obs[RING_OBS];
	unsigned next;
};

/* The ladder kind of a packet in its connection, or -1 when a ladder does not show it. */
static int packet_kind(const struct conn_slot *s, const struct frame_packet *p, enum pk_side sender,
		       uint8_t *marks)
{
	int own_known = sender == PK_CLIENT ? s->client_isn_known : s->server_isn_known;
	uint32_t own_isn = sender == PK_CLIENT ? s->pub.client_isn : s->server_isn;

	*marks = 0;
	if (p->payload_bytes > 0 && own_known && p->seq == own_isn + 1 && !(p->tcp_flags & TCPF_SYN))
		*marks |= PK_MARK_FIRST_DATA;
	if (sender == PK_CLIENT && (p->tcp_flags & (TCPF_ACK | TCPF_SYN | TCPF_RST)) == TCPF_ACK &&
	    s->server_isn_known && p->ack == s->server_isn + 1)
		*marks |= PK_MARK_ACKS_SYNACK;
	if (p->tcp_flags & TCPF_RST)
		return PK_RST;
	if (p->tcp_flags & TCPF_SYN)
		return (p->tcp_flags & TCPF_ACK) ? PK_SYNACK : PK_SYN;
	if (p->tcp_flags & TCPF_FIN)
		return PK_FIN;
	if (*marks & PK_MARK_FIRST_DATA)
		return PK_DATA;
	if ((*marks & PK_MARK_ACKS_SYNACK) && p->payload_bytes == 0)
		return PK_ACK;
	return -1;
}

static int64_t abs_us(int64_t v)
{
	return v < 0 ? -v : v;
}

static int same_packet(const struct pk_event *e, const struct frame_packet *p, enum pk_side sender)
{
	return e->from == sender && e->tcp_flags == p->tcp_flags && e->seq == p->seq && e->ack == p->ack &&
	       e->payload_bytes == p->payload_bytes;
}

/* Match an observation with the closest stored event only the other capture holds; 1 when matched. */
static int match_stored(const struct pk_options *opt, struct conn_slot *s, const struct frame_packet *p,
			enum pk_side sender, enum role role, int64_t t_us)
{
	struct pk_event *best = NULL;
	int64_t best_d = 0;

	for (uint32_t i = 0; i < s->pub.event_count; i++) {
		struct pk_event *e = &s->pub.events[i];
		int64_t mine = role == ROLE_SENDER ? e->send_us : e->arrive_us;
		int64_t other = role == ROLE_SENDER ? e->arrive_us : e->send_us;
		int64_t d;

		if (mine >= 0 || other < 0 || !same_packet(e, p, sender))
			continue;
		d = abs_us(t_us - other);
		if (d <= opt->match_window_us && (best == NULL || d < best_d)) {
			best = e;
			best_d = d;
		}
	}
	if (best == NULL)
		return 0;
	if (role == ROLE_SENDER) {
		best->send_us = t_us;
		s->pub.only_receiver--;
	} else {
		best->arrive_us = t_us;
		s->pub.only_sender--;
	}
	return 1;
}

/* The same past the stored events, against the ring of recent unmatched observations; 1 when matched. */
static int match_ring(const struct pk_options *opt, struct conn_slot *s, const struct frame_packet *p,
		      enum pk_side sender, enum role role, int64_t t_us)
{
	struct ring_obs *best = NULL;
	int64_t best_d = 0;

	for (unsigned i = 0; i < RING_OBS; i++) {
		struct ring_obs *o = &s->ring->obs[i];
		int64_t d = abs_us(t_us - o->t_us);

		if (!o->used || o->role == role || o->from != sender || o->tcp_flags != p->tcp_flags ||
		    o->seq != p->seq || o->ack != p->ack || o->payload_bytes != p->payload_bytes)
			continue;
		if (d <= opt->match_window_us && (best == NULL || d < best_d)) {
			best = o;
			best_d = d;
		}
	}
	if (best == NULL)
		return 0;
	best->used = 0;
	if (role == ROLE_SENDER)
		s->pub.only_receiver--;
	else
		s->pub.only_sender--;
	return 1;
}

/* Store a new event, or put it in the ring when the stored events are full; -1 when out of memory. */
static int store_event(const struct pk_options *opt, struct conn_slot *s, const struct pk_event *ev, enum role role)
{
	if (s->pub.event_count < opt->events_per_conn) {
		if (s->pub.event_count == s->event_cap) {
			uint32_t cap = s->event_cap == 0 ? 4 : s->event_cap * 2;
			struct pk_event *grown;

			if (cap > opt->events_per_conn)
				cap = opt->events_per_conn;
			grown = realloc(s->pub.events, cap * sizeof(*grown));
			if (grown == NULL)
				return -1;
			s->pub.events = grown;
			s->event_cap = cap;
		}
		s->pub.events[s->pub.event_count++] = *ev;
		return 0;
	}
	if (s->ring == NULL && (s->ring = calloc(1, sizeof(*s->ring))) == NULL)
		return -1;
	s->ring->obs[s->ring->next] = (struct ring_obs){
		.t_us = role == ROLE_SENDER ? ev->send_us : ev->arrive_us,
		.seq = ev->seq,
		.ack = ev->ack,
		.payload_bytes = ev->payload_bytes,
		.tcp_flags = ev->tcp_flags,
		.from = ev->from,
		.role = (uint8_t)role,
		.used = 1,
	};
	s->ring->next = (s->ring->next + 1) % RING_OBS;
	return 0;
}

/* Count a packet seen for the first time, and mark it (retransmission). */
static void count_new(struct conn_slot *s, struct pk_event *ev, const struct frame_packet *p)
{
	struct pk_conn *c = &s->pub;
	enum pk_side from = (enum pk_side)ev->from;

	switch ((enum pk_kind)ev->kind) {
	case PK_SYN:
		if (from == PK_CLIENT) {
			if (c->syn++ > 0) {
				c->syn_retrans++;
				ev->marks |= PK_MARK_RETRANS;
			}
			c->has_syn = 1;
			c->client_isn = p->seq;
			s->client_isn_known = 1;
		}
		break;
	case PK_SYNACK:
		if (from == PK_SERVER) {
			c->synack++;
			if (s->server_isn_known && s->server_isn == p->seq) {
				c->synack_retrans++;
				ev->marks |= PK_MARK_RETRANS;
			}
			s->server_isn = p->seq;
			s->server_isn_known = 1;
			if (!s->client_isn_known) {
				c->client_isn = p->ack - 1;
				s->client_isn_known = 1;
			}
		}
		break;
	case PK_RST:
		c->rst[from]++;
		break;
	case PK_FIN:
		c->fin[from]++;
		if (s->fin_seen[from])
			ev->marks |= PK_MARK_RETRANS;
		s->fin_seen[from] = 1;
		break;
	case PK_DATA:
	case PK_ACK:
	case PK_KINDS:
		break;
	}
	if (ev->marks & PK_MARK_FIRST_DATA) {
		if (s->data_seen[from] && ev->kind == PK_DATA)
			ev->marks |= PK_MARK_RETRANS;
		s->data_seen[from] = 1;
	}
	if (ev->marks & PK_MARK_ACKS_SYNACK)
		c->completed = 1;
}

int ladder_file(const struct pk_options *opt, struct conn_slot *s, enum pk_side capture, enum pk_side sender,
		int64_t t_us, const struct frame_packet *p)
{
	enum role role = capture == sender ? ROLE_SENDER : ROLE_RECEIVER;
	struct pk_event ev;
	uint8_t marks;
	int kind = packet_kind(s, p, sender, &marks);

	if (kind < 0)
		return 0;
	if (s->pub.event_count > 0 && match_stored(opt, s, p, sender, role, t_us))
		return 0;
	if (s->ring != NULL && match_ring(opt, s, p, sender, role, t_us))
		return 0;
	ev = (struct pk_event){
		.send_us = role == ROLE_SENDER ? t_us : -1,
		.arrive_us = role == ROLE_RECEIVER ? t_us : -1,
		.seq = p->seq,
		.ack = p->ack,
		.payload_bytes = p->payload_bytes,
		.tcp_flags = p->tcp_flags,
		.from = (uint8_t)sender,
		.kind = (uint8_t)kind,
		.marks = marks,
	};
	count_new(s, &ev, p);
	if (role == ROLE_SENDER)
		s->pub.only_sender++;
	else
		s->pub.only_receiver++;
	s->pub.events_total++;
	return store_event(opt, s, &ev, role);
}

void ladder_finish(struct pk_conn *c)
{
	/* Insertion sort: few events, nearly in order already. */
	for (uint32_t i = 1; i < c->event_count; i++) {
		struct pk_event e = c->events[i];
		int64_t t_us = packets_event_us(&e);
		uint32_t j = i;

		for (; j > 0 && packets_event_us(&c->events[j - 1]) > t_us; j--)
			c->events[j] = c->events[j - 1];
		c->events[j] = e;
	}
	for (uint32_t i = 0; i < c->event_count; i++) {
		const struct pk_event *e = &c->events[i];

		if (c->first_syn_us < 0 && e->kind == PK_SYN && e->from == PK_CLIENT)
			c->first_syn_us = packets_event_us(e);
		if (c->established_us < 0 && (e->marks & PK_MARK_ACKS_SYNACK))
			c->established_us = packets_event_us(e);
	}
	if (c->first_syn_us >= 0 && c->established_us >= c->first_syn_us)
		c->handshake_us = c->established_us - c->first_syn_us;
	c->answered = c->has_syn && (c->synack > 0 || c->rst[PK_SERVER] > 0);
}

void ladder_free(struct conn_slot *s)
{
	free(s->pub.events);
	free(s->ring);
	s->pub.events = NULL;
	s->ring = NULL;
}
