/* conntab: the connection table: packets filed by 4-tuple and instance (a new ISN starts a new instance). */
#include "conntab.h"

#include <stdlib.h>
#include <string.h>

/* How many earlier instances of a 4-tuple a packet is tried against before it goes to the latest. */
#define INSTANCES_TRIED 8
/* A sequence number belongs to an instance when it lies this far at most after the instance's ISN. */
#define SEQ_WINDOW ((uint32_t)1 << 30)

int conntab_init(struct conntab *t, const struct pk_options *opt, int captures)
{
	memset(t, 0, sizeof(*t));
	t->opt = *opt;
	t->captures = captures;
	t->hash_cap = 1024;
	t->hash = calloc(t->hash_cap, sizeof(*t->hash));
	return t->hash == NULL ? -1 : 0;
}

void conntab_free(struct conntab *t)
{
	for (size_t i = 0; i < t->count; i++)
		ladder_free(&t->slots[i]);
	free(t->slots);
	free(t->hash);
	free(t->port_head);
	memset(t, 0, sizeof(*t));
}

int conntab_sender(const struct conntab *t, const struct frame_packet *p)
{
	uint32_t addr = t->opt.server.sin_addr.s_addr;
	uint16_t port = ntohs(t->opt.server.sin_port);

	if (p->dst_port == port && (addr == htonl(INADDR_ANY) || p->dst_addr == addr))
		return PK_CLIENT;
	if (p->src_port == port && (addr == htonl(INADDR_ANY) || p->src_addr == addr))
		return PK_SERVER;
	return -1;
}

/* The 4-tuple of a packet, seen from the client. */
struct tuple {
	uint32_t client_addr, server_addr;
	uint16_t client_port, server_port;
};

static struct tuple packet_tuple(const struct frame_packet *p, enum pk_side sender)
{
	struct tuple k;

	if (sender == PK_CLIENT) {
		k = (struct tuple){ p->src_addr, p->dst_addr, p->src_port, p->dst_port };
	} else {
		k = (struct tuple){ p->dst_addr, p->src_addr, p->dst_port, p->src_port };
	}
	return k;
}

static size_t tuple_hash(const struct tuple *k)
{
	uint64_t h = ((uint64_t)k->client_addr << 32) ^ ((uint64_t)k->client_port << 16) ^ k->server_port ^
		     ((uint64_t)k->server_addr * 0x9e3779b97f4a7c15ULL);

	/* splitmix64's finaliser: every input bit moves the low bits the table uses. */
	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebULL;
	h ^= h >> 31;
	return (size_t)h;
}

static int slot_has_tuple(const struct conn_slot *s, const struct tuple *k)
{
	return s->pub.client_addr.s_addr == k->client_addr && s->pub.client_port == k->client_port &&
	       s->pub.server_addr.s_addr == k->server_addr && s->pub.server_port == k->server_port;
}

/* The hash cell of a 4-tuple: where its latest instance is, or the empty cell it would go in. */
static size_t hash_cell(const struct conntab *t, const struct tuple *k)
{
	size_t mask = t->hash_cap - 1;
	size_t i = tuple_hash(k) & mask;

	while (t->hash[i] != 0 && !slot_has_tuple(&t->slots[t->hash[i] - 1], k))
		i = (i + 1) & mask;
	return i;
}

static int hash_grow(struct conntab *t)
{
	uint32_t *old = t->hash;
	size_t old_cap = t->hash_cap;

	t->hash_cap *= 2;
	t->hash = calloc(t->hash_cap, sizeof(*t->hash));
	if (t->hash == NULL) {
		t->hash = old;
		t->hash_cap = old_cap;
		return -1;
	}
	for (size_t i = 0; i < old_cap; i++) {
		struct conn_slot *s;
		struct tuple k;

		if (old[i] == 0)
			continue;
		s = &t->slots[old[i] - 1];
		k = (struct tuple){ s->pub.client_addr.s_addr, s->pub.server_addr.s_addr, s->pub.client_port,
				    s->pub.server_port };
		t->hash[hash_cell(t, &k)] = old[i];
	}
	free(old);
	return 0;
}

/* A new instance of the 4-tuple in hash cell `cell` (whose latest instance it becomes); its index or CONN_NONE. */
static uint32_t slot_new(struct conntab *t, const struct tuple *k, size_t cell, int64_t t_us)
{
	uint32_t latest = t->hash[cell] == 0 ? CONN_NONE : t->hash[cell] - 1;
	struct conn_slot *s;

	if (t->count >= CONN_NONE - 1)
		return CONN_NONE;
	if (t->count == t->cap) {
		size_t cap = t->cap == 0 ? 1024 : t->cap * 2;
		struct conn_slot *grown = realloc(t->slots, cap * sizeof(*grown));

		if (grown == NULL)
			return CONN_NONE;
		t->slots = grown;
		t->cap = cap;
	}
	s = &t->slots[t->count];
	memset(s, 0, sizeof(*s));
	s->pub.client_addr.s_addr = k->client_addr;
	s->pub.server_addr.s_addr = k->server_addr;
	s->pub.client_port = k->client_port;
	s->pub.server_port = k->server_port;
	s->pub.instance = latest == CONN_NONE ? 1 : t->slots[latest].pub.instance + 1;
	s->pub.first_us = t_us;
	s->pub.last_us = t_us;
	s->pub.first_syn_us = -1;
	s->pub.established_us = -1;
	s->pub.handshake_us = -1;
	s->older = latest;
	s->next_on_port = CONN_NONE;
	t->hash[cell] = (uint32_t)t->count + 1;
	t->count++;
	/* Keep the table at most half full. */
	if (t->count * 2 > t->hash_cap && hash_grow(t) != 0)
		return CONN_NONE;
	return (uint32_t)t->count - 1;
}

