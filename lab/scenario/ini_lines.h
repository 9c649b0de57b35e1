/* ini_lines: read an INI-syntax file through inih while keeping every line with its number, section and key/value. */
#ifndef TL_INI_LINES_H
#define TL_INI_LINES_H

#include <stddef.h>

#include "tl_err.h"

/* Longest line text kept (inih's own limit, ini_max_line, is usually lower and is the one enforced). */
#define INI_TEXT_MAX 256

enum ini_line_kind {
	INI_LINE_BLANK,   /* empty, or a comment (';' or '#' first) */
	INI_LINE_SECTION, /* [name]; section holds the name */
	INI_LINE_ENTRY,   /* key = value, split by inih */
	INI_LINE_RAW,     /* a line of the raw section: value holds the text, comment and outer blanks removed */
};

struct ini_line {
	int lineno;
	enum ini_line_kind kind;
	char section[INI_TEXT_MAX]; /* section the line belongs to ("" before any header) */
	char name[INI_TEXT_MAX];    /* ENTRY: key */
	char value[INI_TEXT_MAX];   /* ENTRY: value; RAW: text */
	char separator;             /* ENTRY: '=' or ':', as written */
	char text[INI_TEXT_MAX];    /* the line as written, without its end of line */
	int too_long;               /* longer than the parser's line limit */
};

struct ini_file {
	char path[512];
	struct ini_line *lines; /* every line of the file, in order */
	size_t count;
};

/* Read path; lines of raw_section (NULL: none) come back as RAW text; refuses malformed lines with "path:line: ...". */
int ini_file_read(const char *path, const char *raw_section, struct ini_file *out, struct tl_err *err);

/* Release the lines of f (safe on a zeroed struct). */
void ini_file_free(struct ini_file *f);

/* Error at a line: "path:line: [section] " (no section part outside sections) followed by fmt; returns -1. */
int ini_errf(struct tl_err *err, const struct ini_file *f, const struct ini_line *l, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Put "path:line: [section] " in front of the message already in err; returns -1. */
int ini_err_prefix(struct tl_err *err, const struct ini_file *f, const struct ini_line *l);

#endif
