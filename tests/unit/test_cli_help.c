/* test_cli_help: every option a command's getopt tables accept is in its usage and in tcplab --help, every option
 * each program accepts is in its man page (BUILD/man/PROGRAM.1), and the bash completion
 * (lab/completion/tcplab.bash) offers the commands, each command's options, profiles and --set keys. */
#include "unit.h"

#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <unistd.h>

#include "agent/agent_options.h"
#include "capture/capture_options.h"
#include "client_options.h"
#include "commands.h"
#include "delay/delay_options.h"
#include "server_options.h"

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

	CHECK(n == 9);
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

/* A file of the build beside this test binary: BUILD/rel for BUILD/tests/test_cli_help. */
static int build_path(const char *rel, char *buf, size_t len)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	char *slash;

	if (n <= 0)
		return -1;
	self[n] = '\0';
	slash = strrchr(self, '/');
	if (slash == NULL)
		return -1;
	*slash = '\0';
	return snprintf(buf, len, "%s/../%s", self, rel) < (int)len && access(buf, R_OK) == 0 ? 0 : -1;
}

/* The tcplab program beside this test binary. */
static int program_path(char *buf, size_t len)
{
	return build_path("bin/tcplab", buf, len) == 0 && access(buf, X_OK) == 0 ? 0 : -1;
}

/* A man page's text as a reader sees it: roff's escaped hyphen (\-) and backslash (\e) made plain again. */
static char *man_text(const char *program)
{
	char rel[128];
	char path[PATH_MAX];
	char *buf = NULL;
	size_t len = 0;
	FILE *out, *in;
	int ch, escaped = 0;

	snprintf(rel, sizeof(rel), "man/%s.1", program);
	if (build_path(rel, path, sizeof(path)) != 0 || (in = fopen(path, "r")) == NULL)
		return NULL;
	out = open_memstream(&buf, &len);
	if (out == NULL)
		abort();
	while ((ch = fgetc(in)) != EOF) {
		if (escaped)
			fputc(ch == 'e' ? '\\' : ch, out);
		else if (ch != '\\')
			fputc(ch, out);
		escaped = !escaped && ch == '\\';
	}
	fclose(in);
	fclose(out);
	return buf;
}

/* Whether a man page names every option of a getopt table ("--name") and short option string ("-x"); with say,
 * a FAIL line for each one missing. */
static int man_names_all(const char *program, const char *page, const struct option *long_opts, const char *shortopts,
			 int say)
{
	char option[64];
	int all = 1;

	for (const struct option *o = long_opts; o != NULL && o->name != NULL; o++) {
		snprintf(option, sizeof(option), "--%s", o->name);
		if (!names_option(page, option)) {
			if (say)
				printf("FAIL %s is accepted by %s but not in its man page\n", option, program);
			all = 0;
		}
	}
	for (const char *s = shortopts; s != NULL && *s != '\0'; s++) {
		if (!isalnum((unsigned char)*s))
			continue;
		snprintf(option, sizeof(option), "-%c", *s);
		if (!names_option(page, option)) {
			if (say)
				printf("FAIL %s is accepted by %s but not in its man page\n", option, program);
			all = 0;
		}
	}
	return all;
}

/* Every program's man page names every option the program accepts (tcplab: every command's). */
static void test_man_pages_name_every_option(void)
{
	static const struct {
		const char *name;
		const struct option *long_opts;
		const char *shortopts;
	} programs[] = {
		{ "tcplab-server", server_long_options, server_short_options },
		{ "tcplab-client", client_long_options, client_short_options },
		{ "tcplab-agent", agent_long_options, agent_short_options },
		{ "tcplab-capture", capture_long_options, capture_short_options },
		{ "tcplab-delay", delay_long_options, delay_short_options },
	};
	size_t n;
	const struct command *const *all = commands_all(&n);
	char *page;

	for (size_t i = 0; i < sizeof(programs) / sizeof(programs[0]); i++) {
		page = man_text(programs[i].name);
		if (page == NULL)
			printf("FAIL no man page of %s beside this test (make unit builds it)\n", programs[i].name);
		CHECK(page != NULL && strstr(page, ".TH ") != NULL);
		CHECK(page != NULL && man_names_all(programs[i].name, page, programs[i].long_opts, programs[i].shortopts, 1));
		free(page);
	}
	page = man_text("tcplab");
	CHECK(page != NULL);
	for (size_t i = 0; page != NULL && i < n; i++)
		CHECK(man_names_all(all[i]->name, page, all[i]->long_opts, all[i]->shortopts, 1));
	free(page);
	/* The check can fail: a page without an option is caught. */
	CHECK(!man_names_all("a program", "--role --socket", agent_long_options, NULL, 0));
}