static int seq_after(uint32_t seq, uint32_t isn)
{
	return (uint32_t)(seq - isn) < SEQ_WINDOW;
}

/* Whether a packet's numbers fit an instance's ISNs (at least one of them known). */
static int instance_fits(const struct conn_slot *s, const struct frame_packet *p, enum pk_side sender)
{
	int checked = 0;
	int own_known = sender == PK_CLIENT ? s->client_isn_known : s->server_isn_known;
	int peer_known = sender == PK_CLIENT ? s->server_isn_known : s->client_isn_known;
	uint32_t own_isn = sender == PK_CLIENT ? s->pub.client_isn : s->server_isn;
	uint32_t peer_isn = sender == PK_CLIENT ? s->server_isn : s->pub.client_isn;

	if (own_known) {
		checked = 1;
		/* A RST answering a segment without ACK carries sequence number 0 and says nothing by it. */
		if (!((p->tcp_flags & TCPF_RST) && p->seq == 0) && !seq_after(p->seq, own_isn))
			return 0;
	}
	if ((p->tcp_flags & TCPF_ACK) && peer_known) {
		checked = 1;
		if (!seq_after(p->ack, peer_isn))
			return 0;
	}
	return checked;
}

/* The instance a packet belongs to, made when it starts one; CONN_NONE when out of memory. */
static uint32_t instance_of(struct conntab *t, const struct frame_packet *p, enum pk_side sender, int64_t t_us)
{
	struct tuple k = packet_tuple(p, sender);
	size_t cell = hash_cell(t, &k);
	uint32_t latest = t->hash[cell] == 0 ? CONN_NONE : t->hash[cell] - 1;
	uint32_t i = latest;
	int is_syn = (p->tcp_flags & (TCPF_SYN | TCPF_ACK | TCPF_RST)) == TCPF_SYN;
	int is_synack = (p->tcp_flags & (TCPF_SYN | TCPF_ACK | TCPF_RST)) == (TCPF_SYN | TCPF_ACK);

	for (int tried = 0; i != CONN_NONE && tried < INSTANCES_TRIED; tried++, i = t->slots[i].older) {
		const struct conn_slot *s = &t->slots[i];

		if (sender == PK_CLIENT && is_syn) {
			/* A SYN is a retransmission of its instance's, or it starts a new one. */
			if (s->client_isn_known && s->pub.client_isn == p->seq)
				return i;
		} else if (sender == PK_SERVER && is_synack && s->client_isn_known) {
			/* A SYN-ACK answers the SYN it acknowledges, whatever ISN the server picks. */
			if (p->ack == s->pub.client_isn + 1)
				return i;
		} else if (instance_fits(s, p, sender)) {
			return i;
		}
	}
	if (latest != CONN_NONE && !(sender == PK_CLIENT && is_syn))
		return latest;
	return slot_new(t, &k, cell, t_us);
}

int conntab_add(struct conntab *t, enum pk_side capture, enum pk_side sender, int64_t t_us,
		const struct frame_packet *p)
{
	uint32_t i = instance_of(t, p, sender, t_us);
	struct conn_slot *s;

	if (i == CONN_NONE)
		return -1;
	s = &t->slots[i];
	if (t_us < s->pub.first_us)
		s->pub.first_us = t_us;
	if (t_us > s->pub.last_us)
		s->pub.last_us = t_us;
	return ladder_file(&t->opt, s, capture, sender, t_us, p);
}

static void totals_add(struct pk_totals *tot, const struct pk_conn *c)
{
	tot->connections++;
	tot->completed += c->completed != 0;
	tot->never_completed += c->has_syn && !c->completed;
	tot->unanswered += c->has_syn && !c->answered;
	tot->syn += c->syn;
	tot->syn_retrans += c->syn_retrans;
	tot->synack += c->synack;
	tot->synack_retrans += c->synack_retrans;
	for (int side = 0; side < PK_SIDES; side++) {
		tot->rst[side] += c->rst[side];
		tot->fin[side] += c->fin[side];
	}
	tot->only_sender += c->only_sender;
	tot->only_receiver += c->only_receiver;
	tot->events_not_stored += c->events_total - c->event_count;
	if (c->completed && c->has_syn) {
		tot->band_retrans[c->syn_retrans < PK_BANDS_RETRANS - 1 ? c->syn_retrans : PK_BANDS_RETRANS - 1]++;
		if (c->handshake_us >= 0)
			tot->band_time[stats_syn_band(c->handshake_us)]++;
	}
}

int conntab_finish(struct conntab *t, struct pk_totals *totals)
{
	t->port_head = malloc(65536 * sizeof(*t->port_head));
	if (t->port_head == NULL)
		return -1;
	for (size_t p = 0; p < 65536; p++)
		t->port_head[p] = CONN_NONE;
	/* Backwards, so that each port's chain runs in order of first packet. */
	for (size_t i = t->count; i-- > 0;) {
		struct conn_slot *s = &t->slots[i];

		ladder_finish(&s->pub);
		s->next_on_port = t->port_head[s->pub.client_port];
		t->port_head[s->pub.client_port] = (uint32_t)i;
	}
	for (size_t i = 0; i < t->count; i++)
		totals_add(totals, &t->slots[i].pub);
	return 0;
}
