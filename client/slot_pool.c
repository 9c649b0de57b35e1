/* slot_pool: slots made as needed and kept for the run, with a stack of free ones for the open loop. */
#include "slot_pool.h"

#include <stdlib.h>
#include <string.h>

void *slot_pool_add(struct slot_pool *p, size_t size, const char *what, struct tl_err *err)
{
	void *slot;

	if (p->count == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 64;
		void **items = realloc(p->items, cap * sizeof(*items));
		void **free_slots;

		if (items == NULL)
			return tl_errf(err, "out of memory for %zu %ss", cap, what), NULL;
		p->items = items;
		free_slots = realloc(p->free, cap * sizeof(*free_slots));
		if (free_slots == NULL)
			return tl_errf(err, "out of memory for %zu %ss", cap, what), NULL;
		p->free = free_slots;
		p->cap = cap;
	}
	slot = calloc(1, size);
	if (slot == NULL)
		return tl_errf(err, "out of memory for a %s", what), NULL;
	p->items[p->count++] = slot;
	return slot;
}

void *slot_pool_take(struct slot_pool *p)
{
	return p->free_count > 0 ? p->free[--p->free_count] : NULL;
}

void slot_pool_give(struct slot_pool *p, void *slot)
{
	/* Room for every slot: a slot is in the stack once at most. */
	if (p->free_count < p->count)
		p->free[p->free_count++] = slot;
}

void slot_pool_free(struct slot_pool *p, void (*release)(void *slot, void *arg), void *arg)
{
	for (size_t i = 0; i < p->count; i++) {
		if (release != NULL)
			release(p->items[i], arg);
		free(p->items[i]);
	}
	free(p->items);
	free(p->free);
	memset(p, 0, sizeof(*p));
}
