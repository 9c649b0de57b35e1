/* stop: signal handlers that only set a flag and poke an eventfd (both async-signal-safe). */
#include "stop.h"

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

static volatile sig_atomic_t stop_flag;
static int stop_eventfd = -1;

static void on_signal(int sig)
{
	(void)sig;
	client_stop_request();
}

int client_stop_init(struct tl_err *err)
{
	struct sigaction sa;

	if (stop_eventfd < 0) {
		stop_eventfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		if (stop_eventfd < 0)
			return tl_errf(err, "eventfd: %s", strerror(errno));
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGINT, &sa, NULL) != 0 || sigaction(SIGTERM, &sa, NULL) != 0)
		return tl_errf(err, "sigaction: %s", strerror(errno));
	/* A peer that resets while we write must give EPIPE, not kill the client. */
	signal(SIGPIPE, SIG_IGN);
	return 0;
}

int client_stop_fd(void)
{
	return stop_eventfd;
}

int client_stop_requested(void)
{
	return stop_flag != 0;
}

void client_stop_request(void)
{
	uint64_t one = 1;
	int saved = errno;

	stop_flag = 1;
	/* The counter is never read: it stays readable, so every loop sees it, however many. */
	if (stop_eventfd >= 0 && write(stop_eventfd, &one, sizeof(one)) < 0)
		stop_flag = 1;
	errno = saved;
}
