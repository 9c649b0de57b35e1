/* test_cli_help: every option a command's getopt tables accept is in its usage and in tcplab --help. */
#include "unit.h"

#include <ctype.h>
#include <stdlib.h>

#include "commands.h"

/* What a printer writes, as a string the caller frees. */
static char *printed(void (*print)(FILE *out))
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	if (out == NULL)
		abort();
	print(out);
	fclose(out);
	return buf;
}

static char *usage_of(const struct command *c)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	if (out == NULL)
		abort();
	command_usage(c, out);
	fclose(out);
	return buf;
}

/* Whether text names option (as "--name" or "-x"), not just a longer one that starts the same. */
static int names_option(const char *text, const char *option)
{
	size_t len = strlen(option);

	for (const char *p = strstr(text, option); p != NULL; p = strstr(p + 1, option)) {
		int starts = p == text || !(isalnum((unsigned char)p[-1]) || p[-1] == '-');
		int ends = !(isalnum((unsigned char)p[len]) || p[len] == '-');

		if (starts && ends)
			return 1;
	}
	return 0;
}

/* The usage of every command names each long option of its table and each letter of its short options. */
static void test_usage_names_every_option(void)
{
	size_t n;
	const struct command *const *all = commands_all(&n);
	char *help = printed(commands_help);

	CHECK(n == 8);
	for (size_t i = 0; i < n; i++) {
		const struct command *c = all[i];
		char *usage = usage_of(c);
		char option[64];
		char synopsis[64];

		snprintf(synopsis, sizeof(synopsis), "usage: tcplab %s", c->name);
		CHECK(strncmp(usage, synopsis, strlen(synopsis)) == 0);
		/* tcplab --help holds the command's whole usage, as tcplab help NAME prints it. */
		CHECK(strstr(help, usage) != NULL);
		CHECK(command_find(c->name) == c);
		for (const struct option *o = c->long_opts; o != NULL && o->name != NULL; o++) {
			snprintf(option, sizeof(option), "--%s", o->name);
			if (!names_option(usage, option))
				printf("FAIL tcplab %s: %s is accepted but not in its usage\n", c->name, option);
			CHECK(names_option(usage, option));
		}
		for (const char *s = c->shortopts; s != NULL && *s != '\0'; s++) {
			/* '+' and a leading ':' change getopt's behaviour; a ':' after a letter marks its argument. */
			if (!isalnum((unsigned char)*s))
				continue;
			snprintf(option, sizeof(option), "-%c", *s);
			if (!names_option(usage, option))
				printf("FAIL tcplab %s: %s is accepted but not in its usage\n", c->name, option);
			CHECK(names_option(usage, option));
		}
		free(usage);
	}
	CHECK(command_find("nope") == NULL);
	free(help);
}

/* The list of commands names each one once, on a line of its own. */
static void test_overview_lists_every_command(void)
{
	size_t n;
	const struct command *const *all = commands_all(&n);
	char *overview = printed(commands_overview);

	for (size_t i = 0; i < n; i++) {
		char line[64];

		snprintf(line, sizeof(line), "\n  %s ", all[i]->name);
		CHECK(strstr(overview, line) != NULL);
		CHECK(all[i]->summary != NULL && strstr(overview, all[i]->summary) != NULL);
	}
	free(overview);
}

int main(void)
{
	RUN(test_usage_names_every_option);
	RUN(test_overview_lists_every_command);
	return UNIT_END();
}
