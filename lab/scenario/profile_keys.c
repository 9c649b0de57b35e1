/* profile_keys: which sysctls a profile may set (only per-network-namespace ones) and their value ranges. */
#include "profile_keys.h"

#include <stdio.h>
#include <string.h>

#include "parse.h"
#include "profile.h"

enum sysctl_shape {
	SHAPE_ONE,    /* one integer */
	SHAPE_RANGE,  /* LOW HIGH, LOW <= HIGH */
	SHAPE_TRIPLE, /* MIN DEFAULT MAX, not decreasing */
};

struct sysctl_key {
	const char *name;
	enum sysctl_shape shape;
	long min, max; /* bounds of every integer of the value */
	const char *note; /* added to out-of-range messages */
};

/*
 * The allowlist, in one place. Every key here was checked on Linux 6.18 to
 * belong to a network namespace: it exists in a new namespace; the root of
 * an unprivileged user namespace that owns a new network namespace may write
 * it there (the kernel grants that only for the namespace's own tables); and
 * the host's value stays the same. tests/integration/scenario-profile-netns.sh
 * repeats that check on the running kernel for every key listed here.
 * Ranges are what the kernel accepts, narrowed to the values that mean
 * something (booleans 0..1, modes 0..2).
 */
static const struct sysctl_key allowed[] = {
	{ "net.core.somaxconn", SHAPE_ONE, 0, 2147483647, NULL },
	{ "net.ipv4.tcp_max_syn_backlog", SHAPE_ONE, 0, 2147483647, NULL },
	{ "net.ipv4.tcp_syncookies", SHAPE_ONE, 0, 2, "0 off, 1 when the SYN queue is full, 2 always" },
	{ "net.ipv4.tcp_abort_on_overflow", SHAPE_ONE, 0, 1, NULL },
	{ "net.ipv4.tcp_tw_reuse", SHAPE_ONE, 0, 2, "0 off, 1 on, 2 loopback only" },
	{ "net.ipv4.tcp_tw_reuse_delay", SHAPE_ONE, 1, 60000, "milliseconds, Linux 6.13 and later" },
	{ "net.ipv4.ip_local_port_range", SHAPE_RANGE, 1024, 65535,
	  "the kernel refuses ports below net.ipv4.ip_unprivileged_port_start, 1024 by default" },
	{ "net.ipv4.tcp_syn_retries", SHAPE_ONE, 1, 127, NULL },
	{ "net.ipv4.tcp_synack_retries", SHAPE_ONE, 0, 255, NULL },
	{ "net.ipv4.tcp_syn_linear_timeouts", SHAPE_ONE, 0, 255,
	  "SYN retransmissions 1 s apart before the doubling starts (recent kernels; default 4)" },
	{ "net.ipv4.tcp_fin_timeout", SHAPE_ONE, 1, 3600, "seconds" },
	{ "net.ipv4.tcp_max_tw_buckets", SHAPE_ONE, 0, 2147483647, NULL },
	{ "net.ipv4.tcp_timestamps", SHAPE_ONE, 0, 2, NULL },
	{ "net.ipv4.tcp_orphan_retries", SHAPE_ONE, 0, 255, NULL },
	{ "net.ipv4.tcp_rmem", SHAPE_TRIPLE, 1, 2147483647, NULL },
	{ "net.ipv4.tcp_wmem", SHAPE_TRIPLE, 1, 2147483647, NULL },
};

#define ALLOWED_COUNT (sizeof(allowed) / sizeof(allowed[0]))

_Static_assert(ALLOWED_COUNT <= PROFILE_MAX_SETTINGS, "a profile must have room for every allowed key");

/*
 * Keys tuning guides often pair with the ones above but that the kernel
 * keeps once for the whole host: absent from a new network namespace
 * (netdev_max_backlog, tcp_mem, udp_mem, tcp_max_orphans) or read-only in
 * one owned by a user namespace (rmem_max, wmem_max, rmem_default,
 * wmem_default). Setting them in the lab would change the host. Keys outside
 * net.* (kernel.*, vm.*, fs.*) are host-wide as a whole.
 */
static const char *const host_wide[] = {
	"net.core.rmem_max",
	"net.core.wmem_max",
	"net.core.rmem_default",
	"net.core.wmem_default",
	"net.core.netdev_max_backlog",
	"net.ipv4.tcp_mem",
	"net.ipv4.udp_mem",
	"net.ipv4.tcp_max_orphans",
};

const struct sysctl_key *sysctl_key_find(const char *dotted)
{
	for (size_t i = 0; i < ALLOWED_COUNT; i++) {
		if (strcmp(allowed[i].name, dotted) == 0)
			return &allowed[i];
	}
	return NULL;
}

int sysctl_key_is_host_wide(const char *dotted)
{
	if (strncmp(dotted, "net.", 4) != 0)
		return 1;
	for (size_t i = 0; i < sizeof(host_wide) / sizeof(host_wide[0]); i++) {
		if (strcmp(host_wide[i], dotted) == 0)
			return 1;
	}
	return 0;
}

