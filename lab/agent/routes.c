/* routes: the agent's whole API: one table of operations, each a side operation of the local side; nothing else is reachable. */
#include "agent_internal.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>

#include "ipv4_prefix.h"
#include "ns_reset.h"
#include "parse.h"
#include "path.h"
#include "program_args.h"
#include "profile_body.h"
#include "probe/capture.h"
#include "side/caps.h"
#include "side/local.h"
#include "side/remote_wire.h"
#include "side/route_nl.h"

/* The widest route an agent adds: half the lab range (198.19.0.0/16, say), never all of it. */
#define AGENT_ROUTE_MIN_LENGTH 16

static struct side *side_of(struct agent *a)
{
	return a->session.side;
}

static void op_info(struct agent *a, struct agent_request *req, struct agent_reply *rep)
{
	json_t *addresses = json_array();
	struct ifaddrs *ifs = NULL;
	struct utsname uts;
	struct stat ns;

	(void)req;
	/* The controller points the client at the server's first address besides loopback. */
	if (getifaddrs(&ifs) == 0) {
		for (struct ifaddrs *i = ifs; i != NULL; i = i->ifa_next) {
			char text[INET_ADDRSTRLEN];

			if (i->ifa_addr == NULL || i->ifa_addr->sa_family != AF_INET || (i->ifa_flags & IFF_LOOPBACK))
				continue;
			if (inet_ntop(AF_INET, &((struct sockaddr_in *)i->ifa_addr)->sin_addr, text, sizeof(text)))
				json_array_append_new(addresses, json_string(text));
		}
		freeifaddrs(ifs);
	}
	if (uname(&uts) != 0)
		snprintf(uts.release, sizeof(uts.release), "unknown");
	/* A controller that traces kernel events on this machine tells this namespace's apart by its inode. */
	if (stat("/proc/self/ns/net", &ns) != 0)
		ns.st_ino = 0;
	reply_json(rep, 200,
		   json_pack("{s:s, s:i, s:s, s:[s, s], s:s, s:o, s:b, s:I}", "agent", "tcplab-agent", "api",
			     WIRE_API_VERSION, "role", agent_role_name(a->cfg.role), "programs",
			     agent_role_program(a->cfg.role), "tcplab-capture", "kernel", uts.release, "addresses",
			     addresses, "session_open", a->session.open, "netns_ino", (json_int_t)ns.st_ino));
}

static void op_session_open(struct agent *a, struct agent_request *req, struct agent_reply *rep)
{
	struct ns_reset_sockets sockets;
	struct tl_err err;

	(void)req;
	/* One controller at a time: a new run ends whatever an earlier one (perhaps killed) left. */
	session_close(&a->session);
	/* A run in namespaces here starts in new ones; a container's lives on, so it is put back as it started:
	 * no profile of an earlier run, no TIME-WAIT of its connections holding ports and counted in states. */
	if (ns_reset_sysctls(&a->baseline, &err) != 0 || ns_reset_sockets(a->own_port, &sockets, &err) != 0) {
		reply_error(rep, 500, "resetting the namespace: %s", err.msg);
		return;
	}
	a->sessions_opened++;
	if (session_open(&a->session, a->workdir_fd, a->cfg.workdir, agent_role_name(a->cfg.role), a->sessions_opened,
			 a->cfg.program_user_set ? &a->cfg.program_user : NULL, &err) != 0) {
		reply_error(rep, 500, "%s", err.msg);
		return;
	}
	reply_json(rep, 200, json_pack("{s:I, s:s, s:i, s:i}", "session", (json_int_t)a->session.id, "workdir",
				       a->session.dir, "sockets_reset", sockets.destroyed, "sockets_left", sockets.left));
}

static void op_session_close(struct agent *a, struct agent_request *req, struct agent_reply *rep)
{
	int was_open = a->session.open;

	(void)req;
	session_close(&a->session);
	reply_json(rep, 200, json_pack("{s:b}", "closed", was_open));
}

static void apply(struct agent *a, const struct profile *p, struct agent_reply *rep)
{
	struct side_applied applied;
	struct tl_err err;

	if (side_of(a)->ops->apply_profile(side_of(a), p, &applied, &err) != 0) {
		reply_error(rep, 500, "%s", err.msg);
		return;
	}
	reply_json(rep, 200, wire_applied_to_json(&applied));
}

static void op_profile_read(struct agent *a, struct agent_request *req, struct agent_reply *rep)
{
	struct profile none;

	(void)req;
	/* A profile without settings writes nothing and reads every allowlisted key back. */
	memset(&none, 0, sizeof(none));
	snprintf(none.name, sizeof(none.name), "read-back");
	apply(a, &none, rep);
}

