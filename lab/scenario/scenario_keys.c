/* scenario_keys: the one table of scenario keys (section, name, kind, option, bounds) and value checks. */
#include "scenario_keys.h"

#include <stdio.h>
#include <string.h>

#include "ipv4_prefix.h"
#include "parse.h"
#include "probe/capture.h"
#include "profile.h"

#define MS 1000LL
#define SEC (1000 * MS)
#define MINUTE (60 * SEC)
#define HOUR (60 * MINUTE)
#define INT_TOP 2147483647LL
/* The longest one-way delay or jitter [link] may ask for. */
#define LINK_DELAY_MAX_US (10 * SEC)

static const char *const section_names[SECTION_COUNT] = {
	[SECTION_SCENARIO] = "scenario",
	[SECTION_SERVER] = "server",
	[SECTION_CLIENT] = "client",
	[SECTION_EXPECT] = "expect",
	[SECTION_COMPARE] = "compare",
	[SECTION_CAPTURE] = "capture",
	[SECTION_LINK] = "link",
};

/*
 * Every key a scenario may set. A [server] or [client] key is the option of
 * tcplab-server / tcplab-client with '_' written '-' (handle_time is
 * --handle-time); the programs check the values again with --check, so
 * bounds here are the wide, obvious ones and the programs have the last word.
 * Exceptions: profile, port and sources belong to the controller (port goes
 * into --listen ADDR:PORT and the client's target), reuseport is a switch,
 * and spoof is both the client's --spoof and routes the controller adds.
 */
