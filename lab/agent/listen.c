/* listen: sockets are made here and handed to libmicrohttpd (MHD_OPTION_LISTEN_SOCKET), which cannot bind a unix path itself. */
#include "listen.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "parse.h"
#include "path.h"

/* Deep enough that a burst of strangers' connects (each accepted and closed past the per-address
 * limit) waits in the queue instead of making the kernel drop a controller's SYN. */
#define AGENT_LISTEN_BACKLOG 1024

int agent_listen_unix(const char *path, int *fd_out, struct tl_err *err)
{
	struct sockaddr_un sun;
	struct stat st;
	mode_t old_mask;
	int fd;
	int rc;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (tl_path_fmt(sun.sun_path, sizeof(sun.sun_path), err, "%s", path) != 0)
		return tl_err_wrap(err, "--socket");
	/* A socket left by an agent that was killed would make bind fail; anything else there is not ours. */
	if (lstat(path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode))
			return tl_errf(err, "--socket %s: exists and is not a socket", path);
		if (unlink(path) != 0)
			return tl_errf(err, "--socket %s: removing the stale socket: %s", path, strerror(errno));
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return tl_errf(err, "socket(AF_UNIX): %s", strerror(errno));
	/* Connecting needs write permission on the socket: the controller shares the agent's group. The file is
	 * made 0660 by bind itself (a chmod after it would follow whatever replaced the name meanwhile). Once, at
	 * start, before any thread: the umask is the process's. */
	old_mask = umask(0117);
	rc = bind(fd, (struct sockaddr *)&sun, sizeof(sun));
	umask(old_mask);
	if (rc != 0) {
		int e = errno;

		close(fd);
		return tl_errf(err, "--socket %s: bind: %s", path, strerror(e));
	}
	if (listen(fd, AGENT_LISTEN_BACKLOG) != 0) {
		int e = errno;

		close(fd);
		unlink(path);
		return tl_errf(err, "--socket %s: %s", path, strerror(e));
	}
	*fd_out = fd;
	return 0;
}

int agent_listen_tcp(const char *addr_port, int *fd_out, struct tl_err *err)
{
	struct sockaddr_in sin;
	int one = 1;
	int fd;

	if (parse_ipv4_port(addr_port, &sin, "--listen", err) != 0)
		return -1;
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return tl_errf(err, "socket: %s", strerror(errno));
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) != 0 || listen(fd, AGENT_LISTEN_BACKLOG) != 0) {
		int e = errno;

		close(fd);
		return tl_errf(err, "--listen %s: %s", addr_port, strerror(e));
	}
	*fd_out = fd;
	return 0;
}
