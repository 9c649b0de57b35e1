/* tl_err: formatting of contextual error messages. */
#include "tl_err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Whether the bytes at p start a terminal control: C0 controls, DEL, and C1 controls as UTF-8 (C2 80 .. C2 9F). */
static size_t control_len(const unsigned char *p)
{
	if (*p < 0x20 || *p == 0x7f)
		return 1;
	if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
		return 2;
	return 0;
}

/* Messages quote names and values read from files and programs: spell any control in them as \xHH, so that
 * printing a message can neither move the cursor nor retitle, clear or drive the terminal. */
static void make_inert(struct tl_err *err)
{
	char out[sizeof(err->msg)];
	size_t used = 0;
	const unsigned char *p = (const unsigned char *)err->msg;

	for (; *p != '\0' && used + 1 < sizeof(out); p++) {
		size_t n = control_len(p);

		for (size_t i = 0; i < n && used + 5 < sizeof(out); i++)
			used += (size_t)snprintf(out + used, sizeof(out) - used, "\\x%02x", p[i]);
		if (n == 0)
			out[used++] = (char)*p;
		else
			p += n - 1;
	}
	out[used] = '\0';
	memcpy(err->msg, out, used + 1);
}

int tl_errf(struct tl_err *err, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return -1;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	make_inert(err);
	return -1;
}

int tl_err_wrap(struct tl_err *err, const char *fmt, ...)
{
	char prefix[256];
	char old[sizeof(err->msg)];
	va_list ap;

	if (err == NULL)
		return -1;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	memcpy(old, err->msg, sizeof(old));
	/* Truncation of very long chains is acceptable: the outer context comes first. */
	if (snprintf(err->msg, sizeof(err->msg), "%s: %s", prefix, old) < 0)
		err->msg[0] = '\0';
	make_inert(err);
	return -1;
}
