/* cmd_catalog: `tcplab list` and `tcplab show`: the scenarios a user can run, the profiles and keys they take. */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "path.h"
#include "report/describe.h"
#include "scenario/scenario_keys.h"

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int conf_only(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return n > 5 && strcmp(d->d_name + n - 5, ".conf") == 0;
}

enum { LIST_PROFILES = 0x100, LIST_KEYS };

static const struct option list_long_opts[] = {
	{ "profiles", no_argument, NULL, LIST_PROFILES },
	{ "keys", no_argument, NULL, LIST_KEYS },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static void list_usage(FILE *out)
{
	fprintf(out, "usage: tcplab list [--profiles | --keys]\n"
		     "  the scenarios, a line each: its name (what run, compare, sweep and show take) and what it shows\n"
		     "  --profiles     the sysctl profiles instead, a line each: its name (what --profile and a\n"
		     "                 scenario's profile= take) and its file\n"
		     "  --keys         the keys sweep --set replaces instead, a line each: SECTION.KEY\n");
}

const struct command command_list = {
	.name = "list",
	.summary = "scenarios with their descriptions (or the profiles, or the --set keys)",
	.needs_home = 1,
	.run = cmd_list,
	.shortopts = "h",
	.long_opts = list_long_opts,
	.usage = list_usage,
};

/* The profiles of the profile folder: name and file. */
static int list_profiles(const struct home *h)
{
	struct dirent **names;
	int n = scandir(h->profiles, &names, conf_only, by_name);

	if (n < 0) {
		fprintf(stderr, "tcplab: %s: %s\n", h->profiles, strerror(errno));
		return EXIT_BAD_INPUT;
	}
	for (int i = 0; i < n; i++) {
		printf("%-24.*s %s/%s\n", (int)(strlen(names[i]->d_name) - 5), names[i]->d_name, h->profiles,
		       names[i]->d_name);
		free(names[i]);
	}
	free(names);
	return EXIT_PASS;
}

/* Every key of the table that --set may replace, as the override check itself decides. */
static int list_keys(void)
{
	for (size_t i = 0; i < scenario_key_count(); i++) {
		const struct scenario_key *key = scenario_key_at(i);
		struct scenario_override o;

		memset(&o, 0, sizeof(o));
		snprintf(o.section, sizeof(o.section), "%s", scenario_section_name(key->section));
		snprintf(o.key, sizeof(o.key), "%s", key->name);
		if (scenario_override_key(&o, NULL, NULL) == 0)
			printf("%s.%s\n", o.section, o.key);
	}
	return EXIT_PASS;
}

int cmd_list(const struct home *h, int argc, char **argv)
{
	struct dirent **names;
	int what = 0;
	int n;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, command_list.shortopts, command_list.long_opts, NULL)) != -1) {
		switch (c) {
		case LIST_PROFILES:
		case LIST_KEYS:
			if (what != 0 && what != c) {
				fprintf(stderr, "tcplab: list: --profiles or --keys, not both\n");
				return EXIT_BAD_INPUT;
			}
			what = c;
			break;
		case 'h':
			command_usage(&command_list, stdout);
			return EXIT_PASS;
		default:
			return EXIT_BAD_INPUT;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "tcplab: list takes no arguments (got '%s')\n", argv[optind]);
		return EXIT_BAD_INPUT;
	}
	if (what == LIST_PROFILES)
		return list_profiles(h);
	if (what == LIST_KEYS)
		return list_keys();
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

