/* main: tcplab-delay: hold each packet of an NFQUEUE for a delay (plus jitter, in order) before accepting it, until
 * SIGTERM or SIGINT. */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <libnetfilter_queue/libnetfilter_queue.h>
#include <libnfnetlink/libnfnetlink.h>
#include <linux/netfilter.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>

#include "clock.h"
#include "delay/delay_line.h"
#include "parse.h"
#include "version.h"
#include "delay/delay_options.h"

/* Packets held at most by default: 100 ms of 20 000 packets/s, five times over. */
#define DELAY_DEFAULT_PACKETS 10000
#define DELAY_MAX_PACKETS 1000000
/* The netlink socket's receive buffer: bursts queue here while the line is busy. */
#define DELAY_RCVBUF_BYTES (8 * 1024 * 1024)

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

struct delay_config {
	long queue;
	int64_t delay_us, jitter_us;
	long max_packets;
	uint64_t seed;
};

/* What the loop holds: the line and the queue its verdicts go to. */
struct delay_state {
	struct delay_line line;
	struct nfq_q_handle *qh;
	uint64_t socket_overruns;
	int verdict_failed;
};

static void usage(FILE *out)
{
	fprintf(out, "usage: tcplab-delay --queue NUM --delay DURATION [--jitter DURATION] [--max-packets N] [--seed N]\n"
		     "  holds each packet of netfilter queue NUM (nftables `queue num NUM`) for DURATION plus a\n"
		     "  uniform draw in [-jitter, +jitter], in arrival order, then accepts it; until SIGTERM or SIGINT.\n"
		     "  prints {\"ready\": true, ...} once bound, and its counts as the last line of stdout.\n"
		     "  --queue NUM        0..65535\n"
		     "  --delay DURATION   e.g. 50ms (at most 10s)\n"
		     "  --jitter DURATION  at most the delay (default 0)\n"
		     "  --max-packets N    packets held at most (default %d); more are dropped and counted\n"
		     "  --seed N           the jitter's random seed (default: from the kernel)\n"
		     "  --version          print the version\n"
		     "  --help             print this usage\n",
		DELAY_DEFAULT_PACKETS);
}

static int parse_args(int argc, char **argv, struct delay_config *cfg, struct tl_err *err)
{
	long seed;
	int c;

	cfg->queue = -1;
	cfg->delay_us = -1;
	cfg->max_packets = DELAY_DEFAULT_PACKETS;
	opterr = 0;
	while ((c = getopt_long(argc, argv, delay_short_options, delay_long_options, NULL)) != -1) {
		switch (c) {
		case 'q':
			if (parse_long(optarg, 0, 65535, &cfg->queue, "--queue", err) != 0)
				return -1;
			break;
		case 'd':
			if (parse_duration_range_us(optarg, 0, 10000000, &cfg->delay_us, "--delay", err) != 0)
				return -1;
			break;
		case 'j':
			if (parse_duration_range_us(optarg, 0, 10000000, &cfg->jitter_us, "--jitter", err) != 0)
				return -1;
			break;
		case 'n':
			if (parse_long(optarg, 1, DELAY_MAX_PACKETS, &cfg->max_packets, "--max-packets", err) != 0)
				return -1;
			break;
		case 's':
			if (parse_long(optarg, 1, 2147483647L, &seed, "--seed", err) != 0)
				return -1;
			cfg->seed = (uint64_t)seed;
			break;
		case 'h':
			usage(stdout);
			return 1;
		case 'V':
			printf("tcplab-delay %s\n", tl_version());
			return 1;
		case ':':
			return tl_errf(err, "%s needs a value", argv[optind - 1]);
		default:
			return tl_errf(err, "unknown option '%s' (--help lists them)", argv[optind - 1]);
		}
	}
	if (optind != argc)
		return tl_errf(err, "unexpected argument '%s'", argv[optind]);
	if (cfg->queue < 0 || cfg->delay_us < 0)
		return tl_errf(err, "--queue and --delay are required");
	if (cfg->jitter_us > cfg->delay_us)
		return tl_errf(err, "--jitter is more than --delay");
	return 0;
}

