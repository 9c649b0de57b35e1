/* scenario: read a scenario file line by line, apply the key table, load its profiles and check its options. */
#include "scenario.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ini_lines.h"
#include "path.h"
#include "scenario_internal.h"

int scenario_errf(struct tl_err *err, const struct scenario *sc, int line, enum scenario_section section,
		  const char *fmt, ...)
{
	char what[sizeof(err->msg)];
	va_list ap;

	if (err == NULL)
		return -1;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return tl_errf(err, "%s:%d: [%s] %s", sc->path, line, scenario_section_name(section), what);
}

/* Put "path:line: [section] " in front of the message already in err. */
static int scenario_err_prefix(struct tl_err *err, const struct scenario *sc, int line,
			       enum scenario_section section)
{
	char what[sizeof(err->msg)];

	if (err == NULL)
		return -1;
	memcpy(what, err->msg, sizeof(what));
	return scenario_errf(err, sc, line, section, "%s", what);
}

static int add_expect(struct scenario *sc, const struct ini_file *f, const struct ini_line *l, struct tl_err *err)
{
	struct expect *grown;

	grown = realloc(sc->expects, (sc->expect_count + 1) * sizeof(*sc->expects));
	if (grown == NULL)
		return tl_errf(err, "%s: out of memory", sc->path);
	sc->expects = grown;
	if (expect_parse(l->value, l->lineno, &sc->expects[sc->expect_count], err) != 0)
		return ini_err_prefix(err, f, l);
	sc->expect_count++;
	return 0;
}

static int add_entry(struct scenario *sc, int section, const struct ini_file *f, const struct ini_line *l,
		     struct tl_err *err)
{
	char known[400];
	struct scenario_value *v;
	int k;

	if (section < 0)
		return ini_errf(err, f, l, "'%s' comes before any section (a scenario starts with [scenario])", l->text);
	k = scenario_key_find(section, l->name);
	if (k < 0) {
		scenario_key_list(section, known, sizeof(known));
		return ini_errf(err, f, l, "unknown key '%s' (known: %s)", l->name, known);
	}
	v = &sc->values[k];
	if (v->present)
		return ini_errf(err, f, l, "duplicate key '%s' (first set at line %d)", l->name, v->line);
	if (scenario_key_parse(scenario_key_at((size_t)k), l->value, v, err) != 0)
		return ini_err_prefix(err, f, l);
	v->present = 1;
	v->line = l->lineno;
	return 0;
}

/* One pass over the file's lines, in order, so the first problem in the file is the one reported. */
static int read_lines(struct scenario *sc, const struct ini_file *f, struct tl_err *err)
{
	int section = -1;

	for (size_t i = 0; i < f->count; i++) {
		const struct ini_line *l = &f->lines[i];
		int rc = 0;

		switch (l->kind) {
		case INI_LINE_BLANK:
			break;
		case INI_LINE_SECTION:
			section = scenario_section_find(l->section);
			if (section < 0)
				rc = ini_errf(err, f, l,
					      "unknown section (expected [scenario], [server], [client], [expect], "
					      "[compare], [capture] or [link])");
			else if (sc->section_line[section] != 0)
				rc = ini_errf(err, f, l, "section appears twice (first at line %d)",
					      sc->section_line[section]);
			else
				sc->section_line[section] = l->lineno;
			break;
		case INI_LINE_ENTRY:
			rc = add_entry(sc, section, f, l, err);
			break;
		case INI_LINE_RAW:
			rc = add_expect(sc, f, l, err);
			break;
		}
		if (rc != 0)
			return -1;
	}
	return 0;
}

static int check_required(struct scenario *sc, struct tl_err *err)
{
	static const enum scenario_section required[] = { SECTION_SCENARIO, SECTION_SERVER, SECTION_CLIENT };

	for (size_t i = 0; i < sizeof(required) / sizeof(required[0]); i++) {
		if (sc->section_line[required[i]] == 0)
			return scenario_errf(err, sc, 1, required[i], "missing required section");
	}
	for (size_t i = 0; i < scenario_key_count(); i++) {
		const struct scenario_key *k = scenario_key_at(i);
		struct scenario_value *v = &sc->values[i];
		int header = sc->section_line[k->section];

		if (v->present)
			continue;
		if (k->required)
			return scenario_errf(err, sc, header > 0 ? header : 1, k->section, "missing required key '%s'",
					     k->name);
		if (k->fallback == NULL)
			continue;
		if (scenario_key_parse(k, k->fallback, v, err) != 0)
			return scenario_err_prefix(err, sc, header > 0 ? header : 1, k->section);
		v->present = 1;
		v->line = 0;
	}
	return 0;
}

