/* sockdiag: the inet_diag socket inside a namespace, the request/receive loop of one dump, and listener lookups. */
#include "sockdiag.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sched.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "clock.h"

/* A dump the kernel flags as inconsistent (sockets came and went under it) is redone this many times at most. */
#define SOCKDIAG_DUMP_RETRIES 4

/* A reply that takes longer than this means the kernel side is stuck: fail rather than hang the run. */
#define SOCKDIAG_RECV_TIMEOUT_US 1000000

/* Create the netlink socket in netns_fd; the thread returns to its own namespace before anything else. */
static int socket_in_netns(int netns_fd, int *out_fd, struct tl_err *err)
{
	int own_ns;
	int fd = -1;
	int saved_errno;

	if (netns_fd < 0) {
		fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
		if (fd < 0)
			return tl_errf(err, "sockdiag: socket(NETLINK_SOCK_DIAG): %s", strerror(errno));
		*out_fd = fd;
		return 0;
	}
	own_ns = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (own_ns < 0)
		return tl_errf(err, "sockdiag: open /proc/thread-self/ns/net: %s", strerror(errno));
	if (setns(netns_fd, CLONE_NEWNET) != 0) {
		saved_errno = errno;
		close(own_ns);
		return tl_errf(err, "sockdiag: setns into the side's namespace: %s", strerror(saved_errno));
	}
	/* The socket stays bound to the namespace it was created in, whatever the thread does next. */
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	saved_errno = errno;
	if (setns(own_ns, CLONE_NEWNET) != 0) {
		/* Carrying on would run the rest of the controller inside the side's namespace. */
		int back_errno = errno;

		if (fd >= 0)
			close(fd);
		close(own_ns);
		return tl_errf(err, "sockdiag: could not return to the controller's namespace: %s", strerror(back_errno));
	}
	close(own_ns);
	if (fd < 0)
		return tl_errf(err, "sockdiag: socket(NETLINK_SOCK_DIAG) in the side's namespace: %s", strerror(saved_errno));
	*out_fd = fd;
	return 0;
}

int sockdiag_open(struct sockdiag *d, int netns_fd, struct tl_err *err)
{
	struct sockaddr_nl local = { .nl_family = AF_NETLINK };
	socklen_t local_len = sizeof(local);
	struct timeval timeout = {
		.tv_sec = SOCKDIAG_RECV_TIMEOUT_US / 1000000,
		.tv_usec = SOCKDIAG_RECV_TIMEOUT_US % 1000000,
	};
	int fd = -1;

	d->fd = -1;
	d->seq = 0;
	d->known_port = 0;
	d->known_count = 0;
	d->lookups_refused = 0;
	if (socket_in_netns(netns_fd, &fd, err) != 0)
		return -1;
	/* Bind to learn our port id: replies carry it, and ss skips any that do not. */
	if (bind(fd, (struct sockaddr *)&local, sizeof(local)) != 0 ||
	    getsockname(fd, (struct sockaddr *)&local, &local_len) != 0) {
		int saved_errno = errno;

		close(fd);
		return tl_errf(err, "sockdiag: bind netlink socket: %s", strerror(saved_errno));
	}
	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout)) != 0) {
		int saved_errno = errno;

		close(fd);
		return tl_errf(err, "sockdiag: SO_RCVTIMEO: %s", strerror(saved_errno));
	}
	d->fd = fd;
	d->nl_pid = local.nl_pid;
	return 0;
}

void sockdiag_close(struct sockdiag *d)
{
	if (d->fd >= 0)
		close(d->fd);
	d->fd = -1;
	d->known_port = 0;
	d->known_count = 0;
}

/* A dump of the sockets in states (id NULL), or with id a request about that one socket: type SOCK_DESTROY. */
static int send_request(struct sockdiag *d, uint16_t type, uint32_t states, const struct inet_diag_sockid *id,
			struct tl_err *err)
{
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	struct {
		struct nlmsghdr nlh;
		struct inet_diag_req_v2 req;
	} msg;
	ssize_t n;

