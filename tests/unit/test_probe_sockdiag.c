/* test_probe_sockdiag: the inet_diag parsers on crafted replies, and the sampler against the real kernel. */
#include "unit.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "clock.h"
#include "probe/counters.h"
#include "probe/sockdiag.h"

#define SEQ 77
#define PID 4242
#define PORT 8080

/* A reply buffer under construction. */
struct reply {
	_Alignas(8) unsigned char buf[8192];
	size_t len;
};

static void put_msg(struct reply *r, uint16_t type, uint16_t flags, uint32_t seq, uint32_t pid, const void *payload, size_t payload_len)
{
	struct nlmsghdr h = {
		.nlmsg_len = (uint32_t)NLMSG_LENGTH(payload_len),
		.nlmsg_type = type,
		.nlmsg_flags = flags,
		.nlmsg_seq = seq,
		.nlmsg_pid = pid,
	};

	if (r->len + NLMSG_SPACE(payload_len) > sizeof(r->buf))
		abort();
	memset(r->buf + r->len, 0, NLMSG_SPACE(payload_len));
	memcpy(r->buf + r->len, &h, sizeof(h));
	memcpy(r->buf + r->len + NLMSG_HDRLEN, payload, payload_len);
	r->len += NLMSG_SPACE(payload_len);
}

/* One socket as the kernel reports it (ports in host order here). */
static void put_sock_flags(struct reply *r, uint16_t flags, uint8_t state, uint16_t sport, uint16_t dport, uint32_t rqueue, uint32_t wqueue, uint32_t inode)
{
	struct inet_diag_msg m;

	memset(&m, 0, sizeof(m));
	m.idiag_family = AF_INET;
	m.idiag_state = state;
	m.id.idiag_sport = htons(sport);
	m.id.idiag_dport = htons(dport);
	m.id.idiag_src[0] = htonl(0x7f000001);
	m.idiag_rqueue = rqueue;
	m.idiag_wqueue = wqueue;
	m.idiag_inode = inode;
	put_msg(r, SOCK_DIAG_BY_FAMILY, NLM_F_MULTI, SEQ, PID, &m, sizeof(m));
	if (flags != 0) {
		struct nlmsghdr *h = (struct nlmsghdr *)(r->buf + r->len - NLMSG_SPACE(sizeof(m)));

		h->nlmsg_flags |= flags;
	}
}

static void put_sock(struct reply *r, uint8_t state, uint16_t sport, uint16_t dport, uint32_t rqueue, uint32_t wqueue, uint32_t inode)
{
	put_sock_flags(r, 0, state, sport, dport, rqueue, wqueue, inode);
}

static void put_done(struct reply *r, int status)
{
	put_msg(r, NLMSG_DONE, NLM_F_MULTI, SEQ, PID, &status, sizeof(status));
}

static int parse(struct reply *r, uint16_t port, struct sockdiag_dump *dump, struct sockdiag_sample *out, struct tl_err *err)
{
	sockdiag_dump_begin(dump, SEQ, PID, port, out);
	return sockdiag_parse(dump, r->buf, r->len, out, err);
}

static void test_state_names(void)
{
	CHECK_STR(sockdiag_state_name(TCP_ESTABLISHED), "ESTABLISHED");
	CHECK_STR(sockdiag_state_name(TCP_SYN_SENT), "SYN-SENT");
	CHECK_STR(sockdiag_state_name(TCP_SYN_RECV), "SYN-RECV");
	CHECK_STR(sockdiag_state_name(TCP_FIN_WAIT1), "FIN-WAIT-1");
	CHECK_STR(sockdiag_state_name(TCP_FIN_WAIT2), "FIN-WAIT-2");
	CHECK_STR(sockdiag_state_name(TCP_TIME_WAIT), "TIME-WAIT");
	CHECK_STR(sockdiag_state_name(TCP_CLOSE), "CLOSE");
	CHECK_STR(sockdiag_state_name(TCP_CLOSE_WAIT), "CLOSE-WAIT");
	CHECK_STR(sockdiag_state_name(TCP_LAST_ACK), "LAST-ACK");
	CHECK_STR(sockdiag_state_name(TCP_LISTEN), "LISTEN");
	CHECK_STR(sockdiag_state_name(TCP_CLOSING), "CLOSING");
	CHECK_STR(sockdiag_state_name(0), "UNKNOWN");
	CHECK_STR(sockdiag_state_name(12), "UNKNOWN");
	CHECK_STR(sockdiag_state_name(-1), "UNKNOWN");
}

static void test_listener_and_states(void)
{
	static struct reply r;
	static struct sockdiag_sample s;
	struct sockdiag_dump dump;
	struct tl_err err = { "" };

	r.len = 0;
	put_sock(&r, TCP_LISTEN, PORT, 0, 2, 1, 1001);       /* accept queue 2 of limit 1: full */
	put_sock(&r, TCP_LISTEN, 22, 0, 0, 128, 1002);       /* another port's listener */
	put_sock(&r, TCP_TIME_WAIT, 40000, PORT, 0, 0, 0);  /* client side closed first */
	put_sock(&r, TCP_ESTABLISHED, PORT, 40001, 0, 0, 1003);
	put_sock(&r, TCP_ESTABLISHED, 40002, 22, 0, 0, 1004);
	put_sock(&r, TCP_SYN_RECV, PORT, 40003, 0, 0, 0);   /* request socket */
	put_done(&r, 0);
	CHECK(parse(&r, PORT, &dump, &s, &err) == 0);
	CHECK(dump.done == 1 && dump.interrupted == 0);
	CHECK(s.listener_count == 1 && s.listeners_missed == 0);
	CHECK(s.listeners[0].acceptq_len == 2);
	CHECK(s.listeners[0].acceptq_limit == 1);
	CHECK(s.listeners[0].inode == 1001);
	CHECK(s.listeners[0].local_addr == htonl(0x7f000001));
	CHECK(s.sockets_total == 6 && s.sockets_unknown_state == 0);
	CHECK(s.states_all[TCP_LISTEN] == 2 && s.states_port[TCP_LISTEN] == 1);
	CHECK(s.states_all[TCP_ESTABLISHED] == 2 && s.states_port[TCP_ESTABLISHED] == 1);
	CHECK(s.states_all[TCP_TIME_WAIT] == 1 && s.states_port[TCP_TIME_WAIT] == 1);
	CHECK(s.states_all[TCP_SYN_RECV] == 1 && s.states_port[TCP_SYN_RECV] == 1);
	CHECK(s.states_all[TCP_SYN_SENT] == 0 && s.states_port[TCP_CLOSE] == 0);

	/* Port 0: every listener, and the port table equals the namespace table. */
	CHECK(parse(&r, 0, &dump, &s, &err) == 0);
	CHECK(s.listener_count == 2 && s.listeners[1].acceptq_limit == 128);
	CHECK(memcmp(s.states_all, s.states_port, sizeof(s.states_all)) == 0);
}

