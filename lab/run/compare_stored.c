/* compare_stored: check finished run folders like `tcplab report` does, copy what the reports read, table them. */
#include "compare_stored.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "clock.h"
#include "csv.h"
#include "path.h"
#include "doc/results.h"
#include "report/doc_check.h"
#include "report/html.h"
#include "report/html_drops.h"
#include "report/jsonpath.h"
#include "report/plot.h"
#include "report/plot_data.h"
#include "run/run.h"
#include "report/summary.h"

/* The files a run folder's reports read besides run.json, each up to the size its reader takes; the last one
 * only some runs have. */
static const struct {
	const char *name;
	long long max_bytes;
} copied[] = {
	{ "samples.csv", PLOT_DATA_FILE_MAX_BYTES },
	{ "connections.csv", PLOT_DATA_FILE_MAX_BYTES },
	{ "raw/drops.csv", HTML_DROPS_FILE_MAX_BYTES },
};
#define COPIED_OPTIONAL 2

/* One folder named on the command line, once checked. */
struct stored_folder {
	char path[TL_PATH_LEN]; /* as given, without trailing '/' */
	struct stat st;
	json_t *doc;
};

static const char *doc_string(json_t *doc, const char *path)
{
	json_t *v = jsonpath_get(doc, path);

	return json_is_string(v) ? json_string_value(v) : "";
}

/* Refuse what is not a run folder of this tcplab: every message names the folder as given. */
static int check_folder(struct stored_folder *f, const struct stored_folder *before, size_t count,
			struct tl_err *err)
{
	char path[TL_PATH_LEN];
	struct stat st;

	if (lstat(f->path, &f->st) != 0)
		return tl_errf(err, "%s: %s", f->path, strerror(errno));
	if (S_ISLNK(f->st.st_mode))
		return tl_errf(err, "%s: a symlink: name the run folder itself", f->path);
	if (!S_ISDIR(f->st.st_mode))
		return tl_errf(err, "%s: not a folder", f->path);
	for (size_t i = 0; i < count; i++) {
		if (before[i].st.st_dev == f->st.st_dev && before[i].st.st_ino == f->st.st_ino)
			return tl_errf(err, "%s: the same folder as %s: name each run folder once", f->path,
				       before[i].path);
	}
	if (tl_path_fmt(path, sizeof(path), err, "%s/run.json", f->path) != 0)
		return -1;
	if (lstat(path, &st) != 0 && errno == ENOENT) {
		if (tl_path_fmt(path, sizeof(path), err, "%s/compare.json", f->path) != 0)
			return -1;
		if (lstat(path, &st) == 0)
			return tl_errf(err, "%s: a comparison, not a run folder: name its run folders", f->path);
		return tl_errf(err, "%s: no run.json: not a run folder", f->path);
	}
	f->doc = doc_load_run(path, err);
	if (f->doc == NULL || plot_check_data(f->path, err) != 0 || html_drops_check(f->path, err) != 0)
		return -1;
	return 0;
}

/* Copy one file of a folder (no symlink, a regular file, at most max_bytes) into a new file of the comparison,
 * a block at a time. The copy, not the original, is what gets checked and read afterwards. */
static int copy_file(const char *from, const char *to, long long max_bytes, struct tl_err *err)
{
	FILE *in = csv_open_untrusted(from, max_bytes, err);
	char buf[65536];
	size_t n;
	int out;
	int rc = 0;

	if (in == NULL)
		return -1;
	out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (out < 0) {
		fclose(in);
		return tl_errf(err, "create %s: %s", to, strerror(errno));
	}
	while (rc == 0 && (n = fread(buf, 1, sizeof(buf), in)) > 0) {
		if (write(out, buf, n) != (ssize_t)n)
			rc = tl_errf(err, "write %s: %s", to, strerror(errno));
	}
	if (rc == 0 && ferror(in))
		rc = tl_errf(err, "read %s: %s", from, strerror(errno));
	fclose(in);
	if (close(out) != 0 && rc == 0)
		rc = tl_errf(err, "close %s: %s", to, strerror(errno));
	return rc;
}

