/* sockdiag_parse: turns inet_diag dump and lookup replies into a sample, checking each message the way ss does. */
#include "sockdiag.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/socket.h>

const char *sockdiag_state_name(int state)
{
	static const char *const names[SOCKDIAG_STATE_MAX + 1] = {
		[TCP_ESTABLISHED] = "ESTABLISHED",
		[TCP_SYN_SENT] = "SYN-SENT",
		[TCP_SYN_RECV] = "SYN-RECV",
		[TCP_FIN_WAIT1] = "FIN-WAIT-1",
		[TCP_FIN_WAIT2] = "FIN-WAIT-2",
		[TCP_TIME_WAIT] = "TIME-WAIT",
		[TCP_CLOSE] = "CLOSE",
		[TCP_CLOSE_WAIT] = "CLOSE-WAIT",
		[TCP_LAST_ACK] = "LAST-ACK",
		[TCP_LISTEN] = "LISTEN",
		[TCP_CLOSING] = "CLOSING",
	};

	if (state < 1 || state > SOCKDIAG_STATE_MAX)
		return "UNKNOWN";
	return names[state];
}

void sockdiag_dump_begin(struct sockdiag_dump *dump, uint32_t seq, uint32_t nl_pid, uint16_t port, struct sockdiag_sample *out)
{
	memset(dump, 0, sizeof(*dump));
	dump->seq = seq;
	dump->nl_pid = nl_pid;
	dump->port = port;
	memset(out, 0, sizeof(*out));
}

static void count_socket(const struct sockdiag_dump *dump, const struct inet_diag_msg *m, struct sockdiag_sample *out)
{
	uint16_t local_port = ntohs(m->id.idiag_sport);
	uint16_t remote_port = ntohs(m->id.idiag_dport);
	int on_port = dump->port == 0 || local_port == dump->port || remote_port == dump->port;
	struct sockdiag_listener *l;

	out->sockets_total++;
	if (m->idiag_state < 1 || m->idiag_state > SOCKDIAG_STATE_MAX) {
		out->sockets_unknown_state++;
		return;
	}
	out->states_all[m->idiag_state]++;
	if (!on_port)
		return;
	out->states_port[m->idiag_state]++;
	/* A listener has no remote port, so "on the port" means bound to it. */
	if (m->idiag_state != TCP_LISTEN)
		return;
	if (out->listener_count >= SOCKDIAG_MAX_LISTENERS) {
		out->listeners_missed++;
		return;
	}
	l = &out->listeners[out->listener_count++];
	l->inode = m->idiag_inode;
	l->local_addr = m->id.idiag_src[0];
	l->acceptq_len = m->idiag_rqueue;
	l->acceptq_limit = m->idiag_wqueue;
	l->ifindex = m->id.idiag_if;
	memcpy(l->cookie, m->id.idiag_cookie, sizeof(l->cookie));
}

/* The errno a reply's negative error code stands for; codes outside the kernel's -4095..-1 (INT_MIN cannot even
 * be negated) say EPROTO: the reply is malformed, not an error the kernel can give. */
static int reply_errno(int code)
{
	return code < 0 && code >= -4095 ? -code : EPROTO;
}

/* NLMSG_DONE carries the dump's final status; a negative one means the kernel gave up part way. */
static int check_done(const struct nlmsghdr *h, struct tl_err *err)
{
	int status;

	if (h->nlmsg_len < NLMSG_LENGTH(sizeof(int)))
		return tl_errf(err, "inet_diag: NLMSG_DONE of %u bytes has no status", h->nlmsg_len);
	memcpy(&status, NLMSG_DATA(h), sizeof(status));
	if (status < 0)
		return tl_errf(err, "inet_diag: dump ended with an error: %s", strerror(reply_errno(status)));
	return 0;
}

static int report_error(const struct nlmsghdr *h, struct tl_err *err)
{
	struct nlmsgerr e;

	if (h->nlmsg_len < NLMSG_LENGTH(sizeof(e)))
		return tl_errf(err, "inet_diag: NLMSG_ERROR of %u bytes is truncated", h->nlmsg_len);
	memcpy(&e, NLMSG_DATA(h), sizeof(e));
	if (e.error == 0)
		return tl_errf(err, "inet_diag: the kernel acknowledged the request instead of dumping");
	return tl_errf(err, "inet_diag: the kernel refused the dump: %s", strerror(reply_errno(e.error)));
}