static void test_reply_in_parts(void)
{
	static struct reply first, second;
	static struct sockdiag_sample s;
	struct sockdiag_dump dump;
	struct tl_err err = { "" };

	first.len = 0;
	second.len = 0;
	put_sock(&first, TCP_LISTEN, PORT, 0, 0, 5, 1);
	put_sock(&second, TCP_ESTABLISHED, PORT, 1234, 0, 0, 2);
	put_done(&second, 0);
	sockdiag_dump_begin(&dump, SEQ, PID, PORT, &s);
	CHECK(sockdiag_parse(&dump, first.buf, first.len, &s, &err) == 0);
	CHECK(dump.done == 0);
	CHECK(sockdiag_parse(&dump, second.buf, second.len, &s, &err) == 0);
	CHECK(dump.done == 1);
	CHECK(s.listener_count == 1 && s.sockets_total == 2);
}

static void test_foreign_messages_skipped(void)
{
	static struct reply r;
	static struct sockdiag_sample s;
	struct sockdiag_dump dump;
	struct tl_err err = { "" };
	struct inet_diag_msg m6;
	int status = 0;

	r.len = 0;
	put_sock(&r, TCP_LISTEN, PORT, 0, 1, 1, 1);
	/* An older request's leftovers (and its end), another port id, an IPv6 socket, a no-op. */
	((struct nlmsghdr *)r.buf)->nlmsg_seq = SEQ - 1;
	put_msg(&r, NLMSG_DONE, NLM_F_MULTI, SEQ - 1, PID, &status, sizeof(status));
	put_sock(&r, TCP_LISTEN, PORT, 0, 1, 1, 2);
	((struct nlmsghdr *)(r.buf + r.len - NLMSG_SPACE(sizeof(struct inet_diag_msg))))->nlmsg_pid = PID + 1;
	memset(&m6, 0, sizeof(m6));
	m6.idiag_family = AF_INET6;
	m6.idiag_state = TCP_LISTEN;
	m6.id.idiag_sport = htons(PORT);
	put_msg(&r, SOCK_DIAG_BY_FAMILY, NLM_F_MULTI, SEQ, PID, &m6, sizeof(m6));
	put_msg(&r, NLMSG_NOOP, 0, SEQ, PID, &status, sizeof(status));
	put_sock(&r, TCP_LISTEN, PORT, 0, 0, 7, 3);
	put_done(&r, 0);
	CHECK(parse(&r, PORT, &dump, &s, &err) == 0);
	CHECK(dump.done == 1);
	CHECK(s.sockets_total == 1 && s.listener_count == 1 && s.listeners[0].inode == 3);
}

static void test_nlmsg_error(void)
{
	static struct reply r;
	static struct sockdiag_sample s;
	struct sockdiag_dump dump;
	struct tl_err err = { "" };
	struct nlmsgerr e;

	r.len = 0;
	memset(&e, 0, sizeof(e));
	e.error = -EBUSY;
	put_msg(&r, NLMSG_ERROR, 0, SEQ, PID, &e, sizeof(e));
	CHECK(parse(&r, PORT, &dump, &s, &err) == -1);
	CHECK(dump.done == 1);
	CHECK(strstr(err.msg, "refused the dump") != NULL && strstr(err.msg, strerror(EBUSY)) != NULL);

	/* Truncated error message. */
	r.len = 0;
	put_msg(&r, NLMSG_ERROR, 0, SEQ, PID, &e, sizeof(int));
	CHECK(parse(&r, PORT, &dump, &s, &err) == -1);
	CHECK(strstr(err.msg, "truncated") != NULL);

	/* NLMSG_DONE with a negative status: the kernel stopped part way. */
	r.len = 0;
	put_sock(&r, TCP_ESTABLISHED, PORT, 1, 0, 0, 0);
	put_done(&r, -ENOMEM);
	CHECK(parse(&r, PORT, &dump, &s, &err) == -1);
	CHECK(dump.done == 1 && strstr(err.msg, strerror(ENOMEM)) != NULL);

	/* NLMSG_DONE without its status. */
	r.len = 0;
	put_msg(&r, NLMSG_DONE, NLM_F_MULTI, SEQ, PID, &e, 0);
	CHECK(parse(&r, PORT, &dump, &s, &err) == -1);
	CHECK(strstr(err.msg, "no status") != NULL);

	/* Codes no kernel sends (found by fuzz_sockdiag: negating INT_MIN was undefined): a protocol error. */
	r.len = 0;
	e.error = INT_MIN;
	put_msg(&r, NLMSG_ERROR, 0, SEQ, PID, &e, sizeof(e));
	CHECK(parse(&r, PORT, &dump, &s, &err) == -1);
	CHECK(strstr(err.msg, strerror(EPROTO)) != NULL);
	r.len = 0;
	put_done(&r, INT_MIN);
	CHECK(parse(&r, PORT, &dump, &s, &err) == -1);
	CHECK(strstr(err.msg, strerror(EPROTO)) != NULL);
	r.len = 0;
	put_done(&r, -5000);
	CHECK(parse(&r, PORT, &dump, &s, &err) == -1);
	CHECK(strstr(err.msg, strerror(EPROTO)) != NULL);
}

