/* delay_line: packets held in arrival order until their release time, in a fixed ring. */
#include "delay_line.h"

#include <stdlib.h>
#include <string.h>

int delay_line_init(struct delay_line *dl, size_t cap, int64_t delay_us, int64_t jitter_us, uint64_t seed,
		    struct tl_err *err)
{
	memset(dl, 0, sizeof(*dl));
	if (cap == 0 || delay_us < 0 || jitter_us < 0 || jitter_us > delay_us)
		return tl_errf(err, "delay line: needs room and 0 <= jitter <= delay");
	dl->ring = calloc(cap, sizeof(*dl->ring));
	if (dl->ring == NULL)
		return tl_errf(err, "delay line: out of memory for %zu packets", cap);
	dl->cap = cap;
	dl->delay_us = delay_us;
	dl->jitter_us = jitter_us;
	dl->rng = seed != 0 ? seed : 0x9e3779b97f4a7c15ULL;
	return 0;
}

/* A uniform draw in [-jitter_us, +jitter_us] (xorshift64*). */
static int64_t jitter_draw(struct delay_line *dl)
{
	uint64_t x = dl->rng;
	uint64_t span = (uint64_t)(2 * dl->jitter_us + 1);

	if (dl->jitter_us == 0)
		return 0;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	dl->rng = x;
	return (int64_t)(((x * 0x2545f4914f6cdd1dULL) >> 11) % span) - dl->jitter_us;
}

int delay_line_push(struct delay_line *dl, uint32_t id, int64_t now_us)
{
	struct delay_entry *e;
	int64_t release;

	if (dl->count == dl->cap) {
		dl->packets_dropped_full++;
		return -1;
	}
	release = now_us + dl->delay_us + jitter_draw(dl);
	/* In order: a packet never overtakes the one ahead of it. */
	if (release < dl->last_release_us)
		release = dl->last_release_us;
	dl->last_release_us = release;
	e = &dl->ring[(dl->head + dl->count) % dl->cap];
	e->id = id;
	e->release_us = release;
	dl->count++;
	dl->packets_delayed++;
	if (dl->count > dl->held_max)
		dl->held_max = dl->count;
	return 0;
}

int delay_line_take_due(struct delay_line *dl, int64_t now_us, uint32_t *last_id)
{
	int taken = 0;

	while (dl->count > 0 && dl->ring[dl->head].release_us <= now_us) {
		const struct delay_entry *e = &dl->ring[dl->head];

		if (now_us - e->release_us > dl->late_max_us)
			dl->late_max_us = now_us - e->release_us;
		*last_id = e->id;
		dl->head = (dl->head + 1) % dl->cap;
		dl->count--;
		taken = 1;
	}
	return taken;
}

int delay_line_take_all(struct delay_line *dl, uint32_t *last_id)
{
	if (dl->count == 0)
		return 0;
	*last_id = dl->ring[(dl->head + dl->count - 1) % dl->cap].id;
	dl->head = 0;
	dl->count = 0;
	return 1;
}

int64_t delay_line_next_us(const struct delay_line *dl)
{
	return dl->count > 0 ? dl->ring[dl->head].release_us : -1;
}

void delay_line_free(struct delay_line *dl)
{
	free(dl->ring);
	dl->ring = NULL;
}
