/* sysctl_io: /proc/sys/net belongs to the namespace of the thread that opens it, so all I/O runs in nsthread. */
#include "sysctl_io.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "nsthread.h"
#include "path.h"

struct sysctl_job {
	const struct sysctl_write *writes;
	size_t nwrites;
	const char *const *readback;
	size_t nreadback;
	struct side_applied *out;
};

/* Set once at start (tcplab-agent), before any thread reads it. */
static char sysctl_root[TL_PATH_LEN] = "/proc/sys";

int sysctl_io_set_root(const char *dir, struct tl_err *err)
{
	return tl_path_fmt(sysctl_root, sizeof(sysctl_root), err, "%s", dir) != 0 ? tl_err_wrap(err, "--sysctl-root")
										    : 0;
}

/* The file of a dotted key ("net.core.somaxconn") under the root: the key's dots become slashes. */
static int key_path(const char *key, char *path, size_t len, struct tl_err *err)
{
	size_t root_len = strlen(sysctl_root);

	if (tl_path_fmt(path, len, err, "%s/%s", sysctl_root, key) != 0)
		return tl_err_wrap(err, "sysctl %s", key);
	for (char *k = path + root_len + 1; *k != '\0'; k++) {
		if (*k == '.')
			*k = '/';
	}
	return 0;
}

static int write_one(const struct sysctl_write *w, struct tl_err *err)
{
	char path[TL_PATH_LEN];
	int fd;
	ssize_t n;
	size_t len = strlen(w->value);

	if (key_path(w->key, path, sizeof(path), err) != 0)
		return -1;
	fd = open(path, O_WRONLY | O_CLOEXEC);
	/* A key newer than this kernel (tcp_syn_linear_timeouts before 6.7): the read back records it absent. */
	if (fd < 0 && errno == ENOENT)
		return 0;
	if (fd < 0)
		return tl_errf(err, "%s: %s", w->key, strerror(errno));
	n = write(fd, w->value, len);
	if (n != (ssize_t)len) {
		int e = n < 0 ? errno : EIO;

		close(fd);
		return tl_errf(err, "%s = %s: %s", w->key, w->value, strerror(e));
	}
	close(fd);
	return 0;
}

static int read_one(const char *key, char *value, size_t len, struct tl_err *err)
{
	char path[TL_PATH_LEN];
	int fd;
	ssize_t n;

	if (key_path(key, path, sizeof(path), err) != 0)
		return -1;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT) {
		snprintf(value, len, "absent");
		return 0;
	}
	if (fd < 0)
		return tl_errf(err, "read back %s: %s", key, strerror(errno));
	n = read(fd, value, len - 1);
	close(fd);
	if (n < 0)
		return tl_errf(err, "read back %s: %s", key, strerror(errno));
	value[n] = '\0';
	value[strcspn(value, "\n")] = '\0';
	/* The kernel separates the two ends of a range with a tab; profiles write a space. */
	for (char *c = value; *c != '\0'; c++) {
		if (*c == '\t')
			*c = ' ';
	}
	return 0;
}

static int have(const struct side_applied *out, const char *key)
{
	for (int i = 0; i < out->count; i++) {
		if (strcmp(out->values[i].key, key) == 0)
			return 1;
	}
	return 0;
}

static int record(struct side_applied *out, const char *key, struct tl_err *err)
{
	struct side_sysctl *s;

	if (have(out, key))
		return 0;
	if (out->count == (int)(sizeof(out->values) / sizeof(out->values[0])))
		return tl_errf(err, "too many sysctls to record");
	s = &out->values[out->count];
	snprintf(s->key, sizeof(s->key), "%s", key);
	if (read_one(key, s->value, sizeof(s->value), err) != 0)
		return -1;
	out->count++;
	return 0;
}

static int sysctl_job_run(void *arg, struct tl_err *err)
{
	struct sysctl_job *job = arg;

	for (size_t i = 0; i < job->nwrites; i++) {
		if (write_one(&job->writes[i], err) != 0)
			return -1;
	}
	for (size_t i = 0; i < job->nwrites; i++) {
		if (record(job->out, job->writes[i].key, err) != 0)
			return -1;
	}
	for (size_t i = 0; i < job->nreadback; i++) {
		if (record(job->out, job->readback[i], err) != 0)
			return -1;
	}
	return 0;
}

int sysctl_io_apply(int netns_fd, const struct sysctl_write *writes, size_t nwrites, const char *const *readback,
		    size_t nreadback, struct side_applied *out, struct tl_err *err)
{
	struct sysctl_job job = { writes, nwrites, readback, nreadback, out };

	return nsthread_run(netns_fd, sysctl_job_run, &job, err);
}
