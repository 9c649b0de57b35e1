/* cmd_cleanup: `tcplab cleanup`: remove lab namespaces whose controller is gone. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "side/netns.h"

int cmd_cleanup(const struct home *h, int argc, char **argv)
{
	struct tl_err err;
	int dry_run = argc > 1 && strcmp(argv[1], "--dry-run") == 0;
	int n;

	(void)h;
	if (geteuid() != 0) {
		fprintf(stderr, "tcplab: cleanup needs root\n");
		return EXIT_ENVIRONMENT;
	}
	n = netns_cleanup_stale(dry_run, &err);
	if (n < 0) {
		fprintf(stderr, "tcplab: cleanup: %s\n", err.msg);
		return EXIT_ENVIRONMENT;
	}
	printf("%d stale lab namespace%s %s\n", n, n == 1 ? "" : "s", dry_run ? "found" : "removed");
	return EXIT_PASS;
}

