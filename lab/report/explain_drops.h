/* explain_drops: what the kernel's drop tracing (run.json "drops") says, for the summary and "what happened". */
#ifndef TL_EXPLAIN_DROPS_H
#define TL_EXPLAIN_DROPS_H

#include <jansson.h>
#include <stdio.h>

/* The summary's one line on drop tracing: the counts when on, or off / unavailable and why. */
void explain_drops_status(json_t *doc, FILE *out);

/* Write one "- ..." line per finding in run.json's drops (drop reasons, what ListenOverflows counts that no
 * reason shows, resets); returns how many. */
int explain_drops(json_t *doc, FILE *out);

#endif