static int write_text(const char *dir, const char *name, char *text, struct tl_err *err)
{
	char path[TL_PATH_LEN];
	int rc;

	if (text == NULL)
		return tl_errf(err, "out of memory writing %s/%s", dir, name);
	rc = tl_path_fmt(path, sizeof(path), err, "%s/%s", dir, name) != 0 ? -1
									    : results_write_file(path, text, strlen(text), err);
	free(text);
	return rc;
}

/* The folder's run in tmp/<coldir>: run.json as checked, the data files copied, summary.md written anew. */
static int copy_run(const struct stored_folder *f, const char *coldir, struct tl_err *err)
{
	char from[TL_PATH_LEN];
	char to[TL_PATH_LEN];
	struct stat st;

	if (mkdir(coldir, 0755) != 0)
		return tl_errf(err, "mkdir %s: %s", coldir, strerror(errno));
	if (write_text(coldir, "run.json", json_dumps(f->doc, JSON_INDENT(2) | JSON_REAL_PRECISION(10)), err) != 0 ||
	    write_text(coldir, "summary.md", summary_render(f->doc, SUMMARY_MARKDOWN), err) != 0)
		return -1;
	for (size_t i = 0; i < sizeof(copied) / sizeof(copied[0]); i++) {
		if (tl_path_fmt(from, sizeof(from), err, "%s/%s", f->path, copied[i].name) != 0 ||
		    tl_path_fmt(to, sizeof(to), err, "%s/%s", coldir, copied[i].name) != 0)
			return -1;
		if (i >= COPIED_OPTIONAL && lstat(from, &st) != 0 && errno == ENOENT)
			continue;
		if (strchr(copied[i].name, '/') != NULL) {
			char raw[TL_PATH_LEN];

			if (tl_path_fmt(raw, sizeof(raw), err, "%s/raw", coldir) != 0)
				return -1;
			if (mkdir(raw, 0755) != 0 && errno != EEXIST)
				return tl_errf(err, "mkdir %s: %s", raw, strerror(errno));
		}
		if (copy_file(from, to, copied[i].max_bytes, err) != 0)
			return tl_err_wrap(err, "%s", f->path);
	}
	return 0;
}

/* Column i from folder f: its copy in tmp, read back and checked as the report will read it. */
static int add_column(const struct stored_folder *f, size_t i, const char *tmp, const struct compare_opts *o,
		      struct compare_result *res, struct tl_err *err)
{
	struct compare_column *col = &res->cmp.columns[i];
	char name[96];
	char rel[128];
	char coldir[TL_PATH_LEN];
	char *real;

	compare_printable(f->path, col->label, sizeof(col->label));
	real = realpath(f->path, NULL);
	compare_printable(real != NULL ? real : f->path, col->folder, sizeof(col->folder));
	free(real);
	compare_printable(doc_string(f->doc, "server.profile"), col->server_profile, sizeof(col->server_profile));
	compare_printable(doc_string(f->doc, "client.profile"), col->client_profile, sizeof(col->client_profile));
	compare_slug(strrchr(col->label, '/') != NULL ? strrchr(col->label, '/') + 1 : col->label, name, sizeof(name));
	snprintf(rel, sizeof(rel), "%zu-%s", i + 1, name);
	col->runs = calloc(1, sizeof(*col->runs));
	if (col->runs == NULL)
		return tl_errf(err, "out of memory");
	col->run_count = 1;
	if (tl_path_fmt(coldir, sizeof(coldir), err, "%s/%s", tmp, rel) != 0 || copy_run(f, coldir, err) != 0)
		return -1;
	/* The folder was checked before it was copied; the copy, which is what the reports read, is checked again
	 * (a file swapped in between would otherwise pass unchecked). */
	if (plot_check_data(coldir, err) != 0 || html_drops_check(coldir, err) != 0)
		return tl_err_wrap(err, "%s changed while it was copied", f->path);
	snprintf(col->runs[0].dir, sizeof(col->runs[0].dir), "%s", rel);
	if (tl_path_fmt(rel, sizeof(rel), err, "%s/run.json", col->runs[0].dir) != 0 ||
	    tl_path_fmt(coldir, sizeof(coldir), err, "%s/%s", tmp, rel) != 0)
		return -1;
	col->runs[0].doc = doc_load_run(coldir, err);
	if (col->runs[0].doc == NULL)
		return tl_err_wrap(err, "%s changed while it was copied", f->path);
	if (o->html) {
		struct tl_err html_err;

		if (tl_path_fmt(coldir, sizeof(coldir), err, "%s/%s", tmp, col->runs[0].dir) != 0)
			return -1;
		if (html_report_run(coldir, &html_err) != 0 && res->html_error[0] == '\0')
			snprintf(res->html_error, sizeof(res->html_error), "%.150s: %.350s", col->label, html_err.msg);
	}
	return 0;
}

