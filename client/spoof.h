/* spoof: the source prefix of a SYN flood, confined to the lab's benchmarking range 198.18.0.0/15. */
#ifndef TL_CLIENT_SPOOF_H
#define TL_CLIENT_SPOOF_H

#include <stdint.h>
#include <netinet/in.h>

#include "ipv4_prefix.h"
#include "tl_err.h"

/* Parse the flood's "A.B.C.D/N"; refuse host bits, and any prefix not wholly inside 198.18.0.0/15. */
int spoof_prefix_parse(const char *text, struct ipv4_prefix *out, struct tl_err *err);

/* An address of the prefix chosen by a random number; skips the network and broadcast addresses when the
 * prefix has more than two. */
struct in_addr spoof_pick(const struct ipv4_prefix *prefix, uint32_t random);

#endif