static void op_profile_apply(struct agent *a, struct agent_request *req, struct agent_reply *rep)
{
	struct profile p;
	struct tl_err err;

	if (profile_body_parse(req->body, &p, &err) != 0) {
		reply_error(rep, 400, "%s", err.msg);
		return;
	}
	apply(a, &p, rep);
}

/* The program index of the path's third segment; -1 after replying 404. */
static int proc_of(struct agent *a, struct agent_request *req, struct agent_reply *rep)
{
	long proc;
	struct tl_err err;

	if (a->session.nprocs == 0 || parse_long(req->seg[2], 0, a->session.nprocs - 1, &proc, "program", &err) != 0) {
		reply_error(rep, 404, "no program %s in this session", req->seg[2]);
		return -1;
	}
	return (int)proc;
}

int agent_program_check(const struct agent *a, const json_t *body, const char **name, char **args, size_t *nargs,
		       struct tl_err *err)
{
	const char *program = json_string_value(json_object_get(body, "program"));
	const json_t *list = json_object_get(body, "args");
	size_t i;
	const json_t *arg;

	*name = json_string_value(json_object_get(body, "name"));
	if (*name == NULL || program == NULL || !json_is_array(list) || json_object_size(body) != 3)
		return tl_errf(err, "a program is {\"name\": string, \"program\": string, \"args\": [strings]}");
	if (!profile_name_valid(*name) || strlen(*name) >= SESSION_NAME_MAX)
		return tl_errf(err, "\"name\" must be [a-z0-9-]+, shorter than %d characters", SESSION_NAME_MAX);
	for (int p = 0; p < a->session.nprocs; p++) {
		if (strcmp(a->session.names[p], *name) == 0)
			return tl_errf(err, "a program named %s was already started in this session", *name);
	}
	if (a->session.nprocs == SESSION_MAX_PROGRAMS)
		return tl_errf(err, "this session has started %d programs, the most it may", SESSION_MAX_PROGRAMS);
	if (strcmp(program, agent_role_program(a->cfg.role)) != 0)
		return tl_errf(err, "this agent serves the %s side and runs %s only, not '%s'",
			       agent_role_name(a->cfg.role), agent_role_program(a->cfg.role), program);
	if (json_array_size(list) > AGENT_MAX_ARGS)
		return tl_errf(err, "more than %d arguments", AGENT_MAX_ARGS);
	json_array_foreach(list, i, arg) {
		if (!json_is_string(arg))
			return tl_errf(err, "args[%zu] is not a string", i);
		args[i] = (char *)json_string_value(arg);
	}
	*nargs = json_array_size(list);
	return program_args_check(a->cfg.role, args, *nargs, a->session.dir, err);
}

/* A SYN flood writes its own packets on a raw socket: the one program that needs CAP_NET_RAW. The client
 * takes the last --mode it is given, so the last one decides here too. */
static int sends_raw_syns(char *const args[], size_t nargs)
{
	int flood = 0;

	for (size_t i = 0; i + 1 < nargs; i++) {
		if (strcmp(args[i], "--mode") == 0)
			flood = strcmp(args[i + 1], "synflood") == 0;
	}
	return flood;
}

static void op_program_start(struct agent *a, struct agent_request *req, struct agent_reply *rep)
{
	char *args[AGENT_MAX_ARGS + 2];
	char path[TL_PATH_LEN];
	const char *name = NULL;
	size_t nargs = 0;
	struct tl_err err;
	int proc;
	int rc;

	if (agent_program_check(a, req->body, &name, args + 1, &nargs, &err) != 0) {
		reply_error(rep, 400, "%s", err.msg);
		return;
	}
	if (tl_path_fmt(path, sizeof(path), &err, "%s/%s", a->cfg.bindir, agent_role_program(a->cfg.role)) != 0) {
		reply_error(rep, 500, "%s", err.msg);
		return;
	}
	if (program_args_self_check(path, args + 1, nargs, &err) != 0) {
		reply_error(rep, 400, "%s", err.msg);
		return;
	}
	args[0] = path;
	args[nargs + 1] = NULL;
	/* Only the flood's own process gets CAP_NET_RAW: it is raised in the forked child, never in this thread. */
	side_local_lend_net_raw(side_of(a), a->cfg.role == AGENT_ROLE_CLIENT && sends_raw_syns(args + 1, nargs) &&
						    caps_net_raw_permitted());
	rc = side_of(a)->ops->spawn(side_of(a), name, args, &proc, &err);
	side_local_lend_net_raw(side_of(a), 0);
	if (rc != 0) {
		reply_error(rep, 500, "%s", err.msg);
		return;
	}
	snprintf(a->session.names[proc], sizeof(a->session.names[proc]), "%s", name);
	a->session.nprocs = proc + 1;
	reply_json(rep, 201, json_pack("{s:i}", "proc", proc));
}

