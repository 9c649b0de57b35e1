/* plot: run gnuplot on a script in a temporary folder and turn its SVG files into text that can sit inside one page. */
#include "plot.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "path.h"
#include "proc.h"
#include "report/plot_script.h"
#include "doc/results.h"

/* gnuplot draws four small charts in well under a second; a minute means it is stuck. */
#define GNUPLOT_TIMEOUT_US (60 * 1000 * 1000)

static const char *const kind_ids[PLOT_KINDS] = {
	[PLOT_ACCEPTQ] = "acceptq",
	[PLOT_STATES] = "states",
	[PLOT_CONNECT] = "connect",
	[PLOT_OUTCOMES] = "outcomes",
};

const char *plot_kind_id(enum plot_kind kind)
{
	return kind < PLOT_KINDS ? kind_ids[kind] : "?";
}

const char *plot_program(void)
{
	const char *env = getenv("TCPLAB_GNUPLOT");

	return env != NULL && env[0] != '\0' ? env : "gnuplot";
}

int plot_available(void)
{
	const char *prog = plot_program();
	const char *path = getenv("PATH");

	if (strchr(prog, '/') != NULL)
		return access(prog, X_OK) == 0;
	if (path == NULL)
		path = "/usr/local/bin:/usr/bin:/bin";
	while (*path != '\0') {
		size_t n = strcspn(path, ":");
		char candidate[TL_PATH_LEN];

		/* A folder whose name does not fit cannot hold it as far as this search goes. */
		if (n > 0 && tl_path_fmt(candidate, sizeof(candidate), NULL, "%.*s/%s", (int)n, path, prog) == 0 &&
		    access(candidate, X_OK) == 0)
			return 1;
		path += n;
		if (*path == ':')
			path++;
	}
	return 0;
}

/* The last line gnuplot printed: its error message. */
static void last_log_line(const char *dir, char *buf, size_t len)
{
	char path[TL_PATH_LEN];
	char line[400];
	FILE *f;

	buf[0] = '\0';
	if (tl_path_fmt(path, sizeof(path), NULL, "%s/gnuplot.log", dir) != 0)
		return;
	f = fopen(path, "r");
	if (f == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if (line[0] != '\0' && strspn(line, " ^") != strlen(line))
			snprintf(buf, len, "%s", line);
	}
	fclose(f);
}

static int run_gnuplot(const char *dir, struct tl_err *err)
{
	char *argv[] = { (char *)plot_program(), "plots.gp", NULL };
	char log_path[TL_PATH_LEN];
	char why[400];
	char how[96];
	struct proc_spec spec = { .argv = argv, .netns_fd = -1, .dir = dir, .out_path = log_path,
				  .timeout_us = GNUPLOT_TIMEOUT_US };
	struct proc_result res;

	if (tl_path_fmt(log_path, sizeof(log_path), err, "%s/gnuplot.log", dir) != 0)
		return -1;
	if (proc_run(&spec, &res, err) != 0)
		return -1;
	if (proc_succeeded(&res))
		return 0;
	if (res.timed_out)
		return tl_errf(err, "%s did not finish within %d s", plot_program(), GNUPLOT_TIMEOUT_US / 1000000);
	last_log_line(dir, why, sizeof(why));
	proc_describe(&res, GNUPLOT_TIMEOUT_US, how, sizeof(how));
	return tl_errf(err, "%s failed (%s): %s", plot_program(), how, why);
}

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "r");
	char *text = NULL;
	size_t cap = 0;
	FILE *out;

	if (f == NULL)
		return NULL;
	out = open_memstream(&text, &cap);
	if (out != NULL) {
		char buf[8192];
		size_t n;

		while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
			fwrite(buf, 1, n, out);
		if (fclose(out) != 0) {
			free(text);
			text = NULL;
		}
	}
	fclose(f);
	*len = cap;
	return text;
}

/*
 * Several gnuplot SVGs in one page share one id space: give every id of this
 * chart a prefix ("acceptq-gpPt1"), and every reference to one, so markers
 * and filters resolve inside their own chart. The XML prolog goes; the first
 * <title> names the chart instead of "Gnuplot".
 */
static char *inline_svg(const char *svg, const char *id, const char *title)
{
	static const char *const refs[] = { "id='", "id=\"", "href='#", "href=\"#", "url(#" };
	const char *start = strstr(svg, "<svg");
	const char *gnuplot_title = "<title>Gnuplot</title>";
	char *text = NULL;
	size_t len = 0;
	FILE *out;
	int titled = 0;

	if (start == NULL)
		return NULL;
	out = open_memstream(&text, &len);
	if (out == NULL)
		return NULL;
	for (const char *p = start; *p != '\0';) {
		size_t matched = 0;

		if (!titled && strncmp(p, gnuplot_title, strlen(gnuplot_title)) == 0) {
			fprintf(out, "<title>%s</title>", title);
			p += strlen(gnuplot_title);
			titled = 1;
			continue;
		}
		for (size_t i = 0; i < sizeof(refs) / sizeof(refs[0]) && matched == 0; i++) {
			if (strncmp(p, refs[i], strlen(refs[i])) == 0)
				matched = strlen(refs[i]);
		}
		if (matched > 0) {
			fwrite(p, 1, matched, out);
			fprintf(out, "%s-", id);
			p += matched;
			continue;
		}
		fputc(*p++, out);
	}
	if (fclose(out) != 0) {
		free(text);
		return NULL;
	}
	return text;
}

