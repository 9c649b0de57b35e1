/* select: a bounded, stable selection of ladders: one per SYN band, then the slowest, resets and incomplete in turn. */
#include <stdlib.h>

#include "packets/analysis.h"

/* One category of connections, in the order it gives them up. */
struct category {
	uint32_t *order; /* slot indexes */
	size_t count;
	size_t next;     /* how far the selection has walked */
	unsigned reason;
};

/* Slowest handshake first; then by first packet. */
static int by_handshake_desc(const void *pa, const void *pb, void *arg)
{
	const struct conntab *t = arg;
	uint32_t ia = *(const uint32_t *)pa, ib = *(const uint32_t *)pb;
	int64_t a = t->slots[ia].pub.handshake_us, b = t->slots[ib].pub.handshake_us;

	if (a != b)
		return a < b ? 1 : -1;
	return ia < ib ? -1 : ia > ib;
}

/* Most SYNs first (a client that kept retrying before a flood's single SYNs); then by first packet. */
static int by_syn_desc(const void *pa, const void *pb, void *arg)
{
	const struct conntab *t = arg;
	uint32_t ia = *(const uint32_t *)pa, ib = *(const uint32_t *)pb;
	uint32_t a = t->slots[ia].pub.syn, b = t->slots[ib].pub.syn;

	if (a != b)
		return a < b ? 1 : -1;
	return ia < ib ? -1 : ia > ib;
}

/* Picks in order of first packet (their connections' places in the table). */
static int by_conn(const void *pa, const void *pb)
{
	const struct pk_pick *a = pa;
	const struct pk_pick *b = pb;

	return a->conn < b->conn ? -1 : a->conn > b->conn;
}

static unsigned natural_reasons(const struct pk_conn *c)
{
	unsigned r = 0;

	if (c->rst[PK_CLIENT] + c->rst[PK_SERVER] > 0)
		r |= PK_REASON_RESET;
	if (c->has_syn && !c->completed)
		r |= PK_REASON_INCOMPLETE;
	return r;
}

/* The selection under way: pos[i] is connection i's place in picks + 1, 0 while not picked. */
struct selection {
	const struct conntab *t;
	uint32_t *pos;
	struct pk_pick *picks;
	size_t n;
};

/* Add connection i for reason, or add the reason when it is there already; 1 when newly added. */
static int pick(struct selection *sel, uint32_t i, unsigned reason)
{
	if (sel->pos[i] != 0) {
		sel->picks[sel->pos[i] - 1].reasons |= reason;
		return 0;
	}
	sel->picks[sel->n] = (struct pk_pick){ &sel->t->slots[i].pub, reason | natural_reasons(&sel->t->slots[i].pub) };
	sel->pos[i] = (uint32_t)++sel->n;
	return 1;
}

size_t packets_select(const struct pk_analysis *a, size_t limit, struct pk_pick *picks)
{
	const struct conntab *t = &a->tab;
	struct selection sel = { .t = t, .picks = picks };
	struct category cat[3] = {
		{ .reason = PK_REASON_SLOWEST },
		{ .reason = PK_REASON_RESET },
		{ .reason = PK_REASON_INCOMPLETE },
	};
	int band_done[PK_BANDS_RETRANS] = { 0 };
	int more;

	if (limit == 0 || t->count == 0)
		return 0;
	sel.pos = calloc(t->count, sizeof(*sel.pos));
	for (int k = 0; k < 3; k++)
		cat[k].order = malloc(t->count * sizeof(uint32_t));
	if (sel.pos == NULL || cat[0].order == NULL || cat[1].order == NULL || cat[2].order == NULL)
		goto out;
	for (uint32_t i = 0; i < t->count; i++) {
		const struct pk_conn *c = &t->slots[i].pub;

		if (c->completed && c->handshake_us >= 0)
			cat[0].order[cat[0].count++] = i;
		if (c->rst[PK_CLIENT] + c->rst[PK_SERVER] > 0)
			cat[1].order[cat[1].count++] = i;
		if (c->has_syn && !c->completed)
			cat[2].order[cat[2].count++] = i;
	}
	qsort_r(cat[0].order, cat[0].count, sizeof(uint32_t), by_handshake_desc, (void *)t);
	qsort_r(cat[2].order, cat[2].count, sizeof(uint32_t), by_syn_desc, (void *)t);
	/* The first completed handshake of each SYN band, in order of first packet. */
	for (uint32_t i = 0; i < t->count && sel.n < limit; i++) {
		const struct pk_conn *c = &t->slots[i].pub;
		unsigned band = c->syn_retrans < PK_BANDS_RETRANS - 1 ? c->syn_retrans : PK_BANDS_RETRANS - 1;

		if (c->completed && c->has_syn && !band_done[band]) {
			band_done[band] = 1;
			pick(&sel, i, PK_REASON_BAND);
		}
	}
	/* Then one new connection of each category in turn, so that no category crowds out the others; one
	 * met again on the way gets the category's reason too. */
	do {
		more = 0;
		for (int k = 0; k < 3 && sel.n < limit; k++) {
			while (cat[k].next < cat[k].count && !pick(&sel, cat[k].order[cat[k].next], cat[k].reason))
				cat[k].next++;
			if (cat[k].next < cat[k].count) {
				cat[k].next++;
				more = 1;
			}
		}
	} while (more && sel.n < limit);
	qsort(picks, sel.n, sizeof(*picks), by_conn);
out:
	free(sel.pos);
	for (int k = 0; k < 3; k++)
		free(cat[k].order);
	return sel.n;
}
