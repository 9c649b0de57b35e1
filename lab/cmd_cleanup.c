/* cmd_cleanup: `tcplab cleanup`: remove what a killed controller left: lab namespaces and unfinished result folders. */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "path.h"
#include "doc/results.h"
#include "side/netns.h"

/* A run, compare or sweep builds its folder as .tmp-...-<pid>-XXXXXX and renames it when done. */
#define TMP_PREFIX ".tmp-"
#define TMP_SUFFIX_CHARS 6

/* The controller pid in a temporary folder's name, or -1 when the name is not of that shape. */
static long tmp_owner(const char *name)
{
	size_t len = strlen(name);
	const char *dash;
	const char *p;
	char *end;
	long pid;

	if (strncmp(name, TMP_PREFIX, strlen(TMP_PREFIX)) != 0 || len < strlen(TMP_PREFIX) + TMP_SUFFIX_CHARS + 3 ||
	    name[len - TMP_SUFFIX_CHARS - 1] != '-')
		return -1;
	/* The pid is the dash-separated field before the random suffix. */
	dash = name + len - TMP_SUFFIX_CHARS - 1;
	for (p = dash - 1; p > name && *p != '-'; p--)
		;
	if (*p != '-')
		return -1;
	pid = strtol(p + 1, &end, 10);
	return end == dash && end != p + 1 && pid > 0 ? pid : -1;
}

/* Remove unfinished result folders of dead controllers under dir; -1 on error, else how many. */
static int cleanup_results(const char *dir, int dry_run, struct tl_err *err)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char path[TL_PATH_LEN];
	int removed = 0;

	if (d == NULL)
		return errno == ENOENT ? 0 : tl_errf(err, "opendir %s: %s", dir, strerror(errno));
	while ((de = readdir(d)) != NULL) {
		long pid = tmp_owner(de->d_name);

		if (pid < 0)
			continue;
		if (tl_path_fmt(path, sizeof(path), err, "%s/%s", dir, de->d_name) != 0) {
			closedir(d);
			return -1;
		}
		/* The lock says a controller is at work whichever pid namespace it runs in (the lab container's
		 * results are this machine's ./results); the pid covers folders made before the lock existed. */
		if (results_tmp_in_use(path) || netns_owner_alive(pid))
			continue;
		printf("%s unfinished results %s (controller pid %ld is gone)\n", dry_run ? "would remove" : "removing",
		       path, pid);
		if (!dry_run)
			results_remove_tmp(path);
		removed++;
	}
	closedir(d);
	return removed;
}

static const struct option cleanup_long_opts[] = {
	{ "dry-run", no_argument, NULL, 'n' },
	{ "results", required_argument, NULL, 'r' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static void cleanup_usage(FILE *out)
{
	fprintf(out, "usage: tcplab cleanup [--dry-run] [--results DIR]\n"
		     "  remove what a killed run left (root): lab namespaces whose controller is gone, and\n"
		     "  unfinished .tmp folders under the results folder\n"
		     "  --dry-run      say what would be removed, remove nothing\n"
		     "  --results DIR  the results folder to look in (default: results)\n");
}

const struct command command_cleanup = {
	.name = "cleanup",
	.summary = "remove what a killed run left: namespaces, .tmp folders",
	.needs_home = 0,
	.run = cmd_cleanup,
	.shortopts = "+:",
	.long_opts = cleanup_long_opts,
	.usage = cleanup_usage,
};

int cmd_cleanup(const struct home *h, int argc, char **argv)
{
	const char *results_dir = "results";
	struct tl_err err;
	int dry_run = 0;
	int namespaces;
	int folders;
	int c;

	(void)h;
	optind = 1;
	opterr = 0; /* one line of our own instead of getopt's */
	while ((c = getopt_long(argc, argv, command_cleanup.shortopts, command_cleanup.long_opts, NULL)) != -1) {
		switch (c) {
		case 'h':
			command_usage(&command_cleanup, stdout);
			return EXIT_PASS;
		case 'n':
			dry_run = 1;
			break;
		case 'r':
			results_dir = optarg;
			break;
		case ':':
			fprintf(stderr, "tcplab: cleanup: %s needs a value\n", argv[optind - 1]);
			return EXIT_BAD_INPUT;
		default:
			fprintf(stderr, "tcplab: cleanup: bad option '%s' (it takes --dry-run and --results DIR)\n",
				argv[optind - 1]);
			return EXIT_BAD_INPUT;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "tcplab: cleanup: unexpected argument '%s' (it takes --dry-run and --results DIR)\n",
			argv[optind]);
		return EXIT_BAD_INPUT;
	}
	if (geteuid() != 0) {
		fprintf(stderr, "tcplab: cleanup needs root\n");
		return EXIT_ENVIRONMENT;
	}
	namespaces = netns_cleanup_stale(dry_run, &err);
	folders = namespaces < 0 ? -1 : cleanup_results(results_dir, dry_run, &err);
	if (namespaces < 0 || folders < 0) {
		fprintf(stderr, "tcplab: cleanup: %s\n", err.msg);
		return EXIT_ENVIRONMENT;
	}
	printf("%d stale lab namespace%s and %d unfinished result folder%s %s\n", namespaces,
	       namespaces == 1 ? "" : "s", folders, folders == 1 ? "" : "s", dry_run ? "found" : "removed");
	return EXIT_PASS;
}
