/* dump_cost: what one inet_diag dump or listener lookup costs in a lab namespace and in one made from the host. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "clock.h"
#include "parse.h"
#include "probe/sockdiag.h"
#include "side/netns.h"
#include "side/nsthread.h"
#include "tl_err.h"

#define DUMP_MAX_PAIRS 1000
#define SPACED_ROUNDS 500
/* Lookups answer a listeners-only sample only for a while after a walk; the sampler's loop walks (in
 * its full sample) every 10 ms. The back-to-back loop refreshes after this many lookups, untimed. */
#define LOOKUPS_PER_WALK 100

/* Connected pairs over loopback plus their listener: the sockets every dump walks past. */
struct socket_set {
	int fds[2 * DUMP_MAX_PAIRS + 1];
	int count;
	long pairs;
	uint16_t port; /* host byte order */
};

static int loopback_up(struct tl_err *err)
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return tl_errf(err, "socket: %s", strerror(errno));
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "lo");
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) != 0 || (ifr.ifr_flags |= IFF_UP, ioctl(fd, SIOCSIFFLAGS, &ifr)) != 0) {
		close(fd);
		return tl_errf(err, "lo up: %s", strerror(errno));
	}
	close(fd);
	return 0;
}

/* Runs inside the namespace: a listener with a backlog that holds every connect, then connect and accept. */
static int make_pairs(void *arg, struct tl_err *err)
{
	struct socket_set *set = arg;
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(addr);
	int listener;

	if (loopback_up(err) != 0)
		return -1;
	listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (listener < 0 || bind(listener, (struct sockaddr *)&addr, sizeof(addr)) != 0 ||
	    listen(listener, (int)set->pairs) != 0 || getsockname(listener, (struct sockaddr *)&addr, &len) != 0)
		return tl_errf(err, "listener: %s", strerror(errno));
	set->fds[set->count++] = listener;
	set->port = ntohs(addr.sin_port);
	for (long i = 0; i < set->pairs; i++) {
		int c = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		int a;

		if (c < 0)
			return tl_errf(err, "socket: %s", strerror(errno));
		set->fds[set->count++] = c;
		if (connect(c, (struct sockaddr *)&addr, sizeof(addr)) != 0)
			return tl_errf(err, "connect: %s", strerror(errno));
		a = accept4(listener, NULL, NULL, SOCK_CLOEXEC);
		if (a < 0)
			return tl_errf(err, "accept: %s", strerror(errno));
		set->fds[set->count++] = a;
	}
	return 0;
}

static void close_pairs(struct socket_set *set)
{
	for (int i = 0; i < set->count; i++)
		close(set->fds[i]);
	set->count = 0;
}

/* Mean microseconds of one sample of each kind, back to back and 1 ms apart. */
struct dump_times {
	double full_us;          /* sockdiag_sample: every socket, listening table walked */
	double walk_us;          /* listeners only, found by walking the listening table (port 0) */
	double walk_spaced_us;
	double lookup_us;        /* listeners only, looked up by name after a walk found them */
	double lookup_spaced_us;
	long lookups_asked;      /* listeners-only samples on the port ... */
	long lookups_answered;   /* ... and those of them answered by lookups, without a walk */
};

/* One listeners-only sample, its time added to *sum_us; on the port it counts whether lookups answered it. */
static int listeners_sample(struct sockdiag *diag, uint16_t port, struct sockdiag_sample *sample, struct dump_times *t,
			    double *sum_us, struct tl_err *err)
{
	int64_t start_us = clock_mono_us();

	if (sockdiag_sample_listeners(diag, port, sample, err) != 0)
		return -1;
	*sum_us += (double)(clock_mono_us() - start_us);
	if (port != 0) {
		t->lookups_asked++;
		t->lookups_answered += sample->looked_up;
	}
	if (sample->listener_count != 1)
		return tl_errf(err, "a listeners-only sample saw %u listeners, not 1", sample->listener_count);
	return 0;
}

