/* delay_line: packets held in arrival order until their release time (delay plus uniform jitter, never before the
 * packet ahead), in a fixed ring; time and I/O are the caller's. */
#ifndef TL_DELAY_LINE_H
#define TL_DELAY_LINE_H

#include <stddef.h>
#include <stdint.h>

#include "tl_err.h"

struct delay_entry {
	uint32_t id;        /* the queue's packet id */
	int64_t release_us; /* when its verdict is due (monotonic clock) */
};

struct delay_line {
	struct delay_entry *ring;
	size_t cap, head, count;
	int64_t delay_us, jitter_us;
	int64_t last_release_us; /* the newest packet's release: no later packet leaves before it */
	uint64_t rng;            /* xorshift64* state */
	uint64_t packets_delayed, packets_dropped_full;
	size_t held_max;
	int64_t late_max_us;     /* the most a release came after its time */
};

/* A line holding at most cap packets, each delay_us +- jitter_us (jitter_us <= delay_us), jitter drawn from seed. */
int delay_line_init(struct delay_line *dl, size_t cap, int64_t delay_us, int64_t jitter_us, uint64_t seed,
		    struct tl_err *err);

/* Hold packet id that arrived at now_us: 0, or -1 when the line is full (the caller drops it; counted). */
int delay_line_push(struct delay_line *dl, uint32_t id, int64_t now_us);

/* Take every packet due by now_us: 1 with the last one's id (all before it are due too), 0 when none is due. */
int delay_line_take_due(struct delay_line *dl, int64_t now_us, uint32_t *last_id);

/* Take every packet held, due or not: 1 with the last one's id, 0 when the line is empty. */
int delay_line_take_all(struct delay_line *dl, uint32_t *last_id);

/* When the oldest held packet is due, -1 when none is held. */
int64_t delay_line_next_us(const struct delay_line *dl);

/* Release the ring. */
void delay_line_free(struct delay_line *dl);

#endif
