/* doc_check: read run.json and compare.json from a results folder someone else may have written, and refuse
 * anything a report could not use safely (types, sizes, characters), naming the file and the JSON path. */
#ifndef TL_DOC_CHECK_H
#define TL_DOC_CHECK_H

#include <jansson.h>

#include "tl_err.h"

/* Largest document read back: a run of minutes at 1 ms samples stays far below it. */
#define DOC_FILE_MAX_BYTES (64 * 1024 * 1024)
/* Deepest nesting, longest array, most keys of an object, longest key and string. */
#define DOC_DEPTH_MAX 12
#define DOC_ARRAY_MAX 4000000
#define DOC_OBJECT_MAX 4096
#define DOC_KEY_MAX 128
#define DOC_STRING_MAX 4096
/* Columns and replays per column a compare.json may list. */
#define DOC_COLUMNS_MAX 64
#define DOC_REPLAYS_MAX 100
/* Grid cells a run.json may list (client.cells): tcplab-client runs at most 64. */
#define DOC_CELLS_MAX 64
/* All the run.json files one comparison reads together, in bytes: 100 replays of a long run fit. */
#define DOC_COMPARISON_MAX_BYTES (512 * 1024 * 1024)

/* Read path as a run.json (a regular file, not followed through a symlink) and check it; NULL and err set
 * ("path: $.run.status: ...") when it is refused. */
json_t *doc_load_run(const char *path, struct tl_err *err);

/* Read path as a compare.json and check it the same way. */
json_t *doc_load_compare(const char *path, struct tl_err *err);

/* Check a parsed run document; path names it in messages. */
int doc_check_run(json_t *doc, const char *path, struct tl_err *err);

/* Check a parsed comparison document; path names it in messages. */
int doc_check_compare(json_t *doc, const char *path, struct tl_err *err);

/* Whether a replay folder named in compare.json is a plain relative path: segments of [A-Za-z0-9._-], none of
 * them "." or "..", no leading '/'. */
int doc_relative_dir_valid(const char *dir);

#endif