static const struct scenario_key keys[] = {
	/* section, name, kind, use, flag, min, max, choices, required, fallback */
	{ SECTION_SCENARIO, "name", KIND_NAME, USE_CONTROLLER, NULL, 0, 0, NULL, 1, NULL },
	{ SECTION_SCENARIO, "description", KIND_TEXT, USE_CONTROLLER, NULL, 0, 0, NULL, 1, NULL },
	{ SECTION_SCENARIO, "duration", KIND_DURATION, USE_CONTROLLER, NULL, 1 * MS, 24 * HOUR, NULL, 1, NULL },
	{ SECTION_SCENARIO, "sample_period", KIND_DURATION, USE_CONTROLLER, NULL, 1 * MS, 1 * SEC, NULL, 0, "10ms" },

	{ SECTION_SERVER, "profile", KIND_NAME, USE_CONTROLLER, NULL, 0, 0, NULL, 1, NULL },
	{ SECTION_SERVER, "port", KIND_INT, USE_CONTROLLER, NULL, 1, 65535, NULL, 0, "8080" },
	{ SECTION_SERVER, "backlog", KIND_INT, USE_FLAG, "--backlog", 0, INT_TOP, NULL, 0, NULL },
	{ SECTION_SERVER, "discipline", KIND_TEXT, USE_FLAG, "--discipline", 0, 0, NULL, 0, NULL },
	{ SECTION_SERVER, "handle_time", KIND_DURATION, USE_FLAG, "--handle-time", 0, 1 * HOUR, NULL, 0, NULL },
	{ SECTION_SERVER, "body_size", KIND_SIZE, USE_FLAG, "--body-size", 0, SIZE_MAX_BYTES, NULL, 0, NULL },
	{ SECTION_SERVER, "keepalive", KIND_ONOFF, USE_FLAG, "--keepalive", 0, 0, NULL, 0, NULL },
	{ SECTION_SERVER, "close", KIND_CHOICE, USE_FLAG, "--close", 0, 0, "fin|rst", 0, NULL },
	{ SECTION_SERVER, "raw", KIND_CHOICE, USE_FLAG, "--raw", 0, 0, "hold|close", 0, NULL },
	{ SECTION_SERVER, "engine", KIND_CHOICE, USE_FLAG, "--engine", 0, 0, "native|mhd", 0, NULL },
	{ SECTION_SERVER, "reuseport", KIND_ONOFF, USE_SWITCH, "--reuseport", 0, 0, NULL, 0, NULL },
	{ SECTION_SERVER, "mhd_conn_limit", KIND_INT, USE_FLAG, "--mhd-conn-limit", 0, 1000000, NULL, 0, NULL },
	{ SECTION_SERVER, "mhd_threads", KIND_INT, USE_FLAG, "--mhd-threads", 0, 1024, NULL, 0, NULL },

	{ SECTION_CLIENT, "profile", KIND_NAME, USE_CONTROLLER, NULL, 0, 0, NULL, 1, NULL },
	{ SECTION_CLIENT, "mode", KIND_CHOICE, USE_FLAG, "--mode", 0, 0, "http|connect|synflood", 0, NULL },
	{ SECTION_CLIENT, "engine", KIND_CHOICE, USE_FLAG, "--engine", 0, 0, "lean|curl", 0, NULL },
	{ SECTION_CLIENT, "concurrency", KIND_INT, USE_FLAG, "--concurrency", 1, 1000000, NULL, 0, NULL },
	{ SECTION_CLIENT, "requests", KIND_INT, USE_FLAG, "--requests", 1, 1000000000, NULL, 0, NULL },
	{ SECTION_CLIENT, "rate", KIND_INT, USE_FLAG, "--rate", 1, 10000000, NULL, 0, NULL },
	{ SECTION_CLIENT, "duration", KIND_DURATION, USE_FLAG, "--duration", 1 * MS, 24 * HOUR, NULL, 0, NULL },
	{ SECTION_CLIENT, "threads", KIND_INT, USE_FLAG, "--threads", 1, 1024, NULL, 0, NULL },
	{ SECTION_CLIENT, "keepalive", KIND_ONOFF, USE_FLAG, "--keepalive", 0, 0, NULL, 0, NULL },
	{ SECTION_CLIENT, "connect_timeout", KIND_DURATION, USE_FLAG, "--connect-timeout", 1 * MS, 1 * HOUR, NULL, 0,
	  NULL },
	{ SECTION_CLIENT, "timeout", KIND_DURATION, USE_FLAG, "--timeout", 1 * MS, 24 * HOUR, NULL, 0, NULL },
	{ SECTION_CLIENT, "after", KIND_CHOICE, USE_FLAG, "--after", 0, 0, "close|rst|hold", 0, NULL },
	{ SECTION_CLIENT, "hold", KIND_DURATION, USE_FLAG, "--hold", 0, 24 * HOUR, NULL, 0, NULL },
	{ SECTION_CLIENT, "sources", KIND_INT, USE_CONTROLLER, NULL, 0, LAB_EXTRA_SOURCES_MAX, NULL, 0, "0" },
	{ SECTION_CLIENT, "server_workers", KIND_INT, USE_FLAG, "--server-workers", 1, 1000000, NULL, 0, NULL },
	{ SECTION_CLIENT, "handle_time", KIND_DURATION, USE_FLAG, "--handle-time", 0, 1 * HOUR, NULL, 0, NULL },
	{ SECTION_CLIENT, "grid", KIND_INT_LIST, USE_FLAG, "--grid", 1, 1000000, NULL, 0, NULL },
	{ SECTION_CLIENT, "total", KIND_INT, USE_FLAG, "--total", 1, 1000000000, NULL, 0, NULL },
	/* SYN flood: the controller also routes spoof from the server to a black hole beside the client. */
	{ SECTION_CLIENT, "spoof", KIND_TEXT, USE_FLAG, "--spoof", 0, 0, NULL, 0, NULL },
	{ SECTION_CLIENT, "probe_rate", KIND_INT, USE_FLAG, "--probe-rate", 1, 100000, NULL, 0, NULL },

	{ SECTION_COMPARE, "profiles", KIND_NAME_LIST, USE_CONTROLLER, NULL, 1, 8, NULL, 0, NULL },

	/* Evidence: each side's lab interface into raw/<side>.pcap (tcplab-capture), and the kernel's drop
	 * reasons through BPF. Bounds as tcplab-capture checks them (probe/capture.h). */
	{ SECTION_CAPTURE, "packets", KIND_ONOFF, USE_CONTROLLER, NULL, 0, 0, NULL, 0, "on" },
	{ SECTION_CAPTURE, "snaplen", KIND_INT, USE_CONTROLLER, NULL, CAPTURE_MIN_SNAPLEN, CAPTURE_MAX_SNAPLEN, NULL, 0,
	  "128" },
	{ SECTION_CAPTURE, "max_mb", KIND_INT, USE_CONTROLLER, NULL, 1, CAPTURE_MAX_MB, NULL, 0, "64" },
	{ SECTION_CAPTURE, "drops", KIND_ONOFF, USE_CONTROLLER, NULL, 0, 0, NULL, 0, "on" },

	/* Network conditions on the lab link, made on each side's way out (lab/link/): a key without a direction
	 * applies to both, client_to_server.KEY and server_to_client.KEY to one (and win over the plain key). */
	{ SECTION_LINK, "delay", KIND_DURATION, USE_CONTROLLER, NULL, 0, LINK_DELAY_MAX_US, NULL, 0, NULL },
	{ SECTION_LINK, "jitter", KIND_DURATION, USE_CONTROLLER, NULL, 0, LINK_DELAY_MAX_US, NULL, 0, NULL },
	{ SECTION_LINK, "loss", KIND_PERCENT, USE_CONTROLLER, NULL, 0, 1000000, NULL, 0, NULL },
	{ SECTION_LINK, "rate", KIND_RATE, USE_CONTROLLER, NULL, RATE_MIN_BPS, RATE_MAX_BPS, NULL, 0, NULL },
	{ SECTION_LINK, "client_to_server.delay", KIND_DURATION, USE_CONTROLLER, NULL, 0, LINK_DELAY_MAX_US, NULL, 0,
	  NULL },
	{ SECTION_LINK, "client_to_server.jitter", KIND_DURATION, USE_CONTROLLER, NULL, 0, LINK_DELAY_MAX_US, NULL, 0,
	  NULL },
	{ SECTION_LINK, "client_to_server.loss", KIND_PERCENT, USE_CONTROLLER, NULL, 0, 1000000, NULL, 0, NULL },
	{ SECTION_LINK, "client_to_server.rate", KIND_RATE, USE_CONTROLLER, NULL, RATE_MIN_BPS, RATE_MAX_BPS, NULL, 0,
	  NULL },
	{ SECTION_LINK, "server_to_client.delay", KIND_DURATION, USE_CONTROLLER, NULL, 0, LINK_DELAY_MAX_US, NULL, 0,
	  NULL },
	{ SECTION_LINK, "server_to_client.jitter", KIND_DURATION, USE_CONTROLLER, NULL, 0, LINK_DELAY_MAX_US, NULL, 0,
	  NULL },
	{ SECTION_LINK, "server_to_client.loss", KIND_PERCENT, USE_CONTROLLER, NULL, 0, 1000000, NULL, 0, NULL },
	{ SECTION_LINK, "server_to_client.rate", KIND_RATE, USE_CONTROLLER, NULL, RATE_MIN_BPS, RATE_MAX_BPS, NULL, 0,
	  NULL },
};

