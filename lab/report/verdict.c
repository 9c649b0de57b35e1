/* verdict: expectations are `path op value` over run.json; a missing path fails with "missing". */
#include "verdict.h"

#include "report/jsonpath.h"

json_t *verdict_evaluate(const struct scenario *sc, json_t *doc)
{
	json_t *list = json_array();

	for (size_t i = 0; i < sc->expect_count; i++) {
		const struct expect *e = &sc->expects[i];
		json_t *v = json_object();
		double seen = 0;
		int found = jsonpath_number(doc, e->path, &seen) == 0;

		json_object_set_new(v, "line", json_integer(e->line));
		json_object_set_new(v, "text", json_string(e->text));
		json_object_set_new(v, "path", json_string(e->path));
		json_object_set_new(v, "op", json_string(expect_op_name(e->op)));
		json_object_set_new(v, "expected", json_real(e->value));
		json_object_set_new(v, "seen", found ? json_real(seen) : json_null());
		json_object_set_new(v, "pass", json_boolean(found && expect_holds(e, seen)));
		json_array_append_new(list, v);
	}
	return list;
}
