/* local: the side implementation for a network namespace on this machine. */
#ifndef TL_SIDE_LOCAL_H
#define TL_SIDE_LOCAL_H

#include "exec.h"
#include "side.h"

/* Create a side for the namespace netns_fd (kept open by the caller); programs write under workdir. */
int side_local_create(const char *role, int netns_fd, const char *workdir, struct side **out, struct tl_err *err);

/* Whether the programs spawned from now on get CAP_NET_RAW, which this process must hold permitted
 * (tcplab-agent lends it to a SYN-flood client only). */
void side_local_lend_net_raw(struct side *s, int on);

/* Programs spawned from now on run as user (NULL: as this process); tcplab-agent --program-user. */
void side_local_run_as(struct side *s, const struct exec_user *user);

#endif