static void op_program_status(struct agent *a, struct agent_request *req, struct agent_reply *rep)
{
	int proc = proc_of(a, req, rep);
	int status = 0;
	int ended;
	struct tl_err err;

	if (proc < 0)
		return;
	ended = side_of(a)->ops->poll_exit(side_of(a), proc, &status, &err);
	if (ended < 0)
		reply_error(rep, 500, "%s", err.msg);
	else if (ended)
		reply_json(rep, 200, json_pack("{s:b, s:i}", "running", 0, "wait_status", status));
	else
		reply_json(rep, 200, json_pack("{s:b}", "running", 1));
}

static void op_program_signal(struct agent *a, struct agent_request *req, struct agent_reply *rep)
{
	const char *word = json_string_value(json_object_get(req->body, "signal"));
	int proc = proc_of(a, req, rep);
	int sig;
	struct tl_err err;

	if (proc < 0)
		return;
	sig = word ? wire_signal_find(word) : -1;
	if (sig < 0 || json_object_size(req->body) != 1) {
		reply_error(rep, 400, "the body must be {\"signal\": \"TERM\" | \"KILL\" | \"INT\"}");
		return;
	}
	if (side_of(a)->ops->signal(side_of(a), proc, sig, &err) != 0) {
		reply_error(rep, 500, "%s", err.msg);
		return;
	}
	reply_json(rep, 200, json_pack("{s:s}", "sent", word));
}

static void op_program_output(struct agent *a, struct agent_request *req, struct agent_reply *rep)
{
	int proc = proc_of(a, req, rep);
	char path[TL_PATH_LEN];
	struct tl_err err;

	if (proc < 0)
		return;
	if (tl_path_fmt(path, sizeof(path), &err, "%s/%s.%s", a->session.dir, a->session.names[proc], req->seg[3]) !=
	    0) {
		reply_error(rep, 400, "%s", err.msg);
		return;
	}
	reply_file(rep, path, 0);
}

static void op_file(struct agent *a, struct agent_request *req, struct agent_reply *rep)
{
	char path[TL_PATH_LEN];
	struct tl_err err;

	if (!program_args_plain_name(req->seg[2])) {
		reply_error(rep, 400, "'%s' is not a plain file name", req->seg[2]);
		return;
	}
	if (tl_path_fmt(path, sizeof(path), &err, "%s/%s", a->session.dir, req->seg[2]) != 0) {
		reply_error(rep, 400, "%s", err.msg);
		return;
	}
	reply_file(rep, path, 0);
}

static void op_counters(struct agent *a, struct agent_request *req, struct agent_reply *rep)
{
	struct counters *c = malloc(sizeof(*c));
	struct tl_err err;

	(void)req;
	if (c == NULL) {
		reply_error(rep, 500, "out of memory");
		return;
	}
	if (side_of(a)->ops->counters(side_of(a), c, &err) != 0)
		reply_error(rep, 500, "%s", err.msg);
	else
		reply_json(rep, 200, wire_counters_to_json(c));
	free(c);
}

static void op_sample(struct agent *a, struct agent_request *req, struct agent_reply *rep)
{
	const char *port_text = MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, "port");
	const char *only_text = MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, "listeners_only");
	struct sockdiag_sample s;
	long port = 0;
	long only = 0;
	struct tl_err err;

	if ((port_text && parse_long(port_text, 0, 65535, &port, "port", &err) != 0) ||
	    (only_text && parse_long(only_text, 0, 1, &only, "listeners_only", &err) != 0)) {
		reply_error(rep, 400, "%s", err.msg);
		return;
	}
	if (side_of(a)->ops->sample(side_of(a), (uint16_t)port, (int)only, &s, &err) != 0) {
		reply_error(rep, 500, "%s", err.msg);
		return;
	}
	reply_json(rep, 200, wire_sample_to_json(&s));
}

