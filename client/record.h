/* record: one preallocated record per connection (or per request with keep-alive), and writing them out. */
#ifndef TL_CLIENT_RECORD_H
#define TL_CLIENT_RECORD_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "tl_err.h"

/* Where syn_retrans came from. */
enum syn_source {
	SYN_SRC_NONE,     /* no SYN was sent for this record (reused connection, bind failed) */
	SYN_SRC_TCP_INFO, /* tcpi_total_retrans read just before close */
	SYN_SRC_BAND,     /* estimated from the connect time band (stats_syn_band) */
};

#define RECORD_STARTED 0x01 /* the connection was started (unstarted slots are skipped) */
#define RECORD_REUSED 0x02  /* keep-alive: the request rode an existing connection */

/* 64 bytes, filled in place on the hot path; times are from the (actual) start of this connection. */
struct conn_record {
	int64_t start_wall_us;  /* epoch microseconds at start */
	int64_t late_us;        /* open loop: actual start - intended start (>= 0); closed loop: 0 */
	int64_t connect_us;     /* handshake done; -1 when not reached */
	int64_t first_byte_us;  /* first response byte; -1 when not reached (always in connect mode) */
	int64_t total_us;       /* until the connection (request) ended */
	int32_t err_no;         /* errno behind the outcome, 0 if none */
	uint32_t worker;        /* worker index (open loop: thread index) */
	uint16_t local_port;    /* 0 when unknown (failed before a port was bound) */
	int16_t http_status;    /* HTTP response code, 0 when none */
	uint8_t outcome;        /* enum outcome */
	uint8_t syn_retrans;    /* retransmissions seen on the socket (capped at 255) */
	uint8_t syn_src;        /* enum syn_source */
	uint8_t flags;          /* RECORD_* */
	uint32_t rtt_us;        /* tcpi_rtt read with syn_retrans; 0 when not read */
};

_Static_assert(sizeof(struct conn_record) == 64, "CLIENT_MAX_RECORDS (client/opts.h) budgets 64 bytes a record");

/* Give records without a TCP_INFO reading a syn_retrans estimate from their connect time band. */
void records_estimate_syn(struct conn_record *records, size_t count);

/* Write the started records as CSV (header line first) or JSON lines; id = index in the array. */
int records_write(FILE *out, const struct conn_record *records, size_t count, int json, struct tl_err *err);

#endif
