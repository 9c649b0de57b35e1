/* jsonpath: dotted-path lookups over jansson values. */
#include "jsonpath.h"

#include <stdlib.h>
#include <string.h>

json_t *jsonpath_get(json_t *root, const char *path)
{
	char part[128];
	const char *p = path;
	json_t *cur = root;

	while (cur != NULL && *p != '\0') {
		size_t len = strcspn(p, ".");

		if (len == 0 || len >= sizeof(part))
			return NULL;
		memcpy(part, p, len);
		part[len] = '\0';
		if (json_is_object(cur)) {
			cur = json_object_get(cur, part);
		} else if (json_is_array(cur)) {
			char *end = NULL;
			long idx = strtol(part, &end, 10);

			cur = (*end == '\0' && idx >= 0) ? json_array_get(cur, (size_t)idx) : NULL;
		} else {
			return NULL;
		}
		p += len;
		if (*p == '.')
			p++;
	}
	return cur;
}

int jsonpath_number(json_t *root, const char *path, double *out)
{
	json_t *v = jsonpath_get(root, path);

	if (json_is_number(v)) {
		*out = json_number_value(v);
		return 0;
	}
	if (json_is_boolean(v)) {
		*out = json_is_true(v) ? 1 : 0;
		return 0;
	}
	return -1;
}
