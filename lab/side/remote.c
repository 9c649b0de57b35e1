/* remote: each side operation is one request to the agent's /v1 API; the agent runs the local side in its own namespace. */
#include "remote.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "remote_reply.h"
#include "remote_wire.h"

/* How often a starting agent is asked again. */
#define REMOTE_RETRY_US 50000

struct remote_side {
	struct side base;
	struct remote_http http;
	char role[16];
	char workdir[256];
	char address[16];
	uint64_t netns_ino; /* the agent's namespace, as its /v1/info reports it; 0 when it does not */
};

static struct remote_side *remote_of(struct side *s)
{
	return (struct remote_side *)s;
}

/* Prefix an agent error with the side, as the local side's errors are. */
static int side_err(struct remote_side *rs, struct tl_err *err)
{
	return tl_err_wrap(err, "%s side", rs->role);
}

/* POST body (taken; NULL: out of memory) to path and read the program number the agent answers with. */
static int post_for_proc(struct remote_side *rs, const char *path, json_t *body, int *proc, struct tl_err *err)
{
	json_t *reply = NULL;
	int rc;

	if (body == NULL)
		return tl_errf(err, "out of memory");
	rc = remote_http_json(&rs->http, "POST", path, body, &reply, err);
	json_decref(body);
	if (rc == 0)
		rc = remote_reply_proc(reply, proc, err);
	json_decref(reply);
	return rc == 0 ? 0 : side_err(rs, err);
}

static int remote_apply_profile(struct side *s, const struct profile *p, struct side_applied *out, struct tl_err *err)
{
	struct remote_side *rs = remote_of(s);
	json_t *body = wire_profile_to_json(p);
	json_t *reply = NULL;
	int rc;

	if (body == NULL)
		return tl_errf(err, "out of memory");
	rc = remote_http_json(&rs->http, "POST", "/v1/profile", body, &reply, err);
	json_decref(body);
	if (rc == 0)
		rc = wire_applied_from_json(reply, out, err);
	json_decref(reply);
	return rc == 0 ? 0 : side_err(rs, err);
}

static int remote_spawn(struct side *s, const char *name, char *const argv[], int *proc, struct tl_err *err)
{
	struct remote_side *rs = remote_of(s);
	const char *slash = strrchr(argv[0], '/');
	json_t *args = json_array();
	json_t *body;

	/* The agent runs its own copy of the program: only the name crosses, never a path on this machine. */
	for (int i = 1; argv[i] != NULL; i++)
		json_array_append_new(args, json_string(argv[i]));
	body = json_pack("{s:s, s:s, s:o}", "name", name, "program", slash ? slash + 1 : argv[0], "args", args);
	return post_for_proc(rs, "/v1/programs", body, proc, err);
}

static int remote_signal(struct side *s, int proc, int sig, struct tl_err *err)
{
	struct remote_side *rs = remote_of(s);
	const char *word = wire_signal_name(sig);
	char path[64];
	json_t *body;
	int rc;

	if (word == NULL)
		return tl_errf(err, "%s side: signal %d cannot be sent to an agent", rs->role, sig);
	snprintf(path, sizeof(path), "/v1/programs/%d/signal", proc);
	body = json_pack("{s:s}", "signal", word);
	rc = remote_http_json(&rs->http, "POST", path, body, NULL, err);
	json_decref(body);
	return rc == 0 ? 0 : side_err(rs, err);
}

static int remote_poll_exit(struct side *s, int proc, int *wait_status, struct tl_err *err)
{
	struct remote_side *rs = remote_of(s);
	char path[64];
	json_t *reply = NULL;
	int rc;

	snprintf(path, sizeof(path), "/v1/programs/%d", proc);
	if (remote_http_json(&rs->http, "GET", path, NULL, &reply, err) != 0)
		return side_err(rs, err);
	rc = remote_reply_exit(reply, wait_status, err);
	json_decref(reply);
	return rc < 0 ? side_err(rs, err) : rc;
}

static int remote_counters(struct side *s, struct counters *out, struct tl_err *err)
{
	struct remote_side *rs = remote_of(s);
	json_t *reply = NULL;
	int rc = remote_http_json(&rs->http, "GET", "/v1/counters", NULL, &reply, err);

	if (rc == 0)
		rc = wire_counters_from_json(reply, out, err);
	json_decref(reply);
	return rc == 0 ? 0 : side_err(rs, err);
}

static int remote_sample(struct side *s, uint16_t port, int listeners_only, struct sockdiag_sample *out,
			 struct tl_err *err)
{
	struct remote_side *rs = remote_of(s);
	char path[80];
	json_t *reply = NULL;
	int rc;

	snprintf(path, sizeof(path), "/v1/sample?port=%u&listeners_only=%d", (unsigned)port, listeners_only ? 1 : 0);
	rc = remote_http_json(&rs->http, "GET", path, NULL, &reply, err);
	if (rc == 0)
		rc = wire_sample_from_json(reply, out, err);
	json_decref(reply);
	return rc == 0 ? 0 : side_err(rs, err);
}

static int remote_raw(struct side *s, enum side_raw what, const char *local_path, struct tl_err *err)
{
	struct remote_side *rs = remote_of(s);
	char path[64];

	snprintf(path, sizeof(path), "/v1/raw/%s", wire_raw_name(what));
	return remote_http_download(&rs->http, path, local_path, err) == 0 ? 0 : side_err(rs, err);
}

