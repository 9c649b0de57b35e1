/* remote_wire: explicit field-by-field JSON, so a mismatch between agent and controller is an error, not a silent zero. */
#include "remote_wire.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

static int get_string(const json_t *obj, const char *key, char *buf, size_t len, struct tl_err *err)
{
	const json_t *v = json_object_get(obj, key);

	if (!json_is_string(v))
		return tl_errf(err, "agent reply: \"%s\" is missing or not a string", key);
	if (json_string_length(v) >= len)
		return tl_errf(err, "agent reply: \"%s\" is too long", key);
	snprintf(buf, len, "%s", json_string_value(v));
	return 0;
}

static int get_u32(const json_t *obj, const char *key, uint32_t *out, struct tl_err *err)
{
	const json_t *v = json_object_get(obj, key);

	if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > UINT32_MAX)
		return tl_errf(err, "agent reply: \"%s\" is missing or not a 32-bit count", key);
	*out = (uint32_t)json_integer_value(v);
	return 0;
}

json_t *wire_applied_to_json(const struct side_applied *a)
{
	json_t *values = json_array();

	for (int i = 0; i < a->count; i++)
		json_array_append_new(values,
				      json_pack("{s:s, s:s}", "key", a->values[i].key, "value", a->values[i].value));
	return json_pack("{s:s, s:o}", "kernel", a->kernel_release, "values", values);
}

int wire_applied_from_json(const json_t *j, struct side_applied *out, struct tl_err *err)
{
	const json_t *values = json_object_get(j, "values");
	size_t i;
	const json_t *v;

	memset(out, 0, sizeof(*out));
	if (get_string(j, "kernel", out->kernel_release, sizeof(out->kernel_release), err) != 0)
		return -1;
	if (!json_is_array(values))
		return tl_errf(err, "agent reply: \"values\" is missing or not an array");
	if (json_array_size(values) > sizeof(out->values) / sizeof(out->values[0]))
		return tl_errf(err, "agent reply: %zu sysctls, more than a side records", json_array_size(values));
	json_array_foreach(values, i, v) {
		if (get_string(v, "key", out->values[i].key, sizeof(out->values[i].key), err) != 0 ||
		    get_string(v, "value", out->values[i].value, sizeof(out->values[i].value), err) != 0)
			return -1;
	}
	out->count = (int)json_array_size(values);
	return 0;
}

json_t *wire_counters_to_json(const struct counters *c)
{
	json_t *list = json_array();

	for (size_t i = 0; i < c->count; i++)
		json_array_append_new(list, json_pack("[s, I]", c->items[i].name, (json_int_t)c->items[i].value));
	return json_pack("{s:o}", "counters", list);
}

int wire_counters_from_json(const json_t *j, struct counters *out, struct tl_err *err)
{
	const json_t *list = json_object_get(j, "counters");
	size_t i;
	const json_t *pair;

	out->count = 0;
	if (!json_is_array(list))
		return tl_errf(err, "agent reply: \"counters\" is missing or not an array");
	if (json_array_size(list) > COUNTERS_MAX)
		return tl_errf(err, "agent reply: %zu counters, more than %d", json_array_size(list), COUNTERS_MAX);
	json_array_foreach(list, i, pair) {
		const json_t *name = json_array_get(pair, 0);
		const json_t *value = json_array_get(pair, 1);

		if (!json_is_string(name) || !json_is_integer(value) || json_string_length(name) >= COUNTER_NAME_BYTES)
			return tl_errf(err, "agent reply: counter %zu is not [name, integer]", i);
		snprintf(out->items[i].name, sizeof(out->items[i].name), "%s", json_string_value(name));
		out->items[i].value = json_integer_value(value);
	}
	out->count = json_array_size(list);
	return 0;
}

static json_t *states_to_json(const uint32_t *states)
{
	json_t *a = json_array();

	for (int i = 0; i <= SOCKDIAG_STATE_MAX; i++)
		json_array_append_new(a, json_integer(states[i]));
	return a;
}

static int states_from_json(const json_t *j, const char *key, uint32_t *states, struct tl_err *err)
{
	const json_t *a = json_object_get(j, key);

	if (!json_is_array(a) || json_array_size(a) != SOCKDIAG_STATE_MAX + 1)
		return tl_errf(err, "agent reply: \"%s\" is not an array of %d counts", key, SOCKDIAG_STATE_MAX + 1);
	for (int i = 0; i <= SOCKDIAG_STATE_MAX; i++) {
		const json_t *v = json_array_get(a, (size_t)i);

		if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > UINT32_MAX)
			return tl_errf(err, "agent reply: \"%s\"[%d] is not a count", key, i);
		states[i] = (uint32_t)json_integer_value(v);
	}
	return 0;
}

