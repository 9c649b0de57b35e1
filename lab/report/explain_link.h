/* explain_link: what run.json's "link" says (the network conditions made on the lab link and what they measured),
 * for "what happened". */
#ifndef TL_EXPLAIN_LINK_H
#define TL_EXPLAIN_LINK_H

#include <jansson.h>
#include <stdio.h>

/* One "- ..." line per direction the link conditioned: each condition, how it was made and what the wire and
 * the delay line counted; returns how many. */
int explain_link(json_t *doc, FILE *out);

/* Packets the link's loss rule dropped in direction "client_to_server" or "server_to_client" (0 without one). */
long explain_link_lost(json_t *doc, const char *direction);

#endif
