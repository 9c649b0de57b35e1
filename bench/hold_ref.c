/* hold_ref: the reference for held connections: a plain C loop of non-blocking connects to one target,
 * waited for on epoll, then all held for a while and closed. Prints how many connected and how long it took. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static long long mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

/* Usage: hold_ref ADDR PORT COUNT HOLD_MS */
int main(int argc, char **argv)
{
	struct sockaddr_in to;
	struct epoll_event events[512];
	struct rlimit lim;
	long count, hold_ms, connected = 0, failed = 0;
	long long start_us, up_us;
	int *fds, epfd;

	if (argc != 5) {
		fprintf(stderr, "usage: hold_ref ADDR PORT COUNT HOLD_MS\n");
		return 2;
	}
	count = strtol(argv[3], NULL, 10);
	hold_ms = strtol(argv[4], NULL, 10);
	memset(&to, 0, sizeof(to));
	to.sin_family = AF_INET;
	to.sin_port = htons((unsigned short)strtol(argv[2], NULL, 10));
	if (count <= 0 || hold_ms < 0 || inet_pton(AF_INET, argv[1], &to.sin_addr) != 1) {
		fprintf(stderr, "hold_ref: bad arguments\n");
		return 2;
	}
	lim.rlim_cur = lim.rlim_max = (rlim_t)count + 64;
	if (setrlimit(RLIMIT_NOFILE, &lim) != 0) {
		fprintf(stderr, "hold_ref: setrlimit: %s\n", strerror(errno));
		return 2;
	}
	fds = malloc((size_t)count * sizeof(*fds));
	epfd = epoll_create1(0);
	if (fds == NULL || epfd < 0)
		return 1;
	start_us = mono_us();
	for (long i = 0; i < count; i++) {
		struct epoll_event ev = { .events = EPOLLOUT, .data.u64 = (uint64_t)i };

		fds[i] = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
		if (fds[i] < 0 || (connect(fds[i], (struct sockaddr *)&to, sizeof(to)) != 0 && errno != EINPROGRESS) ||
		    epoll_ctl(epfd, EPOLL_CTL_ADD, fds[i], &ev) != 0) {
			failed++;
			continue;
		}
	}
	while (connected + failed < count) {
		int n = epoll_wait(epfd, events, 512, 30000);

		if (n <= 0)
			break;
		for (int i = 0; i < n; i++) {
			int fd = fds[events[i].data.u64];

			/* Connected (or failed): stop watching, keep the socket. */
			epoll_ctl(epfd, EPOLL_CTL_DEL, fd, NULL);
			if (events[i].events & (EPOLLERR | EPOLLHUP))
				failed++;
			else
				connected++;
		}
	}
	up_us = mono_us() - start_us;
	usleep((useconds_t)hold_ms * 1000);
	for (long i = 0; i < count; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	printf("connected %ld failed %ld up_ms %.1f\n", connected, failed, (double)up_us / 1e3);
	free(fds);
	return connected == count ? 0 : 1;
}