/* The completion's words for the command line "tcplab WORDS..." completed at its last word, one per line. */
static char *complete(const char *program, const char *words)
{
	char cmd[PATH_MAX + 512];
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	FILE *in;
	char line[256];

	snprintf(cmd, sizeof(cmd),
		 "bash -c 'source lab/completion/tcplab.bash && COMP_WORDS=(\"%s\" %s) && "
		 "COMP_CWORD=$((${#COMP_WORDS[@]} - 1)) && _tcplab && printf \"%%s\\n\" \"${COMPREPLY[@]}\"'",
		 program, words);
	in = popen(cmd, "r");
	if (out == NULL || in == NULL)
		abort();
	while (fgets(line, sizeof(line), in) != NULL)
		fputs(line, out);
	pclose(in);
	fclose(out);
	return buf;
}

/* Whether a completion's lines hold word as a line of its own. */
static int offers(const char *lines, const char *word)
{
	size_t len = strlen(word);

	for (const char *p = lines; p != NULL && *p != '\0'; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
		if (strncmp(p, word, len) == 0 && (p[len] == '\n' || p[len] == '\0'))
			return 1;
	}
	return 0;
}

/* The completion offers every command, and for each command every long option of its getopt table. */
static void test_completion_offers_options(void)
{
	char program[PATH_MAX];
	size_t n;
	const struct command *const *all = commands_all(&n);
	char *words;

	if (program_path(program, sizeof(program)) != 0) {
		printf("FAIL no tcplab beside this test (make unit builds it)\n");
		CHECK(0);
		return;
	}
	words = complete(program, "\"\"");
	for (size_t i = 0; i < n; i++)
		CHECK(offers(words, all[i]->name));
	free(words);
	for (size_t i = 0; i < n; i++) {
		const struct command *c = all[i];
		char line[64];

		snprintf(line, sizeof(line), "%s --", c->name);
		words = complete(program, line);
		for (const struct option *o = c->long_opts; o != NULL && o->name != NULL; o++) {
			char option[64];

			snprintf(option, sizeof(option), "--%s", o->name);
			if (!offers(words, option))
				printf("FAIL completing tcplab %s --: %s is not offered\n", c->name, option);
			CHECK(offers(words, option));
		}
		free(words);
	}
	/* What was typed narrows it. */
	words = complete(program, "packets --po");
	CHECK(offers(words, "--port") && !offers(words, "--json"));
	free(words);
	words = complete(program, "run --backend \"\"");
	CHECK(offers(words, "netns") && offers(words, "docker"));
	free(words);
	/* Profiles after --profile, from tcplab list --profiles; on either side of server=NAME,client=NAME. */
	words = complete(program, "compare --profile cla");
	CHECK(offers(words, "classroom") && !offers(words, "kernel-defaults"));
	free(words);
	words = complete(program, "compare --profile server=classroom,client=kernel-d");
	CHECK(offers(words, "server=classroom,client=kernel-defaults"));
	free(words);
	/* Keys after --set, from tcplab list --keys: only those --set replaces. */
	words = complete(program, "sweep --set server.back");
	CHECK(offers(words, "server.backlog="));
	free(words);
	words = complete(program, "sweep --set \"\"");
	CHECK(offers(words, "client.concurrency=") && offers(words, "link.delay=") && !offers(words, "scenario.name="));
	free(words);
}

int main(void)
{
	const char *srcdir = getenv("TCPLAB_SRCDIR");

	/* The completion script is read from the source tree. */
	if (srcdir != NULL && srcdir[0] != '\0' && chdir(srcdir) != 0) {
		printf("FAIL cannot enter TCPLAB_SRCDIR=%s\n", srcdir);
		return 1;
	}
	RUN(test_usage_names_every_option);
	RUN(test_overview_lists_every_command);
	RUN(test_man_pages_name_every_option);
	RUN(test_completion_offers_options);
	return UNIT_END();
}
