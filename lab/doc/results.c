/* results: the run's folder appears whole or not at all (built under a temporary name, then renamed). */
#include "results.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "path.h"

int results_write_file(const char *path, const char *text, size_t len, struct tl_err *err)
{
	char tmp[TL_PATH_LEN];
	int fd;
	size_t done = 0;

	/* A fresh name, created exclusively (mkostemp: O_CREAT | O_EXCL, and O_NOFOLLOW said outright, so never
	 * through a symlink or into a file someone planted in a folder they made), then renamed over path, which
	 * replaces a symlink there too. */
	if (tl_path_fmt(tmp, sizeof(tmp), err, "%s.tmp-XXXXXX", path) != 0)
		return -1;
	fd = mkostemp(tmp, O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return tl_errf(err, "create %s: %s", tmp, strerror(errno));
	if (fchmod(fd, 0644) != 0) {
		tl_errf(err, "chmod %s: %s", tmp, strerror(errno));
		close(fd);
		unlink(tmp);
		return -1;
	}
	while (done < len) {
		ssize_t w = write(fd, text + done, len - done);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			close(fd);
			unlink(tmp);
			return tl_errf(err, "write %s: %s", tmp, strerror(errno));
		}
		done += (size_t)w;
	}
	if (fsync(fd) != 0 || close(fd) != 0 || rename(tmp, path) != 0) {
		unlink(tmp);
		return tl_errf(err, "finish %s: %s", path, strerror(errno));
	}
	return 0;
}

static int write_samples_csv(const struct series *s, const char *path, struct tl_err *err)
{
	FILE *f = fopen(path, "w");

	if (f == NULL)
		return tl_errf(err, "create %s: %s", path, strerror(errno));
	fprintf(f, "t_us,acceptq_len,acceptq_limit,listeners,server_syn_recv,server_established,server_time_wait,"
		   "server_close_wait,client_syn_sent,client_established,client_time_wait,client_fin_wait2\n");
	for (size_t i = 0; i < s->count; i++) {
		const struct series_point *p = &s->points[i];

		fprintf(f, "%lld,%u,%u,%u,%u,%u,%u,%u,%u,%u,%u,%u\n", (long long)p->t_us, p->acceptq_len,
			p->acceptq_limit, p->listeners, p->server_states[3], p->server_states[1], p->server_states[6],
			p->server_states[8], p->client_states[2], p->client_states[1], p->client_states[6],
			p->client_states[5]);
	}
	if (fclose(f) != 0)
		return tl_errf(err, "write %s: %s", path, strerror(errno));
	return 0;
}

static int final_name(const struct rundoc_input *in, const char *results_dir, char *dir, size_t dir_len,
		      struct tl_err *err)
{
	char stamp[32];
	time_t t = (time_t)(in->started_wall_us / 1000000);
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
	for (int n = 1; n < 1000; n++) {
		if ((n == 1 ? tl_path_fmt(dir, dir_len, err, "%s/%s-%s", results_dir, stamp, in->sc->name)
			    : tl_path_fmt(dir, dir_len, err, "%s/%s-%s-%d", results_dir, stamp, in->sc->name, n)) != 0)
			return -1;
		if (access(dir, F_OK) != 0)
			return 0;
	}
	return tl_errf(err, "%s/%s-%s: 999 results folders of that name already", results_dir, stamp, in->sc->name);
}

int results_commit(json_t *doc, const char *summary_md, const struct rundoc_input *in, const char *tmpdir,
		   const char *results_dir, char *dir, size_t dir_len, struct tl_err *err)
{
	char path[TL_PATH_LEN];
	char from[TL_PATH_LEN];
	char *text;
	int rc;

	text = json_dumps(doc, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
	if (text == NULL)
		return tl_errf(err, "out of memory serialising run.json");
	if (tl_path_fmt(path, sizeof(path), err, "%s/run.json", tmpdir) != 0)
		return -1;
	rc = results_write_file(path, text, strlen(text), err);
	free(text);
	if (rc != 0)
		return -1;
	if (tl_path_fmt(path, sizeof(path), err, "%s/samples.csv", tmpdir) != 0)
		return -1;
	if (write_samples_csv(&in->series, path, err) != 0)
		return -1;
	/* The client wrote its per-connection records beside its other output. */
	if (tl_path_fmt(from, sizeof(from), err, "%s/connections.csv", in->rawdir) != 0 ||
	    tl_path_fmt(path, sizeof(path), err, "%s/connections.csv", tmpdir) != 0)
		return -1;
	if (access(from, F_OK) == 0 && rename(from, path) != 0)
		return tl_errf(err, "move %s: %s", from, strerror(errno));
	if (tl_path_fmt(path, sizeof(path), err, "%s/summary.md", tmpdir) != 0)
		return -1;
	if (results_write_file(path, summary_md, strlen(summary_md), err) != 0)
		return -1;
	if (final_name(in, results_dir, dir, dir_len, err) != 0)
		return -1;
	if (rename(tmpdir, dir) != 0)
		return tl_errf(err, "rename %s to %s: %s", tmpdir, dir, strerror(errno));
	return 0;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

int results_make_tmp(const char *results_dir, const char *label, char *tmp, size_t len, int *lock_fd,
		     struct tl_err *err)
{
	*lock_fd = -1;
	if (mkdir(results_dir, 0755) != 0 && errno != EEXIST)
		return tl_errf(err, "mkdir %s: %s", results_dir, strerror(errno));
	if (tl_path_fmt(tmp, len, err, "%s/.tmp-%s-%ld-XXXXXX", results_dir, label, (long)getpid()) != 0)
		return tl_err_wrap(err, "results folder for %s", label);
	if (mkdtemp(tmp) == NULL)
		return tl_errf(err, "mkdtemp %s: %s", tmp, strerror(errno));
	*lock_fd = open(tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (*lock_fd < 0 || flock(*lock_fd, LOCK_EX | LOCK_NB) != 0) {
		tl_errf(err, "locking %s: %s", tmp, strerror(errno));
		if (*lock_fd >= 0)
			close(*lock_fd);
		*lock_fd = -1;
		rmdir(tmp);
		return -1;
	}
	return 0;
}

int results_tmp_in_use(const char *tmpdir)
{
	int fd = open(tmpdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int busy;

	if (fd < 0)
		return 0;
	busy = flock(fd, LOCK_EX | LOCK_NB) != 0 && errno == EWOULDBLOCK;
	close(fd);
	return busy;
}

void results_remove_tmp(const char *tmpdir)
{
	if (tmpdir[0] != '\0')
		nftw(tmpdir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}
