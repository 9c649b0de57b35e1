/* ini_lines: the file is read whole (bounded) and split into lines, inih parses them one by one, a final pass checks them. */
#include "ini_lines.h"

#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "path.h"

/*
 * Debian's inih is built without INI_HANDLER_LINENO, so the handler does not
 * learn which line it is called for. inih asks the reader for exactly one
 * line and handles it before asking for the next, so the reader hands over
 * the lines split beforehand, in order, and the handler marks the last line
 * handed over as a key/value.
 *
 * Memory follows the file: one copy of its bytes (the lines' text), a small
 * record per line, and an arena of at most four times the file for keys,
 * values and sections; the file's size and line count are capped first.
 *
 * inih calls the handler only for lines with '=' or ':' and reports the
 * others as errors by number only (just the first one). Lines it did not
 * hand over are therefore found afterwards by walking the kept lines: blank
 * lines, comments and section headers are expected; any other line was
 * rejected, and gets a message that quotes it. The caller may name one
 * section whose lines it parses itself (a scenario's [expect]: inih would
 * split "a == 1" at the first '=' and reject "a > 1").
 */

struct read_ctx {
	struct ini_file *file;
	size_t next;       /* the next line inih gets */
	int max_len;       /* longest line inih takes whole */
	int reached_eof;
	int out_of_memory;
};

