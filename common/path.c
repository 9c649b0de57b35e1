/* path: checked formatting of filesystem paths into fixed buffers. */
#include "path.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int tl_path_fmt(char *out, size_t out_len, struct tl_err *err, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (out == NULL || out_len == 0)
		return tl_errf(err, "path: no room to build it in");
	va_start(ap, fmt);
	n = vsnprintf(out, out_len, fmt, ap);
	va_end(ap);
	if (n < 0) {
		out[0] = '\0';
		return tl_errf(err, "path: cannot be formatted: %s", strerror(errno));
	}
	if ((size_t)n >= out_len) {
		/* The cut text names the path; the caller never sees a silently shortened one. */
		tl_errf(err, "path too long (%d bytes, at most %zu): %.200s...", n, out_len - 1, out);
		out[0] = '\0';
		return -1;
	}
	return 0;
}
