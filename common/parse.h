/* parse: strict parsing of numbers, durations, sizes and addresses given on command lines and in files. */
#ifndef TL_PARSE_H
#define TL_PARSE_H

#include <stdint.h>
#include <netinet/in.h>

#include "tl_err.h"

/* Parse a whole decimal integer in [min, max]: digits, '-' in front for negatives, no blanks or '+'. */
int parse_long(const char *s, long min, long max, long *out, const char *what, struct tl_err *err);

/* Largest byte count parse_size_bytes accepts: 1 GiB. */
#define SIZE_MAX_BYTES ((int64_t)1 << 30)

/* Parse a duration DIGITS[.DIGITS]UNIT (us, ms, s, m; "0" alone is allowed) into microseconds; no blanks, signs,
 * exponents, nan or inf. */
int parse_duration_us(const char *s, int64_t *out_us, const char *what, struct tl_err *err);

/* parse_duration_us, then refuse a value outside [min_us, max_us]. */
int parse_duration_range_us(const char *s, int64_t min_us, int64_t max_us, int64_t *out_us, const char *what,
			    struct tl_err *err);

/* Parse a percentage DIGITS[.DIGITS][%] in [0, 100] into parts per million (1 % = 10000 ppm). */
int parse_percent_ppm(const char *s, int64_t *out_ppm, const char *what, struct tl_err *err);

/* Rates parse_rate_bps accepts: 8 kbit/s to 100 Gbit/s. */
#define RATE_MIN_BPS 8000LL
#define RATE_MAX_BPS 100000000000LL

/* Parse a rate DIGITS[.DIGITS]UNIT (bit, kbit, mbit, gbit; 1000-based, bits per second) into bits per second. */
int parse_rate_bps(const char *s, int64_t *out_bps, const char *what, struct tl_err *err);

/* Parse a byte count DIGITS with an optional k/m suffix (1024-based) into bytes, at most SIZE_MAX_BYTES. */
int parse_size_bytes(const char *s, int64_t *out_bytes, const char *what, struct tl_err *err);

/* parse_size_bytes, then refuse a value outside [min_bytes, max_bytes]. */
int parse_size_range_bytes(const char *s, int64_t min_bytes, int64_t max_bytes, int64_t *out_bytes,
			   const char *what, struct tl_err *err);

/* Parse "on"/"off" (also yes/no, 1/0, true/false). */
int parse_onoff(const char *s, int *out, const char *what, struct tl_err *err);

/* Parse "IPV4:PORT" (or ":PORT" / "PORT" meaning 0.0.0.0) into a sockaddr_in. */
int parse_ipv4_port(const char *s, struct sockaddr_in *out, const char *what, struct tl_err *err);

/* Format a duration in microseconds as a short human string ("40ms", "1.03s"). */
void format_duration_us(int64_t us, char *buf, size_t len);

#endif
