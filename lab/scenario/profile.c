/* profile: load a sysctl profile, refusing every key that would reach beyond the lab's network namespace. */
#include "profile.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ini_lines.h"
#include "path.h"
#include "profile_keys.h"

#define PROFILE_LIST_MAX 64

int profile_name_valid(const char *name)
{
	size_t len = strlen(name);

	if (len == 0 || len >= PROFILE_NAME_MAX)
		return 0;
	return strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789-") == len;
}

/* The name of a file: its base name without a ".conf" ending. */
static void name_from_path(const char *path, char *name, size_t len)
{
	const char *base = strrchr(path, '/');
	size_t n;

	base = base != NULL ? base + 1 : path;
	n = strlen(base);
	if (n > 5 && strcmp(base + n - 5, ".conf") == 0)
		n -= 5;
	snprintf(name, len, "%.*s", (int)(n < len ? n : len - 1), base);
}

/* sysctl(8) takes "net.ipv4.x" and "net/ipv4/x"; a name is kept in the dotted form. */
static int canonical_key(const struct ini_file *f, const struct ini_line *l, char *key, size_t len,
			 struct tl_err *err)
{
	const char *name = l->name;

	if (strlen(name) >= len)
		return ini_errf(err, f, l, "key '%.60s...' is too long", name);
	if (strchr(name, '/') != NULL && strchr(name, '.') != NULL)
		return ini_errf(err, f, l, "key '%s' mixes '.' and '/': use one form", name);
	snprintf(key, len, "%.*s", (int)len - 1, name);
	for (char *p = key; *p != '\0'; p++) {
		if (*p == '/')
			*p = '.';
	}
	return 0;
}

static int unknown_key(const struct ini_file *f, const struct ini_line *l, const char *key, struct tl_err *err)
{
	const char *suggestion;
	char list[400];

	if (sysctl_key_is_host_wide(key))
		return ini_errf(err, f, l, "%s is not a per-network-namespace key: it would change the host", key);
	suggestion = sysctl_key_suggest(key);
	if (suggestion != NULL)
		return ini_errf(err, f, l, "unknown key %s (did you mean %s?)", key, suggestion);
	sysctl_key_list(list, sizeof(list));
	return ini_errf(err, f, l, "unknown key %s (allowed: %s)", key, list);
}

static int add_setting(struct profile *p, const struct ini_file *f, const struct ini_line *l, struct tl_err *err)
{
	const struct sysctl_key *sk;
	struct profile_setting *s;
	char key[sizeof(s->key)];

	if (l->separator != '=')
		return ini_errf(err, f, l, "'%s' uses '%c': sysctl.conf lines are 'key = value'", l->text,
				l->separator);
	if (canonical_key(f, l, key, sizeof(key), err) != 0)
		return -1;
	sk = sysctl_key_find(key);
	if (sk == NULL)
		return unknown_key(f, l, key, err);
	for (size_t i = 0; i < p->count; i++) {
		if (strcmp(p->settings[i].key, key) == 0)
			return ini_errf(err, f, l, "%s: set twice (first at line %d)", key, p->settings[i].line);
	}
	/* Cannot overflow: every allowed key fits once (checked where the allowlist is defined). */
	s = &p->settings[p->count];
	memset(s, 0, sizeof(*s));
	if (sysctl_key_check_value(sk, l->value, s->value, sizeof(s->value), err) != 0)
		return ini_err_prefix(err, f, l);
	snprintf(s->key, sizeof(s->key), "%s", key);
	if (tl_path_fmt(s->proc_path, sizeof(s->proc_path), err, "%s", key) != 0)
		return ini_err_prefix(err, f, l);
	for (char *c = s->proc_path; *c != '\0'; c++) {
		if (*c == '.')
			*c = '/';
	}
	s->line = l->lineno;
	p->count++;
	return 0;
}

int profile_load(const char *path, struct profile *out, struct tl_err *err)
{
	struct ini_file f;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	if (tl_path_fmt(out->path, sizeof(out->path), err, "%s", path) != 0)
		return tl_err_wrap(err, "profile");
	name_from_path(path, out->name, sizeof(out->name));
	if (ini_file_read(path, NULL, &f, err) != 0)
		return -1;
	for (size_t i = 0; i < f.count && rc == 0; i++) {
		const struct ini_line *l = &f.lines[i];

		switch (l->kind) {
		case INI_LINE_BLANK:
			break;
		case INI_LINE_SECTION:
			/* Not ini_errf: that would name the section the line itself opens. */
			rc = tl_errf(err, "%s:%d: '%s': sections are not part of sysctl.conf syntax", f.path, l->lineno,
				     l->text);
			break;
		case INI_LINE_ENTRY:
			rc = add_setting(out, &f, l, err);
			break;
		case INI_LINE_RAW:
			rc = ini_errf(err, &f, l, "'%s' is not a 'key = value' line", l->text);
			break;
		}
	}
	ini_file_free(&f);
	return rc;
}

static int compare_names(const void *a, const void *b)
{
	return strcmp((const char *)a, (const char *)b);
}

void profile_list(const char *dir, char *buf, size_t len)
{
	char names[PROFILE_LIST_MAX][PROFILE_NAME_MAX];
	size_t count = 0;
	size_t used = 0;
	struct dirent *de;
	DIR *d;

	snprintf(buf, len, "(none)");
	d = opendir(dir);
	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL && count < PROFILE_LIST_MAX) {
		char name[PROFILE_NAME_MAX];
		size_t n = strlen(de->d_name);

		if (n <= 5 || strcmp(de->d_name + n - 5, ".conf") != 0)
			continue;
		name_from_path(de->d_name, name, sizeof(name));
		if (profile_name_valid(name))
			memcpy(names[count++], name, sizeof(name));
	}
	closedir(d);
	if (count == 0)
		return;
	qsort(names, count, sizeof(names[0]), compare_names);
	buf[0] = '\0';
	for (size_t i = 0; i < count && used < len; i++) {
		int w = snprintf(buf + used, len - used, "%s%s", i > 0 ? ", " : "", names[i]);

		if (w < 0)
			break;
		used += (size_t)w;
	}
}

int profile_find(const char *dir, const char *name, char *path, size_t path_len, struct tl_err *err)
{
	char list[300];

	if (!profile_name_valid(name))
		return tl_errf(err, "'%s' is not a profile name (expected [a-z0-9-]+, the name of a file in %s)",
			       name, dir);
	if (tl_path_fmt(path, path_len, err, "%s/%s.conf", dir, name) != 0)
		return tl_err_wrap(err, "profile '%s'", name);
	if (access(path, R_OK) == 0)
		return 0;
	if (errno != ENOENT)
		return tl_errf(err, "%s: %s", path, strerror(errno));
	profile_list(dir, list, sizeof(list));
	return tl_errf(err, "no profile '%s' in %s/ (profiles: %s)", name, dir, list);
}
