/* agent: tcplab-agent's HTTP service: the side operations of one namespace, for a controller elsewhere. */
#ifndef TL_AGENT_H
#define TL_AGENT_H

#include "side/exec.h"
#include "tl_err.h"

/* Which side an agent serves: it runs that side's program and no other. */
enum agent_role {
	AGENT_ROLE_SERVER, /* runs tcplab-server */
	AGENT_ROLE_CLIENT, /* runs tcplab-client */
};

/* How an agent is set up. */
struct agent_config {
	enum agent_role role;
	char bindir[512];  /* holds tcplab-server and tcplab-client */
	char workdir[256]; /* each session gets a folder below it */
	char token[256];   /* every request must carry "Authorization: Bearer TOKEN"; "" on a unix socket */
	int program_user_set;          /* programs run as program_user (--program-user), not as the agent */
	struct exec_user program_user;
};

/* The work folder's mode: 0700, or 0711 when programs run as another user (they reach their session
 * folder through it, but cannot list it). */
#define AGENT_WORKDIR_MODE(cfg) ((cfg)->program_user_set ? 0711u : 0700u)

struct agent;

/* The role's name ("server", "client"). */
const char *agent_role_name(enum agent_role role);

/* The program the role runs ("tcplab-server", "tcplab-client"). */
const char *agent_role_program(enum agent_role role);

/* Parse "server" or "client". */
int agent_role_parse(const char *name, enum agent_role *role, struct tl_err *err);

/* Whether given equals token, in time that depends on token's length only (both NUL-terminated). */
int agent_token_matches(const char *given, const char *token);

/* Serve HTTP on listen_fd (bound and listening; the agent closes it) from a thread of its own. */
int agent_start(const struct agent_config *cfg, int listen_fd, struct agent **out, struct tl_err *err);

/* Stop serving and end the open session: its programs are killed and its folder removed. */
void agent_stop(struct agent *a);

#endif