static int remote_fetch(struct side *s, int proc, const char *stream, const char *local_path, struct tl_err *err)
{
	struct remote_side *rs = remote_of(s);
	char path[300];

	if (strcmp(stream, "stdout") == 0 || strcmp(stream, "stderr") == 0)
		snprintf(path, sizeof(path), "/v1/programs/%d/%s", proc, stream);
	else
		snprintf(path, sizeof(path), "/v1/files/%s", stream);
	return remote_http_download(&rs->http, path, local_path, err) == 0 ? 0 : side_err(rs, err);
}

static int remote_add_route(struct side *s, const char *prefix, const char *via, struct tl_err *err)
{
	struct remote_side *rs = remote_of(s);
	json_t *body = via ? json_pack("{s:s, s:s}", "prefix", prefix, "via", via)
			   : json_pack("{s:s, s:b}", "prefix", prefix, "blackhole", 1);
	int rc;

	if (body == NULL)
		return tl_errf(err, "out of memory");
	/* The agent deletes the route again when the session closes. */
	rc = remote_http_json(&rs->http, "POST", "/v1/routes", body, NULL, err);
	json_decref(body);
	return rc == 0 ? 0 : side_err(rs, err);
}

static int remote_capture_start(struct side *s, const struct side_capture *c, int *proc, struct tl_err *err)
{
	struct remote_side *rs = remote_of(s);
	json_t *body = json_pack("{s:i, s:I}", "snaplen", c->snaplen_bytes, "max_bytes", (json_int_t)c->max_bytes);

	/* The agent picks its own recorder and interface: only the two sizes cross. */
	return post_for_proc(rs, "/v1/capture", body, proc, err);
}

static int remote_link_apply(struct side *s, const struct side_link *l, int *proc, struct tl_err *err)
{
	(void)l;
	*proc = -1;
	return tl_errf(err, "%s side: [link] conditions are made by the netns backend only; an agent does not make "
		       "them yet", s->role);
}

static int remote_link_counts(struct side *s, struct side_link_counts *out, struct tl_err *err)
{
	(void)out;
	return tl_errf(err, "%s side: an agent counts no link conditions", s->role);
}

static uint64_t remote_netns_ino(struct side *s)
{
	return remote_of(s)->netns_ino;
}

static const char *remote_workdir(struct side *s)
{
	return remote_of(s)->workdir;
}

static void remote_destroy(struct side *s)
{
	struct remote_side *rs = remote_of(s);
	struct tl_err ignored;

	/* The agent stops what still runs and empties the session's folder. */
	remote_http_json(&rs->http, "DELETE", "/v1/session", NULL, NULL, &ignored);
	remote_http_close(&rs->http);
	free(rs);
}

static const struct side_ops remote_ops = {
	.apply_profile = remote_apply_profile,
	.spawn = remote_spawn,
	.signal = remote_signal,
	.poll_exit = remote_poll_exit,
	.counters = remote_counters,
	.sample = remote_sample,
	.raw = remote_raw,
	.fetch = remote_fetch,
	.add_route = remote_add_route,
	.capture_start = remote_capture_start,
	.link_apply = remote_link_apply,
	.link_counts = remote_link_counts,
	.netns_ino = remote_netns_ino,
	.workdir = remote_workdir,
	.destroy = remote_destroy,
};

/* GET /v1/info until the agent answers or wait_us passes: compose starts the agents beside the controller. */
static int wait_for_agent(struct remote_side *rs, int64_t wait_us, json_t **info, struct tl_err *err)
{
	int64_t deadline = clock_mono_us() + wait_us;

	for (;;) {
		if (remote_http_json(&rs->http, "GET", "/v1/info", NULL, info, err) == 0)
			return 0;
		if (clock_mono_us() >= deadline)
			return tl_err_wrap(err, "%s side: no agent answered within %.1f s", rs->role, (double)wait_us / 1e6);
		clock_sleep_us(REMOTE_RETRY_US);
	}
}

int side_remote_create(const char *role, const struct remote_endpoint *ep, int64_t wait_us, struct side **out,
		       struct tl_err *err)
{
	struct remote_side *rs = calloc(1, sizeof(*rs));
	json_t *info = NULL;
	json_t *session = NULL;
	json_t *empty = json_object();
	long long sockets_left = 0;

	if (rs == NULL)
		return tl_errf(err, "out of memory");
	rs->base.ops = &remote_ops;
	rs->base.role = rs->role;
	snprintf(rs->role, sizeof(rs->role), "%s", role);
	if (remote_http_open(&rs->http, ep, err) != 0)
		goto fail;
	if (wait_for_agent(rs, wait_us, &info, err) != 0 ||
	    remote_reply_info(info, rs->role, rs->http.ep.spec, rs->address, sizeof(rs->address), &rs->netns_ino,
			      err) != 0)
		goto fail;
	if (remote_http_json(&rs->http, "POST", "/v1/session", empty, &session, err) != 0) {
		side_err(rs, err);
		goto fail;
	}
	json_decref(empty);
	empty = NULL;
	if (remote_reply_session(session, rs->workdir, sizeof(rs->workdir), &sockets_left, err) != 0) {
		side_err(rs, err);
		goto fail;
	}
	/* The agent removes what an earlier run left in its namespace; a kernel that cannot is worth a word. */
	if (sockets_left > 0)
		fprintf(stderr, "tcplab: %s side: %lld TCP sockets of an earlier run are still in the agent's namespace "
				"(the kernel did not destroy them); socket counts by state include them\n",
			role, sockets_left);
	json_decref(info);
	json_decref(session);
	*out = &rs->base;
	return 0;
fail:
	json_decref(empty);
	json_decref(info);
	json_decref(session);
	remote_http_close(&rs->http);
	free(rs);
	return -1;
}

const char *side_remote_address(const struct side *s)
{
	return ((const struct remote_side *)s)->address;
}
