/* packets: per-connection packet ladders from a run's client and server pcap files (libpcap's offline reader). */
#ifndef TL_PACKETS_H
#define TL_PACKETS_H

/*
 * The two captures are read side by side in time order and each TCP packet to or from the server's
 * ADDR:PORT is filed under its connection: the client's address and port plus an instance number, as a
 * SYN with a new ISN on a 4-tuple starts a new connection (ports are reused within a run). The packets a
 * ladder shows (every SYN, SYN-ACK, RST and FIN, the client's ACKs of the SYN-ACK, the segments carrying
 * the first byte of data in each direction) are matched across the captures (same direction, flags, seq,
 * ack and length, the closest in time within a window), so each carries its send time from the sender's
 * capture and its arrival time from the receiver's, or says that only one capture holds it.
 *
 * Memory is bounded by the number of connections, never by the number of packets: packets are streamed
 * from the files, a connection takes about 300 bytes plus 32 bytes per stored event, and at most
 * events_per_conn events are stored per connection; the counts stay exact beyond that (packets past the
 * cap are still matched across the captures, within a window of the last 16 unmatched ones).
 */

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "path.h"
#include "stats.h"
#include "tl_err.h"

/* The two sides of a lab, and the capture taken on each. */
enum pk_side {
	PK_CLIENT,
	PK_SERVER,
	PK_SIDES
};

/* What a ladder event is; a packet has one kind, picked in this order of precedence. */
enum pk_kind {
	PK_RST,    /* a reset */
	PK_SYN,    /* a SYN without ACK (from the client: the connect) */
	PK_SYNACK, /* a SYN with ACK (from the server: the answer) */
	PK_FIN,    /* a FIN */
	PK_DATA,   /* a segment carrying the first byte of data of its direction (or its retransmission) */
	PK_ACK,    /* a pure ACK of the SYN-ACK from the client: the final ACK of the handshake, or a repeat */
	PK_KINDS
};

/* Which captures hold an event. */
enum pk_seen {
	PK_SEEN_BOTH,     /* sent and arrived */
	PK_SEEN_SENDER,   /* only in the sender's capture: lost on the link, or missed by the receiver's capture */
	PK_SEEN_RECEIVER, /* only in the receiver's capture: missed by the sender's capture */
};

/* One packet of a ladder. Times are microseconds since the Unix epoch, as libpcap stamped them. */
struct pk_event {
	int64_t send_us;        /* in the sender's capture; -1 when it is not there */
	int64_t arrive_us;      /* in the receiver's capture; -1 when it is not there */
	uint32_t seq;           /* absolute sequence number */
	uint32_t ack;           /* absolute acknowledgement number (0 without the ACK flag) */
	uint32_t payload_bytes; /* TCP payload length */
	uint8_t tcp_flags;      /* TCP header flags byte (FIN 0x01 ... CWR 0x80) */
	uint8_t from;           /* enum pk_side: who sent it */
	uint8_t kind;           /* enum pk_kind */
	uint8_t marks;          /* enum pk_mark bits */
};

/* What else an event is (bits of pk_event.marks). */
enum pk_mark {
	PK_MARK_RETRANS = 1,     /* a SYN, SYN-ACK, FIN or first-data segment its sender had sent before */
	PK_MARK_FIRST_DATA = 2,  /* carries the first byte of data of its direction (whatever its kind) */
	PK_MARK_ACKS_SYNACK = 4, /* from the client, acknowledges the SYN-ACK: completes the handshake */
};

