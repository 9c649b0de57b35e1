/* profile_body: the whole request is checked before the first write, so a refused profile changes nothing. */
#include "profile_body.h"

#include <stdio.h>
#include <string.h>

#include "path.h"
#include "scenario/profile_keys.h"

static int check_key(const char *key, struct tl_err *err)
{
	const char *suggestion;

	if (sysctl_key_find(key) != NULL)
		return 0;
	if (sysctl_key_is_host_wide(key))
		return tl_errf(err, "%s is shared by the whole host, not one network namespace: refused", key);
	suggestion = sysctl_key_suggest(key);
	if (suggestion != NULL)
		return tl_errf(err, "%s is not in the allowlist (did you mean %s?)", key, suggestion);
	return tl_errf(err, "%s is not in the allowlist of per-namespace sysctls", key);
}

static int add_setting(struct profile *out, const json_t *item, size_t index, struct tl_err *err)
{
	const char *key = json_string_value(json_object_get(item, "key"));
	const char *value = json_string_value(json_object_get(item, "value"));
	struct profile_setting *s = &out->settings[out->count];

	if (key == NULL || value == NULL || json_object_size(item) != 2)
		return tl_errf(err, "settings[%zu] must be {\"key\": string, \"value\": string}", index);
	if (check_key(key, err) != 0)
		return -1;
	for (size_t i = 0; i < out->count; i++) {
		if (strcmp(out->settings[i].key, key) == 0)
			return tl_errf(err, "%s is set twice", key);
	}
	if (sysctl_key_check_value(sysctl_key_find(key), value, s->value, sizeof(s->value), err) != 0)
		return -1;
	snprintf(s->key, sizeof(s->key), "%s", key);
	if (tl_path_fmt(s->proc_path, sizeof(s->proc_path), err, "%s", key) != 0)
		return -1;
	for (char *c = s->proc_path; *c != '\0'; c++) {
		if (*c == '.')
			*c = '/';
	}
	s->line = (int)index + 1;
	out->count++;
	return 0;
}

int profile_body_parse(const json_t *body, struct profile *out, struct tl_err *err)
{
	const char *name = json_string_value(json_object_get(body, "name"));
	const json_t *settings = json_object_get(body, "settings");
	size_t i;
	const json_t *item;

	memset(out, 0, sizeof(*out));
	if (name == NULL || !profile_name_valid(name))
		return tl_errf(err, "\"name\" must be a profile name ([a-z0-9-]+)");
	if (!json_is_array(settings))
		return tl_errf(err, "\"settings\" must be an array");
	if (json_object_size(body) != 2)
		return tl_errf(err, "a profile has \"name\" and \"settings\" and nothing else");
	if (json_array_size(settings) > PROFILE_MAX_SETTINGS)
		return tl_errf(err, "%zu settings, at most %d", json_array_size(settings), PROFILE_MAX_SETTINGS);
	snprintf(out->name, sizeof(out->name), "%s", name);
	snprintf(out->path, sizeof(out->path), "(sent by the controller)");
	json_array_foreach(settings, i, item) {
		if (add_setting(out, item, i, err) != 0)
			return tl_err_wrap(err, "profile %s", name);
	}
	return 0;
}
