/* ns_reset: the netns backend gets fresh namespaces per run; a container keeps one, so the agent undoes what a run left. */
#include "ns_reset.h"

#include <errno.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "scenario/profile.h"
#include "side/sysctl_io.h"

/* Every state but LISTEN, including the kernel's TCP_NEW_SYN_RECV (bit 12) for request sockets. */
#define RESET_STATES (0x1ffeU & ~(1U << TCP_LISTEN))

/* A run leaves a few thousand sockets at most (a grid's TIME-WAIT); more are left alone and counted. */
#define RESET_MAX_SOCKETS 65536

#define RESET_RECV_BYTES 65536

int ns_reset_read_baseline(struct side_applied *baseline, struct tl_err *err)
{
	const char *keys[64];
	size_t n = 0;

	memset(baseline, 0, sizeof(*baseline));
	while (n < sizeof(keys) / sizeof(keys[0]) && profile_allowed_key(n) != NULL) {
		keys[n] = profile_allowed_key(n);
		n++;
	}
	return sysctl_io_apply(-1, NULL, 0, keys, n, baseline, err);
}

int ns_reset_sysctls(const struct side_applied *baseline, struct tl_err *err)
{
	struct sysctl_write writes[64];
	struct side_applied now;
	struct side_applied ignored;
	size_t n = 0;

	/* Only what differs is written: a namespace a run left alone is not touched at all. */
	if (ns_reset_read_baseline(&now, err) != 0)
		return -1;
	for (int i = 0; i < baseline->count && n < sizeof(writes) / sizeof(writes[0]); i++) {
		/* A key this kernel lacks was read as "absent": nothing to write back. */
		if (strcmp(baseline->values[i].value, "absent") == 0)
			continue;
		if (i < now.count && strcmp(now.values[i].key, baseline->values[i].key) == 0 &&
		    strcmp(now.values[i].value, baseline->values[i].value) == 0)
			continue;
		writes[n].key = baseline->values[i].key;
		writes[n].value = baseline->values[i].value;
		n++;
	}
	memset(&ignored, 0, sizeof(ignored));
	return sysctl_io_apply(-1, writes, n, NULL, 0, &ignored, err);
}

struct reset_conn {
	int fd;
	uint32_t seq;
	_Alignas(8) unsigned char buf[RESET_RECV_BYTES];
};

static int send_diag(struct reset_conn *c, uint16_t type, uint16_t flags, const struct inet_diag_sockid *id,
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
	msg.nlh.nlmsg_flags = flags;
	msg.nlh.nlmsg_seq = ++c->seq;
	msg.req.sdiag_family = AF_INET;
	msg.req.sdiag_protocol = IPPROTO_TCP;
	msg.req.idiag_states = RESET_STATES;
	if (id != NULL) {
		msg.req.id = *id;
		/* SOCK_DESTROY looks the socket up by its full id; any state of it is fine. */
		msg.req.idiag_states = ~0U;
	}
	do {
		n = sendto(c->fd, &msg, sizeof(msg), 0, (struct sockaddr *)&kernel, sizeof(kernel));
	} while (n < 0 && errno == EINTR);
	if (n != (ssize_t)sizeof(msg))
		return tl_errf(err, "inet_diag request: %s", n < 0 ? strerror(errno) : "sent short");
	return 0;
}

/* Dump the sockets to reset into ids; *count of them. */
static int dump_ids(struct reset_conn *c, uint16_t keep_port, struct inet_diag_sockid *ids, unsigned *count,
		    unsigned *found, struct tl_err *err)
{
	if (send_diag(c, SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST | NLM_F_DUMP, NULL, err) != 0)
		return -1;
	*count = 0;
	*found = 0;
	for (;;) {
		ssize_t n = recv(c->fd, c->buf, sizeof(c->buf), 0);
		struct nlmsghdr *h;
		size_t len;

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return tl_errf(err, "inet_diag dump: %s", n < 0 ? strerror(errno) : "closed");
		len = (size_t)n;
		for (h = (struct nlmsghdr *)c->buf; NLMSG_OK(h, len); h = NLMSG_NEXT(h, len)) {
			const struct inet_diag_msg *m;

			if (h->nlmsg_seq != c->seq)
				continue;
			if (h->nlmsg_type == NLMSG_DONE)
				return 0;
			if (h->nlmsg_type == NLMSG_ERROR)
				return tl_errf(err, "inet_diag dump refused");
			if (h->nlmsg_type != SOCK_DIAG_BY_FAMILY || h->nlmsg_len < NLMSG_LENGTH(sizeof(*m)))
				continue;
			m = NLMSG_DATA(h);
			if (keep_port != 0 && ntohs(m->id.idiag_sport) == keep_port)
				continue;
			(*found)++;
			if (*count < RESET_MAX_SOCKETS)
				ids[(*count)++] = m->id;
		}
	}
}

/* Destroy one socket: 0 done (or already gone), 1 the kernel refused, -1 on a netlink failure. */
static int destroy_one(struct reset_conn *c, const struct inet_diag_sockid *id, struct tl_err *err)
{
	if (send_diag(c, SOCK_DESTROY, NLM_F_REQUEST | NLM_F_ACK, id, err) != 0)
		return -1;
	for (;;) {
		ssize_t n = recv(c->fd, c->buf, sizeof(c->buf), 0);
		struct nlmsghdr *h = (struct nlmsghdr *)c->buf;
		const struct nlmsgerr *e;

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return tl_errf(err, "SOCK_DESTROY: %s", n < 0 ? strerror(errno) : "closed");
		if (!NLMSG_OK(h, (size_t)n) || h->nlmsg_seq != c->seq)
			continue;
		if (h->nlmsg_type != NLMSG_ERROR || h->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
			return tl_errf(err, "SOCK_DESTROY: unexpected reply type %u", h->nlmsg_type);
		e = NLMSG_DATA(h);
		/* ENOENT: it expired between the dump and now, which is what was wanted. */
		return e->error == 0 || e->error == -ENOENT ? 0 : 1;
	}
}

int ns_reset_sockets(uint16_t keep_port, struct ns_reset_sockets *out, struct tl_err *err)
{
	struct reset_conn *c = calloc(1, sizeof(*c));
	struct inet_diag_sockid *ids = calloc(RESET_MAX_SOCKETS, sizeof(*ids));
	struct timeval timeout = { .tv_sec = 1, .tv_usec = 0 };
	unsigned count = 0;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (c != NULL)
		c->fd = -1;
	if (c == NULL || ids == NULL) {
		tl_errf(err, "out of memory");
		goto done;
	}
	c->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	if (c->fd < 0) {
		tl_errf(err, "socket(NETLINK_SOCK_DIAG): %s", strerror(errno));
		goto done;
	}
	setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
	if (dump_ids(c, keep_port, ids, &count, &out->found, err) != 0)
		goto done;
	for (unsigned i = 0; i < count; i++) {
		int r = destroy_one(c, &ids[i], err);

		if (r < 0)
			goto done;
		if (r == 0)
			out->destroyed++;
	}
	out->left = out->found - out->destroyed;
	rc = 0;
done:
	if (c != NULL && c->fd >= 0)
		close(c->fd);
	free(c);
	free(ids);
	return rc;
}
