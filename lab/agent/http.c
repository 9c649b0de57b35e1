/* http: libmicrohttpd glue: one polling thread serves every request in turn, so operations never run at once. */
#include "agent_internal.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ns_reset.h"

/* Bodies are a profile or a command line: a few kilobytes. */
#define AGENT_BODY_MAX (64 * 1024)

/* A controller keeps its connection open between samples; an idle one is closed after this. */
#define AGENT_IDLE_TIMEOUT_S 300

struct pending {
	char *data;
	size_t len;
	int too_big;
};

const char *agent_role_name(enum agent_role role)
{
	switch (role) {
	case AGENT_ROLE_SERVER:
		return "server";
	case AGENT_ROLE_CLIENT:
		return "client";
	}
	return "?";
}

const char *agent_role_program(enum agent_role role)
{
	switch (role) {
	case AGENT_ROLE_SERVER:
		return "tcplab-server";
	case AGENT_ROLE_CLIENT:
		return "tcplab-client";
	}
	return "?";
}

int agent_role_parse(const char *name, enum agent_role *role, struct tl_err *err)
{
	if (strcmp(name, "server") == 0)
		*role = AGENT_ROLE_SERVER;
	else if (strcmp(name, "client") == 0)
		*role = AGENT_ROLE_CLIENT;
	else
		return tl_errf(err, "--role: '%s' is not server or client", name);
	return 0;
}

void reply_json(struct agent_reply *rep, unsigned status, json_t *json)
{
	rep->status = status;
	rep->json = json;
}

void reply_error(struct agent_reply *rep, unsigned status, const char *fmt, ...)
{
	char msg[600];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	json_decref(rep->json);
	reply_json(rep, status, json_pack("{s:s}", "error", msg));
}

void reply_file(struct agent_reply *rep, const char *path, int unlink_after_open)
{
	struct stat st;
	/* O_NOFOLLOW: a link a program left in its folder does not lead anywhere else. */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);

	if (unlink_after_open)
		unlink(path);
	if (fd < 0) {
		reply_error(rep, errno == ENOENT ? 404 : 500, "%s: %s", strrchr(path, '/') + 1, strerror(errno));
		return;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		reply_error(rep, 404, "%s is not a regular file", strrchr(path, '/') + 1);
		return;
	}
	rep->status = 200;
	rep->fd = fd;
	rep->size = (uint64_t)st.st_size;
}

/* Compare in time independent of where the first difference is. */
static int token_matches(const char *given, const char *token)
{
	size_t n = strlen(token);
	unsigned char diff = 0;

	if (strlen(given) != n)
		return 0;
	for (size_t i = 0; i < n; i++)
		diff |= (unsigned char)(given[i] ^ token[i]);
	return diff == 0;
}

static int authorized(struct agent *a, struct MHD_Connection *conn, struct agent_reply *rep)
{
	const char *auth;

	if (a->cfg.token[0] == '\0')
		return 1;
	auth = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
	if (auth == NULL || strncmp(auth, "Bearer ", 7) != 0) {
		reply_error(rep, 401, "missing bearer token (Authorization: Bearer TOKEN)");
		return 0;
	}
	if (!token_matches(auth + 7, a->cfg.token)) {
		reply_error(rep, 401, "wrong bearer token");
		return 0;
	}
	return 1;
}

static int split_path(struct agent_request *req)
{
	char *save = NULL;
	char *s;

	if (strlen(req->path) >= sizeof(req->seg_buf))
		return -1;
	snprintf(req->seg_buf, sizeof(req->seg_buf), "%s", req->path);
	for (s = strtok_r(req->seg_buf, "/", &save); s != NULL; s = strtok_r(NULL, "/", &save)) {
		if (req->nseg == AGENT_PATH_SEGMENTS)
			return -1;
		req->seg[req->nseg++] = s;
	}
	return 0;
}

static void handle(struct agent *a, struct MHD_Connection *conn, const char *method, const char *url,
		   const struct pending *p, struct agent_reply *rep)
{
	struct agent_request req;
	json_error_t jerr;

	memset(&req, 0, sizeof(req));
	req.conn = conn;
	req.method = method;
	req.path = url;
	if (!authorized(a, conn, rep))
		return;
	if (p->too_big) {
		reply_error(rep, 413, "the request body is larger than %d bytes", AGENT_BODY_MAX);
		return;
	}
	if (split_path(&req) != 0) {
		reply_error(rep, 404, "unknown operation %s %.80s", method, url);
		return;
	}
	if (p->len > 0) {
		req.body = json_loadb(p->data, p->len, 0, &jerr);
		if (!json_is_object(req.body)) {
			json_decref(req.body);
			reply_error(rep, 400, "the request body is not a JSON object: %s", jerr.text);
			return;
		}
	}
	agent_route(a, &req, rep);
	json_decref(req.body);
}

