/* lookup: the connections of an analysis by index, by client address, port and start time, and by client port. */
#include "packets/analysis.h"

size_t packets_conn_count(const struct pk_analysis *a)
{
	return a->tab.count;
}

const struct pk_conn *packets_conn(const struct pk_analysis *a, size_t i)
{
	return i < a->tab.count ? &a->tab.slots[i].pub : NULL;
}

static int is_client(struct in_addr addr, const struct in_addr *clients, size_t client_count)
{
	if (client_count == 0)
		return 1;
	for (size_t i = 0; i < client_count; i++) {
		if (clients[i].s_addr == addr.s_addr)
			return 1;
	}
	return 0;
}

const struct pk_conn *packets_find(const struct pk_analysis *a, const struct in_addr *clients, size_t client_count,
				   uint16_t port, int64_t start_us)
{
	const struct pk_conn *after = NULL;  /* the earliest opened at or after start_us */
	const struct pk_conn *before = NULL; /* the latest opened within the slack before it */

	if (a->tab.port_head == NULL)
		return NULL;
	for (uint32_t i = a->tab.port_head[port]; i != CONN_NONE; i = a->tab.slots[i].next_on_port) {
		const struct pk_conn *c = &a->tab.slots[i].pub;

		if (!is_client(c->client_addr, clients, client_count))
			continue;
		if (start_us < 0 || c->first_us >= start_us) {
			if (after == NULL || c->first_us < after->first_us)
				after = c;
		} else if (c->first_us >= start_us - PK_FIND_SLACK_US) {
			if (before == NULL || c->first_us > before->first_us)
				before = c;
		}
	}
	return after != NULL ? after : before;
}

size_t packets_port_conns(const struct pk_analysis *a, uint16_t port, const struct in_addr *clients,
			  size_t client_count, struct pk_pick *picks, size_t *others_out)
{
	size_t n = 0;
	size_t others = 0;

	for (size_t i = 0; i < a->tab.count; i++) {
		const struct pk_conn *c = &a->tab.slots[i].pub;

		if (c->client_port != port)
			continue;
		if (is_client(c->client_addr, clients, client_count))
			picks[n++] = (struct pk_pick){ .conn = c, .reasons = 0 };
		else
			others++;
	}
	*others_out = others;
	return n;
}
