/* trust: the token file must be the agent's own secret, and a TCP agent must not reset the machine's own sockets. */
#include "trust.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The kernel's fixed inode numbers of the initial namespaces (include/linux/proc_ns.h). */
#define INIT_NET_NS_INO 0xEFFFFFF9U
#define INIT_PID_NS_INO 0xEFFFFFFCU

/* A short token is guessable. */
#define TOKEN_MIN_CHARS 16

int trust_read_token(const char *path, char *token, size_t len, struct tl_err *err)
{
	struct stat st;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);

	if (fd < 0)
		return tl_errf(err, "--token-file %s: %s%s", path, strerror(errno),
			       errno == ELOOP ? " (a symlink: give the file itself)" : "");
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return tl_errf(err, "--token-file %s: not a regular file", path);
	}
	if (st.st_uid != geteuid() || (st.st_mode & 077) != 0) {
		close(fd);
		return tl_errf(err, "--token-file %s: owned by uid %u with mode %04o; it must be owned by uid %u "
				    "with mode 0600 (chown, chmod 600)",
			       path, (unsigned)st.st_uid, (unsigned)(st.st_mode & 07777), (unsigned)geteuid());
	}
	n = read(fd, token, len - 1);
	close(fd);
	if (n < 0)
		return tl_errf(err, "--token-file %s: %s", path, strerror(errno));
	token[n] = '\0';
	token[strcspn(token, "\r\n")] = '\0';
	if (strlen(token) < TOKEN_MIN_CHARS)
		return tl_errf(err, "--token-file %s: the token (first line) must be at least %d characters", path,
			       TOKEN_MIN_CHARS);
	return 0;
}

/* Whether a and b are the same namespace file. */
static int same_ns(const char *a, const char *b, int *same)
{
	struct stat sa, sb;

	if (stat(a, &sa) != 0 || stat(b, &sb) != 0)
		return -1;
	*same = sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
	return 0;
}

int trust_in_init_netns(struct tl_err *err)
{
	struct stat net, pid1;
	int same = 0;

	if (stat("/proc/self/ns/net", &net) != 0)
		return tl_errf(err, "/proc/self/ns/net: %s", strerror(errno));
	/* Linux >= 6.x gives the initial namespace a fixed inode. */
	if (net.st_ino == INIT_NET_NS_INO)
		return 1;
	/* Otherwise: the namespace of PID 1, when PID 1 is the machine's own (in a container it is the
	 * container's init, which shares the container's namespace). */
	if (same_ns("/proc/self/ns/net", "/proc/1/ns/net", &same) != 0 || stat("/proc/1/ns/pid", &pid1) != 0)
		return 0;
	return same && pid1.st_ino == INIT_PID_NS_INO;
}

int trust_check_workdir(const char *path, unsigned mode, struct tl_err *err)
{
	struct stat st;

	if (lstat(path, &st) != 0) {
		if (errno == ENOENT)
			return 0;
		return tl_errf(err, "--workdir %s: %s", path, strerror(errno));
	}
	if (S_ISLNK(st.st_mode))
		return tl_errf(err, "--workdir %s: a symlink; give a folder of the agent's own", path);
	if (!S_ISDIR(st.st_mode))
		return tl_errf(err, "--workdir %s: not a directory", path);
	if (st.st_uid != geteuid() || (st.st_mode & 07777) != mode)
		return tl_errf(err, "--workdir %s: owned by uid %u with mode %04o; it must be owned by uid %u with "
				    "mode %04o",
			       path, (unsigned)st.st_uid, (unsigned)(st.st_mode & 07777), (unsigned)geteuid(), mode);
	return 1;
}

int trust_open_workdir(const char *path, unsigned mode, struct tl_err *err)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0)
		return tl_errf(err, "--workdir %s: %s", path, strerror(errno));
	/* What was opened, not what the path named a moment before. */
	if (fstat(fd, &st) != 0 || st.st_uid != geteuid() || (st.st_mode & 07777) != mode) {
		close(fd);
		return tl_errf(err, "--workdir %s: not a folder of uid %u with mode %04o", path, (unsigned)geteuid(), mode);
	}
	return fd;
}