static void test_dump_interrupted(void)
{
	static struct reply r;
	static struct sockdiag_sample s;
	struct sockdiag_dump dump;
	struct tl_err err = { "" };

	r.len = 0;
	put_sock(&r, TCP_LISTEN, PORT, 0, 0, 1, 1);
	put_sock_flags(&r, NLM_F_DUMP_INTR, TCP_ESTABLISHED, PORT, 50000, 0, 0, 2);
	put_sock(&r, TCP_ESTABLISHED, 50000, PORT, 0, 0, 3);
	put_done(&r, 0);
	CHECK(parse(&r, PORT, &dump, &s, &err) == 0);
	CHECK(dump.done == 1 && dump.interrupted == 1);
	CHECK(s.sockets_total == 3);
	/* A fresh dump starts clean. */
	r.len = 0;
	put_done(&r, 0);
	CHECK(parse(&r, PORT, &dump, &s, &err) == 0);
	CHECK(dump.interrupted == 0 && s.sockets_total == 0);
}

static void test_malformed_replies(void)
{
	static struct reply r;
	static struct sockdiag_sample s;
	struct sockdiag_dump dump;
	struct tl_err err = { "" };
	uint32_t small = 0;

	/* A message cut off by the end of the buffer. */
	r.len = 0;
	put_sock(&r, TCP_ESTABLISHED, PORT, 1, 0, 0, 0);
	put_sock(&r, TCP_ESTABLISHED, PORT, 2, 0, 0, 0);
	r.len -= 20;
	CHECK(parse(&r, PORT, &dump, &s, &err) == -1);
	CHECK(strstr(err.msg, "not a whole message") != NULL);

	/* A socket message too short to hold inet_diag_msg. */
	r.len = 0;
	put_msg(&r, SOCK_DIAG_BY_FAMILY, NLM_F_MULTI, SEQ, PID, &small, sizeof(small));
	CHECK(parse(&r, PORT, &dump, &s, &err) == -1);
	CHECK(strstr(err.msg, "shorter than inet_diag_msg") != NULL);

	/* A message type that has no business in a sock_diag dump. */
	r.len = 0;
	put_msg(&r, 16 /* RTM_NEWLINK */, NLM_F_MULTI, SEQ, PID, &small, sizeof(small));
	CHECK(parse(&r, PORT, &dump, &s, &err) == -1);
	CHECK(strstr(err.msg, "unexpected message type 16") != NULL);
}

static void test_unknown_state_and_many_listeners(void)
{
	static struct reply r;
	static struct sockdiag_sample s;
	struct sockdiag_dump dump;
	struct tl_err err = { "" };

	r.len = 0;
	/* prefork with one SO_REUSEPORT socket each, one more than a sample keeps. */
	for (uint32_t i = 0; i < SOCKDIAG_MAX_LISTENERS + 1; i++)
		put_sock(&r, TCP_LISTEN, PORT, 0, i % 3, 16, 100 + i);
	put_sock(&r, 12 /* a state this code does not know */, PORT, 1, 0, 0, 0);
	put_done(&r, 0);
	CHECK(parse(&r, PORT, &dump, &s, &err) == 0);
	CHECK(s.listener_count == SOCKDIAG_MAX_LISTENERS && s.listeners_missed == 1);
	CHECK(s.listeners[SOCKDIAG_MAX_LISTENERS - 1].inode == 100 + SOCKDIAG_MAX_LISTENERS - 1);
	CHECK(s.states_port[TCP_LISTEN] == SOCKDIAG_MAX_LISTENERS + 1);
	CHECK(s.sockets_unknown_state == 1 && s.sockets_total == SOCKDIAG_MAX_LISTENERS + 2);
}

/* The reply to one listener lookup (seq), as the kernel sends it: one message, no NLM_F_MULTI. */
static void put_lookup_reply(struct reply *r, uint32_t seq, uint8_t state, uint32_t rqueue, uint32_t wqueue,
			     uint32_t inode, uint32_t cookie)
{
	struct inet_diag_msg m;

	memset(&m, 0, sizeof(m));
	m.idiag_family = AF_INET;
	m.idiag_state = state;
	m.id.idiag_sport = htons(PORT);
	m.id.idiag_src[0] = htonl(0x7f000001);
	m.id.idiag_cookie[0] = cookie;
	m.idiag_rqueue = rqueue;
	m.idiag_wqueue = wqueue;
	m.idiag_inode = inode;
	put_msg(r, SOCK_DIAG_BY_FAMILY, 0, seq, PID, &m, sizeof(m));
}

static void put_error(struct reply *r, uint32_t seq, int error)
{
	struct nlmsgerr e;

	memset(&e, 0, sizeof(e));
	e.error = error;
	put_msg(r, NLMSG_ERROR, 0, seq, PID, &e, sizeof(e));
}

/* Two listeners as a walk knew them: inodes 11 and 12, cookies 1 and 2. */
static void known_pair(struct sockdiag_listener known[2])
{
	memset(known, 0, 2 * sizeof(known[0]));
	for (int i = 0; i < 2; i++) {
		known[i].inode = 11 + (uint32_t)i;
		known[i].local_addr = htonl(0x7f000001 + (uint32_t)i);
		known[i].acceptq_len = 99; /* stale values the replies replace */
		known[i].acceptq_limit = 99;
		known[i].cookie[0] = 1 + (uint32_t)i;
	}
}

