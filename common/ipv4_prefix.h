/* ipv4_prefix: IPv4 prefixes "A.B.C.D/N", and the lab's own range 198.18.0.0/15 that lab traffic stays inside. */
#ifndef TL_IPV4_PREFIX_H
#define TL_IPV4_PREFIX_H

#include <netinet/in.h>
#include <stdint.h>

#include "tl_err.h"

/* The RFC 2544 benchmarking range: every address a lab uses, real or spoofed, lies inside it. */
#define LAB_RANGE_TEXT "198.18.0.0/15"

/* The lab's own link inside it: the server is .1, the client .2 (and its extra sources after it), the docker
 * network's gateway .254. Spoofed prefixes and the routes for them stay off it. */
#define LAB_LINK_TEXT "198.18.0.0/24"

/* The last byte of the Docker network's gateway on the lab link (198.18.0.254): a host address of the machine. */
#define LAB_GATEWAY_HOST 254

/* Extra client addresses a scenario may ask for ([client] sources): 198.18.0.3 up to 198.18.0.66. */
#define LAB_EXTRA_SOURCES_MAX 64

/* Addresses in the client's --source list: its own (198.18.0.2) and the extra ones. */
#define LAB_SOURCE_ADDRS_MAX (LAB_EXTRA_SOURCES_MAX + 1)

/* Bytes of that list as text "a,b,c": at most 15 characters and a separator per address, then the NUL. */
#define LAB_SOURCE_LIST_CHARS (LAB_SOURCE_ADDRS_MAX * 16)

struct ipv4_prefix {
	uint32_t network_host; /* network address, host byte order */
	int length;            /* prefix length, 0..32 */
	char text[32];         /* "198.19.0.0/16", normalised */
};

/* Parse "A.B.C.D/N"; what names the value in messages. Host bits set are refused. */
int ipv4_prefix_parse(const char *text, const char *what, struct ipv4_prefix *out, struct tl_err *err);

/* Whether the prefix contains addr (network byte order). */
int ipv4_prefix_contains(const struct ipv4_prefix *prefix, struct in_addr addr);

/* Whether two prefixes share at least one address. */
int ipv4_prefix_overlaps(const struct ipv4_prefix *a, const struct ipv4_prefix *b);

/* Whether addr (network byte order) lies inside 198.18.0.0/15. */
int lab_range_contains(struct in_addr addr);

/* Whether the whole prefix lies inside 198.18.0.0/15. */
int lab_range_holds(const struct ipv4_prefix *prefix);

#endif
