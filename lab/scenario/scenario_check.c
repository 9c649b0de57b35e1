/* scenario_check: let tcplab-server and tcplab-client judge their own options (--check) before a run starts. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include <jansson.h>

#include "proc.h"
#include "scenario_internal.h"

/* --check only parses: a program that takes longer than this is stuck, not thinking. */
#define CHECK_TIMEOUT_US (5 * 1000 * 1000)

struct check_result {
	int wait_status;
	char stderr_text[2048]; /* stderr, and the client's stdout (its plan) */
};

/* Run argv[0] with argv, stdin on /dev/null, stderr (and with keep_stdout stdout) captured; no shell. */
static int run_capture(char *const argv[], int keep_stdout, struct check_result *res, struct tl_err *err)
{
	struct proc_spec spec = { .argv = argv, .netns_fd = -1, .stdout_null = !keep_stdout, .output = res->stderr_text,
				  .output_cap = sizeof(res->stderr_text), .timeout_us = CHECK_TIMEOUT_US };
	struct proc_result pr;

	if (proc_run(&spec, &pr, err) != 0)
		return -1;
	if (pr.timed_out)
		return tl_errf(err, "%s --check did not finish within %d s", argv[0], CHECK_TIMEOUT_US / 1000000);
	res->wait_status = pr.wait_status;
	return 0;
}

/* Find "--flag: " in line; copies the flag and points *rest after ": ". */
static int find_flag(const char *line, char *flag, size_t flag_len, const char **rest)
{
	for (const char *p = strstr(line, "--"); p != NULL; p = strstr(p + 2, "--")) {
		size_t n = 2 + strspn(p + 2, "abcdefghijklmnopqrstuvwxyz0123456789-");

		if (n > 2 && n < flag_len && p[n] == ':' && p[n + 1] == ' ') {
			snprintf(flag, flag_len, "%.*s", (int)n, p);
			*rest = p + n + 2;
			return 1;
		}
	}
	return 0;
}

/* The line that explains the refusal: the first naming an option, else the first that is not blank. */
static void pick_line(char *text, char **line, char *flag, size_t flag_len, const char **rest)
{
	char *first = NULL;

	*line = NULL;
	*rest = NULL;
	for (char *save = NULL, *l = strtok_r(text, "\n", &save); l != NULL; l = strtok_r(NULL, "\n", &save)) {
		size_t len = strlen(l);

		while (len > 0 && isspace((unsigned char)l[len - 1]))
			l[--len] = '\0';
		if (len == 0)
			continue;
		if (first == NULL)
			first = l;
		if (find_flag(l, flag, flag_len, rest)) {
			*line = l;
			return;
		}
	}
	*line = first;
}

/* The programs name options ("needs --duration"); the file has keys: say "needs duration" where a key matches. */
static void flags_to_keys(enum scenario_section section, const char *in, char *out, size_t len)
{
	size_t used = 0;

	while (*in != '\0' && used + 1 < len) {
		size_t n = 0;
		int k = -1;

		if (in[0] == '-' && in[1] == '-')
			n = 2 + strspn(in + 2, "abcdefghijklmnopqrstuvwxyz0123456789-");
		if (n > 2) {
			char flag[64];

			snprintf(flag, sizeof(flag), "%.*s", (int)(n < sizeof(flag) ? n : sizeof(flag) - 1), in);
			k = scenario_key_find_flag(section, flag);
		}
		if (k >= 0) {
			int w = snprintf(out + used, len - used, "%s", scenario_key_at((size_t)k)->name);

			used += (size_t)w < len - used ? (size_t)w : len - used - 1;
			in += n;
		} else {
			out[used++] = *in++;
		}
	}
	out[used] = '\0';
}

static int report_refusal(const struct scenario *sc, enum scenario_section section, const char *program,
			  struct check_result *res, struct tl_err *err)
{
	int header = sc->section_line[section];
	char flag[64];
	char said[sizeof(res->stderr_text)];
	const char *rest;
	char *line;
	int k;

	if (WIFSIGNALED(res->wait_status))
		return scenario_errf(err, sc, header, section, "%s --check was killed by signal %d", program,
				     WTERMSIG(res->wait_status));
	pick_line(res->stderr_text, &line, flag, sizeof(flag), &rest);
	if (line == NULL)
		return scenario_errf(err, sc, header, section, "%s --check refused the options (exit status %d) "
				     "without saying why", program, WEXITSTATUS(res->wait_status));
	if (rest == NULL)
		return scenario_errf(err, sc, header, section, "%s --check refused the options: %s", program, line);
	flags_to_keys(section, rest, said, sizeof(said));
	k = scenario_key_find_flag(section, flag);
	/* The port is part of --listen ADDR:PORT rather than an option of its own. */
	if (k < 0 && section == SECTION_SERVER && strcmp(flag, "--listen") == 0)
		k = scenario_key_find(section, "port");
	if (k >= 0 && sc->values[k].line > 0)
		return scenario_errf(err, sc, sc->values[k].line, section, "%s: %s", scenario_key_at((size_t)k)->name,
				     said);
	/* An option the file did not set (a default, or a combination rule): point at the section. */
	return scenario_errf(err, sc, header, section, "%s: %s", k >= 0 ? scenario_key_at((size_t)k)->name : flag,
			     said);
}

/* The plan line {"planned_connections":N} among what tcplab-client --check --json printed. */
static int read_plan(const char *text, int64_t *planned, struct tl_err *err)
{
	for (const char *line = text; *line != '\0'; line += strcspn(line, "\n"), line += *line == '\n') {
		json_t *doc, *n;

		static const char prefix[] = "{\"planned_connections\":";

		if (strncmp(line, prefix, sizeof(prefix) - 1) != 0)
			continue;
		doc = json_loadb(line, strcspn(line, "\n"), 0, NULL);
		n = json_object_get(doc, "planned_connections");
		if (json_is_integer(n) && json_integer_value(n) >= -1) {
			*planned = json_integer_value(n);
			json_decref(doc);
			return 0;
		}
		json_decref(doc);
		break;
	}
	return tl_errf(err, "tcplab-client --check --json printed no plan {\"planned_connections\":N}");
}

static int check_one(const struct scenario *sc, enum scenario_section section, const char *bindir,
		     int64_t *planned, struct tl_err *err)
{
	const char *program = section == SECTION_SERVER ? "tcplab-server" : "tcplab-client";
	struct check_result res;
	char **argv = NULL;
	int rc;

	if (scenario_build_argv(sc, section, bindir, SCENARIO_CHECK_ADDR, "connections.csv", NULL, 1, &argv, err) != 0)
		return -1;
	rc = run_capture(argv, section == SECTION_CLIENT, &res, err);
	scenario_argv_free(argv);
	if (rc != 0)
		return scenario_errf(err, sc, sc->section_line[section], section, "%s", err->msg);
	if (WIFEXITED(res.wait_status) && WEXITSTATUS(res.wait_status) == 0) {
		if (section == SECTION_CLIENT && read_plan(res.stderr_text, planned, err) != 0)
			return scenario_errf(err, sc, sc->section_line[section], section, "%s", err->msg);
		return 0;
	}
	return report_refusal(sc, section, program, &res, err);
}

int scenario_check_programs(const struct scenario *sc, const char *bindir, int64_t *planned_connections,
			    struct tl_err *err)
{
	if (check_one(sc, SECTION_SERVER, bindir, NULL, err) != 0)
		return -1;
	return check_one(sc, SECTION_CLIENT, bindir, planned_connections, err);
}
