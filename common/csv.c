/* csv: split the programs' plain CSV lines and find columns by header name. */
#include "csv.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

size_t csv_split(char *line, char **fields, size_t max)
{
	size_t n = 0;

	line[strcspn(line, "\r\n")] = '\0';
	for (char *p = line; max > 0;) {
		fields[n++] = p;
		if (n == max)
			break;
		p = strchr(p, ',');
		if (p == NULL)
			break;
		*p++ = '\0';
	}
	return n;
}

int csv_find(char *const *fields, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++) {
		if (strcmp(fields[i], name) == 0)
			return (int)i;
	}
	return -1;
}

FILE *csv_open_untrusted(const char *path, long long max_bytes, struct tl_err *err)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	struct stat st;
	FILE *f;

	if (fd < 0)
		return tl_errf(err, "%s: %s", path, errno == ELOOP ? "a symlink, not a results file" : strerror(errno)),
		       NULL;
	/* O_NONBLOCK only so that opening a FIFO cannot hang; what is read must be a plain file. */
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return tl_errf(err, "%s: not a regular file", path), NULL;
	}
	if (st.st_size > max_bytes) {
		close(fd);
		return tl_errf(err, "%s: %lld bytes, more than the %lld this file may have", path, (long long)st.st_size,
			       max_bytes),
		       NULL;
	}
	if (fcntl(fd, F_SETFL, 0) != 0 || (f = fdopen(fd, "r")) == NULL) {
		tl_errf(err, "%s: %s", path, strerror(errno));
		close(fd);
		return NULL;
	}
	return f;
}

long csv_read_line(FILE *f, char *buf, size_t cap)
{
	size_t n = 0;
	int c;

	while ((c = getc_unlocked(f)) != EOF && c != '\n') {
		if (n + 1 < cap)
			buf[n] = (char)c;
		n++;
	}
	if (c == EOF && n == 0)
		return -1;
	if (n + 1 > cap) {
		buf[cap - 1] = '\0';
		return -2;
	}
	buf[n] = '\0';
	return (long)n;
}
