/* program_counts: the counts a lab program (recorder, delay line) prints as JSON on the last line of its
 * stdout, read back as untrusted input. */
#ifndef TL_PROGRAM_COUNTS_H
#define TL_PROGRAM_COUNTS_H

#include <jansson.h>
#include <stddef.h>

/* The last line of stdout_path as a JSON object with each of names a non-negative integer: a new object holding
 * just those (and "capped" when present as a boolean), or NULL when the line is missing or a count is not one. */
json_t *program_counts(const char *stdout_path, const char *const names[], size_t n);

#endif
