/* html_ladder: the selected connections of a run drawn as ladders, one arrow per packet, a cross per kernel drop. */
#ifndef TL_HTML_LADDER_H
#define TL_HTML_LADDER_H

#include <jansson.h>
#include <stdio.h>

/* The <section id="ladders"> of a run's page: every ladder of doc's packets.ladders, or why there are none. */
void html_ladders_section(FILE *out, json_t *doc);

/* Up to max ladders of doc, the most eventful (retransmissions, resets, never completed), as column number column
 * of a comparison (heading label), in order of first packet; nothing when it has none. */
void html_ladders_column(FILE *out, json_t *doc, const char *label, int column, size_t max);

#endif
