/* lookup: the connections of an analysis by index, and by client address, port and start time. */
#include "packets/analysis.h"

size_t packets_conn_count(const struct pk_analysis *a)
{
	return a->tab.count;
}

const struct pk_conn *packets_conn(const struct pk_analysis *a, size_t i)
{
	return i < a->tab.count ? &a->tab.slots[i].pub : NULL;
}

const struct pk_conn *packets_find(const struct pk_analysis *a, struct in_addr client_addr, uint16_t port,
				   int64_t start_us)
{
	const struct pk_conn *after = NULL;  /* the earliest opened at or after start_us */
	const struct pk_conn *before = NULL; /* the latest opened within the slack before it */

	if (a->tab.port_head == NULL)
		return NULL;
	for (uint32_t i = a->tab.port_head[port]; i != CONN_NONE; i = a->tab.slots[i].next_on_port) {
		const struct pk_conn *c = &a->tab.slots[i].pub;

		if (client_addr.s_addr != htonl(INADDR_ANY) && c->client_addr.s_addr != client_addr.s_addr)
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