static void test_lookup_replies(void)
{
	static struct reply r, second;
	static struct sockdiag_sample s;
	struct sockdiag_listener known[2];
	struct sockdiag_lookups l;
	struct tl_err err = { "" };

	known_pair(known);
	/* Out of order, in two buffers, with an older request's leftover and another socket's reply between. */
	r.len = 0;
	second.len = 0;
	put_lookup_reply(&r, SEQ + 1, TCP_LISTEN, 5, 64, 12, 2);
	put_lookup_reply(&r, SEQ - 1, TCP_LISTEN, 7, 7, 11, 1);
	put_lookup_reply(&r, SEQ, TCP_LISTEN, 8, 8, 11, 1);
	((struct nlmsghdr *)(r.buf + r.len - NLMSG_SPACE(sizeof(struct inet_diag_msg))))->nlmsg_pid = PID + 1;
	put_lookup_reply(&second, SEQ, TCP_LISTEN, 0, 1, 11, 1);
	sockdiag_lookups_begin(&l, SEQ, PID, PORT, known, 2, &s);
	CHECK(s.listener_count == 2 && s.listeners_only == 1 && s.looked_up == 1);
	CHECK(sockdiag_parse_lookups(&l, r.buf, r.len, &s, &err) == 0);
	CHECK(l.answered == 1 && l.stale == 0 && l.refused == 0);
	CHECK(sockdiag_parse_lookups(&l, second.buf, second.len, &s, &err) == 0);
	CHECK(l.answered == 2 && l.stale == 0 && l.refused == 0);
	CHECK(s.listeners[0].inode == 11 && s.listeners[0].acceptq_len == 0 && s.listeners[0].acceptq_limit == 1);
	CHECK(s.listeners[1].inode == 12 && s.listeners[1].acceptq_len == 5 && s.listeners[1].acceptq_limit == 64);
	CHECK(s.listeners[1].local_addr == htonl(0x7f000002) && s.listeners[1].cookie[0] == 2);
	CHECK(s.states_all[TCP_LISTEN] == 2 && s.states_port[TCP_LISTEN] == 2 && s.sockets_total == 2);
	CHECK(s.states_port[TCP_ESTABLISHED] == 0 && s.listeners_missed == 0 && s.dump_retries == 0);
	/* A second reply to the same request is not counted twice. */
	CHECK(sockdiag_parse_lookups(&l, second.buf, second.len, &s, &err) == 0 && l.answered == 2);
}

static void test_lookup_stale_and_refused(void)
{
	static struct reply r;
	static struct sockdiag_sample s;
	struct sockdiag_listener known[2];
	struct sockdiag_lookups l;
	struct tl_err err = { "" };
	struct {
		uint8_t state;
		uint32_t inode;
		uint32_t cookie;
	} wrong[] = {
		{ TCP_ESTABLISHED, 11, 1 }, /* not a listener any more */
		{ TCP_LISTEN, 21, 1 },      /* another socket */
		{ TCP_LISTEN, 11, 9 },      /* another cookie */
	};
	static const int not_seen[] = { -ENOENT, 0 };

	known_pair(known);
	/* ENOENT: gone or replaced; an acknowledgement nobody asked for counts as not seen either. */
	for (size_t i = 0; i < sizeof(not_seen) / sizeof(not_seen[0]); i++) {
		r.len = 0;
		put_lookup_reply(&r, SEQ, TCP_LISTEN, 0, 1, 11, 1);
		put_error(&r, SEQ + 1, not_seen[i]);
		sockdiag_lookups_begin(&l, SEQ, PID, PORT, known, 2, &s);
		CHECK(sockdiag_parse_lookups(&l, r.buf, r.len, &s, &err) == 0);
		CHECK(l.answered == 2 && l.stale == 1 && l.refused == 0);
	}
	for (size_t i = 0; i < sizeof(wrong) / sizeof(wrong[0]); i++) {
		r.len = 0;
		put_lookup_reply(&r, SEQ, wrong[i].state, 0, 1, wrong[i].inode, wrong[i].cookie);
		sockdiag_lookups_begin(&l, SEQ, PID, PORT, known, 1, &s);
		CHECK(sockdiag_parse_lookups(&l, r.buf, r.len, &s, &err) == 0);
		CHECK(l.answered == 1 && l.stale == 1);
	}
	/* Any other error: the kernel will not look sockets up. */
	r.len = 0;
	put_error(&r, SEQ, -EOPNOTSUPP);
	sockdiag_lookups_begin(&l, SEQ, PID, PORT, known, 1, &s);
	CHECK(sockdiag_parse_lookups(&l, r.buf, r.len, &s, &err) == 0);
	CHECK(l.answered == 1 && l.refused == 1 && l.refused_errno == EOPNOTSUPP && l.stale == 0);
	/* A code outside the kernel's range (INT_MIN cannot be negated): refused as a protocol error. */
	r.len = 0;
	put_error(&r, SEQ, INT_MIN);
	sockdiag_lookups_begin(&l, SEQ, PID, PORT, known, 1, &s);
	CHECK(sockdiag_parse_lookups(&l, r.buf, r.len, &s, &err) == 0);
	CHECK(l.answered == 1 && l.refused == 1 && l.refused_errno == EPROTO);
}

static void test_lookup_malformed(void)
{
	static struct reply r;
	static struct sockdiag_sample s;
	struct sockdiag_listener known[2];
	struct sockdiag_lookups l;
	struct tl_err err = { "" };
	uint32_t small = 0;
	int status = 0;

	known_pair(known);
	r.len = 0;
	put_msg(&r, NLMSG_ERROR, 0, SEQ, PID, &small, sizeof(small));
	sockdiag_lookups_begin(&l, SEQ, PID, PORT, known, 1, &s);
	CHECK(sockdiag_parse_lookups(&l, r.buf, r.len, &s, &err) == -1 && strstr(err.msg, "truncated") != NULL);
	r.len = 0;
	put_msg(&r, SOCK_DIAG_BY_FAMILY, 0, SEQ, PID, &small, sizeof(small));
	sockdiag_lookups_begin(&l, SEQ, PID, PORT, known, 1, &s);
	CHECK(sockdiag_parse_lookups(&l, r.buf, r.len, &s, &err) == -1);
	CHECK(strstr(err.msg, "shorter than inet_diag_msg") != NULL);
	/* A lookup is answered by one message, never by the end of a dump. */
	r.len = 0;
	put_msg(&r, NLMSG_DONE, 0, SEQ, PID, &status, sizeof(status));
	sockdiag_lookups_begin(&l, SEQ, PID, PORT, known, 1, &s);
	CHECK(sockdiag_parse_lookups(&l, r.buf, r.len, &s, &err) == -1);
	CHECK(strstr(err.msg, "unexpected message type 3 in a lookup reply") != NULL);
	r.len = 0;
	put_lookup_reply(&r, SEQ, TCP_LISTEN, 0, 1, 11, 1);
	r.len -= 8;
	sockdiag_lookups_begin(&l, SEQ, PID, PORT, known, 1, &s);
	CHECK(sockdiag_parse_lookups(&l, r.buf, r.len, &s, &err) == -1);
	CHECK(strstr(err.msg, "not a whole message") != NULL);
}