static const struct scenario_value *value_of(const struct scenario *sc, enum scenario_section section,
					     const char *key)
{
	int k = scenario_key_find(section, key);

	return k >= 0 && sc->values[k].present ? &sc->values[k] : NULL;
}

static void fill_fields(struct scenario *sc)
{
	const struct scenario_value *backlog = value_of(sc, SECTION_SERVER, "backlog");

	/* Names were checked to be shorter than PROFILE_NAME_MAX when their keys were read. */
	snprintf(sc->name, sizeof(sc->name), "%.*s", (int)sizeof(sc->name) - 1,
		 value_of(sc, SECTION_SCENARIO, "name")->text);
	snprintf(sc->description, sizeof(sc->description), "%s", value_of(sc, SECTION_SCENARIO, "description")->text);
	sc->duration_us = value_of(sc, SECTION_SCENARIO, "duration")->number;
	sc->sample_period_us = value_of(sc, SECTION_SCENARIO, "sample_period")->number;
	snprintf(sc->server.profile_name, sizeof(sc->server.profile_name), "%.*s", PROFILE_NAME_MAX - 1,
		 value_of(sc, SECTION_SERVER, "profile")->text);
	sc->server.port = (unsigned)value_of(sc, SECTION_SERVER, "port")->number;
	sc->server.backlog = backlog != NULL ? (long)backlog->number : -1;
	snprintf(sc->client.profile_name, sizeof(sc->client.profile_name), "%.*s", PROFILE_NAME_MAX - 1,
		 value_of(sc, SECTION_CLIENT, "profile")->text);
	sc->client.sources = (int)value_of(sc, SECTION_CLIENT, "sources")->number;
}

/* [link]: a direction's jitter (its own key, else the plain one) may not exceed its delay, as no packet leaves
 * before it was sent. */
static int check_link(const struct scenario *sc, struct tl_err *err)
{
	static const char *const dirs[] = { "client_to_server", "server_to_client" };

	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		char key[48];
		const struct scenario_value *delay, *jitter;

		snprintf(key, sizeof(key), "%s.delay", dirs[i]);
		delay = value_of(sc, SECTION_LINK, key);
		if (delay == NULL)
			delay = value_of(sc, SECTION_LINK, "delay");
		snprintf(key, sizeof(key), "%s.jitter", dirs[i]);
		jitter = value_of(sc, SECTION_LINK, key);
		if (jitter == NULL) {
			jitter = value_of(sc, SECTION_LINK, "jitter");
			snprintf(key, sizeof(key), "jitter");
		}
		if (jitter != NULL && jitter->number > (delay != NULL ? delay->number : 0))
			return scenario_errf(err, sc, jitter->line, SECTION_LINK,
					     "%s: %s is more than the %s delay %s (jitter moves a packet at most that much "
					     "either way)", key, jitter->text, dirs[i], delay != NULL ? delay->text : "0");
	}
	return 0;
}

static int check_consistency(const struct scenario *sc, struct tl_err *err)
{
	const struct scenario_value *name = value_of(sc, SECTION_SCENARIO, "name");
	const struct scenario_value *client_duration = value_of(sc, SECTION_CLIENT, "duration");
	const char *base = strrchr(sc->path, '/');
	size_t base_len;

	base = base != NULL ? base + 1 : sc->path;
	base_len = strlen(base);
	if (base_len > 5 && strcmp(base + base_len - 5, ".conf") == 0)
		base_len -= 5;
	if (strlen(sc->name) != base_len || strncmp(sc->name, base, base_len) != 0)
		return scenario_errf(err, sc, name->line, SECTION_SCENARIO,
				     "name: '%s' does not match the file name (expected '%.*s')", sc->name, (int)base_len,
				     base);
	if (check_link(sc, err) != 0)
		return -1;
	if (client_duration != NULL && client_duration->number > sc->duration_us)
		return scenario_errf(err, sc, client_duration->line, SECTION_CLIENT,
				     "duration: %s is longer than the scenario's duration %s, after which the client is "
				     "stopped", client_duration->text, value_of(sc, SECTION_SCENARIO, "duration")->text);
	return 0;
}

