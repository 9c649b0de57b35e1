/* explain: tie each client symptom of a run to the server-side counter that accounts for it. */
#ifndef TL_EXPLAIN_H
#define TL_EXPLAIN_H

#include <jansson.h>
#include <stdio.h>

/* Write one "- ..." line per explanation found in the run document; returns how many. */
int explain_run(json_t *doc, FILE *out);

#endif
