/* spoof: the source prefix of a SYN flood, confined to the lab's benchmarking range 198.18.0.0/15. */
#ifndef TL_CLIENT_SPOOF_H
#define TL_CLIENT_SPOOF_H

#include <stdint.h>
#include <netinet/in.h>

#include "tl_err.h"

/* The only range a flood may touch (RFC 2544 benchmarking addresses): its target and its sources. */
#define SPOOF_LAB_RANGE "198.18.0.0/15"

struct spoof_prefix {
	uint32_t network_host; /* network address, host byte order */
	int length;            /* prefix length, 15..32 */
	char text[32];         /* "198.19.0.0/16" as given (normalised) */
};

/* Whether a (network byte order) address lies inside 198.18.0.0/15. */
int spoof_in_lab_range(struct in_addr addr);

/* Parse "A.B.C.D/N"; refuse host bits, and any prefix not wholly inside 198.18.0.0/15. */
int spoof_prefix_parse(const char *text, struct spoof_prefix *out, struct tl_err *err);

/* Whether the prefix contains a (network byte order) address. */
int spoof_prefix_contains(const struct spoof_prefix *prefix, struct in_addr addr);

/* An address of the prefix chosen by a random number; skips the network and broadcast addresses when the
 * prefix has more than two. */
struct in_addr spoof_pick(const struct spoof_prefix *prefix, uint32_t random);

#endif
