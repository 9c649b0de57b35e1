/* csv: the plain CSV the programs write (no quoting, no commas inside a field): split a line, find a column. */
#ifndef TL_CSV_H
#define TL_CSV_H

#include <stddef.h>
#include <stdio.h>

#include "tl_err.h"

/* Split line at commas in place, after cutting its line end; at most max fields, the last keeps any rest.
 * Returns the field count (at least 1). */
size_t csv_split(char *line, char **fields, size_t max);

/* The index of the field named name among n header fields, or -1. */
int csv_find(char *const *fields, size_t n, const char *name);

/* Open path, from a folder someone else may have made, for reading: no symlink, a regular file (never a FIFO
 * or a device, which could block), at most max_bytes. NULL with err naming the file. */
FILE *csv_open_untrusted(const char *path, long long max_bytes, struct tl_err *err);

/* Read one line into buf without its line end: its length, -1 at the end of the file, -2 when it is longer
 * than cap - 1 bytes (it is consumed; buf holds its beginning). Memory stays bounded whatever the file holds. */
long csv_read_line(FILE *f, char *buf, size_t cap);

#endif
