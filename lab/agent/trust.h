/* trust: what the agent checks before it serves: its token file and the network namespace it would reset. */
#ifndef TL_AGENT_TRUST_H
#define TL_AGENT_TRUST_H

#include <stddef.h>

#include "tl_err.h"

/* Read the token (first line, at least 16 characters) from path: a regular file, not a symlink, owned by
 * this process's effective uid, readable and writable by it alone (mode 0600 or 0400). */
int trust_read_token(const char *path, char *token, size_t len, struct tl_err *err);

/* 1 when this process lives in the machine's initial network namespace, 0 when not, -1 when unknown. */
int trust_in_init_netns(struct tl_err *err);

/* Check an existing work folder: a directory (not a symlink), owned by this process's effective uid, with
 * mode `mode` (0700; 0711 when programs run as another user and must reach their session folder). Returns 1
 * when it is fine, 0 when it does not exist, -1 with the reason otherwise. */
int trust_check_workdir(const char *path, unsigned mode, struct tl_err *err);

/* Open the work folder O_DIRECTORY | O_NOFOLLOW and check what was opened as trust_check_workdir does:
 * the descriptor, or -1 with the reason. */
int trust_open_workdir(const char *path, unsigned mode, struct tl_err *err);

#endif
