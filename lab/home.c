/* home: locate the data folders relative to the executable, so the same binary works installed or in the tree. */
#include "home.h"

#include <errno.h>
#include <libgen.h>
#include <limits.h>
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

/*
 * The folder as a user would name it, for the file names in messages and in run.json: relative to the
 * working directory when it lies below it ("lab/scenarios/x.conf"), else its canonical absolute path (never
 * "build/bin/../../lab/..."). With a trailing '/', or empty when it is the working directory itself.
 */
static void display_dir(const char *dir, char *out, size_t len)
{
	char real[PATH_MAX];
	char cwd[PATH_MAX];
	const char *shown = real;
	size_t n;

	if (realpath(dir, real) == NULL)
		shown = dir;
	else if (getcwd(cwd, sizeof(cwd)) != NULL && (n = strlen(cwd)) > 1 && strncmp(real, cwd, n) == 0 &&
		 (real[n] == '/' || real[n] == '\0'))
		shown = real[n] == '/' ? real + n + 1 : "";
	n = strlen(shown);
	if (n + 2 > len) {
		/* Longer than the folders' fields: keep the name as found, cut (home_find checks what it can open). */
		n = len - 2;
	}
	memcpy(out, shown, n);
	if (n > 0)
		out[n++] = '/';
	out[n] = '\0';
}

static int try_datadir(struct home *h, const char *dir)
{
	char probe[700];
	char shown[400];
	int w = snprintf(probe, sizeof(probe), "%s/sysctl", dir);

	if (w < 0 || (size_t)w >= sizeof(probe) || !is_dir(probe))
		return 0;
	display_dir(dir, shown, sizeof(shown));
	snprintf(h->datadir, sizeof(h->datadir), "%s", shown[0] != '\0' ? shown : "./");
	snprintf(h->scenarios, sizeof(h->scenarios), "%slab/scenarios", shown);
	snprintf(h->profiles, sizeof(h->profiles), "%ssysctl", shown);
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
