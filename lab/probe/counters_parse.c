/* counters_parse: the header/value line pairs of /proc/net/netstat and /proc/net/snmp, strictly. */
#include "counters.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A line of the text: [start, end), without its newline. */
struct line {
	const char *start;
	const char *end;
	int number; /* 1-based, for messages */
};

static int is_blank_char(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* How much of a line to quote in a message. */
static int quote_len(const struct line *l)
{
	long len = l->end - l->start;

	return len > 60 ? 60 : (int)len;
}

static int line_is_blank(const struct line *l)
{
	for (const char *p = l->start; p < l->end; p++) {
		if (!is_blank_char(*p))
			return 0;
	}
	return 1;
}

/* Take the next line from [*pos, end); 0 when the text is used up. */
static int next_line(const char **pos, const char *end, int *number, struct line *out)
{
	const char *nl;

	if (*pos >= end)
		return 0;
	nl = memchr(*pos, '\n', (size_t)(end - *pos));
	out->start = *pos;
	out->end = nl != NULL ? nl : end;
	out->number = ++*number;
	*pos = nl != NULL ? nl + 1 : end;
	return 1;
}

/* Skip blanks, then return the next token's length (0 at the end of the line). */
static size_t next_token(const char **p, const char *end)
{
	const char *q;

	while (*p < end && is_blank_char(**p))
		(*p)++;
	q = *p;
	while (q < end && !is_blank_char(*q))
		q++;
	return (size_t)(q - *p);
}

static int count_tokens(const char *p, const char *end)
{
	int n = 0;
	size_t len;

	while ((len = next_token(&p, end)) > 0) {
		n++;
		p += len;
	}
	return n;
}

/* Split "Prefix: rest" into the prefix (without the colon) and where the rest starts. */
static int split_prefix(const struct line *l, const char *source, size_t *prefix_len, const char **rest, struct tl_err *err)
{
	const char *colon = memchr(l->start, ':', (size_t)(l->end - l->start));

	if (colon == NULL || colon == l->start)
		return tl_errf(err, "%s:%d: expected 'Prefix: ...', got '%.*s'", source, l->number, quote_len(l), l->start);
	for (const char *p = l->start; p < colon; p++) {
		if (is_blank_char(*p))
			return tl_errf(err, "%s:%d: prefix '%.*s' contains a blank", source, l->number,
				       (int)(colon - l->start), l->start);
	}
	*prefix_len = (size_t)(colon - l->start);
	*rest = colon + 1;
	return 0;
}

/* Counters are unsigned 64-bit; a leading '-' is allowed because Tcp MaxConn is -1. */
static int parse_value(const char *tok, size_t len, int64_t *out)
{
	char buf[32];
	char *end = NULL;

	if (len == 0 || len >= sizeof(buf))
		return -1;
	memcpy(buf, tok, len);
	buf[len] = '\0';
	errno = 0;
	if (buf[0] == '-') {
		long long v = strtoll(buf, &end, 10);

		if (errno != 0 || end == buf + 1 || *end != '\0')
			return -1;
		*out = v;
	} else {
		unsigned long long v;

		if (buf[0] < '0' || buf[0] > '9')
			return -1;
		v = strtoull(buf, &end, 10);
		if (errno != 0 || *end != '\0')
			return -1;
		/* Kept bit for bit: a delta of two wrapped values still comes out right. */
		*out = (int64_t)(uint64_t)v;
	}
	return 0;
}

static int parse_pair(const struct line *names, const struct line *values, const char *source, struct counters *out, struct tl_err *err)
{
	size_t prefix_len;
	size_t value_prefix_len;
	const char *np;
	const char *vp;
	int name_count;
	int value_count;

	if (split_prefix(names, source, &prefix_len, &np, err) != 0 ||
	    split_prefix(values, source, &value_prefix_len, &vp, err) != 0)
		return -1;
	if (value_prefix_len != prefix_len || memcmp(names->start, values->start, prefix_len) != 0)
		return tl_errf(err, "%s:%d: values line '%.*s:' does not follow its names line '%.*s:' (line %d)", source,
			       values->number, (int)value_prefix_len, values->start, (int)prefix_len, names->start,
			       names->number);
	name_count = count_tokens(np, names->end);
	value_count = count_tokens(vp, values->end);
	if (name_count != value_count)
		return tl_errf(err, "%s:%d: '%.*s:' has %d names (line %d) but %d values", source, values->number,
			       (int)prefix_len, names->start, name_count, names->number, value_count);
	for (int i = 0; i < name_count; i++) {
		size_t name_len = next_token(&np, names->end);
		size_t value_len = next_token(&vp, values->end);
		struct counter *c;

		if (out->count >= COUNTERS_MAX)
			return tl_errf(err, "%s:%d: more than %d counters", source, names->number, COUNTERS_MAX);
		if (prefix_len + name_len >= COUNTER_NAME_BYTES)
			return tl_errf(err, "%s:%d: counter name '%.*s%.*s' is longer than %d bytes", source,
				       names->number, (int)prefix_len, names->start, (int)name_len, np,
				       COUNTER_NAME_BYTES - 1);
		c = &out->items[out->count];
		if (parse_value(vp, value_len, &c->value) != 0)
			return tl_errf(err, "%s:%d: value '%.*s' of %.*s%.*s is not an integer", source, values->number,
				       (int)value_len, vp, (int)prefix_len, names->start, (int)name_len, np);
		memcpy(c->name, names->start, prefix_len);
		memcpy(c->name + prefix_len, np, name_len);
		c->name[prefix_len + name_len] = '\0';
		out->count++;
		np += name_len;
		vp += value_len;
	}
	return 0;
}

int counters_parse(const char *text, size_t len, const char *source, struct counters *out, struct tl_err *err)
{
	const char *pos = text;
	const char *end = text + len;
	int number = 0;
	struct line names;
	struct line values;

	while (next_line(&pos, end, &number, &names)) {
		if (line_is_blank(&names))
			continue;
		if (!next_line(&pos, end, &number, &values) || line_is_blank(&values))
			return tl_errf(err, "%s:%d: names line '%.*s' has no values line after it", source,
				       names.number, quote_len(&names), names.start);
		if (parse_pair(&names, &values, source, out, err) != 0)
			return -1;
	}
	return 0;
}
