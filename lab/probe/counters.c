/* counters: reading a namespace's /proc/net counters, looking them up and taking differences. */
#include "counters.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "path.h"

/* /proc/net/netstat is about 5 KiB on a 6.x kernel. */
#define COUNTERS_FILE_BYTES 65536

static int read_file(const char *path, struct counters *out, struct tl_err *err)
{
	char text[COUNTERS_FILE_BYTES];
	size_t len = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return tl_errf(err, "counters: open %s: %s", path, strerror(errno));
	/* procfs hands the file out a page at a time: read to the end. */
	for (;;) {
		ssize_t n = read(fd, text + len, sizeof(text) - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int saved_errno = errno;

			close(fd);
			return tl_errf(err, "counters: read %s: %s", path, strerror(saved_errno));
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len == sizeof(text)) {
			close(fd);
			return tl_errf(err, "counters: %s is larger than %d bytes", path, COUNTERS_FILE_BYTES);
		}
	}
	close(fd);
	return counters_parse(text, len, path, out, err);
}

int counters_read(const char *proc_net_dir, struct counters *out, struct tl_err *err)
{
	static const char *const files[] = { "netstat", "snmp" };
	char path[TL_PATH_LEN];

	out->count = 0;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		if (tl_path_fmt(path, sizeof(path), err, "%s/%s", proc_net_dir, files[i]) != 0)
			return tl_err_wrap(err, "counters");
		if (read_file(path, out, err) != 0)
			return -1;
	}
	return 0;
}

/* What the reading thread needs and hands back. */
struct netns_read {
	int netns_fd;
	struct counters *out;
	struct tl_err err;
	int rc;
};

/* Runs in its own thread: it enters the namespace and ends there, so no thread has to come back. */
static void *read_in_netns(void *arg)
{
	struct netns_read *r = arg;

	if (setns(r->netns_fd, CLONE_NEWNET) != 0) {
		r->rc = tl_errf(&r->err, "counters: setns into the side's namespace: %s", strerror(errno));
		return NULL;
	}
	/* thread-self, not self: /proc/self/net shows the namespace of the process's main thread. */
	r->rc = counters_read("/proc/thread-self/net", r->out, &r->err);
	return NULL;
}

int counters_read_netns(int netns_fd, struct counters *out, struct tl_err *err)
{
	struct netns_read r = { .netns_fd = netns_fd, .out = out, .rc = -1 };
	pthread_t thread;
	int rc;

	if (netns_fd < 0)
		return counters_read("/proc/thread-self/net", out, err);
	r.err.msg[0] = '\0';
	rc = pthread_create(&thread, NULL, read_in_netns, &r);
	if (rc != 0)
		return tl_errf(err, "counters: start the reading thread: %s", strerror(rc));
	rc = pthread_join(thread, NULL);
	if (rc != 0)
		return tl_errf(err, "counters: join the reading thread: %s", strerror(rc));
	if (r.rc != 0)
		return tl_errf(err, "%s", r.err.msg);
	return 0;
}

int counters_get(const struct counters *c, const char *name, int64_t *value)
{
	for (size_t i = 0; i < c->count; i++) {
		if (strcmp(c->items[i].name, name) == 0) {
			*value = c->items[i].value;
			return 0;
		}
	}
	return -1;
}

/* The before value of after->items[i]; two snapshots of one kernel list the counters in the same order. */
static int64_t before_value(const struct counters *before, const struct counters *after, size_t i)
{
	int64_t value = 0;

	if (i < before->count && strcmp(before->items[i].name, after->items[i].name) == 0)
		return before->items[i].value;
	if (counters_get(before, after->items[i].name, &value) != 0)
		return 0;
	return value;
}

void counters_delta(const struct counters *before, const struct counters *after, struct counters *delta)
{
	delta->count = after->count;
	for (size_t i = 0; i < after->count; i++) {
		uint64_t diff = (uint64_t)after->items[i].value - (uint64_t)before_value(before, after, i);

		memcpy(delta->items[i].name, after->items[i].name, sizeof(delta->items[i].name));
		/* Unsigned arithmetic: a counter that wrapped between the snapshots still gives its true increase. */
		delta->items[i].value = (int64_t)diff;
	}
}
