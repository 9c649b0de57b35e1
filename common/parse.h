/* parse: strict parsing of numbers, durations, sizes and addresses given on command lines and in files. */
#ifndef TL_PARSE_H
#define TL_PARSE_H

#include <stdint.h>
#include <netinet/in.h>

#include "tl_err.h"

/* Parse a whole decimal integer in [min, max]; what names the value in the error. */
int parse_long(const char *s, long min, long max, long *out, const char *what, struct tl_err *err);

/* Parse a duration with a unit (us, ms, s, m; "0" alone is allowed) into microseconds. */
int parse_duration_us(const char *s, int64_t *out_us, const char *what, struct tl_err *err);

/* Parse a byte count with an optional k/m suffix (1024-based) into bytes. */
int parse_size_bytes(const char *s, int64_t *out_bytes, const char *what, struct tl_err *err);

/* Parse "on"/"off" (also yes/no, 1/0, true/false). */
int parse_onoff(const char *s, int *out, const char *what, struct tl_err *err);

/* Parse "IPV4:PORT" (or ":PORT" / "PORT" meaning 0.0.0.0) into a sockaddr_in. */
int parse_ipv4_port(const char *s, struct sockaddr_in *out, const char *what, struct tl_err *err);

/* Format a duration in microseconds as a short human string ("40ms", "1.03s"). */
void format_duration_us(int64_t us, char *buf, size_t len);

#endif