static void op_raw(struct agent *a, struct agent_request *req, struct agent_reply *rep)
{
	enum side_raw what;
	char path[TL_PATH_LEN];
	struct tl_err err;

	if (wire_raw_find(req->seg[2], &what) != 0) {
		reply_error(rep, 404, "no raw capture '%s' (ss-tan, ss-ltn, nstat)", req->seg[2]);
		return;
	}
	/* A dot file: no program's --records may name it. */
	if (tl_path_fmt(path, sizeof(path), &err, "%s/.raw-%s", a->session.dir, req->seg[2]) != 0) {
		reply_error(rep, 500, "%s", err.msg);
		return;
	}
	if (side_of(a)->ops->raw(side_of(a), what, path, &err) != 0) {
		reply_error(rep, 500, "%s", err.msg);
		return;
	}
	reply_file(rep, path, 1);
}

/* Whether one of this namespace's own IPv4 addresses lies in p (unknown counts as yes). */
static int own_address_in(const struct ipv4_prefix *p)
{
	struct ifaddrs *ifs = NULL;
	int found = 0;

	if (getifaddrs(&ifs) != 0)
		return 1;
	for (struct ifaddrs *i = ifs; i != NULL && !found; i = i->ifa_next) {
		if (i->ifa_addr != NULL && i->ifa_addr->sa_family == AF_INET)
			found = ipv4_prefix_contains(p, ((struct sockaddr_in *)i->ifa_addr)->sin_addr);
	}
	freeifaddrs(ifs);
	return found;
}

int agent_route_check(const json_t *body, const char **prefix, const char **via, struct tl_err *err)
{
	const json_t *blackhole = json_object_get(body, "blackhole");
	struct ipv4_prefix gateway;
	struct ipv4_prefix link;
	struct lab_route r;

	*prefix = json_string_value(json_object_get(body, "prefix"));
	*via = json_string_value(json_object_get(body, "via"));
	if (*prefix == NULL || json_object_size(body) != 2 || (*via == NULL) == (blackhole == NULL) ||
	    (blackhole != NULL && !json_is_true(blackhole)))
		return tl_errf(err, "a route is {\"prefix\": \"A.B.C.D/N\", \"via\": \"A.B.C.D\"} or "
				    "{\"prefix\": \"A.B.C.D/N\", \"blackhole\": true}");
	if (lab_route_parse(*prefix, *via, "prefix", &r, err) != 0)
		return -1;
	if (!lab_range_holds(&r.prefix) || r.prefix.length < AGENT_ROUTE_MIN_LENGTH)
		return tl_errf(err, "prefix %s: routes stay inside %s, at most a /%d", *prefix, LAB_RANGE_TEXT,
			       AGENT_ROUTE_MIN_LENGTH);
	/* Neither side's address, nor the gateway: the lab's own link is never rerouted. */
	if (ipv4_prefix_parse(LAB_LINK_TEXT, "lab link", &link, err) != 0)
		return -1;
	if (ipv4_prefix_overlaps(&r.prefix, &link))
		return tl_errf(err, "prefix %s overlaps the lab's own link %s", *prefix, LAB_LINK_TEXT);
	if (own_address_in(&r.prefix))
		return tl_errf(err, "prefix %s contains this side's own address", *prefix);
	gateway.network_host = ntohl(r.via.s_addr);
	gateway.length = 32;
	if (!r.blackhole && (!lab_range_contains(r.via) || own_address_in(&gateway)))
		return tl_errf(err, "via %s: the gateway must be another lab address inside %s", *via, LAB_RANGE_TEXT);
	return 0;
}

static void op_route_add(struct agent *a, struct agent_request *req, struct agent_reply *rep)
{
	const char *prefix;
	const char *via;
	struct tl_err err;

	if (agent_route_check(req->body, &prefix, &via, &err) != 0) {
		reply_error(rep, 400, "%s", err.msg);
		return;
	}
	if (side_of(a)->ops->add_route(side_of(a), prefix, via, &err) != 0) {
		reply_error(rep, 500, "%s", err.msg);
		return;
	}
	reply_json(rep, 201, via ? json_pack("{s:s, s:s}", "prefix", prefix, "via", via)
				 : json_pack("{s:s, s:b}", "prefix", prefix, "blackhole", 1));
}

