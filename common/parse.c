/* parse: strict parsing of numbers, durations, sizes and addresses. */
#include "parse.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int parse_long(const char *s, long min, long max, long *out, const char *what, struct tl_err *err)
{
	char *end = NULL;
	long v;

	if (s == NULL || *s == '\0')
		return tl_errf(err, "%s: empty value, expected an integer in [%ld, %ld]", what, min, max);
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0')
		return tl_errf(err, "%s: '%s' is not an integer", what, s);
	if (v < min || v > max)
		return tl_errf(err, "%s: %ld is out of range [%ld, %ld]", what, v, min, max);
	*out = v;
	return 0;
}

int parse_duration_us(const char *s, int64_t *out_us, const char *what, struct tl_err *err)
{
	char *end = NULL;
	double v;
	double scale;

	if (s == NULL || *s == '\0')
		return tl_errf(err, "%s: empty duration, expected e.g. 40ms, 1s, 500us", what);
	if (strcmp(s, "0") == 0) {
		*out_us = 0;
		return 0;
	}
	errno = 0;
	v = strtod(s, &end);
	if (errno != 0 || end == s || v < 0 || s[0] == '-' || s[0] == '+')
		return tl_errf(err, "%s: '%s' is not a duration (expected e.g. 40ms, 1s, 500us)", what, s);
	if (strcmp(end, "us") == 0)
		scale = 1.0;
	else if (strcmp(end, "ms") == 0)
		scale = 1e3;
	else if (strcmp(end, "s") == 0)
		scale = 1e6;
	else if (strcmp(end, "m") == 0 || strcmp(end, "min") == 0)
		scale = 60e6;
	else
		return tl_errf(err, "%s: '%s' needs a unit: us, ms, s or m", what, s);
	if (v * scale > 9.0e15)
		return tl_errf(err, "%s: '%s' is too long", what, s);
	*out_us = (int64_t)(v * scale + 0.5);
	return 0;
}

int parse_size_bytes(const char *s, int64_t *out_bytes, const char *what, struct tl_err *err)
{
	char *end = NULL;
	long long v;
	int64_t scale = 1;

	if (s == NULL || *s == '\0' || s[0] == '-' || s[0] == '+')
		return tl_errf(err, "%s: '%s' is not a size (expected e.g. 2, 512, 4k, 1m)", what, s ? s : "");
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || end == s)
		return tl_errf(err, "%s: '%s' is not a size (expected e.g. 2, 512, 4k, 1m)", what, s);
	if (strcmp(end, "k") == 0 || strcmp(end, "K") == 0)
		scale = 1024;
	else if (strcmp(end, "m") == 0 || strcmp(end, "M") == 0)
		scale = 1024 * 1024;
	else if (*end != '\0')
		return tl_errf(err, "%s: '%s' has an unknown suffix (k or m)", what, s);
	if (v > (INT64_MAX / scale) || v * scale > (int64_t)1 << 30)
		return tl_errf(err, "%s: '%s' is larger than 1 GiB", what, s);
	*out_bytes = v * scale;
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
	if (us < 1000)
		snprintf(buf, len, "%" PRId64 "us", us);
	else if (us < 10 * 1000)
		snprintf(buf, len, "%.2fms", (double)us / 1e3);
	else if (us < 1000 * 1000)
		snprintf(buf, len, "%.1fms", (double)us / 1e3);
	else
		snprintf(buf, len, "%.3fs", (double)us / 1e6);
}
