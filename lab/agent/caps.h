/* caps: the agent's capabilities: CAP_NET_ADMIN for itself, CAP_NET_RAW lent to a SYN-flood client and nothing more. */
#ifndef TL_AGENT_CAPS_H
#define TL_AGENT_CAPS_H

#include "tl_err.h"

/* Make CAP_NET_ADMIN effective when it is only permitted (the image gives the binary permitted, not effective,
 * file capabilities, so a container whose bounding set lacks one of them still starts it). */
int caps_init(struct tl_err *err);

/* Whether CAP_NET_RAW is permitted to us, i.e. whether caps_lend_net_raw can work. */
int caps_net_raw_permitted(void);

/* Raise (on = 1) or drop (on = 0) CAP_NET_RAW in this thread's inheritable and ambient sets, so that a program
 * forked and executed by this thread meanwhile holds CAP_NET_RAW and nothing else. */
int caps_lend_net_raw(int on, struct tl_err *err);

#endif
