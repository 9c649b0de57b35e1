/* session: one controller run as the agent holds it: a work folder and the local side that starts programs there. */
#ifndef TL_AGENT_SESSION_H
#define TL_AGENT_SESSION_H

#include "side/exec.h"
#include "side/side.h"
#include "tl_err.h"

/* Programs one session may start (the local side's own limit). */
#define SESSION_MAX_PROGRAMS 8

/* Longest program name, which also names its output files. */
#define SESSION_NAME_MAX 32

struct agent_session {
	int open;
	unsigned long id;
	char dir[320];        /* workdir/session-<id>: the programs' output files */
	char name[32];        /* "session-<id>", inside the work folder */
	int workdir_fd;       /* the work folder, opened once it was checked; not owned */
	struct side *side;    /* the local side, in the agent's own network namespace */
	int nprocs;
	char names[SESSION_MAX_PROGRAMS][SESSION_NAME_MAX];
	int user_set;         /* its programs ran as user, who may have left folders closed to the agent */
	struct exec_user user;
};

/* Open session id under workdir (which exists, opened as workdir_fd) for role; the session must be closed.
 * With user (NULL: none) its programs run as that user, and its folder is theirs to write in (group user->gid,
 * mode 1770; the agent must belong to that group). */
int session_open(struct agent_session *s, int workdir_fd, const char *workdir, const char *role, unsigned long id,
		 const struct exec_user *user, struct tl_err *err);

/* Kill what still runs, remove the folder and forget the session (safe when none is open). */
void session_close(struct agent_session *s);

#endif
