/* home: locate the data folders relative to the executable, so the same binary works installed or in the tree. */
#include "home.h"

#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int try_datadir(struct home *h, const char *dir)
{
	char probe[700];

	snprintf(probe, sizeof(probe), "%s/sysctl", dir);
	if (!is_dir(probe))
		return 0;
	snprintf(h->datadir, sizeof(h->datadir), "%s", dir);
	snprintf(h->scenarios, sizeof(h->scenarios), "%s/lab/scenarios", dir);
	snprintf(h->profiles, sizeof(h->profiles), "%s/sysctl", dir);
	return 1;
}

int home_find(struct home *h, struct tl_err *err)
{
	char exe[512];
	char candidate[700];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	const char *env = getenv("TCPLAB_HOME");

	if (n < 0)
		return tl_errf(err, "readlink /proc/self/exe: %s", strerror(errno));
	exe[n] = '\0';
	snprintf(h->bindir, sizeof(h->bindir), "%s", dirname(exe));
	if (env != NULL && env[0] != '\0') {
		if (!try_datadir(h, env))
			return tl_errf(err, "TCPLAB_HOME=%s has no sysctl/ folder", env);
		return 0;
	}
	snprintf(candidate, sizeof(candidate), "%s/../share/tcplab", h->bindir);
	if (try_datadir(h, candidate))
		return 0;
	snprintf(candidate, sizeof(candidate), "%s/../..", h->bindir);
	if (try_datadir(h, candidate))
		return 0;
	return tl_errf(err, "cannot find the scenarios and profiles (no sysctl/ in %s/../share/tcplab or %s/../..); "
			    "set TCPLAB_HOME",
		       h->bindir, h->bindir);
}

int home_scenario_path(const struct home *h, const char *arg, char *path, size_t len, struct tl_err *err)
{
	size_t alen = strlen(arg);

	if (strchr(arg, '/') != NULL || (alen > 5 && strcmp(arg + alen - 5, ".conf") == 0)) {
		snprintf(path, len, "%s", arg);
	} else {
		snprintf(path, len, "%s/%s.conf", h->scenarios, arg);
	}
	if (access(path, R_OK) != 0)
		return tl_errf(err, "%s: no such scenario (tcplab list shows them)", path);
	return 0;
}
