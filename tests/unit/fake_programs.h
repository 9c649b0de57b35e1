/* fake_programs: stand-ins for `tcplab-server --check` / `tcplab-client --check` in a temporary bindir, and the real bindir. */
#ifndef TL_FAKE_PROGRAMS_H
#define TL_FAKE_PROGRAMS_H

#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct fake_bindir {
	char dir[64];
};

/*
 * Both stand-ins record their arguments, one per line, in DIR/<program>.args,
 * and refuse a few things the way the real programs do ("tcplab-server:
 * --discipline: ..." on stderr, exit status 2): the server an unknown
 * discipline, the client --rate without --duration (an option the file did
 * not set) and --after outside connect mode (a message naming another option).
 * The client prints a plan as `--check --json` does.
 */
static const char fake_server_script[] =
	"#!/bin/sh\n"
	"# Stand-in for tcplab-server --check in unit tests.\n"
	"printf '%s\\n' \"$@\" > \"$(dirname \"$0\")/tcplab-server.args\"\n"
	"[ \"$1\" = --check ] || { echo 'tcplab-server: --check must come first' >&2; exit 3; }\n"
	"while [ $# -gt 0 ]; do\n"
	"\tif [ \"$1\" = --discipline ]; then\n"
	"\t\tcase \"$2\" in\n"
	"\t\tserial|threads|epoll|none|acceptors:*|prefork:*|pause:*) ;;\n"
	"\t\t*) echo \"tcplab-server: --discipline: unknown discipline '$2'\" >&2; exit 2 ;;\n"
	"\t\tesac\n"
	"\tfi\n"
	"\tshift\n"
	"done\n"
	"exit 0\n";

static const char fake_client_script[] =
	"#!/bin/sh\n"
	"# Stand-in for tcplab-client --check in unit tests.\n"
	"printf '%s\\n' \"$@\" > \"$(dirname \"$0\")/tcplab-client.args\"\n"
	"[ \"$1\" = --check ] || { echo 'tcplab-client: --check must come first' >&2; exit 3; }\n"
	"mode=http rate= duration= after=\n"
	"while [ $# -gt 0 ]; do\n"
	"\tcase \"$1\" in\n"
	"\t--mode) mode=$2 ;;\n"
	"\t--rate) rate=$2 ;;\n"
	"\t--duration) duration=$2 ;;\n"
	"\t--after) after=$2 ;;\n"
	"\tesac\n"
	"\tshift\n"
	"done\n"
	"if [ -n \"$rate\" ] && [ -z \"$duration\" ]; then\n"
	"\techo 'tcplab-client: --duration: required with --rate' >&2; exit 2\n"
	"fi\n"
	"if [ -n \"$after\" ] && [ \"$mode\" != connect ]; then\n"
	"\techo 'tcplab-client: --after: only with --mode connect' >&2; exit 2\n"
	"fi\n"
	"echo '{\"planned_connections\":-1}'\n"
	"exit 0\n";

static inline int fake_write_script(const char *dir, const char *name, const char *text)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (f == NULL)
		return -1;
	fputs(text, f);
	if (fclose(f) != 0)
		return -1;
	return chmod(path, 0755);
}

/* Create the temporary bindir with both stand-ins; 0 on success. */
static inline int fake_bindir_create(struct fake_bindir *fb)
{
	snprintf(fb->dir, sizeof(fb->dir), "/tmp/tcplab-unit-bindir.XXXXXX");
	if (mkdtemp(fb->dir) == NULL)
		return -1;
	if (fake_write_script(fb->dir, "tcplab-server", fake_server_script) != 0 ||
	    fake_write_script(fb->dir, "tcplab-client", fake_client_script) != 0)
		return -1;
	return 0;
}

/* Remove the stand-ins, their argument logs and the directory. */
static inline void fake_bindir_remove(struct fake_bindir *fb)
{
	static const char *const files[] = { "tcplab-server", "tcplab-client", "tcplab-server.args",
					     "tcplab-client.args" };
	char path[128];

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", fb->dir, files[i]);
		unlink(path);
	}
	rmdir(fb->dir);
}

/* The arguments the stand-in for program last received, one per line, into buf. */
static inline int fake_read_args(const struct fake_bindir *fb, const char *program, char *buf, size_t len)
{
	char path[128];
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.args", fb->dir, program);
	f = fopen(path, "r");
	if (f == NULL)
		return -1;
	n = fread(buf, 1, len - 1, f);
	buf[n] = '\0';
	fclose(f);
	return 0;
}

/* The build's bin directory when both real programs are there ($TCPLAB_BINDIR, else ../bin next to this test). */
static inline const char *real_bindir(char *buf, size_t len)
{
	const char *env = getenv("TCPLAB_BINDIR");
	char exe[512];
	char probe[600];
	ssize_t n;

	if (env != NULL && env[0] != '\0') {
		snprintf(buf, len, "%s", env);
	} else {
		n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
		if (n <= 0)
			return NULL;
		exe[n] = '\0';
		/* BUILD/tests/test_x -> BUILD/bin */
		snprintf(buf, len, "%s/bin", dirname(dirname(exe)));
	}
	snprintf(probe, sizeof(probe), "%s/tcplab-server", buf);
	if (access(probe, X_OK) != 0)
		return NULL;
	snprintf(probe, sizeof(probe), "%s/tcplab-client", buf);
	if (access(probe, X_OK) != 0)
		return NULL;
	return buf;
}

#endif
