/* sockdiag: samples a namespace's TCP sockets over inet_diag (NETLINK_SOCK_DIAG): accept queues and counts by state. */
#ifndef TL_PROBE_SOCKDIAG_H
#define TL_PROBE_SOCKDIAG_H

#include <linux/inet_diag.h>
#include <netinet/tcp.h>
#include <stddef.h>
#include <stdint.h>

#include "tl_err.h"

/* States (bit 1 << state) a full sample asks for, bits 1 .. 12: ESTABLISHED .. CLOSING and the kernel's
 * TCP_NEW_SYN_RECV, under which request sockets sit in its tables (they are reported as SYN-RECV). Not 13,
 * TCP_BOUND_INACTIVE (bound, neither listening nor connecting, reported as CLOSE): asking for it makes the
 * kernel walk its whole bind table on every dump, which costs more than everything else together once the
 * namespace has its own connection table, and such sockets take no part in any queue. */
#define SOCKDIAG_STATES_ALL 0x1ffeU

/* LISTEN only: the kernel then skips its connection table altogether, but still walks its listening
 * table, which all namespaces share and which is sized at boot from the memory (16384 buckets with
 * 24 GiB): that walk is most of the cost of such a dump. */
#define SOCKDIAG_STATES_LISTEN (1U << TCP_LISTEN)

/* Every connection and request socket, no listener: what a run leaves behind in a namespace. */
#define SOCKDIAG_STATES_CONNECTIONS (SOCKDIAG_STATES_ALL & ~SOCKDIAG_STATES_LISTEN)

/* Listeners kept per sample: enough for prefork:N with one SO_REUSEPORT socket per process. */
#define SOCKDIAG_MAX_LISTENERS 64

/* TCP states as the kernel numbers them: 1 (ESTABLISHED) .. 11 (CLOSING); index 0 is unused. */
#define SOCKDIAG_STATE_MAX 11

/* The kernel never sends a dump datagram larger than 32 KiB; twice that leaves room. */
#define SOCKDIAG_RECV_BYTES 65536

/* A listeners-only sample may ask the kernel for each listener a walk found for this long after the walk,
 * then it walks again: a listener that appears on the port is missing from such samples for at most this
 * long (the sampler's loop walks in its full sample every 10 ms anyway); one that goes away or is replaced
 * is seen at once (its lookup fails and the sample walks). */
#define SOCKDIAG_KNOWN_MAX_AGE_US 10000

/* One LISTEN socket. */
struct sockdiag_listener {
	uint32_t inode;         /* socket inode, as ss -e and /proc/PID/fd show it */
	uint32_t local_addr;    /* bound IPv4 address, network byte order (0 = any) */
	uint32_t acceptq_len;   /* idiag_rqueue: established connections waiting for accept() */
	uint32_t acceptq_limit; /* idiag_wqueue: min(backlog, somaxconn); the queue holds limit + 1 */
	uint32_t ifindex;       /* idiag_if: device it is bound to (0 = none) */
	uint32_t cookie[2];     /* idiag_cookie: names this very socket to the kernel in a lookup */
};

/* What one dump saw. */
struct sockdiag_sample {
	struct sockdiag_listener listeners[SOCKDIAG_MAX_LISTENERS]; /* LISTEN sockets on the port (all when port 0) */
	uint32_t listener_count;
	uint32_t listeners_missed;                    /* listeners beyond SOCKDIAG_MAX_LISTENERS, not kept */
	uint32_t states_all[SOCKDIAG_STATE_MAX + 1];  /* sockets by state in the whole namespace */
	uint32_t states_port[SOCKDIAG_STATE_MAX + 1]; /* sockets by state whose local or remote port is the port */
	uint32_t sockets_total;                       /* every IPv4 TCP socket the dump returned */
	uint32_t sockets_unknown_state;               /* states outside 1..11 (counted in no table) */
	uint32_t dump_retries;                        /* dumps redone because the kernel flagged them inconsistent */
	int listeners_only;                           /* from sockdiag_sample_listeners: only LISTEN was counted */
	int looked_up;                                /* listeners_only, and read by lookups of known listeners */
};

/* An open sampler: a netlink socket bound to one network namespace, its receive buffer, and the listeners
 * the last walk of the listening table found on a port. */
struct sockdiag {
	int fd;
	uint32_t nl_pid; /* our netlink port id: replies addressed elsewhere are not ours */
	uint32_t seq;    /* sequence number of the last request */
	uint16_t known_port;     /* host byte order; 0 = no listeners known: a listeners-only sample walks */
	uint32_t known_count;
	int64_t known_at_us;     /* CLOCK_MONOTONIC when the walk that found them started */
	int lookups_refused;     /* the kernel refused a lookup other than with ENOENT: walk from now on */
	struct sockdiag_listener known[SOCKDIAG_MAX_LISTENERS];
	_Alignas(8) unsigned char recv_buf[SOCKDIAG_RECV_BYTES];
};

