/* route_nl: add and delete IPv4 routes (via a gateway, or a black hole) in the calling thread's network namespace. */
#ifndef TL_ROUTE_NL_H
#define TL_ROUTE_NL_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

#include "ipv4_prefix.h"
#include "tl_err.h"

/* One route of the lab: to prefix, either via a gateway or dropped (blackhole). */
struct lab_route {
	struct ipv4_prefix prefix;
	int blackhole;      /* 1: RTN_BLACKHOLE, via unused */
	struct in_addr via; /* the gateway, on a link of the namespace */
};

/* Fill r from "A.B.C.D/N" and a gateway address (via NULL: a black hole); what names it in messages. */
int lab_route_parse(const char *prefix, const char *via, const char *what, struct lab_route *r, struct tl_err *err);

/* Look through len bytes the kernel sent (netlink messages, buf aligned as recv's) for the acknowledgement
 * of request seq: 1 and *kernel_errno (0: done, or the errno it reported) when it is there, 0 when it is not
 * (read on), -1 when it is truncated. */
int route_nl_parse_ack(const void *buf, size_t len, uint32_t seq, int *kernel_errno, struct tl_err *err);

/* Add r to the main table over rtnetlink (needs CAP_NET_ADMIN in the namespace), replacing one to the same prefix. */
int route_nl_add(const struct lab_route *r, struct tl_err *err);

/* Delete r from the main table; a route that is gone already is not an error. */
int route_nl_delete(const struct lab_route *r, struct tl_err *err);

#endif