/* Wait (up to timeout_us) until fd is writable: a non-blocking connect finished. */
static int wait_connected(int fd, int64_t timeout_us)
{
	struct pollfd p = { .fd = fd, .events = POLLOUT };
	int so_error = 0;
	socklen_t len = sizeof(so_error);

	if (poll(&p, 1, (int)(timeout_us / 1000)) != 1)
		return -1;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &so_error, &len) != 0 || so_error != 0)
		return -1;
	return 0;
}

static int connect_nonblocking(const struct sockaddr_in *to)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	if (connect(fd, (const struct sockaddr *)to, sizeof(*to)) != 0 && errno != EINPROGRESS) {
		close(fd);
		return -1;
	}
	return fd;
}

typedef int (*sample_ok_fn)(const struct sockdiag_sample *s);

/* Sample until ok(s) holds: the kernel finishes handshakes on loopback a moment after connect returns. */
static int sample_until(struct sockdiag *d, uint16_t port, sample_ok_fn ok, struct sockdiag_sample *s, struct tl_err *err)
{
	int64_t deadline_us = clock_mono_us() + 2000000;

	for (;;) {
		if (sockdiag_sample(d, port, s, err) != 0)
			return -1;
		if (ok(s))
			return 0;
		if (clock_mono_us() > deadline_us)
			return -1;
		clock_sleep_us(1000);
	}
}

static int two_queued(const struct sockdiag_sample *s)
{
	return s->listener_count == 1 && s->listeners[0].acceptq_len == 2;
}

static int one_syn_sent(const struct sockdiag_sample *s)
{
	return two_queued(s) && s->states_port[TCP_SYN_SENT] == 1;
}

static int listen_on(struct sockaddr_in *addr, int backlog)
{
	socklen_t len = sizeof(*addr);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	if (bind(fd, (struct sockaddr *)addr, sizeof(*addr)) != 0 || listen(fd, backlog) != 0 ||
	    getsockname(fd, (struct sockaddr *)addr, &len) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Close with RST (SO_LINGER 0) so the test leaves no TIME-WAIT behind. */
static void close_abort(int fd)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };

	if (fd < 0)
		return;
	setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	close(fd);
}

/* Needs no privileges: a listener on an ephemeral loopback port of this namespace, two connects never accepted. */
static void test_live_current_namespace(void)
{
	static struct sockdiag d;
	static struct sockdiag_sample s;
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct tl_err err = { "" };
	int lfd;
	int c1 = -1;
	int c2 = -1;

	lfd = listen_on(&addr, 4);
	CHECK(lfd >= 0);
	CHECK(sockdiag_open(&d, -1, &err) == 0);
	if (lfd < 0 || d.fd < 0)
		return;
	c1 = connect_nonblocking(&addr);
	c2 = connect_nonblocking(&addr);
	CHECK(c1 >= 0 && c2 >= 0 && wait_connected(c1, 1000000) == 0 && wait_connected(c2, 1000000) == 0);
	CHECK(sample_until(&d, ntohs(addr.sin_port), two_queued, &s, &err) == 0);
	CHECK(s.listener_count == 1);
	CHECK(s.listeners[0].acceptq_len == 2 && s.listeners[0].acceptq_limit == 4);
	CHECK(s.listeners[0].local_addr == htonl(INADDR_LOOPBACK));
	/* Both ends of both connections: the clients' remote port and the children's local port. */
	CHECK(s.states_port[TCP_ESTABLISHED] == 4);
	CHECK(s.states_port[TCP_LISTEN] == 1);
	CHECK(s.states_all[TCP_ESTABLISHED] >= 4 && s.sockets_total >= 5);
	CHECK(s.listeners_only == 0);
	/* The cheap variant: the same queue, and no connections counted. */
	CHECK(sockdiag_sample_listeners(&d, ntohs(addr.sin_port), &s, &err) == 0);
	CHECK(s.listeners_only == 1 && s.listener_count == 1);
	CHECK(s.listeners[0].acceptq_len == 2 && s.listeners[0].acceptq_limit == 4);
	CHECK(s.states_port[TCP_ESTABLISHED] == 0 && s.states_all[TCP_ESTABLISHED] == 0);
	CHECK(s.states_port[TCP_LISTEN] == 1 && s.states_all[TCP_LISTEN] == s.sockets_total);
	close_abort(c1);
	close_abort(c2);
	close(lfd);
	sockdiag_close(&d);
	CHECK(d.fd == -1);
	CHECK(sockdiag_sample(&d, 1, &s, &err) == -1 && strstr(err.msg, "not open") != NULL);
	sockdiag_close(&d);
}

/* What a sockdiag_each walk saw on one port: the sockets, and the id of the first client end (remote port). */
struct port_walk {
	uint16_t port; /* host byte order */
	unsigned on_port;
	unsigned listeners;
	int have_client;
	struct inet_diag_sockid client;
};

static int walk_port(const struct inet_diag_msg *m, void *arg)
{
	struct port_walk *w = arg;

	if (ntohs(m->id.idiag_sport) != w->port && ntohs(m->id.idiag_dport) != w->port)
		return 0;
	w->on_port++;
	w->listeners += m->idiag_state == TCP_LISTEN;
	if (!w->have_client && ntohs(m->id.idiag_dport) == w->port) {
		w->client = m->id;
		w->have_client = 1;
	}
	return 0;
}

