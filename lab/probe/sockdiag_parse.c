/* sockdiag_parse: turns inet_diag dump replies into a sample, checking each message the way ss does. */
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
}

/* NLMSG_DONE carries the dump's final status; a negative one means the kernel gave up part way. */
static int check_done(const struct nlmsghdr *h, struct tl_err *err)
{
	int status;

	if (h->nlmsg_len < NLMSG_LENGTH(sizeof(int)))
		return tl_errf(err, "inet_diag: NLMSG_DONE of %u bytes has no status", h->nlmsg_len);
	memcpy(&status, NLMSG_DATA(h), sizeof(status));
	if (status < 0)
		return tl_errf(err, "inet_diag: dump ended with an error: %s", strerror(-status));
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
	return tl_errf(err, "inet_diag: the kernel refused the dump: %s", strerror(-e.error));
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
