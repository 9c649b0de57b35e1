/* conntab: the connection table: packets filed by 4-tuple and instance, matched across the two captures. */
#ifndef TL_PACKETS_CONNTAB_H
#define TL_PACKETS_CONNTAB_H

#include <stddef.h>
#include <stdint.h>

#include "packets/frame.h"
#include "packets/packets.h"

#define CONN_NONE UINT32_MAX

struct obs_ring;

/* One connection and what filing packets into it needs. */
struct conn_slot {
	struct pk_conn pub;
	uint32_t older;          /* the previous instance on this 4-tuple, or CONN_NONE */
	uint32_t next_on_port;   /* the next connection on this client port (packets_find), or CONN_NONE */
	uint32_t event_cap;      /* events[] allocated */
	uint32_t server_isn;     /* of the latest SYN-ACK */
	uint8_t client_isn_known; /* from the SYN, or from a SYN-ACK's ack */
	uint8_t server_isn_known;
	uint8_t data_seen[PK_SIDES]; /* a first-data segment was filed from this side */
	uint8_t fin_seen[PK_SIDES];
	struct obs_ring *ring;   /* matching beyond events_per_conn, allocated when first needed */
};

/* The table. */
struct conntab {
	struct pk_options opt;
	int captures;            /* how many captures are read: 2 means events can be matched */
	struct conn_slot *slots; /* in order of first packet */
	size_t count;
	size_t cap;
	uint32_t *hash;          /* open addressing: slot index + 1 of the latest instance of a 4-tuple, 0 empty */
	size_t hash_cap;         /* a power of two */
	uint32_t *port_head;     /* 65536 heads of the next_on_port chains, built by conntab_finish */
};

/* File a packet of connection s seen in capture `capture`: classify it, match it with its twin from the other
 * capture or store it as a new event and count it (ladder.c). -1 when out of memory. */
int ladder_file(const struct pk_options *opt, struct conn_slot *s, enum pk_side capture, enum pk_side sender,
		int64_t t_us, const struct frame_packet *p);

/* After the last packet: a connection's events in time order, and the times and flags derived from them. */
void ladder_finish(struct pk_conn *c);

/* Free a connection's events and matching ring. */
void ladder_free(struct conn_slot *s);

/* Start an empty table; captures is 1 or 2. -1 when out of memory. */
int conntab_init(struct conntab *t, const struct pk_options *opt, int captures);

/* Free what the table holds. */
void conntab_free(struct conntab *t);

/* Who sent a packet to or from the server's ADDR:PORT (PK_CLIENT, PK_SERVER), or -1 when it is another's. */
int conntab_sender(const struct conntab *t, const struct frame_packet *p);

/* File one packet from sender (conntab_sender) seen in capture `capture` at t_us. -1 when out of memory. */
int conntab_add(struct conntab *t, enum pk_side capture, enum pk_side sender, int64_t t_us,
		const struct frame_packet *p);

/* After the last packet: events in time order, the derived times, the port index; totals filled in. -1 out of memory. */
int conntab_finish(struct conntab *t, struct pk_totals *totals);

#endif
