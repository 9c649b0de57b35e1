/* ini_lines: read an INI-syntax file through inih while keeping every line with its number, section and key/value. */
#ifndef TL_INI_LINES_H
#define TL_INI_LINES_H

#include <stddef.h>

#include "tl_err.h"

/* Longest line text kept (inih's own limit, ini_max_line, is usually lower and is the one enforced). */
#define INI_TEXT_MAX 256
/* Largest file and most lines read: scenarios and profiles are a few dozen lines; memory stays proportional. */
#define INI_FILE_MAX_BYTES (256 * 1024)
#define INI_FILE_MAX_LINES 10000

enum ini_line_kind {
	INI_LINE_BLANK,   /* empty, or a comment (';' or '#' first) */
	INI_LINE_SECTION, /* [name]; section holds the name */
	INI_LINE_ENTRY,   /* key = value, split by inih */
	INI_LINE_RAW,     /* a line of the raw section: value holds the text, comment and outer blanks removed */
};

/* One line; its strings live in the file's own storage (a copy of the file and an arena), never per line. */
struct ini_line {
	int lineno;
	enum ini_line_kind kind;
	const char *section; /* section the line belongs to ("" before any header) */
	const char *name;    /* ENTRY: key ("" otherwise) */
	const char *value;   /* ENTRY: value; RAW: text ("" otherwise) */
	char separator;      /* ENTRY: '=' or ':', as written */
	const char *text;    /* the line as written, without its end of line */
	int too_long;        /* longer than the parser's line limit */
};

struct ini_file {
	char path[512];
	struct ini_line *lines; /* every line of the file, in order */
	size_t count;
	char *data;             /* the file's bytes, each line end replaced by a NUL: the lines' text */
	char *arena;            /* names, values and sections, at most three times the file's size */
	size_t arena_used, arena_cap;
};

/* Read path; lines of raw_section (NULL: none) come back as RAW text; refuses malformed lines with "path:line: ...",
 * a NUL byte with its line, and files beyond INI_FILE_MAX_BYTES or INI_FILE_MAX_LINES. */
int ini_file_read(const char *path, const char *raw_section, struct ini_file *out, struct tl_err *err);

/* Release the lines of f (safe on a zeroed struct). */
void ini_file_free(struct ini_file *f);

/* Error at a line: "path:line: [section] " (no section part outside sections) followed by fmt; returns -1. */
int ini_errf(struct tl_err *err, const struct ini_file *f, const struct ini_line *l, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Put "path:line: [section] " in front of the message already in err; returns -1. */
int ini_err_prefix(struct tl_err *err, const struct ini_file *f, const struct ini_line *l);

#endif