/* One connection (one instance on a 4-tuple), read-only for callers. */
struct pk_conn {
	struct in_addr client_addr; /* network byte order */
	uint16_t client_port;       /* host byte order */
	struct in_addr server_addr; /* as the packets had it (the listener may be given as any address) */
	uint16_t server_port;
	uint32_t instance;          /* 1 for the first connection on this address and port, 2 for the next ... */
	int has_syn;                /* a SYN from the client is in the captures (client_isn is valid) */
	uint32_t client_isn;
	int answered;               /* the server answered a SYN (SYN-ACK or RST) */
	int completed;              /* the client sent the final ACK of the handshake */
	int64_t first_us;           /* the connection's first packet in either capture */
	int64_t last_us;            /* its last packet */
	int64_t first_syn_us;       /* the first SYN; -1 without one */
	int64_t established_us;     /* the final ACK of the handshake; -1 when it never came */
	int64_t handshake_us;       /* established_us - first_syn_us; -1 unless both are known */
	uint32_t syn;               /* SYNs sent by the client, the first and its retransmissions (same ISN) */
	uint32_t syn_retrans;
	uint32_t synack;            /* SYN-ACKs sent by the server */
	uint32_t synack_retrans;    /* SYN-ACKs repeating an earlier one's ISN */
	uint32_t rst[PK_SIDES];     /* RSTs by sender */
	uint32_t fin[PK_SIDES];     /* FINs by sender (retransmissions included) */
	uint32_t only_sender;       /* events in the sender's capture only (meaningful when both were read) */
	uint32_t only_receiver;     /* events in the receiver's capture only */
	uint32_t events_total;      /* ladder events, stored or not */
	uint32_t event_count;       /* events stored in events[], in time order (at most events_per_conn) */
	struct pk_event *events;
};

/* Bands of completed handshakes by SYN retransmissions: 0, 1, ... PK_BANDS_RETRANS - 2, then "more". */
#define PK_BANDS_RETRANS 9

/* What one capture file held. */
struct pk_capture_stats {
	int given;               /* the file was read */
	char path[TL_PATH_LEN];  /* as given (a longer one is refused) */
	int linktype;            /* DLT_* of the file */
	uint64_t packets;        /* frames read */
	uint64_t undecodable;    /* truncated or malformed frames, IPv4 fragments */
	uint64_t not_ipv4_tcp;   /* ARP, IPv6, UDP, ICMP ... */
	uint64_t other_tcp;      /* IPv4 TCP not to or from the server's ADDR:PORT */
	char read_error[256];    /* why reading stopped before the end (a truncated file), or "" */
};

/* Totals over a run. */
struct pk_totals {
	struct pk_capture_stats capture[PK_SIDES];
	uint64_t packets_read, undecodable, not_ipv4_tcp, other_tcp; /* both captures */
	uint64_t connections;      /* instances, with or without a SYN in the captures */
	uint64_t completed;        /* the handshake's final ACK was sent */
	uint64_t never_completed;  /* a SYN, but never the final ACK */
	uint64_t unanswered;       /* a SYN, but neither SYN-ACK nor RST from the server */
	uint64_t syn, syn_retrans, synack, synack_retrans;
	uint64_t rst[PK_SIDES], fin[PK_SIDES];
	uint64_t only_sender, only_receiver; /* events one capture lacks */
	uint64_t events_not_stored;          /* events beyond the per-connection cap */
	uint64_t band_retrans[PK_BANDS_RETRANS]; /* completed handshakes by SYN retransmissions */
	uint64_t band_time[SYN_BAND_COUNT];      /* completed handshakes by time (common/stats.h bands) */
};

/* How to read the captures. */
struct pk_options {
	struct sockaddr_in server;  /* the listener; address INADDR_ANY matches the port on any address */
	uint32_t events_per_conn;   /* stored events per connection (8 .. 4096) */
	int64_t match_window_us;    /* how far apart a packet's send and arrival may be (1 ms .. 60 s) */
};

/* Defaults: events_per_conn 64, match window 1 s; the caller sets server. */
void packets_options_default(struct pk_options *opt);

/* The analysis of one run; opaque. */
struct pk_analysis;

/*
 * Read the client's and the server's capture (either may be NULL, not both) and build the connections.
 * -1 with err naming the file when one cannot be opened, is not a pcap/pcapng file or has an unsupported
 * link type (EN10MB, LINUX_SLL, LINUX_SLL2, RAW and IPV4 are read; 802.1Q/802.1ad tags are skipped), or
 * when an option is out of range; -2 when out of memory. A file cut short is not an error: reading it
 * stops there and its read_error says so.
 */
int packets_analyse(const char *client_pcap, const char *server_pcap, const struct pk_options *opt,
		    struct pk_analysis **out, struct tl_err *err);

/* Free an analysis (NULL is fine); every pointer it handed out dies with it. */
void packets_free(struct pk_analysis *a);

/* Totals over both captures. */
const struct pk_totals *packets_totals(const struct pk_analysis *a);