/* Progress of parsing one dump's replies (see sockdiag_parse). */
struct sockdiag_dump {
	uint32_t seq;    /* the request's sequence number */
	uint32_t nl_pid; /* the requester's netlink port id */
	uint16_t port;   /* host byte order; 0 = do not restrict */
	int done;        /* NLMSG_DONE or NLMSG_ERROR seen: the kernel sends nothing more */
	int interrupted; /* a message carried NLM_F_DUMP_INTR: the tables changed during the dump */
};

/* Progress of parsing the replies to one batch of listener lookups (see sockdiag_parse_lookups). */
struct sockdiag_lookups {
	uint32_t first_seq; /* request i of the batch went out with sequence number first_seq + i */
	uint32_t count;     /* requests in the batch: one per listener in out->listeners */
	uint32_t nl_pid;    /* the requester's netlink port id */
	uint16_t port;      /* host byte order */
	uint32_t answered;  /* requests with their reply seen */
	int stale;          /* a listener is no longer there as it was known (ENOENT, or another socket) */
	int refused;        /* the kernel refused a lookup for another reason (refused_errno) */
	int refused_errno;
	uint8_t replied[SOCKDIAG_MAX_LISTENERS];
};

/* Open a sampler inside the namespace netns_fd (an open /var/run/netns/NAME or /proc/PID/ns/net; < 0 = current); the calling thread's namespace is unchanged on return. */
int sockdiag_open(struct sockdiag *d, int netns_fd, struct tl_err *err);

/* Close a sampler (safe on one that failed to open or was closed). */
void sockdiag_close(struct sockdiag *d);

/* Dump the namespace's IPv4 TCP sockets once (every state but bound-and-idle) and fill out: listeners on port (all when 0), counts by state. */
int sockdiag_sample(struct sockdiag *d, uint16_t port, struct sockdiag_sample *out, struct tl_err *err);

/* Only the listeners on port (all when 0), for a fraction of the cost: the state tables then count LISTEN
 * sockets and nothing else. The kernel's listening table is shared by every namespace and walking it costs
 * more than the rest of the sample, so after a walk (this or sockdiag_sample) found the port's listeners,
 * each is asked for by name (exact lookup, cookie-checked; looked_up is set) for SOCKDIAG_KNOWN_MAX_AGE_US.
 * Such a sample knows nothing of other ports: states_all and sockets_total count the port's listeners only.
 * A walk is made instead when none is known, several share one address (SO_REUSEPORT: a lookup reaches the
 * one the kernel picks), port is 0, or one is gone or replaced. */
int sockdiag_sample_listeners(struct sockdiag *d, uint16_t port, struct sockdiag_sample *out, struct tl_err *err);

/* Called with each socket of a sockdiag_each walk; nonzero: no more calls (the dump is still read to its end). */
typedef int (*sockdiag_visit_fn)(const struct inet_diag_msg *m, void *arg);

/* Walk the namespace's IPv4 TCP sockets in states (SOCKDIAG_STATES_*) once, handing each to fn; *interrupted
 * is set when the kernel flagged the dump inconsistent (sockets came and went: walk again to see them all). */
int sockdiag_each(struct sockdiag *d, uint32_t states, sockdiag_visit_fn fn, void *arg, int *interrupted,
		  struct tl_err *err);

/* Destroy the socket id names (SOCK_DESTROY: CAP_NET_ADMIN): 0 done or already gone, 1 the kernel refused,
 * -1 with err on a netlink failure. */
int sockdiag_destroy(struct sockdiag *d, const struct inet_diag_sockid *id, struct tl_err *err);

/* The state's name as ss prints it ("ESTAB" is spelled out: "ESTABLISHED"); "UNKNOWN" outside 1..11. */
const char *sockdiag_state_name(int state);

/* Clear out and get ready to parse the replies to request seq sent from nl_pid. */
void sockdiag_dump_begin(struct sockdiag_dump *dump, uint32_t seq, uint32_t nl_pid, uint16_t port, struct sockdiag_sample *out);

/* Parse one received buffer of netlink messages into out; replies to other requests are skipped. */
int sockdiag_parse(struct sockdiag_dump *dump, const void *buf, size_t len, struct sockdiag_sample *out, struct tl_err *err);

/* Get ready to parse the replies to count lookups (seq first_seq ..) of the listeners known[0 .. count - 1]:
 * out becomes a listeners-only sample of them, waiting for their queue lengths. */
void sockdiag_lookups_begin(struct sockdiag_lookups *l, uint32_t first_seq, uint32_t nl_pid, uint16_t port,
			    const struct sockdiag_listener *known, uint32_t count, struct sockdiag_sample *out);

/* Parse one received buffer of lookup replies into out (each request gets one: the socket or an error);
 * replies to other requests are skipped. */
int sockdiag_parse_lookups(struct sockdiag_lookups *l, const void *buf, size_t len, struct sockdiag_sample *out,
			   struct tl_err *err);

#endif