static int time_dumps(int netns_fd, struct socket_set *set, long rounds, struct dump_times *t, struct tl_err *err)
{
	static struct sockdiag diag;
	struct sockdiag_sample sample;
	long spaced = rounds < SPACED_ROUNDS ? rounds : SPACED_ROUNDS;
	long timed = 0;
	int64_t start_us;
	int64_t next_us;

	memset(t, 0, sizeof(*t));
	if (sockdiag_open(&diag, netns_fd, err) != 0)
		return -1;
	start_us = clock_mono_us();
	for (long i = 0; i < rounds; i++) {
		if (sockdiag_sample(&diag, set->port, &sample, err) != 0)
			goto fail;
	}
	t->full_us = (double)(clock_mono_us() - start_us) / (double)rounds;
	if (sample.sockets_total != (uint32_t)set->count) {
		tl_errf(err, "the dump saw %u sockets, %d were made", sample.sockets_total, set->count);
		goto fail;
	}
	/* Port 0 (every listener) always walks; the namespace holds only the one listener. */
	for (long i = 0; i < rounds; i++) {
		if (listeners_sample(&diag, 0, &sample, t, &t->walk_us, err) != 0)
			goto fail;
	}
	t->walk_us /= (double)rounds;
	for (long i = 0; i < rounds; i++) {
		if (i % LOOKUPS_PER_WALK == 0 && sockdiag_sample(&diag, set->port, &sample, err) != 0)
			goto fail;
		if (listeners_sample(&diag, set->port, &sample, t, &t->lookup_us, err) != 0)
			goto fail;
	}
	t->lookup_us /= (double)rounds;
	/* A sampler reads once a millisecond, and the caches have moved on in between: time that case too,
	 * on the sampler loop's schedule (a tick every 1 ms from the start, a full sample every tenth). */
	next_us = clock_mono_us();
	for (long i = 0; i < spaced; i++) {
		next_us += 1000;
		clock_sleep_us(next_us - clock_mono_us());
		if (listeners_sample(&diag, 0, &sample, t, &t->walk_spaced_us, err) != 0)
			goto fail;
	}
	t->walk_spaced_us /= (double)spaced;
	for (long i = 0; timed < spaced; i++) {
		next_us += 1000;
		clock_sleep_us(next_us - clock_mono_us());
		if (i % 10 == 0) {
			if (sockdiag_sample(&diag, set->port, &sample, err) != 0)
				goto fail;
			continue;
		}
		if (listeners_sample(&diag, set->port, &sample, t, &t->lookup_spaced_us, err) != 0)
			goto fail;
		timed++;
	}
	t->lookup_spaced_us /= (double)spaced;
	sockdiag_close(&diag);
	return 0;
fail:
	sockdiag_close(&diag);
	return -1;
}

struct unshared {
	int fd;
	struct tl_err err;
};

/* A namespace made the way `ip netns add` on the host makes one: from the host's namespace, no name. */
static void *unshare_main(void *p)
{
	struct unshared *u = p;

	if (unshare(CLONE_NEWNET) != 0)
		tl_errf(&u->err, "unshare: %s", strerror(errno));
	else if ((u->fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC)) < 0)
		tl_errf(&u->err, "open /proc/thread-self/ns/net: %s", strerror(errno));
	return NULL;
}

static int host_created_ns(int *fd, struct tl_err *err)
{
	struct unshared u = { .fd = -1 };
	pthread_t tid;
	int rc = pthread_create(&tid, NULL, unshare_main, &u);

	if (rc != 0)
		return tl_errf(err, "pthread_create: %s", strerror(rc));
	pthread_join(tid, NULL);
	if (u.fd < 0) {
		*err = u.err;
		return -1;
	}
	*fd = u.fd;
	return 0;
}

/* Make the sockets in netns_fd, time the dumps, print one line, close the sockets. */
static int measure(const char *label, int netns_fd, long pairs, long rounds, struct tl_err *err)
{
	static struct socket_set set;
	struct dump_times t;
	int rc;

	memset(&set, 0, sizeof(set));
	set.pairs = pairs;
	rc = nsthread_run(netns_fd, make_pairs, &set, err);
	if (rc == 0)
		rc = time_dumps(netns_fd, &set, rounds, &t, err);
	if (rc == 0)
		printf("%s sockets %d full_dump_us %.1f listeners_walk_us %.1f (1ms apart %.1f)"
		       " listeners_lookup_us %.1f (1ms apart %.1f) lookups %ld/%ld\n",
		       label, set.count, t.full_us, t.walk_us, t.walk_spaced_us, t.lookup_us, t.lookup_spaced_us,
		       t.lookups_answered, t.lookups_asked);
	close_pairs(&set);
	return rc == 0 ? 0 : tl_err_wrap(err, "%s", label);
}

int main(int argc, char **argv)
{
	struct netns_lab lab;
	struct tl_err err = { "" };
	long pairs;
	long rounds;
	int host_fd = -1;
	int rc;

	if (argc != 3) {
		fprintf(stderr, "usage: %s PAIRS ROUNDS\n", argv[0]);
		return 2;
	}
	if (parse_long(argv[1], 1, DUMP_MAX_PAIRS, &pairs, "PAIRS", &err) != 0 ||
	    parse_long(argv[2], 1, 1000000, &rounds, "ROUNDS", &err) != 0) {
		fprintf(stderr, "dump_cost: %s\n", err.msg);
		return 2;
	}
	/* The lab's names carry our pid; `tcplab cleanup` spares them only while that pid is called tcplab. */
	prctl(PR_SET_NAME, "tcplab");
	if (host_created_ns(&host_fd, &err) != 0) {
		fprintf(stderr, "dump_cost: host-created namespace: %s\n", err.msg);
		return 1;
	}
	rc = measure("host-created namespace:", host_fd, pairs, rounds, &err);
	close(host_fd);
	if (rc == 0 && netns_lab_create(&lab, 0, &err) == 0) {
		rc = measure("lab server namespace:  ", lab.server_fd, pairs, rounds, &err);
		netns_lab_destroy(&lab);
	} else {
		rc = -1;
	}
	if (rc != 0) {
		fprintf(stderr, "dump_cost: %s\n", err.msg);
		return 1;
	}
	return 0;
}
