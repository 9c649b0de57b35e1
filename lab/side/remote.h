/* remote: the side implementation that asks a tcplab-agent (in a container, or on another host) over HTTP. */
#ifndef TL_SIDE_REMOTE_H
#define TL_SIDE_REMOTE_H

#include <stdint.h>

#include "remote_http.h"
#include "side.h"

/* Connect to the agent at ep (retrying until wait_us passes while it starts), check that it serves role,
 * and open a fresh session there: no program of an earlier run is left and its work folder is empty. */
int side_remote_create(const char *role, const struct remote_endpoint *ep, int64_t wait_us, struct side **out,
		       struct tl_err *err);

/* The first IPv4 address the agent's side has besides loopback (where its programs are reached). */
const char *side_remote_address(const struct side *s);

#endif
