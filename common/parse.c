/* parse: strict parsing of numbers, durations, sizes and addresses. */
#include "parse.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Whether c is an ASCII digit (isdigit() depends on the locale). */
static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

int parse_long(const char *s, long min, long max, long *out, const char *what, struct tl_err *err)
{
	char *end = NULL;
	long v;

	if (s == NULL || *s == '\0')
		return tl_errf(err, "%s: empty value, expected an integer in [%ld, %ld]", what, min, max);
	/* strtol would skip blanks and take '+': only digits, with a '-' in front where negatives are allowed. */
	if (!is_digit(s[0]) && !(s[0] == '-' && is_digit(s[1])))
		return tl_errf(err, "%s: '%s' is not an integer", what, s);
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0')
		return tl_errf(err, "%s: '%s' is not an integer", what, s);
	if (v < min || v > max)
		return tl_errf(err, "%s: %ld is out of range [%ld, %ld]", what, v, min, max);
	*out = v;
	return 0;
}

/* Longest duration any value may name (over 100 years): far below INT64_MAX, so sums stay defined. */
#define DURATION_MAX_US 4000000000000000LL

/* The length of the DIGITS[.DIGITS] that s starts with (at most 24 characters), 0 when it starts otherwise. */
static size_t decimal_prefix(const char *s)
{
	size_t whole = strspn(s, "0123456789"), frac = 0, digits;

	if (whole > 0 && s[whole] == '.') {
		frac = strspn(s + whole + 1, "0123456789");
		if (frac == 0)
			return 0;
	}
	digits = whole + (frac > 0 ? frac + 1 : 0);
	return whole == 0 || digits > 24 ? 0 : digits;
}

int parse_duration_us(const char *s, int64_t *out_us, const char *what, struct tl_err *err)
{
	size_t digits;
	const char *unit;
	double v;
	double scale;

	if (s == NULL || *s == '\0')
		return tl_errf(err, "%s: empty duration, expected e.g. 40ms, 1s, 500us", what);
	if (strcmp(s, "0") == 0) {
		*out_us = 0;
		return 0;
	}
	/* DIGITS[.DIGITS]UNIT and nothing else: no blanks, signs, exponents, hex, nan or inf reach strtod. */
	digits = decimal_prefix(s);
	if (digits == 0)
		return tl_errf(err, "%s: '%s' is not a duration (expected e.g. 40ms, 1s, 500us)", what, s);
	unit = s + digits;
	if (strcmp(unit, "us") == 0)
		scale = 1.0;
	else if (strcmp(unit, "ms") == 0)
		scale = 1e3;
	else if (strcmp(unit, "s") == 0)
		scale = 1e6;
	else if (strcmp(unit, "m") == 0 || strcmp(unit, "min") == 0)
		scale = 60e6;
	else
		return tl_errf(err, "%s: '%s' needs a unit: us, ms, s or m", what, s);
	v = strtod(s, NULL);
	if (!isfinite(v) || v * scale > (double)DURATION_MAX_US)
		return tl_errf(err, "%s: '%s' is too long", what, s);
	*out_us = (int64_t)(v * scale + 0.5);
	return 0;
}

int parse_percent_ppm(const char *s, int64_t *out_ppm, const char *what, struct tl_err *err)
{
	size_t digits;
	double v;

	/* DIGITS[.DIGITS] with an optional '%': nothing else reaches strtod. */
	digits = s != NULL ? decimal_prefix(s) : 0;
	if (digits == 0 || (strcmp(s + digits, "") != 0 && strcmp(s + digits, "%") != 0))
		return tl_errf(err, "%s: '%s' is not a percentage (expected e.g. 5, 0.5 or 5%%)", what, s ? s : "");
	v = strtod(s, NULL);
	if (!isfinite(v) || v > 100.0)
		return tl_errf(err, "%s: '%s' is out of range [0, 100] percent", what, s);
	if (v > 0.0 && (int64_t)(v * 1e4 + 0.5) == 0)
		return tl_errf(err, "%s: '%s' is below 0.0001 %%, the finest step", what, s);
	*out_ppm = (int64_t)(v * 1e4 + 0.5);
	return 0;
}

int parse_rate_bps(const char *s, int64_t *out_bps, const char *what, struct tl_err *err)
{
	static const struct {
		const char *unit;
		double scale;
	} units[] = { { "bit", 1.0 }, { "kbit", 1e3 }, { "mbit", 1e6 }, { "gbit", 1e9 } };
	size_t digits = s != NULL ? decimal_prefix(s) : 0;
	double v;

	if (digits == 0)
		return tl_errf(err, "%s: '%s' is not a rate (expected e.g. 10mbit, 512kbit, 1gbit)", what, s ? s : "");
	v = strtod(s, NULL);
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(s + digits, units[i].unit) != 0)
			continue;
		if (!isfinite(v) || v * units[i].scale > (double)RATE_MAX_BPS || v * units[i].scale < (double)RATE_MIN_BPS)
			return tl_errf(err, "%s: '%s' is out of range [8kbit, 100gbit]", what, s);
		*out_bps = (int64_t)(v * units[i].scale + 0.5);
		return 0;
	}
	return tl_errf(err, "%s: '%s' needs a unit: bit, kbit, mbit or gbit (1000-based, bits per second)", what, s);
}

