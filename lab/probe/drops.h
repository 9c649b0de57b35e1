/* drops: the kernel's drop reasons, SYN-ACK retransmissions and resets in the lab's two namespaces, traced
 * with BPF (drops.bpf.c, loaded through its skeleton) while a run lasts. */
#ifndef TL_DROPS_H
#define TL_DROPS_H

#include <jansson.h>
#include <stdint.h>

#include "tl_err.h"

struct drops_tracer;

/* Load the programs for the namespaces with these inodes and attach them to their tracepoints; counting starts
 * here. The links belong to this process: they go away with it however it ends. On error (no BTF, not allowed
 * to load BPF, a tracepoint missing) err says why and nothing stays loaded. */
int drops_start(uint64_t server_netns_ino, uint64_t client_netns_ino, struct drops_tracer **out, struct tl_err *err);

/* Detach, read the counts and the recorded events: events into csv_path (raw/drops.csv), the counts as run.json's
 * "drops" (status "on"). Frees the tracer. */
json_t *drops_stop(struct drops_tracer *t, const char *csv_path);

/* Detach and free without reading anything (an error path). */
void drops_discard(struct drops_tracer *t);

#endif
