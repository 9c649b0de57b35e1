/* drops_format: the drop tracer's results as text: reason names, raw/drops.csv rows, what a reason means. */
#ifndef TL_DROPS_FORMAT_H
#define TL_DROPS_FORMAT_H

#include <stddef.h>
#include <stdint.h>
#include <linux/types.h>

#include "probe/drops_event.h"

/* The name of an enumerator without its prefix ("SKB_DROP_REASON_TCP_LISTEN_OVERFLOW" with prefix
 * "SKB_DROP_REASON_" is "TCP_LISTEN_OVERFLOW"); the name itself when it lacks the prefix. */
const char *drops_strip_prefix(const char *name, const char *prefix);

/* The CSV name of an event kind: drop, synack_retransmit, reset_sent, reset_received. */
const char *drops_kind_name(int kind);

/* The CSV header of raw/drops.csv, with its line end. */
const char *drops_csv_header(void);

/* TCP flags as letters in tcpdump's order (F S R P A U E C, "." for none): 0x12 is "SA"; "" when unknown (0). */
void drops_flags_text(unsigned flags, char out[10]);

/* One raw/drops.csv row for e (with its line end) into buf: time_us since start_ns, side, event, reason (the
 * name given, "" when NULL), saddr, sport, daddr, dport, flags. Returns the length, or -1 when buf is too small. */
int drops_csv_row(const struct drops_event *e, uint64_t start_ns, const char *reason, char *buf, size_t len);

/* What the kernel means by a drop reason, in a few words, or NULL for a reason the lab does not explain. */
const char *drops_reason_meaning(const char *reason);

#endif
