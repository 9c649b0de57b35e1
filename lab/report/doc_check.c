/* doc_check: bounded reading and checking of run.json and compare.json before any report uses them. */
#include "report/doc_check.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csv.h"

#include "report/compare_doc.h"
#include "doc/rundoc.h"
#include "scenario/profile.h"

/* Where the walk is: the file, and the JSON path of the value looked at ("$.columns[2].label"). */
struct where {
	const char *file;
	char path[256];
	struct tl_err *err;
};

static int refuse(const struct where *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int refuse(const struct where *w, const char *fmt, ...)
{
	char what[sizeof(w->err->msg)];
	va_list ap;

	if (w->err == NULL)
		return -1;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return tl_errf(w->err, "%s: %s: %s", w->file, w->path, what);
}

/* Append ".key" or "[index]" to the path; returns the old length to restore. A long path is cut with "...". */
static size_t push_key(struct where *w, const char *key)
{
	size_t old = strlen(w->path);

	snprintf(w->path + old, sizeof(w->path) - old, ".%.*s", DOC_KEY_MAX, key);
	if (strlen(w->path) + 1 >= sizeof(w->path))
		memcpy(w->path + sizeof(w->path) - 4, "...", 4);
	return old;
}

static size_t push_index(struct where *w, size_t i)
{
	size_t old = strlen(w->path);

	snprintf(w->path + old, sizeof(w->path) - old, "[%zu]", i);
	return old;
}

static void pop(struct where *w, size_t old)
{
	if (old < sizeof(w->path))
		w->path[old] = '\0';
}

/* Key characters: what counter, sysctl, state and row-path names are made of. */
static int key_valid(const char *key)
{
	size_t len = strlen(key);

	return len > 0 && len <= DOC_KEY_MAX &&
	       strspn(key, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.:/+-") == len;
}

/* A string holds no control character (no line end, escape sequence or NUL) and is not too long. */
static int check_string(const struct where *w, json_t *v)
{
	const char *s = json_string_value(v);
	size_t len = json_string_length(v);

	if (len > DOC_STRING_MAX)
		return refuse(w, "a string of %zu bytes (at most %d)", len, DOC_STRING_MAX);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == 0x7f)
			return refuse(w, "a string holds the control character 0x%02x", c);
	}
	return 0;
}

/* Every value of the document, whatever its place: bounded depth, sizes and characters. */
static int check_value(struct where *w, json_t *v, int depth)
{
	const char *key;
	json_t *item;
	size_t i, old;

	if (depth > DOC_DEPTH_MAX)
		return refuse(w, "nested deeper than %d levels", DOC_DEPTH_MAX);
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		if (json_object_size(v) > DOC_OBJECT_MAX)
			return refuse(w, "an object of %zu keys (at most %d)", json_object_size(v), DOC_OBJECT_MAX);
		json_object_foreach(v, key, item) {
			if (!key_valid(key))
				return refuse(w, "key '%.40s' is not a name (letters, digits, _ . : / + -, at most %d)",
					      key, DOC_KEY_MAX);
			old = push_key(w, key);
			if (check_value(w, item, depth + 1) != 0)
				return -1;
			pop(w, old);
		}
		return 0;
	case JSON_ARRAY:
		if (json_array_size(v) > DOC_ARRAY_MAX)
			return refuse(w, "an array of %zu values (at most %d)", json_array_size(v), DOC_ARRAY_MAX);
		json_array_foreach(v, i, item) {
			old = push_index(w, i);
			if (check_value(w, item, depth + 1) != 0)
				return -1;
			pop(w, old);
		}
		return 0;
	case JSON_STRING:
		return check_string(w, v);
	case JSON_REAL:
		if (!isfinite(json_real_value(v)))
			return refuse(w, "a number that is not finite");
		return 0;
	case JSON_INTEGER:
	case JSON_TRUE:
	case JSON_FALSE:
	case JSON_NULL:
		return 0;
	}
	return refuse(w, "a value of unknown type");
}

/* The value at a key of obj, which must have type want (JSON_TRUE stands for any boolean); NULL when absent
 * and optional. *bad is set when the value is refused. */
