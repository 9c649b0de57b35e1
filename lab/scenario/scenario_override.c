/* scenario_override: replace a scenario key from the command line ("server.backlog=5") before the scenario is checked. */
#include <stdio.h>
#include <string.h>

#include "scenario_internal.h"

int scenario_override_parse(const char *text, struct scenario_override *o, struct tl_err *err)
{
	const char *dot = strchr(text, '.');
	const char *eq = strchr(text, '=');
	size_t section_len;
	size_t key_len;

	memset(o, 0, sizeof(*o));
	if (dot == NULL || eq == NULL || dot > eq)
		return tl_errf(err, "'%s': expected SECTION.KEY=VALUE (server.backlog=5)", text);
	section_len = (size_t)(dot - text);
	key_len = (size_t)(eq - dot - 1);
	if (section_len == 0 || section_len >= sizeof(o->section) || key_len == 0 || key_len >= sizeof(o->key))
		return tl_errf(err, "'%s': expected SECTION.KEY=VALUE (server.backlog=5)", text);
	if (strlen(eq + 1) >= sizeof(o->value))
		return tl_errf(err, "'%s': the value is too long", text);
	snprintf(o->section, sizeof(o->section), "%.*s", (int)section_len, text);
	snprintf(o->key, sizeof(o->key), "%.*s", (int)key_len, dot + 1);
	snprintf(o->value, sizeof(o->value), "%s", eq + 1);
	return scenario_override_key(o, NULL, err);
}

int scenario_override_key(const struct scenario_override *o, const struct scenario_key **key, struct tl_err *err)
{
	char known[400];
	int section = scenario_section_find(o->section);
	int k;

	/* The name must match the file, and expectations and [compare] are not settings of the replay. */
	if (section != SECTION_SCENARIO && section != SECTION_SERVER && section != SECTION_CLIENT &&
	    section != SECTION_CAPTURE && section != SECTION_LINK)
		return tl_errf(err, "%s.%s: only [scenario], [server], [client], [capture] and [link] keys can be replaced",
			       o->section, o->key);
	k = scenario_key_find((enum scenario_section)section, o->key);
	if (k < 0) {
		scenario_key_list((enum scenario_section)section, known, sizeof(known));
		return tl_errf(err, "%s.%s: no such key (known in [%s]: %s)", o->section, o->key, o->section, known);
	}
	if (section == SECTION_SCENARIO && strcmp(o->key, "name") == 0)
		return tl_errf(err, "scenario.name: the name is the file's, it cannot be replaced");
	if (key != NULL)
		*key = scenario_key_at((size_t)k);
	return 0;
}

int scenario_apply_overrides(struct scenario *sc, const struct scenario_override *ov, size_t n, struct tl_err *err)
{
	for (size_t i = 0; i < n; i++) {
		const struct scenario_key *key;
		struct scenario_value *v;
		int line;
		int k;

		if (scenario_override_key(&ov[i], &key, err) != 0)
			return -1;
		k = scenario_key_find(key->section, key->name);
		v = &sc->values[k];
		/* Errors found later (the programs' --check) point at the line the value replaces, else the section. */
		line = v->present && v->line > 0 ? v->line : sc->section_line[key->section];
		if (scenario_key_parse(key, ov[i].value, v, err) != 0)
			return tl_err_wrap(err, "%s.%s=%s", ov[i].section, ov[i].key, ov[i].value);
		v->present = 1;
		v->line = line > 0 ? line : 1;
	}
	return 0;
}
