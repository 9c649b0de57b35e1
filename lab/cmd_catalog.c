/* cmd_catalog: `tcplab list` and `tcplab show`: the scenarios a user can run. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "path.h"
#include "report/describe.h"

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int conf_only(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return n > 5 && strcmp(d->d_name + n - 5, ".conf") == 0;
}

static void list_usage(FILE *out)
{
	fprintf(out, "usage: tcplab list\n"
		     "  the scenarios, a line each: its name (what run, compare, sweep and show take) and what it shows\n");
}

const struct command command_list = {
	.name = "list",
	.summary = "scenarios with their descriptions",
	.needs_home = 1,
	.run = cmd_list,
	.shortopts = NULL,
	.long_opts = NULL,
	.usage = list_usage,
};

int cmd_list(const struct home *h, int argc, char **argv)
{
	struct dirent **names;
	int n;

	if (argc != 1) {
		fprintf(stderr, "tcplab: list takes no arguments (got '%s')\n", argv[1]);
		return EXIT_BAD_INPUT;
	}
	n = scandir(h->scenarios, &names, conf_only, by_name);
	int rc = EXIT_PASS;

	if (n < 0) {
		fprintf(stderr, "tcplab: %s: %s\n", h->scenarios, strerror(errno));
		return EXIT_BAD_INPUT;
	}
	for (int i = 0; i < n; i++) {
		char path[TL_PATH_LEN];
		struct scenario sc;
		struct tl_err err;

		if (tl_path_fmt(path, sizeof(path), &err, "%s/%s", h->scenarios, names[i]->d_name) != 0 ||
		    scenario_load(path, h->profiles, h->bindir, &sc, &err) != 0) {
			fprintf(stderr, "tcplab: %s\n", err.msg);
			rc = EXIT_BAD_INPUT;
		} else {
			printf("%-28s %s\n", sc.name, sc.description);
			scenario_free(&sc);
		}
		free(names[i]);
	}
	free(names);
	return rc;
}

static void show_usage(FILE *out)
{
	fprintf(out, "usage: tcplab show SCENARIO\n"
		     "  what a scenario (a name tcplab list shows, or a .conf path) does: its server, client,\n"
		     "  profiles and expectations\n");
}

const struct command command_show = {
	.name = "show",
	.summary = "what a scenario does and expects",
	.needs_home = 1,
	.run = cmd_show,
	.shortopts = NULL,
	.long_opts = NULL,
	.usage = show_usage,
};

int cmd_show(const struct home *h, int argc, char **argv)
{
	struct scenario sc;
	struct tl_err err;

	if (argc != 2) {
		fprintf(stderr, "tcplab: show takes one scenario (tcplab list shows them)\n");
		return EXIT_BAD_INPUT;
	}
	if (load_scenario(h, argv[1], &sc, &err) != 0)
		return EXIT_BAD_INPUT;
	describe_scenario(&sc, stdout);
	scenario_free(&sc);
	return EXIT_PASS;
}

