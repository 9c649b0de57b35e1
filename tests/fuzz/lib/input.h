/* input: what the libFuzzer targets share: the entry point's prototype and the input as a C string or a file. */
#ifndef TL_FUZZ_INPUT_H
#define TL_FUZZ_INPUT_H

#include <stddef.h>
#include <stdint.h>

/* libFuzzer's entry point: every tests/fuzz/fuzz_<name>.c defines it. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The input as a NUL-terminated copy (inner NULs kept; the caller frees it). */
char *fuzz_cstring(const uint8_t *data, size_t size);

/* Write the input to a file called name inside a private folder made once per process; returns its path. */
const char *fuzz_file(const char *name, const uint8_t *data, size_t size);

/* Split text in place at its first newline: *head_out is the part before it; returns the part after ("" if none). */
const char *fuzz_split(char *text, char **head_out);

/* A command line of program from text, one argument per line (at most max of them), in argv (room for max + 2
 * entries, NULL-terminated); returns argc. The arguments point into text. */
int fuzz_argv(const char *program, char *text, char **argv, int max);

#endif
