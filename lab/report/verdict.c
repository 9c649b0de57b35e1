/* verdict: expectations are `path op value` over run.json; a missing path fails with "missing". */
#include "verdict.h"

#include <string.h>

#include "report/jsonpath.h"

/* Whether path lies under prefix ("server.drops." holds "server.drops.NO_SOCKET"). */
static int under(const char *path, const char *prefix)
{
	return strncmp(path, prefix, strlen(prefix)) == 0;
}

/* Paths that rest on the kernel's drop tracing: a count that is absent there is zero. */
static int rests_on_drops(const char *path)
{
	return under(path, "server.drops.") || under(path, "client.drops.") || under(path, "drops.");
}

/* A side's drops by reason are written <side>.drops.<REASON> and kept in run.json at drops.<side>.<REASON>:
 * the path as jsonpath walks it. */
static const char *document_path(const char *path, char *buf, size_t len)
{
	const char *sides[] = { "server", "client" };

	for (size_t i = 0; i < sizeof(sides) / sizeof(sides[0]); i++) {
		char prefix[16];
		int w;

		snprintf(prefix, sizeof(prefix), "%s.drops.", sides[i]);
		if (!under(path, prefix))
			continue;
		w = snprintf(buf, len, "drops.%s.%s", sides[i], path + strlen(prefix));
		return w < 0 || (size_t)w >= len ? path : buf;
	}
	return path;
}

/* The evidence a path rests on, when it is not there to judge: "unavailable" or "unknown" and why; NULL when
 * the path can be judged. */
static const char *evidence_missing(json_t *doc, const char *path, const char **reason)
{
	json_t *section = NULL;

	if (under(path, "packets."))
		section = json_object_get(doc, "packets");
	else if (rests_on_drops(path))
		section = json_object_get(doc, "drops");
	else
		return NULL;
	*reason = json_string_value(json_object_get(section, "reason"));
	if (*reason == NULL)
		*reason = "not recorded in this run";
	if (!json_is_true(json_object_get(section, "available")))
		return "unavailable";
	/* Drop tracing that was off, or could not run, is as unavailable as a capture that was off. */
	if (rests_on_drops(path)) {
		const char *status = json_string_value(json_object_get(section, "status"));

		if (status == NULL || strcmp(status, "on") != 0)
			return "unavailable";
	}
	if (json_is_false(json_object_get(section, "complete")))
		return "unknown";
	return NULL;
}

json_t *verdict_evaluate(const struct scenario *sc, json_t *doc)
{
	json_t *list = json_array();

	for (size_t i = 0; i < sc->expect_count; i++) {
		const struct expect *e = &sc->expects[i];
		json_t *v = json_object();
		const char *reason = NULL;
		const char *missing = evidence_missing(doc, e->path, &reason);
		double seen = 0;
		char walked[300];
		int found = jsonpath_number(doc, document_path(e->path, walked, sizeof(walked)), &seen) == 0;
		const char *status;

		/* A reason the kernel never gave in this run was counted zero times. */
		if (!found && missing == NULL && rests_on_drops(e->path)) {
			seen = 0;
			found = 1;
		}
		if (missing != NULL)
			status = missing;
		else
			status = found && expect_holds(e, seen) ? "pass" : "fail";
		json_object_set_new(v, "line", json_integer(e->line));
		json_object_set_new(v, "text", json_string(e->text));
		json_object_set_new(v, "path", json_string(e->path));
		json_object_set_new(v, "op", json_string(expect_op_name(e->op)));
		json_object_set_new(v, "expected", json_real(e->value));
		json_object_set_new(v, "seen", found && missing == NULL ? json_real(seen) : json_null());
		json_object_set_new(v, "pass", json_boolean(strcmp(status, "pass") == 0));
		json_object_set_new(v, "status", json_string(status));
		if (missing != NULL)
			json_object_set_new(v, "reason", json_string(reason));
		json_array_append_new(list, v);
	}
	return list;
}

int verdict_failed(json_t *doc, int strict)
{
	json_t *list = json_object_get(doc, "expectations");
	json_t *e;
	size_t i;
	int failed = 0;

	json_array_foreach(list, i, e) {
		const char *status = json_string_value(json_object_get(e, "status"));

		/* A document written before statuses existed has only "pass". */
		if (status == NULL)
			failed += !json_is_true(json_object_get(e, "pass"));
		else
			failed += strcmp(status, "fail") == 0 || (strict && strcmp(status, "pass") != 0);
	}
	return failed;
}
