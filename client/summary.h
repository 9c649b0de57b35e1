/* summary: what a run amounts to (outcomes, latency percentiles, SYN bands, rates, amplification), as text or JSON. */
#ifndef TL_CLIENT_SUMMARY_H
#define TL_CLIENT_SUMMARY_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "opts.h"
#include "outcome.h"
#include "run.h"
#include "stats.h"
#include "synflood.h"
#include "tl_err.h"

struct latency {
	size_t count; /* values the percentiles are over */
	int64_t p50_us;
	int64_t p90_us;
	int64_t p99_us;
	int64_t max_us;
};

struct run_summary {
	size_t connections;               /* records that opened a connection (or tried to) */
	size_t requests;                  /* records (HTTP: requests; connect mode: connects) */
	size_t outcome[OUTCOME_COUNT];
	size_t errors;                    /* everything but ok and aborted */
	struct latency connect;           /* new connections that completed the handshake */
	struct latency rtt;               /* the kernel's round-trip time (tcpi_rtt) of those with a TCP_INFO reading */
	struct latency total;             /* ok records, from the actual start */
	struct latency late;              /* open loop: how late each connection started (all started records) */
	struct latency intended;          /* open loop: ok records from the intended start (late + total), as wrk2
	                                     measures against coordinated omission */
	size_t bands[SYN_BAND_COUNT];     /* connect time bands of completed handshakes */
	size_t band_timeout;              /* connects that timed out before completing: their own column */
	size_t retransmitted;             /* records with syn_retrans > 0 */
	int64_t wall_us;
	double connections_per_s;
	double requests_per_s;
	int64_t theoretical_us;           /* -1 = not applicable */
	double amplification;             /* wall / theoretical; 0 = not applicable */
	int interrupted;
	struct synflood_stats flood;      /* --mode synflood only */
};

/* Theoretical minimum of a closed loop: ceil(P x R / min(P, server_workers)) x handle_us. */
int64_t summary_theoretical_us(long workers, long requests, long server_workers, int64_t handle_us);

/* Compute the summary of a finished run. */
int summary_compute(const struct client_opts *opts, const struct run_result *result, struct run_summary *summary,
		    struct tl_err *err);

/* Print the summary for a person (ab/wrk-like). */
void summary_print_text(FILE *out, const struct client_opts *opts, const struct run_summary *summary);

/* Print the summary as one JSON object on one line. */
void summary_print_json(FILE *out, const struct client_opts *opts, const struct run_summary *summary);

#endif
