/* compare_doc: a comparison (columns of replays of one scenario), its compare.json, and reading it back. */
#ifndef TL_COMPARE_DOC_H
#define TL_COMPARE_DOC_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "scenario/profile.h"
#include "tl_err.h"

/* Bumped whenever a field of compare.json changes meaning or moves. */
#define COMPARE_SCHEMA_VERSION 1
/* Keys a sweep may vary at once (one header line each). */
#define COMPARE_SETTINGS_MAX 6

/* One replaced key of a sweep column: "server.backlog" = "5". */
struct compare_setting {
	char key[64];
	char value[256];
};

/* One replay of a column. */
struct compare_run {
	json_t *doc;     /* its run.json; NULL when the replay produced none */
	char dir[512];   /* its folder, relative to the comparison folder ("" when none was written) */
	char error[512]; /* why it did not complete ("" when it did) */
};

/* One column: a profile choice (compare) or a combination of settings (sweep), replayed run_count times. */
struct compare_column {
	char label[192];
	char server_profile[PROFILE_NAME_MAX];
	char client_profile[PROFILE_NAME_MAX];
	struct compare_setting settings[COMPARE_SETTINGS_MAX];
	size_t setting_count;
	struct compare_run *runs;
	size_t run_count;
	char kernel[128]; /* what its first replay's run.json says it ran on, made printable ("" when unknown) */
	char folder[512]; /* a stored comparison: the run folder this column was read from, as given ("" for replays) */
};

/* A whole comparison. */
struct comparison {
	char kind[16]; /* "compare" or "sweep" */
	char scenario[PROFILE_NAME_MAX];
	char description[256];
	char side[16]; /* compare: which side the profiles went to ("server", "client", "both", "mixed") */
	int64_t started_wall_us;
	int repeat;
	int interrupted;
	int stored; /* the columns are finished run folders read back, not replays (compare.json "source": "stored") */
	struct compare_column *columns;
	size_t column_count;
};

/* Whether a replay completed (its run.json says status "complete"). */
int compare_run_complete(const struct compare_run *r);

/* Replays of a column that completed. */
size_t compare_column_complete(const struct compare_column *col);

/* The replay of a column whose client wall time is the median of the complete ones (-1 when none completed). */
int compare_column_typical(const struct compare_column *col);

/* Set col->kernel, when empty, from its first replay's run.json (run.kernel), made printable. */
void compare_column_set_kernel(struct compare_column *col);

/* Copy src into dst (len bytes, NUL included) keeping printable characters only: C0 and C1 controls, DEL, invalid
 * UTF-8 and invisible format characters (zero widths, bidi overrides) become '?'; a cut falls between characters. */
void compare_printable(const char *src, char *dst, size_t len);

/* Lines of the columns' header: one per setting (sweep); label, kernel and profiles (stored); the label (compare). */
size_t compare_header_lines(const struct comparison *c);

/* A header line's name, shown before the columns ("" for the label line). */
const char *compare_header_name(const struct comparison *c, size_t line);

/* A column's text on a header line. */
const char *compare_header_cell(const struct comparison *c, size_t col, size_t line);

struct compare_table;

/* Build compare.json from the comparison and its table; NULL when out of memory. */
json_t *compare_doc_build(const struct comparison *c, const struct compare_table *t);

/* Read dir/compare.json and the run.json of every replay it lists (a missing run.json leaves doc NULL). */
int compare_doc_load(const char *dir, struct comparison *c, struct tl_err *err);

/* Release the columns, their replays and documents. */
void comparison_free(struct comparison *c);

#endif