static json_t *field(struct where *w, json_t *obj, const char *key, json_type want, int required, int *bad)
{
	json_t *v = json_object_get(obj, key);
	size_t old = push_key(w, key);
	int ok = v != NULL && (json_typeof(v) == want || (want == JSON_TRUE && json_is_boolean(v)) ||
			       (want == JSON_REAL && json_is_number(v)));

	if (v == NULL && required)
		*bad = refuse(w, "missing");
	else if (v != NULL && !ok)
		*bad = refuse(w, "not %s", want == JSON_OBJECT ? "an object" : want == JSON_ARRAY ? "an array" :
					   want == JSON_STRING ? "a string" : want == JSON_INTEGER ? "an integer" :
					   "a number");
	pop(w, old);
	return *bad ? NULL : ok ? v : NULL;
}

/* A string field that must be a profile or scenario name ([a-z0-9-]+); "" is allowed when empty_ok. */
static int name_field(struct where *w, json_t *obj, const char *key, int required, int empty_ok)
{
	int bad = 0;
	json_t *v = field(w, obj, key, JSON_STRING, required, &bad);
	size_t old;

	if (bad || v == NULL)
		return bad;
	if (empty_ok && json_string_length(v) == 0)
		return 0;
	old = push_key(w, key);
	if (!profile_name_valid(json_string_value(v)))
		bad = refuse(w, "'%.60s' is not a name ([a-z0-9-]+, at most %d characters)", json_string_value(v),
			     PROFILE_NAME_MAX - 1);
	pop(w, old);
	return bad;
}

/* A string field that must be one of a '|'-separated list. */
static int choice_field(struct where *w, json_t *obj, const char *key, const char *choices, int required)
{
	int bad = 0;
	json_t *v = field(w, obj, key, JSON_STRING, required, &bad);
	const char *c = choices;
	size_t old;

	if (bad || v == NULL)
		return bad;
	while (*c != '\0') {
		size_t n = strcspn(c, "|");

		if (n == json_string_length(v) && strncmp(c, json_string_value(v), n) == 0)
			return 0;
		c += n + (c[n] == '|');
	}
	old = push_key(w, key);
	bad = refuse(w, "'%.60s' is not one of %s", json_string_value(v), choices);
	pop(w, old);
	return bad;
}

/* A string field no longer than max bytes. */
static int text_field(struct where *w, json_t *obj, const char *key, size_t max, int required)
{
	int bad = 0;
	json_t *v = field(w, obj, key, JSON_STRING, required, &bad);
	size_t old;

	if (bad || v == NULL || json_string_length(v) <= max)
		return bad;
	old = push_key(w, key);
	bad = refuse(w, "longer than %zu bytes", max);
	pop(w, old);
	return bad;
}

/* A UTC time as the writers put it, "2026-12-06T20:15:44Z", when present. */
static int time_field(struct where *w, json_t *obj, const char *key, int required)
{
	static const char shape[] = "dddd-dd-ddTdd:dd:ddZ";
	int bad = 0;
	json_t *v = field(w, obj, key, JSON_STRING, required, &bad);
	const char *t;
	size_t old;

	if (bad || v == NULL)
		return bad;
	t = json_string_value(v);
	for (size_t i = 0; i < sizeof(shape); i++) {
		int ok = shape[i] == 'd' ? t[i] >= '0' && t[i] <= '9' : t[i] == shape[i];

		if (!ok) {
			old = push_key(w, key);
			bad = refuse(w, "not a UTC time like 2026-12-06T20:15:44Z");
			pop(w, old);
			return bad;
		}
	}
	return 0;
}

static int integer_field(struct where *w, json_t *obj, const char *key, json_int_t min, json_int_t max,
			 int required)
{
	int bad = 0;
	json_t *v = field(w, obj, key, JSON_INTEGER, required, &bad);
	size_t old;

	if (bad || v == NULL || (json_integer_value(v) >= min && json_integer_value(v) <= max))
		return bad;
	old = push_key(w, key);
	bad = refuse(w, "%lld is out of range [%lld, %lld]", (long long)json_integer_value(v), (long long)min,
		     (long long)max);
	pop(w, old);
	return bad;
}

