/* series: accumulate queue samples and their maxima. */
#include "series.h"

#include <stdlib.h>
#include <string.h>

static uint16_t clamp16(uint32_t v)
{
	return v > 65535 ? 65535 : (uint16_t)v;
}

int series_add(struct series *s, int64_t t_us, int64_t period_us, const struct sockdiag_sample *server,
	       const struct sockdiag_sample *client, struct tl_err *err)
{
	struct series_point *p;

	if (s->count == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 1024;
		struct series_point *grown = realloc(s->points, cap * sizeof(*grown));

		if (grown == NULL)
			return tl_errf(err, "out of memory for %zu samples", cap);
		s->points = grown;
		s->cap = cap;
	}
	p = &s->points[s->count++];
	memset(p, 0, sizeof(*p));
	/* A listeners-only sample says nothing new about states: carry the last full sample's counts. */
	if (server->listeners_only && s->count > 1) {
		memcpy(p->server_states, p[-1].server_states, sizeof(p->server_states));
		memcpy(p->client_states, p[-1].client_states, sizeof(p->client_states));
	}
	p->t_us = t_us;
	p->listeners = clamp16(server->listener_count);
	for (uint32_t i = 0; i < server->listener_count; i++) {
		p->acceptq_len += server->listeners[i].acceptq_len;
		p->acceptq_limit += server->listeners[i].acceptq_limit;
	}
	for (int st = 1; st <= SOCKDIAG_STATE_MAX && !server->listeners_only; st++) {
		p->server_states[st] = clamp16(server->states_port[st]);
		if (server->states_port[st] > s->server_state_max[st])
			s->server_state_max[st] = server->states_port[st];
		if (client != NULL) {
			p->client_states[st] = clamp16(client->states_port[st]);
			if (client->states_port[st] > s->client_state_max[st])
				s->client_state_max[st] = client->states_port[st];
		}
	}
	if (server->listener_count > s->listeners_max)
		s->listeners_max = server->listener_count;
	if (p->acceptq_len > s->acceptq_max)
		s->acceptq_max = p->acceptq_len;
	if (s->acceptq_limit == 0 && server->listener_count > 0)
		s->acceptq_limit = p->acceptq_limit;
	/* The kernel's test is sk_ack_backlog > sk_max_ack_backlog: full means limit + 1 queued. */
	for (uint32_t i = 0; i < server->listener_count; i++) {
		if (server->listeners[i].acceptq_len > server->listeners[i].acceptq_limit) {
			s->acceptq_full_us += period_us;
			break;
		}
	}
	return 0;
}

void series_free(struct series *s)
{
	free(s->points);
	memset(s, 0, sizeof(*s));
}
