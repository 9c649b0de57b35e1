/* synflood: --mode synflood: SYNs that are never completed, from spoofed lab addresses, at a fixed rate. */
#ifndef TL_CLIENT_SYNFLOOD_H
#define TL_CLIENT_SYNFLOOD_H

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>

#include "opts.h"
#include "tl_err.h"

/* What the flood did. */
struct synflood_stats {
	int64_t sent;        /* SYNs handed to the kernel */
	int64_t send_errors; /* sendto() failures (ENOBUFS and the like) */
	int first_errno;     /* errno of the first failure, 0 if none */
	int64_t elapsed_us;  /* first SYN to the end of the flood */
};

/* One flood running in a thread of its own. */
struct synflood {
	const struct client_opts *opts;
	int fd;
	pthread_t tid;
	int started;
	struct synflood_stats stats;
};

/* Open the raw socket (IPPROTO_RAW: the packets carry their own IPv4 header); needs CAP_NET_RAW. */
int synflood_open(struct synflood *flood, const struct client_opts *opts, struct tl_err *err);

/* Start sending: --rate SYNs per second for --duration, or until a stop is requested. */
int synflood_start(struct synflood *flood, struct tl_err *err);

/* Wait for the flood to end and close the socket; fails when not one SYN could be sent. */
int synflood_finish(struct synflood *flood, struct tl_err *err);

/* The summary line of a flood, for people. */
void synflood_print_text(FILE *out, const struct client_opts *opts, const struct synflood_stats *stats);

/* The summary as a JSON member: ,"synflood":{...} (the caller is inside an object). */
void synflood_print_json(FILE *out, const struct client_opts *opts, const struct synflood_stats *stats);

#endif