#define KEY_COUNT (sizeof(keys) / sizeof(keys[0]))

_Static_assert(KEY_COUNT <= SCENARIO_KEY_MAX, "raise SCENARIO_KEY_MAX");

size_t scenario_key_count(void)
{
	return KEY_COUNT;
}

const struct scenario_key *scenario_key_at(size_t i)
{
	return i < KEY_COUNT ? &keys[i] : NULL;
}

int scenario_key_find(enum scenario_section section, const char *name)
{
	for (size_t i = 0; i < KEY_COUNT; i++) {
		if (keys[i].section == section && strcmp(keys[i].name, name) == 0)
			return (int)i;
	}
	return -1;
}

int scenario_key_find_flag(enum scenario_section section, const char *flag)
{
	for (size_t i = 0; i < KEY_COUNT; i++) {
		if (keys[i].section == section && keys[i].flag != NULL && strcmp(keys[i].flag, flag) == 0)
			return (int)i;
	}
	return -1;
}

void scenario_key_list(enum scenario_section section, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < KEY_COUNT && used < len; i++) {
		int w;

		if (keys[i].section != section)
			continue;
		w = snprintf(buf + used, len - used, "%s%s", used > 0 ? ", " : "", keys[i].name);
		if (w < 0)
			return;
		used += (size_t)w;
	}
}

const char *scenario_section_name(enum scenario_section section)
{
	return section < SECTION_COUNT ? section_names[section] : "?";
}

int scenario_section_find(const char *name)
{
	for (int i = 0; i < SECTION_COUNT; i++) {
		if (strcmp(section_names[i], name) == 0)
			return i;
	}
	return -1;
}

static const char *kind_hint(enum key_kind kind)
{
	switch (kind) {
	case KIND_INT:
		return "an integer";
	case KIND_DURATION:
		return "a duration such as 10ms or 1s";
	case KIND_SIZE:
		return "a byte count such as 512 or 4k";
	case KIND_ONOFF:
		return "on or off";
	case KIND_CHOICE:
		return "one word of a list";
	case KIND_TEXT:
		return "some text";
	case KIND_NAME:
		return "a name, [a-z0-9-]+";
	case KIND_INT_LIST:
		return "integers separated by commas";
	case KIND_NAME_LIST:
		return "names separated by commas";
	case KIND_PERCENT:
		return "a percentage such as 5 or 0.5%";
	case KIND_RATE:
		return "a rate such as 10mbit or 512kbit";
	}
	return "a value";
}

