/* remote_wire: the JSON forms of what a side hands back (read-back profile, counters, socket samples), shared by the agent and the remote side. */
#ifndef TL_REMOTE_WIRE_H
#define TL_REMOTE_WIRE_H

#include <jansson.h>

#include "side.h"

/* Version of the agent's HTTP API; the remote side refuses an agent that speaks another. */
#define WIRE_API_VERSION 1

/* {"kernel": "...", "values": [{"key": k, "value": v}, ...]}; NULL when out of memory. */
json_t *wire_applied_to_json(const struct side_applied *a);

/* The inverse of wire_applied_to_json. */
int wire_applied_from_json(const json_t *j, struct side_applied *out, struct tl_err *err);

/* {"counters": [[name, value], ...]} in the kernel's order; NULL when out of memory. */
json_t *wire_counters_to_json(const struct counters *c);

/* The inverse of wire_counters_to_json. */
int wire_counters_from_json(const json_t *j, struct counters *out, struct tl_err *err);

/* Every field of a sockdiag sample; NULL when out of memory. */
json_t *wire_sample_to_json(const struct sockdiag_sample *s);

/* The inverse of wire_sample_to_json. */
int wire_sample_from_json(const json_t *j, struct sockdiag_sample *out, struct tl_err *err);

/* {"name": profile name, "settings": [{"key": k, "value": v}, ...]}; NULL when out of memory. */
json_t *wire_profile_to_json(const struct profile *p);

/* The path word of a raw capture: "ss-tan", "ss-ltn", "nstat". */
const char *wire_raw_name(enum side_raw what);

/* The raw capture named word; 0 and *what, or -1 when there is none. */
int wire_raw_find(const char *word, enum side_raw *what);

/* The word for a signal the controller may send ("TERM", "KILL", "INT"), or NULL for any other. */
const char *wire_signal_name(int sig);

/* The signal named word (one of wire_signal_name's), or -1. */
int wire_signal_find(const char *word);

#endif
