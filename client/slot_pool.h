/* slot_pool: the slots one event-loop thread drives (connections or requests), made as needed and kept for the
 * run, and the open loop's stack of slots free to reuse. Both loop kinds keep theirs in one. */
#ifndef TL_CLIENT_SLOT_POOL_H
#define TL_CLIENT_SLOT_POOL_H

#include <stddef.h>

#include "tl_err.h"

struct slot_pool {
	void **items;      /* every slot, in the order made */
	size_t count;
	size_t cap;
	void **free;       /* slots to reuse, last given first; room for every slot */
	size_t free_count;
};

/* A new zeroed slot of size bytes, kept in the pool; NULL with err ("out of memory for a WHAT"). */
void *slot_pool_add(struct slot_pool *p, size_t size, const char *what, struct tl_err *err);

/* The slot given back last, or NULL when none is free. */
void *slot_pool_take(struct slot_pool *p);

/* Give a slot of the pool back for reuse (at most once until it is taken again). */
void slot_pool_give(struct slot_pool *p, void *slot);

/* Free every slot (release first, when not NULL, undoes what the loop set up in it) and the pool itself. */
void slot_pool_free(struct slot_pool *p, void (*release)(void *slot, void *arg), void *arg);

#endif
