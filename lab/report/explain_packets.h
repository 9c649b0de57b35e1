/* explain_packets: what happened as the captures show it, each claim with a connection's ladder as the example. */
#ifndef TL_EXPLAIN_PACKETS_H
#define TL_EXPLAIN_PACKETS_H

#include <jansson.h>
#include <stdio.h>

/* Write one "- on the wire: ..." line (and its example) per finding in run.json's packets; returns how many. */
int explain_packets(json_t *doc, FILE *out);

#endif
