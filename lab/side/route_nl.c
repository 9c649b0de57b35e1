/* route_nl: one RTM_NEWROUTE or RTM_DELROUTE request and its acknowledgement, as `ip route` sends them. */
#include "route_nl.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

/* An acknowledgement slower than this means the kernel side is stuck: fail rather than hang the agent. */
#define ROUTE_NL_TIMEOUT_S 2

struct route_request {
	struct nlmsghdr nh;
	struct rtmsg rt;
	char attrs[64];
};

int lab_route_parse(const char *prefix, const char *via, const char *what, struct lab_route *r, struct tl_err *err)
{
	memset(r, 0, sizeof(*r));
	if (ipv4_prefix_parse(prefix, what, &r->prefix, err) != 0)
		return -1;
	if (via == NULL) {
		r->blackhole = 1;
		return 0;
	}
	if (inet_pton(AF_INET, via, &r->via) != 1)
		return tl_errf(err, "%s: gateway '%s' is not an IPv4 address", what, via);
	return 0;
}

static void add_attr(struct route_request *req, unsigned short type, const void *data, unsigned short len)
{
	struct rtattr *a = (struct rtattr *)((char *)req + NLMSG_ALIGN(req->nh.nlmsg_len));

	a->rta_type = type;
	a->rta_len = (unsigned short)RTA_LENGTH(len);
	memcpy(RTA_DATA(a), data, len);
	req->nh.nlmsg_len = NLMSG_ALIGN(req->nh.nlmsg_len) + RTA_ALIGN(a->rta_len);
}

int route_nl_parse_ack(const void *buf, size_t len, uint32_t seq, int *kernel_errno, struct tl_err *err)
{
	int remaining = len > INT_MAX ? INT_MAX : (int)len;

	for (const struct nlmsghdr *h = buf; NLMSG_OK(h, remaining); h = NLMSG_NEXT(h, remaining)) {
		if (h->nlmsg_seq != seq)
			continue;
		if (h->nlmsg_type == NLMSG_ERROR) {
			const struct nlmsgerr *e = NLMSG_DATA(h);

			if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
				return tl_errf(err, "rtnetlink: truncated acknowledgement");
			/* The kernel's codes are -4095..-1 (0 acknowledges); anything else is not one. */
			*kernel_errno = e->error <= 0 && e->error >= -4095 ? -e->error : EPROTO;
			return 1;
		}
	}
	return 0;
}

/* The kernel's answer to our one request: 0, or the errno it reported. */
static int read_ack(int fd, uint32_t seq, int *kernel_errno, struct tl_err *err)
{
	char buf[4096] __attribute__((aligned(NLMSG_ALIGNTO)));
	ssize_t got;
	int rc;

	for (;;) {
		got = recv(fd, buf, sizeof(buf), 0);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return tl_errf(err, "rtnetlink: no acknowledgement within %d s", ROUTE_NL_TIMEOUT_S);
		if (got <= 0)
			return tl_errf(err, "rtnetlink recv: %s", got < 0 ? strerror(errno) : "socket closed");
		rc = route_nl_parse_ack(buf, (size_t)got, seq, kernel_errno, err);
		if (rc != 0)
			return rc < 0 ? -1 : 0;
	}
}

static int route_request(const struct lab_route *r, int add, int *kernel_errno, struct tl_err *err)
{
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	struct route_request req;
	uint32_t dst = htonl(r->prefix.network_host);
	struct timeval timeout = { .tv_sec = ROUTE_NL_TIMEOUT_S };
	int fd;
	int rc;

	memset(&req, 0, sizeof(req));
	req.nh.nlmsg_len = NLMSG_LENGTH(sizeof(req.rt));
	req.nh.nlmsg_type = add ? RTM_NEWROUTE : RTM_DELROUTE;
	/* Replace, not fail on, a route an earlier run of ours left behind. */
	req.nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | (add ? NLM_F_CREATE | NLM_F_REPLACE : 0);
	req.nh.nlmsg_seq = 1; /* one request per socket */
	req.rt.rtm_family = AF_INET;
	req.rt.rtm_dst_len = (unsigned char)r->prefix.length;
	req.rt.rtm_table = RT_TABLE_MAIN;
	req.rt.rtm_protocol = RTPROT_STATIC;
	req.rt.rtm_scope = RT_SCOPE_UNIVERSE;
	req.rt.rtm_type = r->blackhole ? RTN_BLACKHOLE : RTN_UNICAST;
	add_attr(&req, RTA_DST, &dst, sizeof(dst));
	if (!r->blackhole)
		add_attr(&req, RTA_GATEWAY, &r->via, sizeof(r->via));
	/* A netlink socket speaks for the namespace it was created in: this thread's. */
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0)
		return tl_errf(err, "rtnetlink socket: %s", strerror(errno));
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
	if (sendto(fd, &req, req.nh.nlmsg_len, 0, (struct sockaddr *)&kernel, sizeof(kernel)) < 0) {
		rc = tl_errf(err, "rtnetlink send: %s", strerror(errno));
	} else {
		rc = read_ack(fd, req.nh.nlmsg_seq, kernel_errno, err);
	}
	close(fd);
	return rc;
}

static void describe(const struct lab_route *r, char *buf, size_t len)
{
	char via[INET_ADDRSTRLEN];

	if (r->blackhole) {
		snprintf(buf, len, "blackhole %s", r->prefix.text);
		return;
	}
	inet_ntop(AF_INET, &r->via, via, sizeof(via));
	snprintf(buf, len, "%s via %s", r->prefix.text, via);
}

/* One request; a delete of a route that is gone already (ESRCH) succeeds. */
static int route_change(const struct lab_route *r, int add, struct tl_err *err)
{
	const char *verb = add ? "route add" : "route del";
	char what[80];
	int kernel_errno = 0;

	describe(r, what, sizeof(what));
	if (route_request(r, add, &kernel_errno, err) != 0)
		return tl_err_wrap(err, "%s %s", verb, what);
	if (kernel_errno != 0 && !(kernel_errno == ESRCH && !add))
		return tl_errf(err, "%s %s: %s", verb, what, strerror(kernel_errno));
	return 0;
}

int route_nl_add(const struct lab_route *r, struct tl_err *err)
{
	return route_change(r, 1, err);
}

int route_nl_delete(const struct lab_route *r, struct tl_err *err)
{
	return route_change(r, 0, err);
}