static enum MHD_Result send_reply(struct MHD_Connection *conn, struct agent_reply *rep)
{
	struct MHD_Response *resp;
	enum MHD_Result rc;

	if (rep->fd >= 0) {
		resp = MHD_create_response_from_fd(rep->size, rep->fd);
		if (resp == NULL)
			close(rep->fd);
		else
			MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "text/plain; charset=utf-8");
	} else {
		char *text = rep->json ? json_dumps(rep->json, JSON_COMPACT) : NULL;

		json_decref(rep->json);
		if (text == NULL)
			return MHD_NO;
		resp = MHD_create_response_from_buffer(strlen(text), text, MHD_RESPMEM_MUST_FREE);
		if (resp == NULL)
			free(text);
		else
			MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
	}
	if (resp == NULL)
		return MHD_NO;
	if (rep->status == 401)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer");
	rc = MHD_queue_response(conn, rep->status, resp);
	MHD_destroy_response(resp);
	return rc;
}

static enum MHD_Result on_access(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
				 const char *version, const char *upload_data, size_t *upload_data_size, void **req_cls)
{
	struct agent *a = cls;
	struct pending *p = *req_cls;
	struct agent_reply rep = { .status = 500, .json = NULL, .fd = -1, .size = 0 };

	(void)version;
	if (p == NULL) {
		p = calloc(1, sizeof(*p));
		if (p == NULL)
			return MHD_NO;
		*req_cls = p;
		return MHD_YES;
	}
	if (*upload_data_size > 0) {
		if (p->too_big || p->len + *upload_data_size > AGENT_BODY_MAX) {
			p->too_big = 1;
		} else {
			char *grown = realloc(p->data, p->len + *upload_data_size + 1);

			if (grown == NULL)
				return MHD_NO;
			p->data = grown;
			memcpy(p->data + p->len, upload_data, *upload_data_size);
			p->len += *upload_data_size;
		}
		*upload_data_size = 0;
		return MHD_YES;
	}
	handle(a, conn, method, url, p, &rep);
	if (rep.status >= 400)
		fprintf(stderr, "tcplab-agent: %u %s %s: %s\n", rep.status, method, url,
			json_string_value(json_object_get(rep.json, "error")));
	return send_reply(conn, &rep);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **req_cls, enum MHD_RequestTerminationCode toe)
{
	struct pending *p = *req_cls;

	(void)cls;
	(void)conn;
	(void)toe;
	if (p != NULL) {
		free(p->data);
		free(p);
	}
	*req_cls = NULL;
}

int agent_start(const struct agent_config *cfg, int listen_fd, struct agent **out, struct tl_err *err)
{
	struct agent *a = calloc(1, sizeof(*a));
	struct sockaddr_in own;
	socklen_t own_len = sizeof(own);

	if (a == NULL) {
		close(listen_fd);
		return tl_errf(err, "out of memory");
	}
	a->cfg = *cfg;
	/* Read now, while the namespace is as its container started: every run starts from these values. */
	if (ns_reset_read_baseline(&a->baseline, err) != 0) {
		close(listen_fd);
		free(a);
		return tl_err_wrap(err, "reading the namespace's sysctls");
	}
	if (getsockname(listen_fd, (struct sockaddr *)&own, &own_len) == 0 && own.sin_family == AF_INET)
		a->own_port = ntohs(own.sin_port);
	if (mkdir(cfg->workdir, 0700) == 0) {
		a->made_workdir = 1;
	} else if (errno != EEXIST) {
		tl_errf(err, "--workdir %s: %s", cfg->workdir, strerror(errno));
		close(listen_fd);
		free(a);
		return -1;
	}
	/* One internal thread, not one per connection: programs are forked from it, and their
	 * PR_SET_PDEATHSIG fires when the forking thread ends, which is when the agent stops. */
	a->daemon = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG, 0, NULL, NULL,
				     on_access, a, MHD_OPTION_LISTEN_SOCKET, listen_fd, MHD_OPTION_NOTIFY_COMPLETED,
				     on_completed, a, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)AGENT_IDLE_TIMEOUT_S,
				     MHD_OPTION_END);
	if (a->daemon == NULL) {
		close(listen_fd);
		if (a->made_workdir)
			rmdir(cfg->workdir);
		free(a);
		return tl_errf(err, "libmicrohttpd did not start on the listening socket");
	}
	*out = a;
	return 0;
}

void agent_stop(struct agent *a)
{
	if (a == NULL)
		return;
	MHD_stop_daemon(a->daemon);
	session_close(&a->session);
	if (a->made_workdir)
		rmdir(a->cfg.workdir);
	free(a);
}
