/* caps: the agent's capabilities: CAP_NET_ADMIN for itself, CAP_NET_RAW lent to a SYN-flood client and nothing more. */
#ifndef TL_AGENT_CAPS_H
#define TL_AGENT_CAPS_H

#include <sys/types.h>

#include "tl_err.h"

/* Make CAP_NET_ADMIN (and with kill CAP_KILL, to stop programs run as another user) effective when only
 * permitted (the image gives the binary permitted, not effective, file capabilities, so a container whose
 * bounding set lacks one of them still starts it). */
int caps_init(int kill, struct tl_err *err);

/* Whether CAP_NET_RAW is permitted to us, i.e. whether caps_lend_net_raw can work. */
int caps_net_raw_permitted(void);

/* Whether CAP_SETUID, CAP_SETGID and CAP_KILL are permitted to us: whether programs can be started as another
 * user (caps_become) and still be signalled. */
int caps_setid_permitted(void);

/* Become uid:gid with no supplementary group, keeping no capability but CAP_NET_RAW permitted (to lend with
 * caps_lend_net_raw), with no_new_privs set (no file capability or set-user-ID bit ever raises it again). For
 * a forked child just before exec. */
int caps_become(uid_t uid, gid_t gid, struct tl_err *err);

/* Raise CAP_NET_RAW in the inheritable and ambient sets, so that the program this process executes next holds
 * it (and nothing else). For a forked child just before exec: the parent's sets never change. */
int caps_lend_net_raw(struct tl_err *err);

#endif
