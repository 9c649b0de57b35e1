/* path: filesystem paths formatted into buffers, truncation an error with the would-be path as context. */
#ifndef TL_PATH_H
#define TL_PATH_H

#include <limits.h>
#include <stddef.h>

#include "tl_err.h"

/* The size of a path buffer the project builds paths into (the system's PATH_MAX, terminator included). */
#define TL_PATH_LEN PATH_MAX

/* Format a path into out (out_len bytes); 0, or -1 with err naming the cut path when it does not fit (out is then ""). */
int tl_path_fmt(char *out, size_t out_len, struct tl_err *err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#endif
