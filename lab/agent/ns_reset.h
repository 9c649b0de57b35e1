/* ns_reset: give a long-lived namespace (a container's) back the state a fresh one has, before each run. */
#ifndef TL_AGENT_NS_RESET_H
#define TL_AGENT_NS_RESET_H

#include <stdint.h>

#include "side/side.h"
#include "tl_err.h"

/* What a reset did with the TCP sockets an earlier run left (TIME-WAIT above all). */
struct ns_reset_sockets {
	unsigned found;     /* sockets other than listeners, the agent's own port aside */
	unsigned destroyed; /* removed with SOCK_DESTROY */
	unsigned left;      /* the kernel would not remove (no CONFIG_INET_DIAG_DESTROY, or no CAP_NET_ADMIN) */
};

/* Read every allowlisted sysctl of our namespace: the values a run starts from. */
int ns_reset_read_baseline(struct side_applied *baseline, struct tl_err *err);

/* Write baseline back (keys the kernel lacks are skipped), so settings of an earlier run's profile are gone. */
int ns_reset_sysctls(const struct side_applied *baseline, struct tl_err *err);

/* Destroy every IPv4 TCP socket of our namespace that is not listening and whose local port is not
 * keep_port (0: none kept); what could not be destroyed is counted, not an error. */
int ns_reset_sockets(uint16_t keep_port, struct ns_reset_sockets *out, struct tl_err *err);

#endif
