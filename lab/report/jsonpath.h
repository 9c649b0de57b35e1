/* jsonpath: look up a dotted path ("server.acceptq.max") in the run document. */
#ifndef TL_JSONPATH_H
#define TL_JSONPATH_H

#include <jansson.h>

/* The value at a dotted path, or NULL when any part is missing. Array parts are indexes ("cells.0.wall_us"). */
json_t *jsonpath_get(json_t *root, const char *path);

/* The number at a path into *out: 0, or -1 when missing or not a number (true/false count as 1/0). */
int jsonpath_number(json_t *root, const char *path, double *out);

#endif
