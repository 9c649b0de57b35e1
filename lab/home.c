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

#include "path.h"

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
static int display_dir(const char *dir, char *out, size_t len, struct tl_err *err)
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
	/* Longer than the folders' fields: an error, never a cut name that would point somewhere else. */
	return tl_path_fmt(out, len, err, "%s%s", shown, shown[0] != '\0' ? "/" : "");
}

/* 1 when dir holds the data folders (h filled), 0 when not, -1 when its name is too long to use. */
static int try_datadir(struct home *h, const char *dir, struct tl_err *err)
{
	char probe[TL_PATH_LEN];
	char shown[sizeof(h->datadir)];

	if (tl_path_fmt(probe, sizeof(probe), err, "%s/sysctl", dir) != 0)
		return -1;
	if (!is_dir(probe))
		return 0;
	if (display_dir(dir, shown, sizeof(shown), err) != 0 ||
	    tl_path_fmt(h->datadir, sizeof(h->datadir), err, "%s", shown[0] != '\0' ? shown : "./") != 0 ||
	    tl_path_fmt(h->scenarios, sizeof(h->scenarios), err, "%slab/scenarios", shown) != 0 ||
	    tl_path_fmt(h->profiles, sizeof(h->profiles), err, "%ssysctl", shown) != 0)
		return tl_err_wrap(err, "data folder %s", dir);
	return 1;
}

int home_find(struct home *h, struct tl_err *err)
{
	char exe[TL_PATH_LEN];
	char candidate[TL_PATH_LEN];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	const char *env = getenv("TCPLAB_HOME");
	int found;

	if (n < 0)
		return tl_errf(err, "readlink /proc/self/exe: %s", strerror(errno));
	exe[n] = '\0';
	if (tl_path_fmt(h->bindir, sizeof(h->bindir), err, "%s", dirname(exe)) != 0)
		return tl_err_wrap(err, "the program's folder");
	if (env != NULL && env[0] != '\0') {
		found = try_datadir(h, env, err);
		if (found < 0)
			return tl_err_wrap(err, "TCPLAB_HOME");
		if (found == 0)
			return tl_errf(err, "TCPLAB_HOME=%s has no sysctl/ folder", env);
		return 0;
	}
	if (tl_path_fmt(candidate, sizeof(candidate), err, "%s/../share/tcplab", h->bindir) != 0)
		return -1;
	found = try_datadir(h, candidate, err);
	if (found != 0)
		return found > 0 ? 0 : -1;
	if (tl_path_fmt(candidate, sizeof(candidate), err, "%s/../..", h->bindir) != 0)
		return -1;
	found = try_datadir(h, candidate, err);
	if (found != 0)
		return found > 0 ? 0 : -1;
	return tl_errf(err, "cannot find the scenarios and profiles (no sysctl/ in %s/../share/tcplab or %s/../..); "
			    "set TCPLAB_HOME",
		       h->bindir, h->bindir);
}

int home_scenario_path(const struct home *h, const char *arg, char *path, size_t len, struct tl_err *err)
{
	size_t alen = strlen(arg);

	if (strchr(arg, '/') != NULL || (alen > 5 && strcmp(arg + alen - 5, ".conf") == 0)) {
		if (tl_path_fmt(path, len, err, "%s", arg) != 0)
			return tl_err_wrap(err, "scenario");
	} else if (tl_path_fmt(path, len, err, "%s/%s.conf", h->scenarios, arg) != 0) {
		return tl_err_wrap(err, "scenario '%s'", arg);
	}
	if (access(path, R_OK) != 0)
		return tl_errf(err, "%s: no such scenario (tcplab list shows them)", path);
	return 0;
}
