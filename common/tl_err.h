/* tl_err: an error message with context, filled where it happens and printed once at the top. */
#ifndef TL_ERR_H
#define TL_ERR_H

#include <stddef.h>

struct tl_err {
	char msg[512];
};

/* Format a message into err (if non-NULL) and return -1, so callers can `return tl_errf(...)`. Control
 * characters in it (from quoted input) are spelled \xHH: a message is one inert line. */
int tl_errf(struct tl_err *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Prefix the existing message with more context ("while doing X: <old>"); returns -1. */
int tl_err_wrap(struct tl_err *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