/* Edit distance, capped at limit + 1 (the names are short; a full table is cheap). */
static size_t edit_distance(const char *a, const char *b, size_t limit)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t row[128];

	if (la >= sizeof(row) / sizeof(row[0]) || lb >= sizeof(row) / sizeof(row[0]))
		return limit + 1;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];

		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t best = diag + (a[i - 1] != b[j - 1]);

			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb] <= limit ? row[lb] : limit + 1;
}

const char *sysctl_key_suggest(const char *dotted)
{
	const size_t limit = 3;
	const char *best = NULL;
	size_t best_distance = limit + 1;

	for (size_t i = 0; i < ALLOWED_COUNT; i++) {
		size_t d = edit_distance(dotted, allowed[i].name, limit);

		if (d < best_distance) {
			best_distance = d;
			best = allowed[i].name;
		}
	}
	return best;
}

void sysctl_key_list(char *buf, size_t len)
{
	size_t used = 0;
	const char *prev_prefix = NULL;
	size_t prev_prefix_len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < ALLOWED_COUNT && used < len; i++) {
		const char *name = allowed[i].name;
		const char *last = strrchr(name, '.');
		size_t prefix_len = (size_t)(last - name);
		int same = prev_prefix != NULL && prefix_len == prev_prefix_len &&
			   strncmp(name, prev_prefix, prefix_len) == 0;
		int n;

		if (same)
			n = snprintf(buf + used, len - used, ", %s", last + 1);
		else
			n = snprintf(buf + used, len - used, "%s%.*s.{%s", prev_prefix != NULL ? "}, " : "",
				     (int)prefix_len, name, last + 1);
		if (n < 0)
			return;
		used += (size_t)n;
		prev_prefix = name;
		prev_prefix_len = prefix_len;
	}
	if (used < len)
		snprintf(buf + used, len - used, "}");
}

static const char *shape_form(enum sysctl_shape shape)
{
	switch (shape) {
	case SHAPE_ONE:
		return "one integer";
	case SHAPE_RANGE:
		return "two ports, LOW HIGH";
	case SHAPE_TRIPLE:
		return "three byte counts, MIN DEFAULT MAX";
	}
	return "?";
}

static size_t shape_fields(enum sysctl_shape shape)
{
	switch (shape) {
	case SHAPE_ONE:
		return 1;
	case SHAPE_RANGE:
		return 2;
	case SHAPE_TRIPLE:
		return 3;
	}
	return 0;
}

int sysctl_key_check_value(const struct sysctl_key *key, const char *value, char *norm, size_t norm_len,
			   struct tl_err *err)
{
	char copy[128];
	char *fields[4];
	long numbers[3];
	size_t want = shape_fields(key->shape);
	size_t n = 0;
	size_t used = 0;
	char *save = NULL;

	if (strlen(value) >= sizeof(copy))
		return tl_errf(err, "%s: value is too long", key->name);
	snprintf(copy, sizeof(copy), "%s", value);
	for (char *tok = strtok_r(copy, " \t", &save); tok != NULL; tok = strtok_r(NULL, " \t", &save)) {
		if (n == sizeof(fields) / sizeof(fields[0]))
			break;
		fields[n++] = tok;
	}
	if (n == 0)
		return tl_errf(err, "%s: empty value, expected %s", key->name, shape_form(key->shape));
	if (n != want)
		return tl_errf(err, "%s: '%s' is not %s", key->name, value, shape_form(key->shape));
	for (size_t i = 0; i < n; i++) {
		if (parse_long(fields[i], key->min, key->max, &numbers[i], key->name, err) != 0) {
			if (key->note != NULL && err != NULL) {
				char old[sizeof(err->msg)];

				memcpy(old, err->msg, sizeof(old));
				tl_errf(err, "%s (%s)", old, key->note);
			}
			return -1;
		}
	}
	switch (key->shape) {
	case SHAPE_ONE:
		break;
	case SHAPE_RANGE:
		if (numbers[0] > numbers[1])
			return tl_errf(err, "%s: low port %ld is above high port %ld", key->name, numbers[0],
				       numbers[1]);
		break;
	case SHAPE_TRIPLE:
		if (numbers[0] > numbers[1] || numbers[1] > numbers[2])
			return tl_errf(err, "%s: '%s' must not decrease (MIN <= DEFAULT <= MAX)", key->name, value);
		break;
	}
	norm[0] = '\0';
	for (size_t i = 0; i < n && used < norm_len; i++) {
		int w = snprintf(norm + used, norm_len - used, "%s%ld", i > 0 ? " " : "", numbers[i]);

		if (w < 0)
			break;
		used += (size_t)w;
	}
	return 0;
}

const char *sysctl_key_name(const struct sysctl_key *key)
{
	return key->name;
}

size_t profile_allowed_count(void)
{
	return ALLOWED_COUNT;
}

const char *profile_allowed_key(size_t i)
{
	return i < ALLOWED_COUNT ? allowed[i].name : NULL;
}
