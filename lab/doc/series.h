/* series: the queue samples taken during a run, and the figures derived from them. */
#ifndef TL_SERIES_H
#define TL_SERIES_H

#include <stddef.h>
#include <stdint.h>

#include "probe/sockdiag.h"
#include "tl_err.h"

/* One sample of both sides at one instant. */
struct series_point {
	int64_t t_us;            /* since the client started */
	uint32_t acceptq_len;    /* sum over the server's listeners on the port */
	uint32_t acceptq_limit;  /* sum of their limits (min(backlog, somaxconn)) */
	uint16_t listeners;
	uint16_t server_states[SOCKDIAG_STATE_MAX + 1]; /* server namespace, sockets on the port */
	uint16_t client_states[SOCKDIAG_STATE_MAX + 1]; /* client namespace, sockets on the port */
};

/* A growing array of points and running maxima. */
struct series {
	struct series_point *points;
	size_t count;
	size_t cap;
	uint32_t acceptq_max;
	uint32_t acceptq_limit;      /* as seen in the first sample with a listener */
	int64_t acceptq_full_us;     /* time the accept queue was full (len > limit), by sample periods */
	uint32_t server_state_max[SOCKDIAG_STATE_MAX + 1];
	uint32_t client_state_max[SOCKDIAG_STATE_MAX + 1];
	uint32_t listeners_max;
};

/* Append a point built from the two sides' samples (client may be NULL; a listeners-only server sample keeps
 * the previous state counts); period_us weighs "time full". */
int series_add(struct series *s, int64_t t_us, int64_t period_us, const struct sockdiag_sample *server,
	       const struct sockdiag_sample *client, struct tl_err *err);

/* Release the points. */
void series_free(struct series *s);

#endif
