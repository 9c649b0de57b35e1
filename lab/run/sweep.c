/* sweep: expand --set axes into grid points, each a scenario loaded and checked with its keys replaced. */
#include "sweep.h"

#include <stdio.h>
#include <string.h>

int sweep_add_axis(struct sweep *s, const char *text, struct tl_err *err)
{
	struct sweep_axis *axis;
	const struct scenario_key *key;
	const char *p;

	if (s->axis_count == COMPARE_SETTINGS_MAX)
		return tl_errf(err, "--set %s: at most %d keys can be swept at once", text, COMPARE_SETTINGS_MAX);
	axis = &s->axes[s->axis_count];
	memset(axis, 0, sizeof(*axis));
	if (scenario_override_parse(text, &axis->key, err) != 0 || scenario_override_key(&axis->key, &key, err) != 0)
		return tl_err_wrap(err, "--set");
	/* Values are separated by commas, so a key whose value is itself a list cannot take several. */
	if (key->kind == KIND_INT_LIST || key->kind == KIND_NAME_LIST)
		return tl_errf(err, "--set %s: %s.%s takes a list; it cannot be swept", text, axis->key.section,
			       axis->key.key);
	for (size_t i = 0; i < s->axis_count; i++) {
		if (strcmp(s->axes[i].key.section, axis->key.section) == 0 && strcmp(s->axes[i].key.key, axis->key.key) == 0)
			return tl_errf(err, "--set %s: %s.%s is already swept", text, axis->key.section, axis->key.key);
	}
	for (p = axis->key.value; *p != '\0' || axis->count == 0;) {
		size_t n = strcspn(p, ",");
		size_t lead = strspn(p, " \t");
		size_t len = n > lead ? n - lead : 0;

		while (len > 0 && (p[lead + len - 1] == ' ' || p[lead + len - 1] == '\t'))
			len--;
		if (len == 0)
			return tl_errf(err, "--set %s: empty value in the list", text);
		if (axis->count == SWEEP_VALUES_MAX)
			return tl_errf(err, "--set %s: at most %d values per key", text, SWEEP_VALUES_MAX);
		snprintf(axis->values[axis->count++], sizeof(axis->values[0]), "%.*s", (int)len, p + lead);
		p += n;
		if (*p == ',') {
			p++;
			if (*p == '\0')
				return tl_errf(err, "--set %s: empty value in the list", text);
		}
	}
	s->axis_count++;
	return 0;
}

size_t sweep_points(const struct sweep *s)
{
	size_t n = s->axis_count > 0 ? 1 : 0;

	for (size_t i = 0; i < s->axis_count; i++) {
		n *= s->axes[i].count;
		/* Past the limit the exact product does not matter, and it must not overflow. */
		if (n > SWEEP_POINTS_MAX)
			return SWEEP_POINTS_MAX + 1;
	}
	return n;
}

/* A key's name alone is clear unless two axes share it (server.handle_time and client.handle_time). */
static int name_is_shared(const struct sweep *s, size_t axis)
{
	for (size_t i = 0; i < s->axis_count; i++) {
		if (i != axis && strcmp(s->axes[i].key.key, s->axes[axis].key.key) == 0)
			return 1;
	}
	return 0;
}

/* Point i: overrides, label and settings; the last axis varies fastest. */
static void point(const struct sweep *s, size_t i, struct scenario_override *ov, struct compare_spec *spec)
{
	size_t rest = i;
	size_t used = 0;

	memset(spec, 0, sizeof(*spec));
	for (size_t a = s->axis_count; a-- > 0;) {
		ov[a] = s->axes[a].key;
		snprintf(ov[a].value, sizeof(ov[a].value), "%s", s->axes[a].values[rest % s->axes[a].count]);
		rest /= s->axes[a].count;
	}
	for (size_t a = 0; a < s->axis_count; a++) {
		struct compare_setting *set = &spec->settings[a];
		int w;

		snprintf(set->key, sizeof(set->key), "%.15s.%.47s", ov[a].section, ov[a].key);
		snprintf(set->value, sizeof(set->value), "%s", ov[a].value);
		w = snprintf(spec->label + used, sizeof(spec->label) - used, "%s%s=%s", a ? " " : "",
			     name_is_shared(s, a) ? set->key : ov[a].key, ov[a].value);
		if (w > 0 && (size_t)w < sizeof(spec->label) - used)
			used += (size_t)w;
	}
	spec->setting_count = s->axis_count;
}

int sweep_load(const struct sweep *s, const char *path, const char *profiles_dir, const char *bindir,
	       struct scenario *scs, struct compare_spec *specs, struct tl_err *err)
{
	size_t n = sweep_points(s);

	if (n == 0)
		return tl_errf(err, "nothing to sweep: give at least one --set SECTION.KEY=V1,V2");
	if (n > SWEEP_POINTS_MAX)
		return tl_errf(err, "the grid has more than %d points (each one a full replay)", SWEEP_POINTS_MAX);
	for (size_t i = 0; i < n; i++) {
		struct scenario_override ov[COMPARE_SETTINGS_MAX];

		point(s, i, ov, &specs[i]);
		if (scenario_load_overridden(path, profiles_dir, bindir, ov, s->axis_count, &scs[i], err) != 0) {
			for (size_t j = 0; j < i; j++)
				scenario_free(&scs[j]);
			return tl_err_wrap(err, "with %s", specs[i].label);
		}
		specs[i].sc = &scs[i];
	}
	return 0;
}
