/* expect: parsing of "path op number" lines and the comparison they ask for. */
#include "expect.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const root_parts[] = { "server", "client", "run", "packets", "link" };

static const struct {
	const char *name;
	enum expect_op op;
} ops[] = {
	{ "==", EXPECT_EQ }, { "!=", EXPECT_NE }, { ">=", EXPECT_GE },
	{ "<=", EXPECT_LE }, { ">", EXPECT_GT },  { "<", EXPECT_LT },
};

static const char *skip_blanks(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

static int check_path(const char *path, struct tl_err *err)
{
	size_t len = strlen(path);
	size_t parts = 1;
	size_t first_len = strcspn(path, ".");
	int known_root = 0;

	if (len >= EXPECT_PATH_MAX)
		return tl_errf(err, "path '%.40s...' is longer than %d characters", path, EXPECT_PATH_MAX - 1);
	/* '-' for the socket states as ss names them: server.states_max.SYN-RECV. */
	if (strspn(path, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") != len)
		return tl_errf(err, "path '%s' may hold only letters, digits, '_', '-' and '.'", path);
	for (size_t i = 0; i < len; i++) {
		if (path[i] != '.')
			continue;
		parts++;
		if (i == 0 || path[i - 1] == '.' || i + 1 == len)
			return tl_errf(err, "path '%s' has an empty part", path);
	}
	for (size_t i = 0; i < sizeof(root_parts) / sizeof(root_parts[0]); i++) {
		if (strlen(root_parts[i]) == first_len && strncmp(path, root_parts[i], first_len) == 0)
			known_root = 1;
	}
	if (!known_root || parts < 2)
		return tl_errf(err,
			       "path '%s' must start with server., client., run., packets. or link. "
			       "(e.g. server.acceptq.max)",
			       path);
	return 0;
}

/* Integers and plain decimals only: "2", "-1", "0.25" (no exponent, hex, inf or nan). */
static int is_plain_number(const char *s)
{
	size_t digits;

	if (*s == '-')
		s++;
	digits = strspn(s, "0123456789");
	if (digits == 0)
		return 0;
	s += digits;
	if (*s == '.') {
		s++;
		digits = strspn(s, "0123456789");
		if (digits == 0)
			return 0;
		s += digits;
	}
	return *s == '\0';
}

int expect_parse(const char *text, int line, struct expect *out, struct tl_err *err)
{
	char copy[sizeof(out->text)];
	const char *path;
	const char *op;
	size_t path_len;
	size_t op_len;
	char *number;
	size_t len;

	memset(out, 0, sizeof(*out));
	out->line = line;
	if (strlen(skip_blanks(text)) >= sizeof(copy))
		return tl_errf(err, "expectation is longer than %zu characters", sizeof(copy) - 1);
	snprintf(copy, sizeof(copy), "%s", skip_blanks(text));
	len = strlen(copy);
	while (len > 0 && (copy[len - 1] == ' ' || copy[len - 1] == '\t'))
		copy[--len] = '\0';
	snprintf(out->text, sizeof(out->text), "%s", copy);

	path = copy;
	path_len = strcspn(path, " \t=!<>");
	if (path_len == 0)
		return tl_errf(err, "'%s' has no path (expected 'path op number', e.g. 'server.acceptq.max == 2')",
			       out->text);
	if (path_len >= sizeof(out->path))
		return tl_errf(err, "path '%.40s...' is longer than %zu characters", path, sizeof(out->path) - 1);
	snprintf(out->path, sizeof(out->path), "%.*s", (int)path_len, path);
	if (check_path(out->path, err) != 0)
		return -1;

	op = skip_blanks(path + path_len);
	op_len = strspn(op, "=!<>");
	if (op_len == 0)
		return tl_errf(err, "'%s' has no operator after the path (expected one of == != >= <= > <)",
			       out->text);
	{
		size_t i;

		for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
			if (strlen(ops[i].name) == op_len && strncmp(op, ops[i].name, op_len) == 0)
				break;
		}
		if (i == sizeof(ops) / sizeof(ops[0]))
			return tl_errf(err, "'%.*s' is not an operator (expected one of == != >= <= > <)", (int)op_len,
				       op);
		out->op = ops[i].op;
	}

	number = copy + (size_t)(skip_blanks(op + op_len) - copy);
	if (*number == '\0')
		return tl_errf(err, "'%s' has no number after '%s'", out->text, expect_op_name(out->op));
	if (!is_plain_number(number))
		return tl_errf(err, "'%s' is not a number (expected an integer or a decimal such as 0.5)", number);
	out->value = strtod(number, NULL);
	return 0;
}

const char *expect_op_name(enum expect_op op)
{
	switch (op) {
	case EXPECT_EQ:
		return "==";
	case EXPECT_NE:
		return "!=";
	case EXPECT_GE:
		return ">=";
	case EXPECT_LE:
		return "<=";
	case EXPECT_GT:
		return ">";
	case EXPECT_LT:
		return "<";
	}
	return "?";
}

int expect_holds(const struct expect *e, double seen)
{
	/* Values in run data are counts or ratios computed in double: allow rounding when testing equality. */
	const double tolerance = 1e-9;

	switch (e->op) {
	case EXPECT_EQ:
		return fabs(seen - e->value) < tolerance;
	case EXPECT_NE:
		return fabs(seen - e->value) >= tolerance;
	case EXPECT_GE:
		return seen >= e->value;
	case EXPECT_LE:
		return seen <= e->value;
	case EXPECT_GT:
		return seen > e->value;
	case EXPECT_LT:
		return seen < e->value;
	}
	return 0;
}
