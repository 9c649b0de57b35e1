/* ini_lines: inih parses, a counting line reader keeps each line's number and text, a final pass checks them. */
#include "ini_lines.h"

#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/*
 * Debian's inih is built without INI_HANDLER_LINENO, so the handler does not
 * learn which line it is called for. inih asks the reader for exactly one
 * line and handles it before asking for the next, so the reader keeps every
 * line in order and the handler marks the last line read as a key/value.
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
	FILE *fp;
	char *buf;
	size_t cap;
	struct ini_file *file;
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

static int append_line(struct read_ctx *ctx, const char *s, size_t len)
{
	struct ini_file *f = ctx->file;
	struct ini_line *grown;
	struct ini_line *l;

	grown = realloc(f->lines, (f->count + 1) * sizeof(*f->lines));
	if (grown == NULL)
		return -1;
	f->lines = grown;
	l = &f->lines[f->count];
	memset(l, 0, sizeof(*l));
	l->lineno = (int)f->count + 1;
	l->kind = INI_LINE_BLANK;
	l->too_long = len > (size_t)ctx->max_len;
	snprintf(l->text, sizeof(l->text), "%.*s", (int)(len < sizeof(l->text) ? len : sizeof(l->text) - 1), s);
	f->count++;
	return 0;
}

/* inih's reader: one physical line per call, kept whole in the file's line list. */
static char *read_line(char *dst, int num, void *stream)
{
	struct read_ctx *ctx = stream;
	ssize_t n;
	size_t len;
	size_t copy;
	char *s;

	if (num < 4)
		return NULL;
	ctx->max_len = num - 3 < INI_TEXT_MAX - 1 ? num - 3 : INI_TEXT_MAX - 1;
	n = getline(&ctx->buf, &ctx->cap, ctx->fp);
	if (n < 0) {
		ctx->reached_eof = 1;
		return NULL;
	}
	s = ctx->buf;
	len = strnlen(s, (size_t)n);
	while (len > 0 && (s[len - 1] == '\n' || s[len - 1] == '\r'))
		len--;
	s[len] = '\0';
	if (ctx->file->count == 0 && len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
		s += 3;
		len -= 3;
	}
	if (append_line(ctx, s, len) != 0) {
		ctx->out_of_memory = 1;
		return NULL;
	}
	/* A line end is handed over too, so inih never waits for the rest of a line (realloc builds do). */
	copy = len <= (size_t)num - 3 ? len : (size_t)num - 3;
	memcpy(dst, s, copy);
	dst[copy] = '\n';
	dst[copy + 1] = '\0';
	return dst;
}

static int on_entry(void *user, const char *section, const char *name, const char *value)
{
	struct read_ctx *ctx = user;
	struct ini_line *l;

	if (ctx->file->count == 0)
		return 1;
	l = &ctx->file->lines[ctx->file->count - 1];
	l->kind = INI_LINE_ENTRY;
	/* inih's view of the section, compared with the line walk's own in classify(). */
	snprintf(l->section, sizeof(l->section), "%s", section);
	snprintf(l->name, sizeof(l->name), "%s", name);
	snprintf(l->value, sizeof(l->value), "%s", value != NULL ? value : "");
	return 1;
}

static int header_line(struct ini_file *f, struct ini_line *l, const char *t, char *section, size_t section_len,
		       struct tl_err *err)
{
	const char *close = strchr(t, ']');
	const char *after;

	l->section[0] = '\0';
	if (t != l->text)
		return ini_errf(err, f, l, "section header '%s' must start at the beginning of the line", t);
	if (close == NULL)
		return ini_errf(err, f, l, "section header '%s' has no closing ']'", t);
	after = skip_blanks(close + 1);
	if (*after != '\0' && *after != ';' && *after != '#')
		return ini_errf(err, f, l, "unexpected text '%s' after section header", after);
	snprintf(section, section_len, "%.*s", (int)(close - t - 1), t + 1);
	snprintf(l->section, sizeof(l->section), "%s", section);
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
	char section[INI_TEXT_MAX] = "";
	char inih_section[INI_TEXT_MAX];

	for (size_t i = 0; i < f->count; i++) {
		struct ini_line *l = &f->lines[i];
		const char *t = skip_blanks(l->text);

		snprintf(inih_section, sizeof(inih_section), "%s", l->section);
		snprintf(l->section, sizeof(l->section), "%s", section);
		if (l->too_long)
			return ini_errf(err, f, l, "line is longer than %d characters", max_len);
		if (*t == '[') {
			if (header_line(f, l, t, section, sizeof(section), err) != 0)
				return -1;
			continue;
		}
		if (*t == '\0' || *t == ';' || *t == '#') {
			l->kind = INI_LINE_BLANK;
			continue;
		}
		if (raw_section != NULL && strcmp(section, raw_section) == 0) {
			l->kind = INI_LINE_RAW;
			snprintf(l->value, sizeof(l->value), "%s", t);
			strip_comment(l->value);
			continue;
		}
		if (l->kind == INI_LINE_ENTRY) {
			if (entry_line(f, l, t, inih_section, err) != 0)
				return -1;
			continue;
		}
		snprintf(l->value, sizeof(l->value), "%s", t);
		strip_comment(l->value);
		return ini_errf(err, f, l, "'%s' is not a 'key = value' line", l->value);
	}
	return 0;
}

int ini_file_read(const char *path, const char *raw_section, struct ini_file *out, struct tl_err *err)
{
	struct read_ctx ctx;
	struct stat st;
	int rc;

	memset(out, 0, sizeof(*out));
	memset(&ctx, 0, sizeof(ctx));
	snprintf(out->path, sizeof(out->path), "%s", path);
	ctx.file = out;
	ctx.max_len = INI_TEXT_MAX - 1;
	ctx.fp = fopen(path, "r");
	if (ctx.fp == NULL)
		return tl_errf(err, "%s: %s", path, strerror(errno));
	/* A directory opens fine and reads as an empty file, which would pass as an empty profile. */
	if (fstat(fileno(ctx.fp), &st) != 0 || !S_ISREG(st.st_mode)) {
		fclose(ctx.fp);
		return tl_errf(err, "%s: not a regular file", path);
	}
	rc = ini_parse_stream(read_line, &ctx, on_entry, &ctx);
	fclose(ctx.fp);
	free(ctx.buf);
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
	f->lines = NULL;
	f->count = 0;
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