/* The walk the agent resets a namespace with: connections only, no listener; then SOCK_DESTROY (root) aborts
 * one client end by its id, and a second destroy of the same id finds it gone. */
static void test_live_each_and_destroy(void)
{
	static struct sockdiag d;
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct tl_err err = { "" };
	struct port_walk w = { 0 };
	int interrupted = 0;
	int fds[2] = { -1, -1 };
	int lfd = listen_on(&addr, 4);

	CHECK(lfd >= 0);
	CHECK(sockdiag_open(&d, -1, &err) == 0);
	if (lfd < 0 || d.fd < 0)
		return;
	for (int i = 0; i < 2; i++) {
		fds[i] = connect_nonblocking(&addr);
		CHECK(fds[i] >= 0 && wait_connected(fds[i], 1000000) == 0);
	}
	w.port = ntohs(addr.sin_port);
	CHECK(sockdiag_each(&d, SOCKDIAG_STATES_CONNECTIONS, walk_port, &w, &interrupted, &err) == 0);
	/* Both ends of both connections (the server's are in the accept queue), and not the listener. */
	CHECK(w.on_port == 4 && w.listeners == 0 && w.have_client);
	if (geteuid() == 0 && w.have_client) {
		struct inet_diag_sockid victim = w.client;
		int so_error = 0;
		socklen_t len = sizeof(so_error);
		int fd = -1;

		/* The client end the walk named is the fd bound to its local port. */
		for (int i = 0; i < 2; i++) {
			struct sockaddr_in local;
			socklen_t local_len = sizeof(local);

			if (getsockname(fds[i], (struct sockaddr *)&local, &local_len) == 0 &&
			    local.sin_port == victim.idiag_sport)
				fd = fds[i];
		}
		CHECK(fd >= 0);
		CHECK(sockdiag_destroy(&d, &victim, &err) == 0);
		CHECK(fd >= 0 && getsockopt(fd, SOL_SOCKET, SO_ERROR, &so_error, &len) == 0 && so_error == ECONNABORTED);
		/* Gone already: still 0 (ENOENT is what was wanted). */
		CHECK(sockdiag_destroy(&d, &victim, &err) == 0);
		memset(&w, 0, sizeof(w));
		w.port = ntohs(addr.sin_port);
		CHECK(sockdiag_each(&d, SOCKDIAG_STATES_CONNECTIONS, walk_port, &w, &interrupted, &err) == 0);
		/* The destroyed end is gone, and so is its peer: tcp_abort() sent it a RST. */
		if (w.on_port != 2)
			printf("     %u sockets on the port after the destroy\n", w.on_port);
		CHECK(w.on_port == 2);
	}
	for (int i = 0; i < 2; i++)
		close_abort(fds[i]);
	close(lfd);
	sockdiag_close(&d);
	CHECK(sockdiag_each(&d, SOCKDIAG_STATES_CONNECTIONS, walk_port, &w, &interrupted, &err) == -1);
}

/* A listener bound to addr:port (host byte order), optionally with SO_REUSEPORT. */
static int listen_at(uint32_t addr, uint16_t port, int reuseport, int backlog)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(addr) };
	int one = 1;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0 ||
	    (reuseport && setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one)) != 0) ||
	    bind(fd, (struct sockaddr *)&a, sizeof(a)) != 0 || listen(fd, backlog) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* A listeners-only sample right after a walk, so that it is answered by lookups (a few tries: a thread
 * descheduled past SOCKDIAG_KNOWN_MAX_AGE_US between the two walks again instead). */
static int looked_up_sample(struct sockdiag *d, uint16_t port, struct sockdiag_sample *s, struct tl_err *err)
{
	for (int tries = 0; tries < 5; tries++) {
		if (sockdiag_sample(d, port, s, err) != 0 || sockdiag_sample_listeners(d, port, s, err) != 0)
			return -1;
		if (s->looked_up)
			return 0;
	}
	return -1;
}

static uint32_t inode_of(const struct sockdiag_sample *s, uint32_t addr)
{
	for (uint32_t i = 0; i < s->listener_count; i++) {
		if (s->listeners[i].local_addr == htonl(addr))
			return s->listeners[i].inode;
	}
	return 0;
}

/* Listeners-only samples by lookup: the queue moves, a new listener is found by the next walk, one that
 * goes or is replaced sends the sample back to a walk at once, SO_REUSEPORT groups are always walked. */
