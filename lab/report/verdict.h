/* verdict: check a scenario's expectations against its run document. */
#ifndef TL_VERDICT_H
#define TL_VERDICT_H

#include <jansson.h>

#include "scenario/scenario.h"

/*
 * One verdict per expectation, in file order: {line, text, path, op, expected, seen, pass, status[, reason]}.
 * status is "pass", "fail", "unknown" (the evidence is incomplete: a capture that lost packets, for packets.*)
 * or "unavailable" (not recorded in this run: no capture for packets.*, drop tracing off or not possible for
 * <side>.drops.<REASON> and drops.*, with doc's reason). Only "fail" counts as failed; --strict counts the other two too.
 */
json_t *verdict_evaluate(const struct scenario *sc, json_t *doc);

/* How many verdicts of a built document failed (strict: also unknown and unavailable). */
int verdict_failed(json_t *doc, int strict);

#endif