json_t *wire_sample_to_json(const struct sockdiag_sample *s)
{
	json_t *listeners = json_array();

	for (uint32_t i = 0; i < s->listener_count && i < SOCKDIAG_MAX_LISTENERS; i++) {
		const struct sockdiag_listener *l = &s->listeners[i];

		json_array_append_new(listeners, json_pack("{s:I, s:I, s:I, s:I}", "inode", (json_int_t)l->inode,
							   "local_addr", (json_int_t)l->local_addr, "acceptq_len",
							   (json_int_t)l->acceptq_len, "acceptq_limit",
							   (json_int_t)l->acceptq_limit));
	}
	return json_pack("{s:o, s:I, s:o, s:o, s:I, s:I, s:I, s:b}", "listeners", listeners, "listeners_missed",
			 (json_int_t)s->listeners_missed, "states_all", states_to_json(s->states_all), "states_port",
			 states_to_json(s->states_port), "sockets_total", (json_int_t)s->sockets_total,
			 "sockets_unknown_state", (json_int_t)s->sockets_unknown_state, "dump_retries",
			 (json_int_t)s->dump_retries, "listeners_only", s->listeners_only);
}

int wire_sample_from_json(const json_t *j, struct sockdiag_sample *out, struct tl_err *err)
{
	const json_t *listeners = json_object_get(j, "listeners");
	const json_t *only = json_object_get(j, "listeners_only");
	size_t i;
	const json_t *l;

	memset(out, 0, sizeof(*out));
	if (!json_is_array(listeners) || json_array_size(listeners) > SOCKDIAG_MAX_LISTENERS)
		return tl_errf(err, "agent reply: \"listeners\" is missing or longer than %d", SOCKDIAG_MAX_LISTENERS);
	json_array_foreach(listeners, i, l) {
		struct sockdiag_listener *d = &out->listeners[i];

		if (get_u32(l, "inode", &d->inode, err) != 0 || get_u32(l, "local_addr", &d->local_addr, err) != 0 ||
		    get_u32(l, "acceptq_len", &d->acceptq_len, err) != 0 ||
		    get_u32(l, "acceptq_limit", &d->acceptq_limit, err) != 0)
			return -1;
	}
	out->listener_count = (uint32_t)json_array_size(listeners);
	if (!json_is_boolean(only))
		return tl_errf(err, "agent reply: \"listeners_only\" is missing or not a boolean");
	out->listeners_only = json_is_true(only);
	if (get_u32(j, "listeners_missed", &out->listeners_missed, err) != 0 ||
	    states_from_json(j, "states_all", out->states_all, err) != 0 ||
	    states_from_json(j, "states_port", out->states_port, err) != 0 ||
	    get_u32(j, "sockets_total", &out->sockets_total, err) != 0 ||
	    get_u32(j, "sockets_unknown_state", &out->sockets_unknown_state, err) != 0 ||
	    get_u32(j, "dump_retries", &out->dump_retries, err) != 0)
		return -1;
	return 0;
}

json_t *wire_profile_to_json(const struct profile *p)
{
	json_t *settings = json_array();

	for (size_t i = 0; i < p->count; i++)
		json_array_append_new(settings, json_pack("{s:s, s:s}", "key", p->settings[i].key, "value",
							  p->settings[i].value));
	return json_pack("{s:s, s:o}", "name", p->name, "settings", settings);
}

static const enum side_raw raw_kinds[] = { SIDE_RAW_SS_TAN, SIDE_RAW_SS_LTN, SIDE_RAW_NSTAT };

const char *wire_raw_name(enum side_raw what)
{
	switch (what) {
	case SIDE_RAW_SS_TAN:
		return "ss-tan";
	case SIDE_RAW_SS_LTN:
		return "ss-ltn";
	case SIDE_RAW_NSTAT:
		return "nstat";
	}
	return "?";
}

int wire_raw_find(const char *word, enum side_raw *what)
{
	for (size_t i = 0; i < sizeof(raw_kinds) / sizeof(raw_kinds[0]); i++) {
		if (strcmp(wire_raw_name(raw_kinds[i]), word) == 0) {
			*what = raw_kinds[i];
			return 0;
		}
	}
	return -1;
}

/* The controller stops programs with TERM, then KILL; INT is what a person at a terminal sends. */
static const struct {
	int sig;
	const char *word;
} signal_words[] = {
	{ SIGTERM, "TERM" },
	{ SIGKILL, "KILL" },
	{ SIGINT, "INT" },
};

const char *wire_signal_name(int sig)
{
	for (size_t i = 0; i < sizeof(signal_words) / sizeof(signal_words[0]); i++) {
		if (signal_words[i].sig == sig)
			return signal_words[i].word;
	}
	return NULL;
}

int wire_signal_find(const char *word)
{
	for (size_t i = 0; i < sizeof(signal_words) / sizeof(signal_words[0]); i++) {
		if (strcmp(signal_words[i].word, word) == 0)
			return signal_words[i].sig;
	}
	return -1;
}