static void test_live_lookups(void)
{
	static struct sockdiag d;
	static struct sockdiag_sample s;
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct tl_err err = { "" };
	uint32_t inode_a;
	uint16_t port;
	int a, b, c = -1, r1, r2;

	a = listen_on(&addr, 4);
	CHECK(a >= 0);
	CHECK(sockdiag_open(&d, -1, &err) == 0);
	if (a < 0 || d.fd < 0)
		return;
	port = ntohs(addr.sin_port);
	CHECK(looked_up_sample(&d, port, &s, &err) == 0);
	CHECK(s.listener_count == 1 && s.listeners[0].acceptq_len == 0 && s.listeners[0].acceptq_limit == 4);
	inode_a = s.listeners[0].inode;
	CHECK(inode_a != 0 && s.states_port[TCP_LISTEN] == 1 && s.sockets_total == 1 && s.listeners_only == 1);
	/* The queue as it is now, not as the walk saw it. */
	c = connect_nonblocking(&addr);
	CHECK(c >= 0 && wait_connected(c, 1000000) == 0);
	for (int tries = 0; tries < 100 && (s.listener_count != 1 || s.listeners[0].acceptq_len != 1); tries++) {
		CHECK(sockdiag_sample_listeners(&d, port, &s, &err) == 0);
		clock_sleep_us(1000);
	}
	CHECK(s.listener_count == 1 && s.listeners[0].acceptq_len == 1 && s.listeners[0].inode == inode_a);
	CHECK(looked_up_sample(&d, port, &s, &err) == 0 && s.listeners[0].acceptq_len == 1);

	/* A second address on the port: unseen until the known ones are too old, then walked and looked up. */
	b = listen_at(INADDR_LOOPBACK + 1, port, 0, 8);
	CHECK(b >= 0);
	CHECK(sockdiag_sample_listeners(&d, port, &s, &err) == 0);
	CHECK(s.listener_count == (s.looked_up ? 1U : 2U));
	clock_sleep_us(SOCKDIAG_KNOWN_MAX_AGE_US + 1000);
	CHECK(sockdiag_sample_listeners(&d, port, &s, &err) == 0);
	CHECK(s.looked_up == 0 && s.listener_count == 2 && inode_of(&s, INADDR_LOOPBACK + 1) != 0);
	CHECK(sockdiag_sample_listeners(&d, port, &s, &err) == 0);
	CHECK(s.listener_count == 2);
	CHECK(looked_up_sample(&d, port, &s, &err) == 0 && s.listener_count == 2);

	/* One goes: its lookup fails and the sample is a walk, at once. */
	close(b);
	CHECK(sockdiag_sample_listeners(&d, port, &s, &err) == 0);
	CHECK(s.looked_up == 0 && s.listener_count == 1 && s.listeners[0].inode == inode_a);

	/* Replaced on the same address and port: the old cookie finds nothing; the walk finds the new one. */
	CHECK(looked_up_sample(&d, port, &s, &err) == 0);
	close_abort(c);
	c = -1;
	close(a);
	a = listen_at(INADDR_LOOPBACK, port, 0, 3);
	CHECK(a >= 0);
	CHECK(sockdiag_sample_listeners(&d, port, &s, &err) == 0);
	CHECK(s.looked_up == 0 && s.listener_count == 1 && s.listeners[0].acceptq_limit == 3);
	CHECK(s.listeners[0].inode != 0 && s.listeners[0].inode != inode_a);
	/* Port 0 (every listener) has nothing to look up by. */
	CHECK(sockdiag_sample(&d, port, &s, &err) == 0 && sockdiag_sample_listeners(&d, 0, &s, &err) == 0);
	CHECK(s.looked_up == 0 && s.listener_count >= 1);
	if (a >= 0)
		close(a);

	/* An SO_REUSEPORT group: the kernel would pick one member, so every sample walks and sees both. */
	r1 = listen_at(INADDR_LOOPBACK, port, 1, 4);
	r2 = listen_at(INADDR_LOOPBACK, port, 1, 4);
	CHECK(r1 >= 0 && r2 >= 0);
	CHECK(sockdiag_sample(&d, port, &s, &err) == 0 && s.listener_count == 2);
	for (int i = 0; i < 2; i++) {
		CHECK(sockdiag_sample_listeners(&d, port, &s, &err) == 0);
		CHECK(s.looked_up == 0 && s.listener_count == 2 && s.listeners_only == 1);
	}
	if (r1 >= 0)
		close(r1);
	if (r2 >= 0)
		close(r2);
	sockdiag_close(&d);
}

static int one_syn_recv(const struct sockdiag_sample *s)
{
	return s->states_port[TCP_SYN_RECV] == 1;
}

/* Request sockets: with TCP_DEFER_ACCEPT the server keeps the connection in SYN-RECV until data arrives. */
static void test_live_syn_recv(void)
{
	static struct sockdiag d;
	static struct sockdiag_sample s;
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct tl_err err = { "" };
	int defer_s = 30;
	int lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int cfd = -1;
	socklen_t len = sizeof(addr);

	CHECK(lfd >= 0);
	CHECK(setsockopt(lfd, IPPROTO_TCP, TCP_DEFER_ACCEPT, &defer_s, sizeof(defer_s)) == 0);
	CHECK(bind(lfd, (struct sockaddr *)&addr, sizeof(addr)) == 0 && listen(lfd, 8) == 0);
	CHECK(getsockname(lfd, (struct sockaddr *)&addr, &len) == 0);
	CHECK(sockdiag_open(&d, -1, &err) == 0);
	if (unit_failed == 0) {
		cfd = connect_nonblocking(&addr);
		CHECK(cfd >= 0 && wait_connected(cfd, 1000000) == 0);
		CHECK(sample_until(&d, ntohs(addr.sin_port), one_syn_recv, &s, &err) == 0);
		/* The client believes it is connected; the server has not even queued it. */
		CHECK(s.states_port[TCP_ESTABLISHED] == 1 && s.states_port[TCP_SYN_RECV] == 1);
		CHECK(s.listener_count == 1 && s.listeners[0].acceptq_len == 0);
	}
	close_abort(cfd);
	if (lfd >= 0)
		close(lfd);
	sockdiag_close(&d);
}

/* Device number and inode of the calling thread's network namespace. */
static int own_netns(struct stat *st)
{
	return stat("/proc/thread-self/ns/net", st);
}

static int bring_lo_up(void)
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int rc;

	if (fd < 0)
		return -1;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "lo");
	rc = ioctl(fd, SIOCGIFFLAGS, &ifr);
	if (rc == 0) {
		ifr.ifr_flags |= IFF_UP;
		rc = ioctl(fd, SIOCSIFFLAGS, &ifr);
	}
	close(fd);
	return rc;
}