int parse_duration_range_us(const char *s, int64_t min_us, int64_t max_us, int64_t *out_us, const char *what,
			    struct tl_err *err)
{
	char lo[32], hi[32];
	int64_t v = 0;

	if (parse_duration_us(s, &v, what, err) != 0)
		return -1;
	if (v < min_us || v > max_us) {
		format_duration_us(min_us, lo, sizeof(lo));
		format_duration_us(max_us, hi, sizeof(hi));
		return tl_errf(err, "%s: %s is out of range [%s, %s]", what, s, lo, hi);
	}
	*out_us = v;
	return 0;
}

int parse_size_bytes(const char *s, int64_t *out_bytes, const char *what, struct tl_err *err)
{
	char *end = NULL;
	long long v;
	int64_t scale = 1;

	/* Digits first: strtoll would skip blanks and take a sign (" -5" would be a negative size). */
	if (s == NULL || !is_digit(s[0]))
		return tl_errf(err, "%s: '%s' is not a size (expected e.g. 2, 512, 4k, 1m)", what, s ? s : "");
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || end == s || v < 0)
		return tl_errf(err, "%s: '%s' is not a size (expected e.g. 2, 512, 4k, 1m)", what, s);
	if (strcmp(end, "k") == 0 || strcmp(end, "K") == 0)
		scale = 1024;
	else if (strcmp(end, "m") == 0 || strcmp(end, "M") == 0)
		scale = 1024 * 1024;
	else if (*end != '\0')
		return tl_errf(err, "%s: '%s' has an unknown suffix (k or m)", what, s);
	/* Compared before multiplying, so a huge count with a unit never overflows. */
	if (v > SIZE_MAX_BYTES / scale)
		return tl_errf(err, "%s: '%s' is larger than 1 GiB", what, s);
	*out_bytes = v * scale;
	return 0;
}

int parse_size_range_bytes(const char *s, int64_t min_bytes, int64_t max_bytes, int64_t *out_bytes,
			   const char *what, struct tl_err *err)
{
	int64_t v = 0;

	if (parse_size_bytes(s, &v, what, err) != 0)
		return -1;
	if (v < min_bytes || v > max_bytes)
		return tl_errf(err, "%s: %s is out of range [%lld, %lld] bytes", what, s, (long long)min_bytes,
			       (long long)max_bytes);
	*out_bytes = v;
	return 0;
}

int parse_onoff(const char *s, int *out, const char *what, struct tl_err *err)
{
	static const char *const on[] = { "on", "yes", "1", "true" };
	static const char *const off[] = { "off", "no", "0", "false" };

	for (size_t i = 0; i < sizeof(on) / sizeof(on[0]); i++) {
		if (s != NULL && strcmp(s, on[i]) == 0) {
			*out = 1;
			return 0;
		}
		if (s != NULL && strcmp(s, off[i]) == 0) {
			*out = 0;
			return 0;
		}
	}
	return tl_errf(err, "%s: '%s' is not on or off", what, s ? s : "");
}

int parse_ipv4_port(const char *s, struct sockaddr_in *out, const char *what, struct tl_err *err)
{
	char host[64];
	const char *colon;
	const char *port_str;
	long port;
	size_t host_len;

	if (s == NULL || *s == '\0')
		return tl_errf(err, "%s: empty address, expected ADDR:PORT", what);
	colon = strrchr(s, ':');
	if (colon == NULL) {
		host_len = 0;
		port_str = s;
	} else {
		host_len = (size_t)(colon - s);
		port_str = colon + 1;
	}
	if (host_len >= sizeof(host))
		return tl_errf(err, "%s: '%s' has an address that is too long", what, s);
	memcpy(host, s, host_len);
	host[host_len] = '\0';
	if (parse_long(port_str, 1, 65535, &port, what, err) != 0)
		return tl_errf(err, "%s: '%s' has no valid port (expected ADDR:PORT, port 1-65535)", what, s);
	memset(out, 0, sizeof(*out));
	out->sin_family = AF_INET;
	out->sin_port = htons((uint16_t)port);
	if (host_len == 0 || strcmp(host, "*") == 0) {
		out->sin_addr.s_addr = htonl(INADDR_ANY);
	} else if (strcmp(host, "localhost") == 0) {
		out->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	} else if (inet_pton(AF_INET, host, &out->sin_addr) != 1) {
		return tl_errf(err, "%s: '%s' is not an IPv4 address", what, host);
	}
	return 0;
}

void format_duration_us(int64_t us, char *buf, size_t len)
{
	/* The unit follows the value as it will be rounded: 999 960 us prints 1.000s, not 1000.0ms. */
	if (us < 1000)
		snprintf(buf, len, "%" PRId64 "us", us);
	else if (us < 9995)
		snprintf(buf, len, "%.2fms", (double)us / 1e3);
	else if (us < 999950)
		snprintf(buf, len, "%.1fms", (double)us / 1e3);
	else
		snprintf(buf, len, "%.3fs", (double)us / 1e6);
}
