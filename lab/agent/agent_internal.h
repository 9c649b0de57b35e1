/* agent_internal: what the agent's HTTP glue and its operations share (not for the rest of the program). */
#ifndef TL_AGENT_INTERNAL_H
#define TL_AGENT_INTERNAL_H

#include <jansson.h>
#include <microhttpd.h>
#include <stdint.h>

#include "agent.h"
#include "guard.h"
#include "session.h"

/* Deepest path the API has: /v1/programs/N/signal. */
#define AGENT_PATH_SEGMENTS 5

/* Longest command line the agent starts (the controller builds about 40 arguments). */
#define AGENT_MAX_ARGS 128

struct agent {
	struct agent_config cfg;
	struct MHD_Daemon *daemon;
	struct agent_session session;
	unsigned long sessions_opened;
	int made_workdir; /* the folder was created at start, so it is removed at stop */
	int workdir_fd;   /* the work folder, opened O_DIRECTORY | O_NOFOLLOW once checked */
	struct side_applied baseline; /* the allowlisted sysctls as the namespace had them when the agent started */
	uint16_t own_port;            /* the agent's TCP port (0 on a unix socket): its sockets are never reset */
	struct agent_guard *guard;    /* closes connections without the token at their deadline (TCP) */
};

/* One request, as the operations see it. */
struct agent_request {
	struct MHD_Connection *conn;
	const char *method;
	const char *path;
	const char *seg[AGENT_PATH_SEGMENTS]; /* path split at '/' ("v1", "programs", "3", ...) */
	char seg_buf[256];
	int nseg;
	json_t *body; /* the JSON object sent with POST; NULL without a body */
};

/* What goes back: JSON, or a file (stdout, records, raw tool output). */
struct agent_reply {
	unsigned status;
	json_t *json;
	int fd;        /* >= 0: send this file, the reply owns it */
	uint64_t size; /* of the file */
};

/* Reply status with a JSON object (the reply takes the reference). */
void reply_json(struct agent_reply *rep, unsigned status, json_t *json);

/* Reply status with {"error": message}. */
void reply_error(struct agent_reply *rep, unsigned status, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Reply 200 with the file at path, opened here (404 when it is not a regular file). */
void reply_file(struct agent_reply *rep, const char *path, int unlink_after_open);

/* One operation of the API. */
struct agent_op {
	const char *method;
	const char *pattern; /* segments; "*" matches any one */
	int needs_session;
	void (*run)(struct agent *a, struct agent_request *req, struct agent_reply *rep);
};

/* Whether auth (the Authorization header, NULL when absent) carries "Bearer token"; 0 after replying 401.
 * Any request passes when token is "" (a unix socket). */
int agent_authorization_check(const char *token, const char *auth, struct agent_reply *rep);

/* Fill req from a request's method, URL and body (len 0: none); 0, or -1 after replying 404 (a path the API
 * cannot have) or 400 (a body that is not a JSON object). req->conn is left NULL; the caller frees req->body. */
int agent_request_parse(struct agent_request *req, const char *method, const char *url, const char *body,
			size_t len, struct agent_reply *rep);

/* The operation for req, or NULL after replying 404 (no such path), 405 (not that method), 400 (a POST
 * without a body) or 409 (it needs a session and none is open). Nothing runs. */
const struct agent_op *agent_route_find(const struct agent_request *req, int session_open, struct agent_reply *rep);

/* Find the operation for req and run it. */
void agent_route(struct agent *a, struct agent_request *req, struct agent_reply *rep);

/* The checks of POST /v1/programs that need no program run: the body's shape, the name, the program, every
 * option (args[AGENT_MAX_ARGS] receives the arguments, pointing into body). */
int agent_program_check(const struct agent *a, const json_t *body, const char **name, char **args, size_t *nargs,
			struct tl_err *err);

/* The checks of POST /v1/routes: a route may only lead lab addresses somewhere inside the lab, and never take
 * this side's own address. */
int agent_route_check(const json_t *body, const char **prefix, const char **via, struct tl_err *err);

#endif