	memset(&msg, 0, sizeof(msg));
	msg.nlh.nlmsg_len = sizeof(msg);
	msg.nlh.nlmsg_type = type;
	msg.nlh.nlmsg_flags = id == NULL ? NLM_F_REQUEST | NLM_F_DUMP : NLM_F_REQUEST | NLM_F_ACK;
	msg.nlh.nlmsg_seq = ++d->seq;
	msg.req.sdiag_family = AF_INET;
	msg.req.sdiag_protocol = IPPROTO_TCP;
	/* No extensions (idiag_ext = 0): the queue lengths are in the base message, and
	 * tcp_info for every socket would multiply the cost of each sample. */
	msg.req.idiag_states = states;
	if (id != NULL)
		msg.req.id = *id;
	do {
		n = sendto(d->fd, &msg, sizeof(msg), 0, (struct sockaddr *)&kernel, sizeof(kernel));
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return tl_errf(err, "sockdiag: send inet_diag request: %s", strerror(errno));
	if ((size_t)n != sizeof(msg))
		return tl_errf(err, "sockdiag: inet_diag request sent short (%zd of %zu bytes)", n, sizeof(msg));
	return 0;
}

/* Receive one datagram of the dump into d->recv_buf; returns its length or -1. */
static ssize_t receive(struct sockdiag *d, struct tl_err *err)
{
	struct sockaddr_nl from;
	struct iovec iov = { .iov_base = d->recv_buf, .iov_len = sizeof(d->recv_buf) };
	struct msghdr mh = {
		.msg_name = &from,
		.msg_namelen = sizeof(from),
		.msg_iov = &iov,
		.msg_iovlen = 1,
	};
	ssize_t n;

	/* Only the kernel (port id 0) answers: a datagram another process sent to our port is not a reply. */
	do {
		mh.msg_namelen = sizeof(from);
		n = recvmsg(d->fd, &mh, 0);
	} while ((n < 0 && errno == EINTR) || (n >= 0 && from.nl_pid != 0));
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
		return tl_errf(err, "sockdiag: no inet_diag reply within %d ms", SOCKDIAG_RECV_TIMEOUT_US / 1000);
	if (n < 0)
		return tl_errf(err, "sockdiag: receive inet_diag reply: %s", strerror(errno));
	if (n == 0)
		return tl_errf(err, "sockdiag: netlink socket closed during the dump");
	if (mh.msg_flags & MSG_TRUNC)
		return tl_errf(err, "sockdiag: inet_diag reply truncated (buffer %zu bytes)", sizeof(d->recv_buf));
	return n;
}

/* Whether the first len bytes of recv_buf hold the end (NLMSG_DONE or NLMSG_ERROR) of dump seq. */
static int saw_end(const struct sockdiag *d, size_t len, uint32_t seq)
{
	const struct nlmsghdr *h = (const struct nlmsghdr *)d->recv_buf;
	int remaining = (int)len;

	for (; NLMSG_OK(h, remaining); h = NLMSG_NEXT(h, remaining)) {
		if (h->nlmsg_seq == seq && (h->nlmsg_type == NLMSG_DONE || h->nlmsg_type == NLMSG_ERROR))
			return 1;
	}
	return 0;
}

/* After a failure part way through a dump, read the rest of it: the kernel keeps a socket's
 * dump open until it is read to the end and refuses new ones (EBUSY) until then.
 * last_len: bytes of the dump still in recv_buf (0 when none); the end may already be there. */
static int drain(struct sockdiag *d, uint32_t seq, size_t last_len)
{
	if (saw_end(d, last_len, seq))
		return 0;
	/* Far more datagrams than a namespace of the lab's size produces in one dump. */
	for (int reads = 0; reads < 4096; reads++) {
		ssize_t n = receive(d, NULL);

		if (n < 0)
			return -1;
		if (saw_end(d, (size_t)n, seq))
			return 0;
	}
	return -1;
}

/* One request and its replies up to NLMSG_DONE. */
static int dump_once(struct sockdiag *d, uint32_t states, uint16_t port, struct sockdiag_sample *out, int *interrupted,
		     struct tl_err *err)
{
	struct sockdiag_dump dump;