static void free_folders(struct stored_folder *f, size_t n)
{
	for (size_t i = 0; i < n; i++)
		json_decref(f[i].doc);
	free(f);
}

int compare_stored(char *const *folders, size_t n, const struct compare_opts *o, struct compare_result *res,
		   int *refused, struct tl_err *err)
{
	struct comparison *c = &res->cmp;
	struct stored_folder *f;
	char tmp[sizeof(res->dir)];
	char label[160];
	int lock_fd;

	memset(res, 0, sizeof(*res));
	*refused = 1;
	if (n == 0 || n > COMPARE_STORED_MAX)
		return tl_errf(err, "compare takes 1 to %d run folders, not %zu", COMPARE_STORED_MAX, n);
	f = calloc(n, sizeof(*f));
	if (f == NULL)
		return tl_errf(err, "out of memory");
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(folders[i]);

		/* "A/" would follow a symlink A: the trailing slashes go, the name is checked as it is. */
		while (len > 1 && folders[i][len - 1] == '/')
			len--;
		if (tl_path_fmt(f[i].path, sizeof(f[i].path), err, "%.*s", (int)len, folders[i]) != 0 ||
		    check_folder(&f[i], f, i, err) != 0) {
			free_folders(f, n);
			return -1;
		}
		if (strcmp(doc_string(f[i].doc, "run.scenario"), doc_string(f[0].doc, "run.scenario")) != 0) {
			tl_errf(err, "%s is a run of %s, %s of %s: a comparison is of one scenario", f[i].path,
				doc_string(f[i].doc, "run.scenario"), f[0].path, doc_string(f[0].doc, "run.scenario"));
			free_folders(f, n);
			return -1;
		}
	}
	*refused = 0;
	snprintf(c->kind, sizeof(c->kind), "compare");
	compare_printable(doc_string(f[0].doc, "run.scenario"), c->scenario, sizeof(c->scenario));
	compare_printable(doc_string(f[0].doc, "run.description"), c->description, sizeof(c->description));
	c->stored = 1;
	c->repeat = 1;
	c->started_wall_us = clock_wall_us();
	c->columns = calloc(n, sizeof(*c->columns));
	snprintf(label, sizeof(label), "compare-%s", c->scenario);
	if (c->columns == NULL || results_make_tmp(o->results_dir, label, tmp, sizeof(tmp), &lock_fd, err) != 0) {
		if (c->columns == NULL)
			tl_errf(err, "out of memory");
		free_folders(f, n);
		comparison_free(c);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		c->column_count++;
		if (run_stop_requested)
			tl_errf(err, "interrupted while copying the run folders");
		if (run_stop_requested || add_column(&f[i], i, tmp, o, res, err) != 0) {
			res->cmp.interrupted = run_stop_requested != 0;
			free_folders(f, n);
			results_remove_tmp(tmp);
			close(lock_fd);
			return -1;
		}
		/* The column reads its own copy from now on: one document per folder in memory, not two. */
		json_decref(f[i].doc);
		f[i].doc = NULL;
	}
	free_folders(f, n);
	return compare_finish(tmp, lock_fd, o, res, err);
}
