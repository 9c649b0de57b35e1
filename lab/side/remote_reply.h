/* remote_reply: what the controller reads out of an agent's JSON replies besides the wire forms (remote_wire.h). */
#ifndef TL_REMOTE_REPLY_H
#define TL_REMOTE_REPLY_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "tl_err.h"

/* The program number of a start's reply ({"proc": N}). */
int remote_reply_proc(const json_t *reply, int *proc, struct tl_err *err);

/* A program's state ({"running": true} or {"running": false, "wait_status": N}): 0 while it runs, 1 and
 * *wait_status when it ended, -1 on a malformed reply. */
int remote_reply_exit(const json_t *reply, int *wait_status, struct tl_err *err);

/* Check /v1/info against this controller (the API version, the side's role; spec names the agent) and take
 * the first IPv4 address that fits address[address_len] and the namespace inode (0 when not reported). */
int remote_reply_info(const json_t *info, const char *role, const char *spec, char *address, size_t address_len,
		      uint64_t *netns_ino, struct tl_err *err);

/* The session's work folder (shorter than workdir_len) and the count of sockets an earlier run left behind. */
int remote_reply_session(const json_t *session, char *workdir, size_t workdir_len, long long *sockets_left,
			 struct tl_err *err);

#endif
