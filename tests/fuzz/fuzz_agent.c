/* fuzz_agent: any bytes as one request to tcplab-agent: the token check, the path and body, the route, and the checks of the operation it names. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/agent_internal.h"
#include "agent/program_args.h"
#include "agent/profile_body.h"
#include "input.h"
#include "side/remote_wire.h"

/* The token the seeds carry, so a mutated request still passes the check and reaches the routes. */
#define TOKEN "fuzz-token"

/* The operation's own checks, as its op_ function in routes.c makes them before it touches the side; every
 * operation that starts nothing is named here, and the others (session, info, counters ...) have no input. */
static void check_operation(const struct agent *a, const struct agent_op *op, const struct agent_request *req)
{
	struct tl_err err;

	if (strcmp(op->pattern, "v1/programs") == 0) {
		char *args[AGENT_MAX_ARGS + 2];
		const char *name = NULL;
		size_t nargs = 0;

		if (agent_program_check(a, req->body, &name, args, &nargs, &err) == 0 &&
		    (nargs > AGENT_MAX_ARGS || name == NULL || strlen(name) >= SESSION_NAME_MAX))
			abort();
	} else if (strcmp(op->pattern, "v1/profile") == 0 && strcmp(op->method, "POST") == 0) {
		struct profile p;

		if (profile_body_parse(req->body, &p, &err) == 0 && p.count > PROFILE_MAX_SETTINGS)
			abort();
	} else if (strcmp(op->pattern, "v1/routes") == 0) {
		const char *prefix;
		const char *via;

		agent_route_check(req->body, &prefix, &via, &err);
	} else if (strcmp(op->pattern, "v1/programs/*/signal") == 0) {
		const char *word = json_string_value(json_object_get(req->body, "signal"));
		int sig = word ? wire_signal_find(word) : -1;

		if (sig >= 0 && strcmp(wire_signal_name(sig), word) != 0)
			abort();
	} else if (strcmp(op->pattern, "v1/files/*") == 0) {
		if (program_args_plain_name(req->seg[2]) && (req->seg[2][0] == '.' || strchr(req->seg[2], '/') != NULL))
			abort();
	} else if (strcmp(op->pattern, "v1/raw/*") == 0) {
		enum side_raw what;

		if (wire_raw_find(req->seg[2], &what) == 0 && strcmp(wire_raw_name(what), req->seg[2]) != 0)
			abort();
	}
}

/*
 * The first byte picks the agent's role (bit 0: client) and whether a session is open (bit 1); the rest is
 * "METHOD URL\nAUTHORIZATION\nBODY". A session of the role holds one program already.
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct agent a;
	struct agent_reply rep = { .status = 500, .json = NULL, .fd = -1, .size = 0 };
	struct agent_request req;
	const struct agent_op *op;
	char *text;
	char *line;
	char *method;
	char *auth;
	const char *body;
	const char *given;
	char *url;

	if (size < 1)
		return 0;
	memset(&a, 0, sizeof(a));
	a.cfg.role = (data[0] & 1) ? AGENT_ROLE_CLIENT : AGENT_ROLE_SERVER;
	snprintf(a.cfg.token, sizeof(a.cfg.token), "%s", TOKEN);
	a.session.open = (data[0] & 2) != 0;
	snprintf(a.session.dir, sizeof(a.session.dir), "/tmp/tcplab-fuzz-agent/session-1");
	snprintf(a.session.names[0], sizeof(a.session.names[0]), "%s", agent_role_name(a.cfg.role));
	a.session.nprocs = 1;

	text = fuzz_cstring(data + 1, size - 1);
	body = fuzz_split((char *)fuzz_split(text, &line), &auth);
	method = line;
	url = strchr(line, ' ');
	if (url == NULL) {
		free(text);
		return 0;
	}
	*url++ = '\0';
	/* The constant-time comparison says what strcmp says. */
	given = strncmp(auth, "Bearer ", 7) == 0 ? auth + 7 : auth;
	if (agent_token_matches(given, TOKEN) != (strcmp(given, TOKEN) == 0))
		abort();
	/* As in http.c: the token first, then the request; a refusal ends it. */
	if (!agent_authorization_check(a.cfg.token, auth[0] ? auth : NULL, &rep)) {
		if (rep.status != 401)
			abort();
	} else if (agent_request_parse(&req, method, url, body, size - 1 - (size_t)(body - text), &rep) == 0) {
		op = agent_route_find(&req, a.session.open, &rep);
		if (op == NULL && rep.status < 400)
			abort();
		if (op != NULL) {
			if (strcmp(op->method, req.method) != 0 || (op->needs_session && !a.session.open))
				abort();
			check_operation(&a, op, &req);
		}
		json_decref(req.body);
	}
	json_decref(rep.json);
	free(text);
	return 0;
}