/* One packet arrived: hold it, or drop it at once when the line is full. */
static int on_packet(struct nfq_q_handle *qh, struct nfgenmsg *msg, struct nfq_data *nfa, void *data)
{
	struct delay_state *st = data;
	struct nfqnl_msg_packet_hdr *ph = nfq_get_msg_packet_hdr(nfa);
	uint32_t id;

	(void)msg;
	if (ph == NULL)
		return 0;
	id = ntohl(ph->packet_id);
	if (delay_line_push(&st->line, id, clock_mono_us()) != 0 && nfq_set_verdict(qh, id, NF_DROP, 0, NULL) < 0)
		st->verdict_failed = 1;
	return 0;
}

/* Accept every held packet up to last_id (the kernel takes all ids up to it). */
static void accept_through(struct delay_state *st, uint32_t last_id)
{
	if (nfq_set_verdict_batch(st->qh, last_id, NF_ACCEPT) < 0)
		st->verdict_failed = 1;
}

/* Read what the socket holds without blocking and hand it to the queue's callback. */
static int drain(struct nfq_handle *h, int fd, struct delay_state *st, struct tl_err *err)
{
	char buf[65536] __attribute__((aligned));

	for (;;) {
		ssize_t n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);

		if (n > 0) {
			nfq_handle_packet(h, buf, (int)n);
			continue;
		}
		if (n < 0 && errno == ENOBUFS) {
			/* The kernel queued faster than we read: those packets stay queued and leave with the next
			 * batch verdict, early. Counted. */
			st->socket_overruns++;
			continue;
		}
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
			return 0;
		return tl_errf(err, "netlink recv: %s", n == 0 ? "closed" : strerror(errno));
	}
}

static int run_loop(struct nfq_handle *h, struct delay_state *st, struct tl_err *err)
{
	int fd = nfq_fd(h);
	sigset_t stop, waiting;

	/* SIGTERM and SIGINT arrive only inside ppoll: one that comes between the check and the wait ends the wait
	 * at once instead of after the next release. */
	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	sigprocmask(SIG_BLOCK, &stop, &waiting);
	sigdelset(&waiting, SIGTERM);
	sigdelset(&waiting, SIGINT);

	while (!stop_requested) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		int64_t next = delay_line_next_us(&st->line);
		struct timespec wait = { .tv_sec = 1, .tv_nsec = 0 };
		uint32_t last;
		int rc;

		if (next >= 0) {
			int64_t left = next - clock_mono_us();

			if (left < 0)
				left = 0;
			wait.tv_sec = left / 1000000;
			wait.tv_nsec = (left % 1000000) * 1000;
		}
		rc = ppoll(&p, 1, &wait, &waiting);
		if (rc < 0 && errno != EINTR)
			return tl_errf(err, "ppoll: %s", strerror(errno));
		if (rc > 0 && drain(h, fd, st, err) != 0)
			return -1;
		if (delay_line_take_due(&st->line, clock_mono_us(), &last))
			accept_through(st, last);
		if (st->verdict_failed)
			return tl_errf(err, "verdict refused by the kernel");
	}
	return 0;
}

/* The kernel's drop counts for queue num (/proc/net/netfilter/nfnetlink_queue: num portid total mode range
 * queue_dropped user_dropped id 1); zero when the line is not there. */
static void kernel_drops(long num, unsigned long long *queue_dropped, unsigned long long *user_dropped)
{
	char line[256];
	FILE *f = fopen("/proc/net/netfilter/nfnetlink_queue", "r");

	*queue_dropped = *user_dropped = 0;
	if (f == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL) {
		unsigned long long field[8];
		char *p = line;
		int n = 0;

		while (n < 8) {
			char *end;

			field[n] = strtoull(p, &end, 10);
			if (end == p)
				break;
			p = end;
			n++;
		}
		if (n == 8 && field[0] == (unsigned long long)num) {
			*queue_dropped = field[5];
			*user_dropped = field[6];
		}
	}
	fclose(f);
}

/* Wake as close to each release as the machine allows: no timer slack, and the lowest real-time priority where
 * this process may take it (root in a lab namespace; not in a container without CAP_SYS_NICE). Whether it got
 * the priority. */