static const char *skip_blanks(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* Remove an inline comment the way inih does (';' at the start or after a blank) and trailing blanks. */
static void strip_comment(char *s)
{
	size_t len;

	for (char *p = s; *p != '\0'; p++) {
		if (*p == ';' && (p == s || isspace((unsigned char)p[-1]))) {
			*p = '\0';
			break;
		}
	}
	len = strlen(s);
	while (len > 0 && isspace((unsigned char)s[len - 1]))
		s[--len] = '\0';
}

/* A copy of n bytes of s in the file's arena (sized for every copy a line can need); NULL if it is full. */
static char *arena_copy(struct ini_file *f, const char *s, size_t n)
{
	char *p;

	if (f->arena_cap - f->arena_used < n + 1)
		return NULL;
	p = f->arena + f->arena_used;
	memcpy(p, s, n);
	p[n] = '\0';
	f->arena_used += n + 1;
	return p;
}

/* inih's reader: one physical line per call, from the lines split beforehand. */
static char *read_line(char *dst, int num, void *stream)
{
	struct read_ctx *ctx = stream;
	struct ini_line *l;
	size_t len;
	size_t copy;

	if (num < 4)
		return NULL;
	ctx->max_len = num - 3 < INI_TEXT_MAX - 1 ? num - 3 : INI_TEXT_MAX - 1;
	if (ctx->next >= ctx->file->count) {
		ctx->reached_eof = 1;
		return NULL;
	}
	l = &ctx->file->lines[ctx->next++];
	len = strlen(l->text);
	l->too_long = len > (size_t)ctx->max_len;
	/* A line end is handed over too, so inih never waits for the rest of a line (realloc builds do). */
	copy = len <= (size_t)num - 3 ? len : (size_t)num - 3;
	memcpy(dst, l->text, copy);
	dst[copy] = '\n';
	dst[copy + 1] = '\0';
	return dst;
}

/* Read the whole file (bounded), refuse a NUL byte at its line, and split it into lines in place. */
static int load_lines(const char *path, struct ini_file *out, struct tl_err *err)
{
	FILE *fp = fopen(path, "r");
	struct stat st;
	size_t size = 0, lines = 0;
	const char *nul;
	char *p;

	if (fp == NULL)
		return tl_errf(err, "%s: %s", path, strerror(errno));
	/* A directory opens fine and reads as an empty file, which would pass as an empty profile. */
	if (fstat(fileno(fp), &st) != 0 || !S_ISREG(st.st_mode)) {
		fclose(fp);
		return tl_errf(err, "%s: not a regular file", path);
	}
	if (st.st_size > INI_FILE_MAX_BYTES) {
		fclose(fp);
		return tl_errf(err, "%s: %lld bytes, more than the %d a scenario or profile may have", path,
			       (long long)st.st_size, INI_FILE_MAX_BYTES);
	}
	out->data = malloc((size_t)st.st_size + 2);
	if (out->data == NULL) {
		fclose(fp);
		return tl_errf(err, "%s: out of memory", path);
	}
	/* One byte more than fstat said: a file that grew meanwhile is refused, not cut. */
	size = fread(out->data, 1, (size_t)st.st_size + 1, fp);
	if (ferror(fp)) {
		fclose(fp);
		return tl_errf(err, "%s: %s", path, strerror(errno));
	}
	fclose(fp);
	if (size > (size_t)st.st_size)
		return tl_errf(err, "%s: the file grew while it was read", path);
	out->data[size] = '\0';
	nul = memchr(out->data, '\0', size);
	if (nul != NULL) {
		int lineno = 1;

		for (const char *c = out->data; c < nul; c++)
			lineno += *c == '\n';
		return tl_errf(err, "%s:%d: the line holds a NUL byte (not a text file?)", path, lineno);
	}
	for (size_t i = 0; i < size; i++)
		lines += out->data[i] == '\n';
	lines += size > 0 && out->data[size - 1] != '\n';
	if (lines > INI_FILE_MAX_LINES)
		return tl_errf(err, "%s: %zu lines, more than the %d a scenario or profile may have", path, lines,
			       INI_FILE_MAX_LINES);
	out->lines = calloc(lines ? lines : 1, sizeof(*out->lines));
	/* Per line at most: inih's section, key and value, and the line walk's own copy. */
	out->arena_cap = 4 * (size + lines) + 64;
	out->arena = malloc(out->arena_cap);
	if (out->lines == NULL || out->arena == NULL)
		return tl_errf(err, "%s: out of memory", path);
	p = out->data;
	for (size_t i = 0; i < lines; i++) {
		struct ini_line *l = &out->lines[i];
		char *end = strchr(p, '\n');
		size_t len;

		if (end != NULL)
			*end = '\0';
		len = strlen(p);
		while (len > 0 && p[len - 1] == '\r')
			p[--len] = '\0';
		if (i == 0 && len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
			p += 3;
		l->lineno = (int)i + 1;
		l->kind = INI_LINE_BLANK;
		l->section = l->name = l->value = "";
		l->text = p;
		p = end != NULL ? end + 1 : p + len;
	}
	out->count = lines;
	return 0;
}

static int on_entry(void *user, const char *section, const char *name, const char *value)
{
	struct read_ctx *ctx = user;
	struct ini_file *f = ctx->file;
	struct ini_line *l;
	const char *copies[3];

	if (ctx->next == 0)
		return 1;
	l = &f->lines[ctx->next - 1];
	/* inih's view of the section, compared with the line walk's own in classify(). */
	copies[0] = arena_copy(f, section, strlen(section));
	copies[1] = arena_copy(f, name, strlen(name));
	copies[2] = value != NULL ? arena_copy(f, value, strlen(value)) : "";
	if (copies[0] == NULL || copies[1] == NULL || copies[2] == NULL) {
		ctx->out_of_memory = 1;
		return 0;
	}
	l->kind = INI_LINE_ENTRY;
	l->section = copies[0];
	l->name = copies[1];
	l->value = copies[2];
	return 1;
}

static int header_line(struct ini_file *f, struct ini_line *l, const char *t, const char **section,
		       struct tl_err *err)
{
	const char *close = strchr(t, ']');
	const char *after;
	char *name;

	l->section = "";
	if (t != l->text)
		return ini_errf(err, f, l, "section header '%s' must start at the beginning of the line", t);
	if (close == NULL)
		return ini_errf(err, f, l, "section header '%s' has no closing ']'", t);
	after = skip_blanks(close + 1);
	if (*after != '\0' && *after != ';' && *after != '#')
		return ini_errf(err, f, l, "unexpected text '%s' after section header", after);
	name = arena_copy(f, t + 1, (size_t)(close - t - 1));
	if (name == NULL)
		return tl_errf(err, "%s: out of memory", f->path);
	*section = name;
	l->section = name;
	l->kind = INI_LINE_SECTION;
	return 0;
}

static int entry_line(struct ini_file *f, struct ini_line *l, const char *t, const char *inih_section,
		      struct tl_err *err)
{
	const char *sep = strpbrk(t, "=:");

	if (t != l->text)
		return ini_errf(err, f, l,
				"'%s' starts with blanks: INI joins an indented line to the value above it, "
				"remove the indentation", t);
	if (strcmp(inih_section, l->section) != 0)
		return ini_errf(err, f, l, "the INI parser placed this line in [%s]", inih_section);
	if (l->name[0] == '\0')
		return ini_errf(err, f, l, "'%s' has no key before '%c'", t, sep != NULL ? *sep : '=');
	l->separator = sep != NULL ? *sep : '=';
	return 0;
}

static int classify(struct ini_file *f, const char *raw_section, int max_len, struct tl_err *err)
{
	const char *section = "";

	for (size_t i = 0; i < f->count; i++) {
		struct ini_line *l = &f->lines[i];
		const char *t = skip_blanks(l->text);
		const char *inih_section = l->section;
		char *stripped;

		l->section = section;
		if (l->too_long)
			return ini_errf(err, f, l, "line is longer than %d characters", max_len);
		if (*t == '[') {
			if (header_line(f, l, t, &section, err) != 0)
				return -1;
			continue;
		}
		if (*t == '\0' || *t == ';' || *t == '#') {
			l->kind = INI_LINE_BLANK;
			continue;
		}
		if (l->kind == INI_LINE_ENTRY && (raw_section == NULL || strcmp(section, raw_section) != 0)) {
			if (entry_line(f, l, t, inih_section, err) != 0)
				return -1;
			continue;
		}
		stripped = arena_copy(f, t, strlen(t));
		if (stripped == NULL)
			return tl_errf(err, "%s: out of memory", f->path);
		strip_comment(stripped);
		l->value = stripped;
		if (raw_section != NULL && strcmp(section, raw_section) == 0) {
			l->kind = INI_LINE_RAW;
			l->name = "";
			continue;
		}
		return ini_errf(err, f, l, "'%s' is not a 'key = value' line", l->value);
	}
	return 0;
}

int ini_file_read(const char *path, const char *raw_section, struct ini_file *out, struct tl_err *err)
{
	struct read_ctx ctx;
	int rc;

	memset(out, 0, sizeof(*out));
	memset(&ctx, 0, sizeof(ctx));
	if (tl_path_fmt(out->path, sizeof(out->path), err, "%s", path) != 0)
		return -1;
	ctx.file = out;
	ctx.max_len = INI_TEXT_MAX - 1;
	if (load_lines(path, out, err) != 0) {
		ini_file_free(out);
		return -1;
	}
	rc = ini_parse_stream(read_line, &ctx, on_entry, &ctx);
	if (ctx.out_of_memory || rc == -2) {
		ini_file_free(out);
		return tl_errf(err, "%s: out of memory", path);
	}
	if (!ctx.reached_eof) {
		/* Only possible if inih was told to stop at the first error; the rest would go unchecked. */
		ini_file_free(out);
		return tl_errf(err, "%s:%d: the INI parser stopped reading here", path, rc);
	}
	if (classify(out, raw_section, ctx.max_len, err) != 0) {
		ini_file_free(out);
		return -1;
	}
	/* Every line inih rejects must have been explained above; anything else means the two walks disagree. */
	if (rc > 0 && (size_t)rc <= out->count && out->lines[rc - 1].kind != INI_LINE_RAW) {
		int lineno = rc;

		tl_errf(err, "%s:%d: the INI parser rejected '%s'", path, lineno, out->lines[rc - 1].text);
		ini_file_free(out);
		return -1;
	}
	return 0;
}

void ini_file_free(struct ini_file *f)
{
	free(f->lines);
	free(f->data);
	free(f->arena);
	f->lines = NULL;
	f->data = NULL;
	f->arena = NULL;
	f->count = 0;
	f->arena_used = f->arena_cap = 0;
}

static int format_prefix(char *buf, size_t len, const struct ini_file *f, const struct ini_line *l)
{
	if (l->section[0] == '\0')
		return snprintf(buf, len, "%s:%d: ", f->path, l->lineno);
	return snprintf(buf, len, "%s:%d: [%s] ", f->path, l->lineno, l->section);
}

int ini_errf(struct tl_err *err, const struct ini_file *f, const struct ini_line *l, const char *fmt, ...)
{
	char prefix[1024];
	char what[sizeof(err->msg)];
	va_list ap;

	if (err == NULL)
		return -1;
	format_prefix(prefix, sizeof(prefix), f, l);
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return tl_errf(err, "%s%s", prefix, what);
}

int ini_err_prefix(struct tl_err *err, const struct ini_file *f, const struct ini_line *l)
{
	char prefix[1024];
	char what[sizeof(err->msg)];

	if (err == NULL)
		return -1;
	format_prefix(prefix, sizeof(prefix), f, l);
	memcpy(what, err->msg, sizeof(what));
	return tl_errf(err, "%s%s", prefix, what);
}