int sockdiag_parse(struct sockdiag_dump *dump, const void *buf, size_t len, struct sockdiag_sample *out, struct tl_err *err)
{
	const struct nlmsghdr *h = buf;
	int remaining = (int)len;
	struct inet_diag_msg m;

	if (len > (size_t)SOCKDIAG_RECV_BYTES * 16)
		return tl_errf(err, "inet_diag: reply buffer of %zu bytes is implausibly large", len);
	for (; NLMSG_OK(h, remaining); h = NLMSG_NEXT(h, remaining)) {
		/* Leftovers of an earlier, abandoned request, or messages for another socket. */
		if (h->nlmsg_seq != dump->seq || h->nlmsg_pid != dump->nl_pid)
			continue;
		if (h->nlmsg_flags & NLM_F_DUMP_INTR)
			dump->interrupted = 1;
		if (h->nlmsg_type == NLMSG_DONE) {
			dump->done = 1;
			return check_done(h, err);
		}
		if (h->nlmsg_type == NLMSG_ERROR) {
			dump->done = 1;
			return report_error(h, err);
		}
		if (h->nlmsg_type == NLMSG_NOOP)
			continue;
		if (h->nlmsg_type != SOCK_DIAG_BY_FAMILY)
			return tl_errf(err, "inet_diag: unexpected message type %u in the dump", h->nlmsg_type);
		if (h->nlmsg_len < NLMSG_LENGTH(sizeof(m)))
			return tl_errf(err, "inet_diag: socket message of %u bytes is shorter than inet_diag_msg", h->nlmsg_len);
		memcpy(&m, NLMSG_DATA(h), sizeof(m));
		if (m.idiag_family != AF_INET)
			continue;
		count_socket(dump, &m, out);
	}
	if (remaining != 0)
		return tl_errf(err, "inet_diag: %d bytes at the end of a reply are not a whole message", remaining);
	return 0;
}

void sockdiag_lookups_begin(struct sockdiag_lookups *l, uint32_t first_seq, uint32_t nl_pid, uint16_t port,
			    const struct sockdiag_listener *known, uint32_t count, struct sockdiag_sample *out)
{
	memset(l, 0, sizeof(*l));
	l->first_seq = first_seq;
	l->count = count > SOCKDIAG_MAX_LISTENERS ? SOCKDIAG_MAX_LISTENERS : count;
	l->nl_pid = nl_pid;
	l->port = port;
	memset(out, 0, sizeof(*out));
	memcpy(out->listeners, known, l->count * sizeof(*known));
	out->listener_count = l->count;
	out->states_all[TCP_LISTEN] = l->count;
	out->states_port[TCP_LISTEN] = l->count;
	out->sockets_total = l->count;
	out->listeners_only = 1;
	out->looked_up = 1;
}

/* The reply to lookup i: the listener as it is now, if it is still the socket that was known. */
static void lookup_answer(struct sockdiag_lookups *l, uint32_t i, const struct inet_diag_msg *m,
			  struct sockdiag_sample *out)
{
	struct sockdiag_listener *known = &out->listeners[i];

	/* The kernel checks the cookie already; the rest guards against a socket that changed under it. */
	if (m->idiag_family != AF_INET || m->idiag_state != TCP_LISTEN || ntohs(m->id.idiag_sport) != l->port ||
	    memcmp(m->id.idiag_cookie, known->cookie, sizeof(known->cookie)) != 0 || m->idiag_inode != known->inode) {
		l->stale = 1;
		return;
	}
	known->acceptq_len = m->idiag_rqueue;
	known->acceptq_limit = m->idiag_wqueue;
}

int sockdiag_parse_lookups(struct sockdiag_lookups *l, const void *buf, size_t len, struct sockdiag_sample *out,
			   struct tl_err *err)
{
	const struct nlmsghdr *h = buf;
	int remaining = (int)len;
	struct inet_diag_msg m;
	struct nlmsgerr e;

	if (len > (size_t)SOCKDIAG_RECV_BYTES * 16)
		return tl_errf(err, "inet_diag: reply buffer of %zu bytes is implausibly large", len);
	for (; NLMSG_OK(h, remaining); h = NLMSG_NEXT(h, remaining)) {
		uint32_t i = h->nlmsg_seq - l->first_seq;

		/* Leftovers of an earlier request (a dump, a batch given up on), or messages for another socket. */
		if (h->nlmsg_pid != l->nl_pid || i >= l->count || l->replied[i] || h->nlmsg_type == NLMSG_NOOP)
			continue;
		if (h->nlmsg_type == NLMSG_ERROR) {
			if (h->nlmsg_len < NLMSG_LENGTH(sizeof(e)))
				return tl_errf(err, "inet_diag: NLMSG_ERROR of %u bytes is truncated", h->nlmsg_len);
			memcpy(&e, NLMSG_DATA(h), sizeof(e));
			/* ENOENT: no listener with that address, port and cookie any more. An acknowledgement
			 * (error 0) was not asked for and carries no queue: treat it as a listener not seen. */
			if (e.error == -ENOENT || e.error == 0) {
				l->stale = 1;
			} else {
				l->refused = 1;
				l->refused_errno = reply_errno(e.error);
			}
		} else if (h->nlmsg_type == SOCK_DIAG_BY_FAMILY) {
			if (h->nlmsg_len < NLMSG_LENGTH(sizeof(m)))
				return tl_errf(err,
					       "inet_diag: socket message of %u bytes is shorter than inet_diag_msg",
					       h->nlmsg_len);
			memcpy(&m, NLMSG_DATA(h), sizeof(m));
			lookup_answer(l, i, &m, out);
		} else {
			return tl_errf(err, "inet_diag: unexpected message type %u in a lookup reply", h->nlmsg_type);
		}
		l->replied[i] = 1;
		l->answered++;
	}
	if (remaining != 0)
		return tl_errf(err, "inet_diag: %d bytes at the end of a reply are not a whole message", remaining);
	return 0;
}