static int wake_on_time(void)
{
	struct sched_param p = { .sched_priority = 1 };

	prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);
	return sched_setscheduler(0, SCHED_FIFO, &p) == 0;
}

/* The CPU time this process used, user and system, in microseconds. */
static int64_t cpu_used_us(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru) != 0)
		return 0;
	return (int64_t)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000 + ru.ru_utime.tv_usec + ru.ru_stime.tv_usec;
}

static void print_line(json_t *o)
{
	char *text = json_dumps(o, JSON_COMPACT);

	if (text != NULL)
		printf("%s\n", text);
	fflush(stdout);
	free(text);
	json_decref(o);
}

int main(int argc, char **argv)
{
	struct delay_config cfg = { 0 };
	struct delay_state st;
	struct nfq_handle *h;
	struct sigaction sa;
	struct tl_err err;
	unsigned long long queue_dropped, user_dropped;
	uint32_t last;
	int realtime;
	int rc;

	memset(&st, 0, sizeof(st));
	rc = parse_args(argc, argv, &cfg, &err);
	if (rc != 0) {
		if (rc < 0)
			fprintf(stderr, "tcplab-delay: %s\n", err.msg);
		return rc < 0 ? 2 : 0;
	}
	if (cfg.seed == 0 && getrandom(&cfg.seed, sizeof(cfg.seed), 0) != sizeof(cfg.seed))
		cfg.seed = (uint64_t)clock_mono_us();
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	if (delay_line_init(&st.line, (size_t)cfg.max_packets, cfg.delay_us, cfg.jitter_us, cfg.seed, &err) != 0) {
		fprintf(stderr, "tcplab-delay: %s\n", err.msg);
		return 3;
	}
	h = nfq_open();
	if (h == NULL) {
		fprintf(stderr, "tcplab-delay: netfilter queue: %s (needs CAP_NET_ADMIN)\n", strerror(errno));
		delay_line_free(&st.line);
		return 3;
	}
	st.qh = nfq_create_queue(h, (uint16_t)cfg.queue, on_packet, &st);
	if (st.qh == NULL || nfq_set_mode(st.qh, NFQNL_COPY_META, 0) < 0 ||
	    nfq_set_queue_maxlen(st.qh, (uint32_t)cfg.max_packets) < 0) {
		fprintf(stderr, "tcplab-delay: queue %ld: %s\n", cfg.queue, strerror(errno));
		if (st.qh != NULL)
			nfq_destroy_queue(st.qh);
		nfq_close(h);
		delay_line_free(&st.line);
		return 3;
	}
	nfnl_rcvbufsiz(nfq_nfnlh(h), DELAY_RCVBUF_BYTES);
	realtime = wake_on_time();
	print_line(json_pack("{s:b, s:i, s:I, s:I, s:b}", "ready", 1, "queue", (int)cfg.queue, "delay_us",
			     (json_int_t)cfg.delay_us, "jitter_us", (json_int_t)cfg.jitter_us, "realtime", realtime));
	rc = run_loop(h, &st, &err);
	if (rc != 0)
		fprintf(stderr, "tcplab-delay: %s\n", err.msg);
	/* What is still held leaves now rather than be dropped with the queue. */
	if (delay_line_take_all(&st.line, &last))
		accept_through(&st, last);
	kernel_drops(cfg.queue, &queue_dropped, &user_dropped);
	nfq_destroy_queue(st.qh);
	nfq_close(h);
	print_line(json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "packets_delayed",
			     (json_int_t)st.line.packets_delayed, "packets_dropped_full",
			     (json_int_t)st.line.packets_dropped_full, "held_max", (json_int_t)st.line.held_max,
			     "late_max_us", (json_int_t)st.line.late_max_us, "queue_dropped", (json_int_t)queue_dropped,
			     "user_dropped", (json_int_t)user_dropped, "socket_overruns", (json_int_t)st.socket_overruns,
			     "cpu_us", (json_int_t)cpu_used_us()));
	delay_line_free(&st.line);
	return rc == 0 ? 0 : 3;
}