static int load_profile(const struct scenario *sc, const char *profiles_dir, const char *name, int line,
			enum scenario_section section, struct profile *out, struct tl_err *err)
{
	char path[TL_PATH_LEN];

	if (profile_find(profiles_dir, name, path, sizeof(path), err) != 0 || profile_load(path, out, err) != 0) {
		char what[sizeof(err->msg)];

		memcpy(what, err->msg, sizeof(what));
		return scenario_errf(err, sc, line, section, "profile%s: %s", section == SECTION_COMPARE ? "s" : "",
				     what);
	}
	return 0;
}

static int load_profiles(struct scenario *sc, const char *profiles_dir, struct tl_err *err)
{
	const struct scenario_value *compare = value_of(sc, SECTION_COMPARE, "profiles");

	if (load_profile(sc, profiles_dir, sc->server.profile_name, value_of(sc, SECTION_SERVER, "profile")->line,
			 SECTION_SERVER, &sc->server.profile, err) != 0)
		return -1;
	if (load_profile(sc, profiles_dir, sc->client.profile_name, value_of(sc, SECTION_CLIENT, "profile")->line,
			 SECTION_CLIENT, &sc->client.profile, err) != 0)
		return -1;
	if (compare == NULL)
		return 0;
	sc->compare = calloc((size_t)compare->number, sizeof(*sc->compare));
	if (sc->compare == NULL)
		return tl_errf(err, "%s: out of memory", sc->path);
	for (const char *p = compare->text; *p != '\0';) {
		char name[PROFILE_NAME_MAX];
		size_t n = strcspn(p, ",");

		/* The list was checked and normalized ("a,b") when the key was read. */
		snprintf(name, sizeof(name), "%.*s", (int)n, p);
		for (size_t i = 0; i < sc->compare_count; i++) {
			if (strcmp(sc->compare[i].name, name) == 0)
				return scenario_errf(err, sc, compare->line, SECTION_COMPARE,
						     "profiles: '%s' is listed twice", name);
		}
		if (load_profile(sc, profiles_dir, name, compare->line, SECTION_COMPARE,
				 &sc->compare[sc->compare_count], err) != 0)
			return -1;
		sc->compare_count++;
		p += n;
		if (*p == ',')
			p++;
	}
	return 0;
}

int scenario_load(const char *path, const char *profiles_dir, const char *bindir, struct scenario *out,
		  struct tl_err *err)
{
	return scenario_load_overridden(path, profiles_dir, bindir, NULL, 0, out, err);
}

int scenario_load_overridden(const char *path, const char *profiles_dir, const char *bindir,
			     const struct scenario_override *overrides, size_t override_count, struct scenario *out,
			     struct tl_err *err)
{
	struct ini_file f;
	int rc;

	memset(out, 0, sizeof(*out));
	out->planned_connections = -1;
	if (tl_path_fmt(out->path, sizeof(out->path), err, "%s", path) != 0)
		return tl_err_wrap(err, "scenario");
	/* inih would mangle expectations ("a == 1" split at '=', "a > 1" refused): [expect] is read as raw lines. */
	if (ini_file_read(path, scenario_section_name(SECTION_EXPECT), &f, err) != 0)
		return -1;
	rc = read_lines(out, &f, err);
	ini_file_free(&f);
	if (rc == 0)
		rc = scenario_apply_overrides(out, overrides, override_count, err);
	if (rc == 0)
		rc = check_required(out, err);
	if (rc == 0) {
		fill_fields(out);
		rc = check_consistency(out, err);
	}
	if (rc == 0)
		rc = load_profiles(out, profiles_dir, err);
	if (rc == 0 && bindir != NULL)
		rc = scenario_check_programs(out, bindir, &out->planned_connections, err);
	if (rc != 0)
		scenario_free(out);
	return rc;
}

void scenario_free(struct scenario *sc)
{
	free(sc->expects);
	sc->expects = NULL;
	sc->expect_count = 0;
	free(sc->compare);
	sc->compare = NULL;
	sc->compare_count = 0;
}

const struct scenario_value *scenario_get(const struct scenario *sc, const char *section, const char *key)
{
	int s = scenario_section_find(section);

	return s >= 0 ? value_of(sc, s, key) : NULL;
}