static const char *chart_title(enum plot_kind kind)
{
	switch (kind) {
	case PLOT_ACCEPTQ:
		return "accept queue over time";
	case PLOT_STATES:
		return "socket states over time";
	case PLOT_CONNECT:
		return "connect latency distribution";
	case PLOT_OUTCOMES:
		return "outcome classes";
	case PLOT_KINDS:
		break;
	}
	return "chart";
}

static int collect(const char *dir, const int *drawn, struct plot_set *out, struct tl_err *err)
{
	for (int k = 0; k < PLOT_KINDS; k++) {
		char name[64], path[TL_PATH_LEN];
		size_t len;
		char *svg;

		if (!drawn[k])
			continue;
		plot_svg_name((enum plot_kind)k, name, sizeof(name));
		if (tl_path_fmt(path, sizeof(path), err, "%s/%s", dir, name) != 0)
			return -1;
		svg = read_file(path, &len);
		if (svg == NULL || len == 0) {
			free(svg);
			return tl_errf(err, "gnuplot wrote no %s", name);
		}
		out->svg[k] = inline_svg(svg, plot_kind_id((enum plot_kind)k), chart_title((enum plot_kind)k));
		free(svg);
		if (out->svg[k] == NULL)
			return tl_errf(err, "%s is not an SVG document", name);
	}
	return 0;
}

int plot_check_data(const char *dir, struct tl_err *err)
{
	struct plot_samples samples;
	struct plot_connects connects;
	char path[TL_PATH_LEN];

	if (tl_path_fmt(path, sizeof(path), err, "%s/samples.csv", dir) != 0 ||
	    plot_samples_load(path, PLOT_MAX_POINTS, &samples, err) != 0)
		return -1;
	plot_samples_free(&samples);
	if (tl_path_fmt(path, sizeof(path), err, "%s/connections.csv", dir) != 0 ||
	    plot_connects_load(path, &connects, err) != 0)
		return -1;
	plot_connects_free(&connects);
	return 0;
}

static int load_runs(const struct plot_source *src, size_t n, struct plot_loaded *runs, struct tl_err *err)
{
	for (size_t r = 0; r < n; r++) {
		char path[TL_PATH_LEN];

		runs[r].label = src[r].label;
		runs[r].doc = src[r].doc;
		if (tl_path_fmt(path, sizeof(path), err, "%s/samples.csv", src[r].dir) != 0 ||
		    plot_samples_load(path, PLOT_MAX_POINTS, &runs[r].samples, err) != 0)
			return -1;
		if (tl_path_fmt(path, sizeof(path), err, "%s/connections.csv", src[r].dir) != 0 ||
		    plot_connects_load(path, &runs[r].connects, err) != 0)
			return -1;
	}
	return 0;
}

int plot_draw(const struct plot_source *src, size_t n, struct plot_set *out, struct tl_err *err)
{
	const char *tmp_root = getenv("TMPDIR");
	struct plot_loaded *runs = calloc(n ? n : 1, sizeof(*runs));
	int drawn[PLOT_KINDS];
	char dir[TL_PATH_LEN];
	char path[TL_PATH_LEN];
	FILE *gp = NULL;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (runs == NULL)
		return tl_errf(err, "out of memory loading the plots' data");
	if (tl_path_fmt(dir, sizeof(dir), err, "%s/tcplab-plot.XXXXXX",
			tmp_root != NULL && tmp_root[0] ? tmp_root : "/tmp") != 0) {
		free(runs);
		return tl_err_wrap(err, "TMPDIR");
	}
	if (mkdtemp(dir) == NULL) {
		free(runs);
		return tl_errf(err, "mkdtemp %s: %s", dir, strerror(errno));
	}
	if (load_runs(src, n, runs, err) != 0)
		goto out;
	if (tl_path_fmt(path, sizeof(path), err, "%s/plots.gp", dir) != 0)
		goto out;
	{
		int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);

		gp = fd >= 0 ? fdopen(fd, "w") : NULL;
		if (gp == NULL) {
			tl_errf(err, "create %s: %s", path, strerror(errno));
			if (fd >= 0)
				close(fd);
			goto out;
		}
	}
	rc = plot_script_write(dir, gp, runs, n, drawn, out->note, err);
	if (fclose(gp) != 0 && rc == 0)
		rc = tl_errf(err, "write %s: %s", path, strerror(errno));
	if (rc == 0)
		rc = run_gnuplot(dir, err);
	if (rc == 0)
		rc = collect(dir, drawn, out, err);
out:
	for (size_t r = 0; r < n; r++) {
		plot_samples_free(&runs[r].samples);
		plot_connects_free(&runs[r].connects);
	}
	free(runs);
	results_remove_tmp(dir);
	if (rc != 0)
		plot_set_free(out);
	return rc;
}

void plot_set_free(struct plot_set *s)
{
	for (int k = 0; k < PLOT_KINDS; k++) {
		free(s->svg[k]);
		s->svg[k] = NULL;
	}
}
