/* evidence: what a run records besides samples and counters: each side's packets (pcap) and the kernel's drops. */
#ifndef TL_EVIDENCE_H
#define TL_EVIDENCE_H

#include <jansson.h>

#include "ipv4_prefix.h"
#include "packets/packets.h"
#include "probe/drops.h"
#include "scenario/scenario.h"
#include "side/side.h"
#include "tl_err.h"

/* The two sides, in the order evidence keeps them. */
enum evidence_side { EVIDENCE_SERVER, EVIDENCE_CLIENT, EVIDENCE_SIDES };

/* What a run asked for, and what is running. */
struct evidence {
	int record_packets;              /* record each side's lab interface */
	int trace_drops;                 /* count the kernel's drops by reason (BPF) */
	struct drops_tracer *tracer;     /* NULL: not tracing */
	json_t *drops;                   /* run.json "drops", filled by evidence_start (unavailable) or _stop */
	int snaplen_bytes;
	int64_t max_bytes;
	int capture_proc[EVIDENCE_SIDES]; /* -1: no recorder started */
	json_t *capture;                 /* run.json "capture", filled by evidence_stop */
	json_t *packets;                 /* run.json "packets", filled by evidence_analyse */
	struct pk_analysis *analysis;    /* the connections of both captures, for joining the client's records */
	struct in_addr clients[LAB_SOURCE_ADDRS_MAX]; /* the client's own addresses, filled by evidence_analyse */
	size_t client_count;
};

/* What the scenario asks for, with the command line's --capture / --no-capture (force: -1 none, 0 off, 1 on,
 * for packets and drops alike). [capture] drops follows packets unless the scenario sets it. */
void evidence_plan(struct evidence *e, const struct scenario *sc, int force);

/* Start the drop tracer for both sides' namespaces (where BPF cannot run, the run goes on and e->drops says
 * "unavailable" and why), then the recorders on both sides (tcplab-capture from bindir, for sides on this
 * machine); each records before this returns. On error the recorders started are left to the sides' destroy. */
int evidence_start(struct evidence *e, struct side *const sides[EVIDENCE_SIDES], const char *bindir,
		   struct tl_err *err);

/* Stop the tracer (its events into rawdir/drops.csv, its counts into e->drops) and the recorders, bring their
 * files into rawdir (<role>.pcap) and fill e->capture. */
void evidence_stop(struct evidence *e, struct side *const sides[EVIDENCE_SIDES], const char *rawdir);

/* Whether the packets of both sides were all recorded (no cap reached, nothing lost in the kernel). */
int evidence_packets_complete(const struct evidence *e);

/* Ladders per connection read back from rawdir's pcaps, as the client reached the server at addr:port: fills
 * e->packets (totals, completeness, the selected ladders, the client's own addresses "a,b,c" as packets.clients),
 * e->analysis and e->clients. */
void evidence_analyse(struct evidence *e, const char *rawdir, const char *server_addr, const char *client_addrs,
		      unsigned port);

/* Release what evidence_stop and evidence_analyse built. */
void evidence_free(struct evidence *e);

#endif