/* schema_version: an integer, and the one this tcplab writes; another is refused as another version's document. */
static int version_field(struct where *w, json_t *doc, json_int_t version)
{
	int bad = 0;
	json_t *v = field(w, doc, "schema_version", JSON_INTEGER, 1, &bad);
	size_t old;

	if (bad || json_integer_value(v) == version)
		return bad;
	old = push_key(w, "schema_version");
	bad = refuse(w, "version %lld, this tcplab reads version %lld (written by another tcplab version)",
		     (long long)json_integer_value(v), (long long)version);
	pop(w, old);
	return bad;
}

int doc_relative_dir_valid(const char *dir)
{
	const char *p = dir;

	if (*p == '\0' || strlen(dir) >= 512)
		return 0;
	for (;;) {
		size_t n = strcspn(p, "/");

		if (n == 0 || strspn(p, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") != n ||
		    (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
			return 0;
		p += n;
		if (*p == '\0')
			return 1;
		p++;
	}
}

int doc_check_run(json_t *doc, const char *path, struct tl_err *err)
{
	struct where w = { .file = path, .path = "$", .err = err };
	int bad = 0;
	json_t *run, *side;
	size_t old;

	if (!json_is_object(doc))
		return refuse(&w, "not an object");
	if (check_value(&w, doc, 0) != 0)
		return -1;
	if (version_field(&w, doc, RUNDOC_SCHEMA_VERSION) != 0)
		return -1;
	run = field(&w, doc, "run", JSON_OBJECT, 1, &bad);
	if (bad)
		return -1;
	old = push_key(&w, "run");
	bad = name_field(&w, run, "scenario", 1, 0) ||
	      choice_field(&w, run, "status", "complete|interrupted|error|client-timeout", 1) ||
	      text_field(&w, run, "description", 400, 0) || time_field(&w, run, "started", 0);
	pop(&w, old);
	if (bad)
		return -1;
	for (int s = 0; s < 2; s++) {
		const char *name = s == 0 ? "server" : "client";

		side = field(&w, doc, name, JSON_OBJECT, 1, &bad);
		if (bad)
			return -1;
		old = push_key(&w, name);
		bad = name_field(&w, side, "profile", 1, 0);
		if (!bad && s == 1) {
			json_t *cells = field(&w, side, "cells", JSON_ARRAY, 0, &bad);
			size_t cells_key = push_key(&w, "cells");

			if (cells != NULL && json_array_size(cells) > DOC_CELLS_MAX)
				bad = refuse(&w, "%zu grid cells (at most %d)", json_array_size(cells), DOC_CELLS_MAX);
			pop(&w, cells_key);
		}
		pop(&w, old);
		if (bad)
			return -1;
	}
	field(&w, doc, "expectations", JSON_ARRAY, 0, &bad);
	field(&w, doc, "series", JSON_OBJECT, 0, &bad);
	return bad ? -1 : 0;
}

static int check_replay(struct where *w, json_t *jr)
{
	int bad = 0;
	json_t *dir;
	size_t old;

	if (!json_is_object(jr))
		return refuse(w, "not an object");
	dir = json_object_get(jr, "dir");
	old = push_key(w, "dir");
	if (dir != NULL && !json_is_null(dir) && (!json_is_string(dir) || !doc_relative_dir_valid(json_string_value(dir))))
		bad = refuse(w, "not a folder inside the comparison (segments of [A-Za-z0-9._-], no '..')");
	pop(w, old);
	return bad || text_field(w, jr, "error", 511, 0) || text_field(w, jr, "status", 31, 0);
}

static int check_column(struct where *w, json_t *jc)
{
	int bad = 0;
	json_t *settings, *runs, *jr;
	size_t i, old;

	if (!json_is_object(jc))
		return refuse(w, "not an object");
	if (text_field(w, jc, "label", 191, 1) || name_field(w, jc, "server_profile", 0, 1) ||
	    name_field(w, jc, "client_profile", 0, 1) || text_field(w, jc, "kernel", 255, 0) ||
	    text_field(w, jc, "folder", 511, 0))
		return -1;
	settings = field(w, jc, "settings", JSON_OBJECT, 0, &bad);
	if (bad)
		return -1;
	if (json_object_size(settings) > COMPARE_SETTINGS_MAX) {
		old = push_key(w, "settings");
		bad = refuse(w, "%zu settings (at most %d)", json_object_size(settings), COMPARE_SETTINGS_MAX);
		pop(w, old);
		return bad;
	}
	{
		const char *key;
		json_t *v;

		old = push_key(w, "settings");
		json_object_foreach(settings, key, v) {
			if (strlen(key) >= 64 || !json_is_string(v) || json_string_length(v) >= 256)
				bad = refuse(w, "'%.40s': a setting is a key under 64 bytes and a string under 256", key);
			if (bad)
				break;
		}
		pop(w, old);
		if (bad)
			return -1;
	}
	runs = field(w, jc, "runs", JSON_ARRAY, 1, &bad);
	if (bad)
		return -1;
	old = push_key(w, "runs");
	if (json_array_size(runs) == 0 || json_array_size(runs) > DOC_REPLAYS_MAX)
		bad = refuse(w, "%zu replays (expected 1 to %d)", json_array_size(runs), DOC_REPLAYS_MAX);
	json_array_foreach(runs, i, jr) {
		size_t at;

		if (bad)
			break;
		at = push_index(w, i);
		bad = check_replay(w, jr);
		pop(w, at);
	}
	pop(w, old);
	return bad ? -1 : 0;
}

int doc_check_compare(json_t *doc, const char *path, struct tl_err *err)
{
	struct where w = { .file = path, .path = "$", .err = err };
	int bad = 0;
	json_t *columns, *jc;
	size_t i, old;

	if (!json_is_object(doc))
		return refuse(&w, "not an object");
	if (check_value(&w, doc, 0) != 0)
		return -1;
	if (version_field(&w, doc, COMPARE_SCHEMA_VERSION) || choice_field(&w, doc, "source", "replayed|stored", 0) ||
	    choice_field(&w, doc, "kind", "compare|sweep", 1) || name_field(&w, doc, "scenario", 1, 0) ||
	    text_field(&w, doc, "description", 255, 0) ||
	    (json_string_length(json_object_get(doc, "side")) > 0 &&
	     choice_field(&w, doc, "side", "server|client|both|mixed", 0)) ||
	    integer_field(&w, doc, "repeat", 1, DOC_REPLAYS_MAX, 1) ||
	    choice_field(&w, doc, "status", "complete|incomplete|interrupted", 0) || time_field(&w, doc, "started", 0))
		return -1;
	columns = field(&w, doc, "columns", JSON_ARRAY, 1, &bad);
	if (bad)
		return -1;
	old = push_key(&w, "columns");
	if (json_array_size(columns) == 0 || json_array_size(columns) > DOC_COLUMNS_MAX)
		bad = refuse(&w, "%zu columns (expected 1 to %d)", json_array_size(columns), DOC_COLUMNS_MAX);
	json_array_foreach(columns, i, jc) {
		size_t at;

		if (bad)
			break;
		at = push_index(&w, i);
		bad = check_column(&w, jc);
		pop(&w, at);
	}
	pop(&w, old);
	return bad ? -1 : 0;
}

/* Open path without following a symlink, as a regular file of bounded size, and parse it. */
static json_t *load_bounded(const char *path, struct tl_err *err)
{
	json_error_t jerr;
	json_t *doc;
	FILE *f = csv_open_untrusted(path, DOC_FILE_MAX_BYTES, err);

	if (f == NULL)
		return NULL;
	doc = json_loadf(f, JSON_REJECT_DUPLICATES, &jerr);
	fclose(f);
	if (doc == NULL)
		tl_errf(err, "%s:%d: %s", path, jerr.line, jerr.text);
	return doc;
}

json_t *doc_load_run(const char *path, struct tl_err *err)
{
	json_t *doc = load_bounded(path, err);

	if (doc != NULL && doc_check_run(doc, path, err) != 0) {
		json_decref(doc);
		return NULL;
	}
	return doc;
}

json_t *doc_load_compare(const char *path, struct tl_err *err)
{
	json_t *doc = load_bounded(path, err);

	if (doc != NULL && doc_check_compare(doc, path, err) != 0) {
		json_decref(doc);
		return NULL;
	}
	return doc;
}