/* The child of the root-only case: a fresh namespace, an accept queue overflowed on purpose. */
static int overflow_child(int ready_fd, int go_fd)
{
	static struct sockdiag d;
	static struct sockdiag_sample s;
	static struct counters c;
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons(PORT), .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct tl_err err = { "" };
	int64_t overflows = -1;
	int fds[3] = { -1, -1, -1 };
	int lfd;
	char byte = 0;

	CHECK(unshare(CLONE_NEWNET) == 0);
	CHECK(bring_lo_up() == 0);
	/* backlog 1: the accept queue holds 2 (limit + 1); the third SYN is dropped. */
	lfd = listen_on(&addr, 1);
	CHECK(lfd >= 0);
	CHECK(sockdiag_open(&d, -1, &err) == 0);
	if (unit_failed == 0) {
		for (int i = 0; i < 2; i++) {
			fds[i] = connect_nonblocking(&addr);
			CHECK(fds[i] >= 0 && wait_connected(fds[i], 1000000) == 0);
		}
		CHECK(sample_until(&d, PORT, two_queued, &s, &err) == 0);
		fds[2] = connect_nonblocking(&addr);
		CHECK(fds[2] >= 0);
		CHECK(sample_until(&d, PORT, one_syn_sent, &s, &err) == 0);
		CHECK(s.listeners[0].acceptq_len == 2 && s.listeners[0].acceptq_limit == 1);
		CHECK(s.states_port[TCP_ESTABLISHED] == 4 && s.states_port[TCP_LISTEN] == 1);
		CHECK(s.states_port[TCP_SYN_RECV] == 0);
		/* A fresh namespace holds only this test's sockets. */
		CHECK(memcmp(s.states_all, s.states_port, sizeof(s.states_all)) == 0 && s.sockets_total == 6);
		CHECK(counters_read("/proc/thread-self/net", &c, &err) == 0);
		CHECK(counters_get(&c, "TcpExtListenOverflows", &overflows) == 0 && overflows >= 1);
	}
	if (unit_failed != 0)
		printf("  child: %s\n", err.msg);
	fflush(stdout);
	/* Let the parent look at this namespace from outside, then end. */
	if (write(ready_fd, &byte, 1) != 1)
		return 1;
	if (read(go_fd, &byte, 1) < 0)
		return 1;
	for (int i = 0; i < 3; i++)
		close_abort(fds[i]);
	if (lfd >= 0)
		close(lfd);
	sockdiag_close(&d);
	return unit_failed == 0 ? 0 : 1;
}

/* Root only: sample another process's namespace through its /proc/PID/ns/net, without entering it. */
static void test_live_overflow_netns(void)
{
	static struct sockdiag d;
	static struct sockdiag_sample s;
	static struct counters c, by_path;
	struct tl_err err = { "" };
	struct stat ns_before, ns_after, child_ns;
	int ready[2], go[2];
	char path[64];
	char byte = 0;
	int64_t overflows = -1;
	int status = 0;
	int ns_fd;
	pid_t pid;

	CHECK(pipe2(ready, O_CLOEXEC) == 0 && pipe2(go, O_CLOEXEC) == 0);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		/* The child reports through its exit status: start its tally from zero. */
		unit_failed = 0;
		close(ready[0]);
		close(go[1]);
		_exit(overflow_child(ready[1], go[0]));
	}
	CHECK(pid > 0);
	close(ready[1]);
	close(go[0]);
	if (pid < 0)
		return;
	CHECK(read(ready[0], &byte, 1) == 1);
	snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)pid);
	ns_fd = open(path, O_RDONLY | O_CLOEXEC);
	CHECK(ns_fd >= 0);
	CHECK(own_netns(&ns_before) == 0 && fstat(ns_fd, &child_ns) == 0);
	CHECK(child_ns.st_ino != ns_before.st_ino);
	if (ns_fd >= 0) {
		CHECK(sockdiag_open(&d, ns_fd, &err) == 0);
		CHECK(own_netns(&ns_after) == 0 && ns_after.st_ino == ns_before.st_ino);
		CHECK(sockdiag_sample(&d, PORT, &s, &err) == 0);
		CHECK(s.listener_count == 1 && s.listeners[0].acceptq_len == 2 && s.listeners[0].acceptq_limit == 1);
		CHECK(s.states_port[TCP_SYN_SENT] == 1 && s.states_port[TCP_ESTABLISHED] == 4);
		CHECK(s.sockets_total == 6);
		sockdiag_close(&d);
		CHECK(counters_read_netns(ns_fd, &c, &err) == 0);
		CHECK(counters_get(&c, "TcpExtListenOverflows", &overflows) == 0 && overflows >= 1);
		snprintf(path, sizeof(path), "/proc/%d/net", (int)pid);
		CHECK(counters_read(path, &by_path, &err) == 0);
		overflows = -1;
		CHECK(counters_get(&by_path, "TcpExtListenOverflows", &overflows) == 0 && overflows >= 1);
		CHECK(own_netns(&ns_after) == 0 && ns_after.st_ino == ns_before.st_ino);
		close(ns_fd);
	}
	if (unit_failed != 0)
		printf("  parent: %s\n", err.msg);
	CHECK(write(go[1], &byte, 1) == 1);
	close(go[1]);
	close(ready[0]);
	CHECK(waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static void test_open_bad_netns(void)
{
	static struct sockdiag d;
	static struct counters c;
	struct tl_err err = { "" };
	struct stat before, after;
	int fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);

	/* Not a namespace file: setns fails, and the thread has not moved. */
	CHECK(fd >= 0 && own_netns(&before) == 0);
	CHECK(sockdiag_open(&d, fd, &err) == -1 && strstr(err.msg, "setns") != NULL);
	CHECK(d.fd == -1);
	CHECK(counters_read_netns(fd, &c, &err) == -1 && strstr(err.msg, "setns") != NULL);
	CHECK(own_netns(&after) == 0 && after.st_ino == before.st_ino);
	if (fd >= 0)
		close(fd);
}

int main(void)
{
	RUN(test_state_names);
	RUN(test_listener_and_states);
	RUN(test_reply_in_parts);
	RUN(test_foreign_messages_skipped);
	RUN(test_nlmsg_error);
	RUN(test_dump_interrupted);
	RUN(test_malformed_replies);
	RUN(test_unknown_state_and_many_listeners);
	RUN(test_lookup_replies);
	RUN(test_lookup_stale_and_refused);
	RUN(test_lookup_malformed);
	RUN(test_live_current_namespace);
	RUN(test_live_each_and_destroy);
	RUN(test_live_lookups);
	RUN(test_live_syn_recv);
	RUN(test_open_bad_netns);
	/* Creating a namespace needs CAP_SYS_ADMIN. */
	if (geteuid() == 0)
		RUN(test_live_overflow_netns);
	else
		printf("SKIP test_live_overflow_netns (needs root)\n");
	return UNIT_END();
}