	if (send_request(d, SOCK_DIAG_BY_FAMILY, states, NULL, err) != 0)
		return -1;
	sockdiag_dump_begin(&dump, d->seq, d->nl_pid, port, out);
	while (!dump.done) {
		ssize_t n = receive(d, err);

		if (n < 0 || sockdiag_parse(&dump, d->recv_buf, (size_t)n, out, err) != 0) {
			/* Finish the dump so the next request is accepted; a socket that cannot be
			 * brought back in step is closed rather than left to return wrong samples. */
			if (!dump.done && drain(d, dump.seq, n < 0 ? 0 : (size_t)n) != 0) {
				sockdiag_close(d);
				tl_err_wrap(err, "sockdiag: sampler closed");
			}
			return -1;
		}
	}
	*interrupted = dump.interrupted;
	return 0;
}

/* Keep what a walk of the listening table found on port, for lookups by name until it is too old. */
static void remember_listeners(struct sockdiag *d, uint16_t port, const struct sockdiag_sample *s, int64_t walked_at_us)
{
	d->known_port = 0;
	d->known_count = 0;
	if (port == 0 || s->listener_count == 0 || s->listeners_missed != 0)
		return;
	/* Listeners that share an address and a device are one SO_REUSEPORT group: a lookup reaches only
	 * the member the kernel's hash picks, so such a port is walked every time. */
	for (uint32_t i = 0; i < s->listener_count; i++) {
		for (uint32_t j = i + 1; j < s->listener_count; j++) {
			if (s->listeners[i].local_addr == s->listeners[j].local_addr &&
			    s->listeners[i].ifindex == s->listeners[j].ifindex)
				return;
		}
	}
	memcpy(d->known, s->listeners, s->listener_count * sizeof(s->listeners[0]));
	d->known_count = s->listener_count;
	d->known_port = port;
	d->known_at_us = walked_at_us;
}

static int sample_states(struct sockdiag *d, uint32_t states, uint16_t port, struct sockdiag_sample *out, struct tl_err *err)
{
	int interrupted = 0;

	if (d->fd < 0)
		return tl_errf(err, "sockdiag: sampler is not open");
	for (uint32_t retries = 0; retries <= SOCKDIAG_DUMP_RETRIES; retries++) {
		/* Before the request: a listener made while the kernel walks may or may not be in the dump. */
		int64_t started_us = clock_mono_us();

		if (dump_once(d, states, port, out, &interrupted, err) != 0)
			return -1;
		out->dump_retries = retries;
		out->listeners_only = states == SOCKDIAG_STATES_LISTEN;
		if (!interrupted) {
			if (states & SOCKDIAG_STATES_LISTEN)
				remember_listeners(d, port, out, started_us);
			return 0;
		}
	}
	return tl_errf(err, "sockdiag: the dump was interrupted %d times in a row (sockets changing too fast)",
		       SOCKDIAG_DUMP_RETRIES + 1);
}

int sockdiag_sample(struct sockdiag *d, uint16_t port, struct sockdiag_sample *out, struct tl_err *err)
{
	return sample_states(d, SOCKDIAG_STATES_ALL, port, out, err);
}

/* One exact-lookup request per known listener, all in one datagram: the kernel answers each in turn. */
static int send_lookups(struct sockdiag *d, uint16_t port, struct tl_err *err)
{
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	struct lookup_msg {
		struct nlmsghdr nlh;
		struct inet_diag_req_v2 req;
	} msgs[SOCKDIAG_MAX_LISTENERS];
	size_t len = d->known_count * sizeof(msgs[0]);
	ssize_t n;

	memset(msgs, 0, len);
	for (uint32_t i = 0; i < d->known_count; i++) {
		const struct sockdiag_listener *k = &d->known[i];
		struct lookup_msg *m = &msgs[i];

		m->nlh.nlmsg_len = sizeof(*m);
		m->nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
		/* No NLM_F_DUMP: the kernel finds the socket through its hash instead of walking the table. */
		m->nlh.nlmsg_flags = NLM_F_REQUEST;
		m->nlh.nlmsg_seq = ++d->seq;
		m->req.sdiag_family = AF_INET;
		m->req.sdiag_protocol = IPPROTO_TCP;
		m->req.idiag_states = SOCKDIAG_STATES_LISTEN;
		/* Local end (src, sport) as the listener is bound, remote end 0.0.0.0:0, which no connection
		 * has: the lookup falls through to the listener bound there, and the cookie makes sure it is
		 * the very socket the walk saw (else ENOENT). */
		m->req.id.idiag_src[0] = k->local_addr;
		m->req.id.idiag_sport = htons(port);
		m->req.id.idiag_if = k->ifindex;
		memcpy(m->req.id.idiag_cookie, k->cookie, sizeof(k->cookie));
	}
	do {
		n = sendto(d->fd, msgs, len, 0, (struct sockaddr *)&kernel, sizeof(kernel));
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return tl_errf(err, "sockdiag: send inet_diag lookups: %s", strerror(errno));
	if ((size_t)n != len)
		return tl_errf(err, "sockdiag: inet_diag lookups sent short (%zd of %zu bytes)", n, len);
	return 0;
}

/* Read the known listeners by lookups: 0 = out is the sample, 1 = they are not all there as they were known
 * (walk instead), -1 = error. */
static int lookup_known(struct sockdiag *d, uint16_t port, struct sockdiag_sample *out, struct tl_err *err)
{
	struct sockdiag_lookups l;

	if (send_lookups(d, port, err) != 0)
		return -1;
	sockdiag_lookups_begin(&l, d->seq - d->known_count + 1, d->nl_pid, port, d->known, d->known_count, out);
	/* Each reply is a datagram of its own; replies a failed batch leaves behind have older sequence
	 * numbers and are skipped by whatever is parsed next. */
	while (l.answered < l.count) {
		ssize_t n = receive(d, err);

		if (n < 0 || sockdiag_parse_lookups(&l, d->recv_buf, (size_t)n, out, err) != 0)
			return -1;
	}
	if (l.refused) {
		/* Not a listener gone (that is ENOENT): this kernel will not look sockets up. Walk from now on. */
		d->lookups_refused = 1;
		d->known_port = 0;
		return 1;
	}
	if (l.stale) {
		d->known_port = 0;
		return 1;
	}
	return 0;
}

int sockdiag_sample_listeners(struct sockdiag *d, uint16_t port, struct sockdiag_sample *out, struct tl_err *err)
{
	if (d->fd >= 0 && port != 0 && port == d->known_port && !d->lookups_refused &&
	    clock_mono_us() - d->known_at_us < SOCKDIAG_KNOWN_MAX_AGE_US) {
		int rc = lookup_known(d, port, out, err);

		if (rc <= 0)
			return rc;
	}
	return sample_states(d, SOCKDIAG_STATES_LISTEN, port, out, err);
}

/* Hand fn each socket message of the datagram in recv_buf that answers request seq; *done at its end. */
static int visit_datagram(struct sockdiag *d, size_t len, sockdiag_visit_fn fn, void *arg, int *stopped, int *done,
			  int *interrupted, struct tl_err *err)
{
	const struct nlmsghdr *h = (const struct nlmsghdr *)d->recv_buf;
	int remaining = (int)len;

	for (; NLMSG_OK(h, remaining); h = NLMSG_NEXT(h, remaining)) {
		if (h->nlmsg_seq != d->seq || (h->nlmsg_pid != 0 && h->nlmsg_pid != d->nl_pid))
			continue;
		if (h->nlmsg_type == NLMSG_DONE) {
			const int *status = NLMSG_DATA(h);

			*done = 1;
			/* The dump's own error, carried in its end. */
			if (h->nlmsg_len >= NLMSG_LENGTH(sizeof(*status)) && *status < 0)
				return tl_errf(err, "sockdiag: the dump ended with an error: %s", strerror(-*status));
			return 0;
		}
		if (h->nlmsg_type == NLMSG_ERROR) {
			const struct nlmsgerr *e = NLMSG_DATA(h);

			*done = 1;
			return tl_errf(err, "sockdiag: the kernel refused the dump: %s",
				       h->nlmsg_len >= NLMSG_LENGTH(sizeof(*e)) ? strerror(-e->error) : "(short error)");
		}
		if (h->nlmsg_type != SOCK_DIAG_BY_FAMILY || h->nlmsg_len < NLMSG_LENGTH(sizeof(struct inet_diag_msg)))
			continue;
		if (h->nlmsg_flags & NLM_F_DUMP_INTR)
			*interrupted = 1;
		if (!*stopped && fn((const struct inet_diag_msg *)NLMSG_DATA(h), arg) != 0)
			*stopped = 1;
	}
	return 0;
}

int sockdiag_each(struct sockdiag *d, uint32_t states, sockdiag_visit_fn fn, void *arg, int *interrupted,
		  struct tl_err *err)
{
	int stopped = 0;
	int done = 0;

	*interrupted = 0;
	if (d->fd < 0)
		return tl_errf(err, "sockdiag: sampler is not open");
	if (send_request(d, SOCK_DIAG_BY_FAMILY, states, NULL, err) != 0)
		return -1;
	while (!done) {
		ssize_t n = receive(d, err);

		if (n < 0 || visit_datagram(d, (size_t)n, fn, arg, &stopped, &done, interrupted, err) != 0) {
			if (!done && drain(d, d->seq, n < 0 ? 0 : (size_t)n) != 0) {
				sockdiag_close(d);
				tl_err_wrap(err, "sockdiag: sampler closed");
			}
			return -1;
		}
	}
	return 0;
}

int sockdiag_destroy(struct sockdiag *d, const struct inet_diag_sockid *id, struct tl_err *err)
{
	if (d->fd < 0)
		return tl_errf(err, "sockdiag: sampler is not open");
	/* SOCK_DESTROY looks the socket up by its full id; any state of it is fine. */
	if (send_request(d, SOCK_DESTROY, ~0U, id, err) != 0)
		return -1;
	for (;;) {
		ssize_t n = receive(d, err);
		const struct nlmsghdr *h = (const struct nlmsghdr *)d->recv_buf;
		const struct nlmsgerr *e;

		if (n < 0)
			return tl_err_wrap(err, "SOCK_DESTROY");
		/* A reply to an older request (a dump cut short) is skipped. */
		if (!NLMSG_OK(h, (size_t)n) || h->nlmsg_seq != d->seq)
			continue;
		if (h->nlmsg_type != NLMSG_ERROR || h->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
			return tl_errf(err, "SOCK_DESTROY: unexpected reply type %u", h->nlmsg_type);
		e = NLMSG_DATA(h);
		/* ENOENT: it went away between the dump and now, which is what was wanted. */
		return e->error == 0 || e->error == -ENOENT ? 0 : 1;
	}
}
