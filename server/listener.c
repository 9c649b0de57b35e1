/* listener: listening socket set-up, somaxconn, accept and close styles. */
#include "listener.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int listener_open(const struct sockaddr_in *addr, const char *addr_text, long backlog, int reuseport,
		  int nonblock, struct tl_err *err)
{
	int type = SOCK_STREAM | SOCK_CLOEXEC | (nonblock ? SOCK_NONBLOCK : 0);
	int one = 1;
	int fd;

	fd = socket(AF_INET, type, 0);
	if (fd < 0)
		return tl_errf(err, "socket: %s", strerror(errno));
	/* Restarting the server must not wait for the previous run's TIME_WAIT sockets. */
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0) {
		tl_errf(err, "setsockopt SO_REUSEADDR: %s", strerror(errno));
		goto fail;
	}
	if (reuseport && setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one)) != 0) {
		tl_errf(err, "setsockopt SO_REUSEPORT: %s", strerror(errno));
		goto fail;
	}
	if (bind(fd, (const struct sockaddr *)addr, sizeof(*addr)) != 0) {
		tl_errf(err, "bind %s: %s", addr_text, strerror(errno));
		goto fail;
	}
	if (listen(fd, (int)backlog) != 0) {
		tl_errf(err, "listen %s backlog %ld: %s", addr_text, backlog, strerror(errno));
		goto fail;
	}
	return fd;
fail:
	close(fd);
	return -1;
}

long listener_read_somaxconn(void)
{
	FILE *f = fopen("/proc/sys/net/core/somaxconn", "r");
	long value = -1;

	if (f == NULL)
		return -1;
	if (fscanf(f, "%ld", &value) != 1)
		value = -1;
	fclose(f);
	return value;
}

long listener_effective_backlog(long backlog, long somaxconn)
{
	if (somaxconn >= 0 && somaxconn < backlog)
		return somaxconn;
	return backlog;
}

int listener_accept(int listen_fd, int nonblock)
{
	int flags = SOCK_CLOEXEC | (nonblock ? SOCK_NONBLOCK : 0);
	int fd;

	do {
		fd = accept4(listen_fd, NULL, NULL, flags);
	} while (fd < 0 && errno == EINTR);
	return fd;
}

int listener_accept_error_is_transient(int errnum)
{
	/* accept(2): Linux passes pending network errors of the new connection up through accept. */
	switch (errnum) {
	case ECONNABORTED:
	case EPROTO:
	case ENETDOWN:
	case ENOPROTOOPT:
	case EHOSTDOWN:
	case ENONET:
	case EHOSTUNREACH:
	case EOPNOTSUPP:
	case ENETUNREACH:
		return 1;
	default:
		return 0;
	}
}

void listener_close_conn(int fd, enum close_style style)
{
	switch (style) {
	case CLOSE_FIN:
		break;
	case CLOSE_RST: {
		/* Linger on with a zero timeout: close() discards unsent data and sends RST, no TIME_WAIT. */
		struct linger lin = { .l_onoff = 1, .l_linger = 0 };

		setsockopt(fd, SOL_SOCKET, SO_LINGER, &lin, sizeof(lin));
		break;
	}
	}
	close(fd);
}