/* {"snaplen": N, "max_bytes": M}: the recorder of this side's lab interface, one per session. */
static void op_capture_start(struct agent *a, struct agent_request *req, struct agent_reply *rep)
{
	const json_t *snaplen = json_object_get(req->body, "snaplen");
	const json_t *max_bytes = json_object_get(req->body, "max_bytes");
	struct side_capture c;
	char program[TL_PATH_LEN];
	char name[SESSION_NAME_MAX];
	struct tl_err err;
	int proc = -1;
	int rc;

	if (!json_is_integer(snaplen) || !json_is_integer(max_bytes) || json_object_size(req->body) != 2 ||
	    json_integer_value(snaplen) < CAPTURE_MIN_SNAPLEN || json_integer_value(snaplen) > CAPTURE_MAX_SNAPLEN ||
	    json_integer_value(max_bytes) < 4096 || json_integer_value(max_bytes) > ((json_int_t)CAPTURE_MAX_MB << 20)) {
		reply_error(rep, 400, "a capture is {\"snaplen\": %d..%d, \"max_bytes\": 4096..%lld}", CAPTURE_MIN_SNAPLEN,
			    CAPTURE_MAX_SNAPLEN, (long long)CAPTURE_MAX_MB << 20);
		return;
	}
	snprintf(name, sizeof(name), "%s-capture", agent_role_name(a->cfg.role));
	for (int p = 0; p < a->session.nprocs; p++) {
		if (strcmp(a->session.names[p], name) == 0) {
			reply_error(rep, 409, "this session records its interface already");
			return;
		}
	}
	if (a->session.nprocs == SESSION_MAX_PROGRAMS) {
		reply_error(rep, 409, "this session has started %d programs, the most it may", SESSION_MAX_PROGRAMS);
		return;
	}
	if (tl_path_fmt(program, sizeof(program), &err, "%s/tcplab-capture", a->cfg.bindir) != 0) {
		reply_error(rep, 500, "%s", err.msg);
		return;
	}
	c.program = program;
	c.snaplen_bytes = (int)json_integer_value(snaplen);
	c.max_bytes = json_integer_value(max_bytes);
	rc = side_of(a)->ops->capture_start(side_of(a), &c, &proc, &err);
	/* A recorder that started and failed is the session's all the same: its output says why. */
	if (proc >= 0) {
		snprintf(a->session.names[proc], sizeof(a->session.names[proc]), "%s", name);
		a->session.nprocs = proc + 1;
	}
	if (rc != 0) {
		reply_error(rep, 500, "%s", err.msg);
		return;
	}
	reply_json(rep, 201, json_pack("{s:i}", "proc", proc));
}

static const struct agent_op routes[] = {
	{ "GET", "v1/info", 0, op_info },
	{ "POST", "v1/session", 0, op_session_open },
	{ "DELETE", "v1/session", 0, op_session_close },
	{ "GET", "v1/profile", 1, op_profile_read },
	{ "POST", "v1/profile", 1, op_profile_apply },
	{ "POST", "v1/programs", 1, op_program_start },
	{ "GET", "v1/programs/*", 1, op_program_status },
	{ "POST", "v1/programs/*/signal", 1, op_program_signal },
	{ "GET", "v1/programs/*/stdout", 1, op_program_output },
	{ "GET", "v1/programs/*/stderr", 1, op_program_output },
	{ "GET", "v1/files/*", 1, op_file },
	{ "GET", "v1/counters", 1, op_counters },
	{ "GET", "v1/sample", 1, op_sample },
	{ "GET", "v1/raw/*", 1, op_raw },
	{ "POST", "v1/routes", 1, op_route_add },
	{ "POST", "v1/capture", 1, op_capture_start },
};

static int pattern_matches(const char *pattern, const struct agent_request *req)
{
	const char *p = pattern;
	int i = 0;

	for (; i < req->nseg && *p != '\0'; i++) {
		size_t n = strcspn(p, "/");

		if (!(n == 1 && p[0] == '*') && (strlen(req->seg[i]) != n || strncmp(p, req->seg[i], n) != 0))
			return 0;
		p += n;
		if (*p == '/')
			p++;
	}
	return i == req->nseg && *p == '\0';
}

const struct agent_op *agent_route_find(const struct agent_request *req, int session_open, struct agent_reply *rep)
{
	int path_known = 0;

	for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		const struct agent_op *r = &routes[i];

		if (!pattern_matches(r->pattern, req))
			continue;
		path_known = 1;
		if (strcmp(r->method, req->method) != 0)
			continue;
		if (strcmp(r->method, "POST") == 0 && req->body == NULL) {
			reply_error(rep, 400, "%s %s needs a JSON object body", req->method, req->path);
			return NULL;
		}
		if (r->needs_session && !session_open) {
			reply_error(rep, 409, "no session is open (POST /v1/session first)");
			return NULL;
		}
		return r;
	}
	if (path_known)
		reply_error(rep, 405, "%s is not an operation on %s", req->method, req->path);
	else
		reply_error(rep, 404, "unknown operation %s %s", req->method, req->path);
	return NULL;
}

void agent_route(struct agent *a, struct agent_request *req, struct agent_reply *rep)
{
	const struct agent_op *op = agent_route_find(req, a->session.open, rep);

	if (op != NULL)
		op->run(a, req, rep);
}