static int parse_choice(const struct scenario_key *k, const char *text, struct tl_err *err)
{
	const char *c = k->choices;
	size_t len = strlen(text);

	while (*c != '\0') {
		size_t n = strcspn(c, "|");

		if (n == len && strncmp(c, text, n) == 0)
			return 0;
		c += n;
		if (*c == '|')
			c++;
	}
	return tl_errf(err, "%s: '%s' is not one of %s", k->name, text, k->choices);
}

/* Comma-separated items, blanks around them allowed and dropped from the stored text. */
static int parse_list(const struct scenario_key *k, const char *text, struct scenario_value *v, struct tl_err *err)
{
	const char *p = text;
	size_t used = 0;
	int64_t count = 0;

	v->text[0] = '\0';
	for (;;) {
		char item[PROFILE_NAME_MAX];
		size_t n;

		while (*p == ' ' || *p == '\t')
			p++;
		n = strcspn(p, ",");
		while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
			n--;
		if (n == 0)
			return tl_errf(err, "%s: '%s' has an empty item", k->name, text);
		if (n >= sizeof(item))
			return tl_errf(err, "%s: item '%.*s' is too long", k->name, (int)n, p);
		snprintf(item, sizeof(item), "%.*s", (int)n, p);
		if (k->kind == KIND_INT_LIST) {
			long number;

			if (parse_long(item, k->min, k->max, &number, k->name, err) != 0)
				return -1;
		} else if (!profile_name_valid(item)) {
			return tl_errf(err, "%s: '%s' is not a profile name ([a-z0-9-]+)", k->name, item);
		}
		count++;
		used += (size_t)snprintf(v->text + used, sizeof(v->text) - used, "%s%s", count > 1 ? "," : "", item);
		if (used >= sizeof(v->text))
			return tl_errf(err, "%s: list is too long", k->name);
		p += strcspn(p, ",");
		if (*p != ',')
			break;
		p++;
	}
	v->number = count;
	if (k->kind == KIND_NAME_LIST && (count < k->min || count > k->max))
		return tl_errf(err, "%s: %lld names given, expected %lld to %lld", k->name, (long long)count,
			       (long long)k->min, (long long)k->max);
	return 0;
}

int scenario_key_parse(const struct scenario_key *k, const char *text, struct scenario_value *v,
		       struct tl_err *err)
{
	long number;
	int on;

	snprintf(v->text, sizeof(v->text), "%s", text);
	v->number = 0;
	if (text[0] == '\0' && k->kind == KIND_CHOICE)
		return tl_errf(err, "%s: no value (expected one of %s)", k->name, k->choices);
	if (text[0] == '\0')
		return tl_errf(err, "%s: no value (expected %s)", k->name, kind_hint(k->kind));
	switch (k->kind) {
	case KIND_INT:
		if (parse_long(text, (long)k->min, (long)k->max, &number, k->name, err) != 0)
			return -1;
		v->number = number;
		return 0;
	case KIND_DURATION:
		return parse_duration_range_us(text, k->min, k->max, &v->number, k->name, err);
	case KIND_SIZE:
		return parse_size_range_bytes(text, k->min, k->max, &v->number, k->name, err);
	case KIND_ONOFF:
		if (parse_onoff(text, &on, k->name, err) != 0)
			return -1;
		v->number = on;
		return 0;
	case KIND_CHOICE:
		return parse_choice(k, text, err);
	case KIND_TEXT:
		/* Whatever program takes it checks it; nothing a terminal or run.json's reader would take for a
		 * control (the file's own lines never hold one; --set values might). */
		for (const unsigned char *p = (const unsigned char *)text; *p != '\0'; p++) {
			if (*p < 0x20 || *p == 0x7f)
				return tl_errf(err, "%s: control character \\x%02x in the value", k->name, *p);
		}
		return 0;
	case KIND_NAME:
		if (!profile_name_valid(text))
			return tl_errf(err, "%s: '%s' is not a name (expected [a-z0-9-]+, at most %d characters)", k->name,
				       text, PROFILE_NAME_MAX - 1);
		return 0;
	case KIND_INT_LIST:
	case KIND_NAME_LIST:
		return parse_list(k, text, v, err);
	case KIND_PERCENT:
		return parse_percent_ppm(text, &v->number, k->name, err);
	case KIND_RATE:
		return parse_rate_bps(text, &v->number, k->name, err);
	}
	return tl_errf(err, "%s: unknown kind of value", k->name);
}
