/* verdict: check a scenario's expectations against its run document. */
#ifndef TL_VERDICT_H
#define TL_VERDICT_H

#include <jansson.h>

#include "scenario/scenario.h"

/* One verdict per expectation, in file order: {line, text, path, op, expected, seen, pass}. */
json_t *verdict_evaluate(const struct scenario *sc, json_t *doc);

#endif