/* Number of connections, and the i-th in order of first packet. */
size_t packets_conn_count(const struct pk_analysis *a);
const struct pk_conn *packets_conn(const struct pk_analysis *a, size_t i);

/* Lookups tolerate this much clock difference between a client's record and the capture. */
#define PK_FIND_SLACK_US 1000

/*
 * The connection of a client record: from one of the client's addresses clients[client_count] (count 0: any
 * address) and its local port, and the time the client started it (connections.csv start_wall_us, taken
 * before connect(); -1: any time). The earliest connection on that port whose first packet is at or after
 * start_us, else the latest whose first packet is at most PK_FIND_SLACK_US before it; NULL when there is
 * none. A keep-alive record marked `reused` rides the connection of an earlier record on the same port: look
 * that one up instead.
 */
const struct pk_conn *packets_find(const struct pk_analysis *a, const struct in_addr *clients, size_t client_count,
				   uint16_t port, int64_t start_us);

/* Why a connection's ladder was selected (bits). */
enum pk_reason {
	PK_REASON_BAND = 1,       /* the first completed handshake of its SYN-retransmission band */
	PK_REASON_SLOWEST = 2,    /* among the slowest handshakes */
	PK_REASON_RESET = 4,      /* a RST was sent */
	PK_REASON_INCOMPLETE = 8, /* a SYN, but the handshake never completed */
};

/* One selected ladder. */
struct pk_pick {
	const struct pk_conn *conn;
	unsigned reasons; /* enum pk_reason bits */
};

/*
 * The connections from client port `port` whose client address is one of clients[client_count] (client_count 0:
 * any address), in order of first packet, into picks (room for packets_conn_count; reasons 0). *others_out
 * counts the connections on that port from other addresses: in a lab run, spoofed sources of a SYN flood,
 * which pick ephemeral ports of their own. Returns how many were picked.
 */
size_t packets_port_conns(const struct pk_analysis *a, uint16_t port, const struct in_addr *clients,
			  size_t client_count, struct pk_pick *picks, size_t *others_out);

/* Default number of ladders selected. */
#define PK_LADDERS_DEFAULT 50

/* Largest capture file read: the most a run's capture may write ([capture] max_mb at most 4096). */
#define PK_FILE_MAX_BYTES (4096LL * 1024 * 1024)

/*
 * Select at most limit ladders into picks[limit]: first the first completed handshake of each SYN band,
 * then in turn one of the slowest handshakes, one reset connection, one never completed (most SYNs first)
 * until the limit or none is left; no connection twice, in order of first packet. Returns how many.
 */
size_t packets_select(const struct pk_analysis *a, size_t limit, struct pk_pick *picks);

/* The totals as JSON (a new reference; NULL when out of memory); docs/packets.md shows the shape. */
json_t *packets_totals_json(const struct pk_analysis *a);

/* One connection's counts and ladder as JSON (reasons 0: no "selected" key); NULL when out of memory. */
json_t *packets_conn_json(const struct pk_analysis *a, const struct pk_conn *c, unsigned reasons);

/* {"server", "totals", "ladders": [the selection of at most limit]}; NULL when out of memory. */
json_t *packets_doc_json(const struct pk_analysis *a, size_t limit);

/* Print the totals as text, a few lines. */
void packets_print_totals(FILE *out, const struct pk_analysis *a);

/* Print one ladder as text: one line per event, time from the connection's first packet, an arrow per packet. */
void packets_print_ladder(FILE *out, const struct pk_analysis *a, const struct pk_pick *pick);

/* "SYN", "SYN-ACK", "ACK", "DATA", "FIN", "RST". */
const char *packets_kind_name(enum pk_kind kind);

/* "client", "server". */
const char *packets_side_name(enum pk_side side);

/* "both", "sender", "receiver". */
const char *packets_seen_name(enum pk_seen seen);

/* Which captures hold an event. */
enum pk_seen packets_event_seen(const struct pk_event *e);

/* The time of an event: its send time, or its arrival when only the receiver's capture holds it. */
int64_t packets_event_us(const struct pk_event *e);

/* tcpdump's flag letters ("S", "S.", "F.", "R.", "P." ...) into buf. */
void packets_flags_text(uint8_t tcp_flags, char *buf, size_t len);

#endif
