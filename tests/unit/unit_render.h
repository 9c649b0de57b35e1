/* unit_render: run a function that writes text about a JSON document, and keep what it wrote. */
#ifndef TL_UNIT_RENDER_H
#define TL_UNIT_RENDER_H

#include <jansson.h>
#include <stdio.h>

/* Parse json, run rule(doc, out) into memory; returns the text (caller frees), rule's result in *n (-1 when the
 * JSON or the memory stream could not be made). */
static inline char *unit_render(const char *json, int (*rule)(json_t *, FILE *), int *n)
{
	json_t *doc = json_loads(json, 0, NULL);
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	*n = doc && out ? rule(doc, out) : -1;
	if (out)
		fclose(out);
	json_decref(doc);
	return buf;
}

#endif
