/* http: libmicrohttpd glue: one epoll thread serves every request in turn, so operations never run at once. */
#include "agent_internal.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "agent_log.h"
#include "ns_reset.h"
#include "trust.h"

/* Bodies are a profile or a command line: a few kilobytes. */
#define AGENT_BODY_MAX (64 * 1024)

/* A controller keeps its connection open between samples; an idle one is closed after this. */
#define AGENT_IDLE_TIMEOUT_S 300

/* On TCP a connection that has not yet carried the token is closed this long after its accept, whatever it
 * sends (the guard), and after this long without traffic (libmicrohttpd's idle timeout). */
#define AGENT_UNAUTH_TIMEOUT_S 10

/* libmicrohttpd's own messages: at most this many per window. */
#define AGENT_LOG_PER_WINDOW 5
#define AGENT_LOG_WINDOW_S 10

/* Connections at once: a controller holds one; the rest are people's curl and strangers. Far more than
 * a few hosts at 8 each can hold for the 10 s a connection without the token lives. */
#define AGENT_CONNECTIONS_MAX 1024

/* Descriptors the agent asks for (soft limit, up to the hard one): every connection, plus its own files. */
#define AGENT_FILES_MAX (AGENT_CONNECTIONS_MAX + 256)

/* Connections at once from one IPv4 address on TCP: one host cannot take every slot. */
#define AGENT_CONNECTIONS_PER_IP 8

struct pending {
	char *data;
	size_t len;
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
	/* O_NOFOLLOW: a link a program left in its folder does not lead anywhere else; O_NONBLOCK: a FIFO it left
	 * there cannot hold the agent's one serving thread in open(). */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	int ok;

	if (fd < 0) {
		if (unlink_after_open)
			unlink(path);
		reply_error(rep, errno == ENOENT ? 404 : 500, "%s: %s", strrchr(path, '/') + 1, strerror(errno));
		return;
	}
	/* A regular file of one name only: a hard link a program made to another file is not served. */
	ok = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_nlink == 1 && fcntl(fd, F_SETFL, 0) == 0;
	if (unlink_after_open)
		unlink(path);
	if (!ok) {
		close(fd);
		reply_error(rep, 404, "%s is not a regular file of its own", strrchr(path, '/') + 1);
		return;
	}
	rep->status = 200;
	rep->fd = fd;
	rep->size = (uint64_t)st.st_size;
}

int agent_token_matches(const char *given, const char *token)
{
	size_t given_len = strlen(given);
	size_t token_len = strlen(token);
	/* Every byte of the token is compared whatever was given: the time depends on neither where the
	 * first difference is nor how long the given text is against the token. */
	unsigned diff = (unsigned)(given_len != token_len);

	for (size_t i = 0; i < token_len; i++) {
		unsigned char g = i < given_len ? (unsigned char)given[i] : 0;

		diff |= (unsigned)(g ^ (unsigned char)token[i]);
	}
	return diff == 0;
}

int agent_authorization_check(const char *token, const char *auth, struct agent_reply *rep)
{
	if (token[0] == '\0')
		return 1;
	if (auth == NULL || strncmp(auth, "Bearer ", 7) != 0) {
		reply_error(rep, 401, "missing bearer token (Authorization: Bearer TOKEN)");
		return 0;
	}
	if (!agent_token_matches(auth + 7, token)) {
		reply_error(rep, 401, "wrong bearer token");
		return 0;
	}
	return 1;
}

static int authorized(struct agent *a, struct MHD_Connection *conn, struct agent_reply *rep)
{
	if (a->cfg.token[0] == '\0')
		return 1;
	return agent_authorization_check(a->cfg.token,
					 MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION),
					 rep);
}

/* A declared body larger than the agent takes is refused before a byte of it is read. */
static int body_declared_too_big(struct MHD_Connection *conn)
{
	const char *len = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
	unsigned long long n;
	char *end;

	if (len == NULL)
		return 0;
	errno = 0;
	n = strtoull(len, &end, 10);
	return errno != 0 || end == len || n > AGENT_BODY_MAX;
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

int agent_request_parse(struct agent_request *req, const char *method, const char *url, const char *body,
			size_t len, struct agent_reply *rep)
{
	json_error_t jerr;

	memset(req, 0, sizeof(*req));
	req->method = method;
	req->path = url;
	if (split_path(req) != 0) {
		reply_error(rep, 404, "unknown operation %s %.80s", method, url);
		return -1;
	}
	if (len > 0) {
		req->body = json_loadb(body, len, 0, &jerr);
		if (!json_is_object(req->body)) {
			json_decref(req->body);
			req->body = NULL;
			reply_error(rep, 400, "the request body is not a JSON object: %s", jerr.text);
			return -1;
		}
	}
	return 0;
}

static void handle(struct agent *a, struct MHD_Connection *conn, const char *method, const char *url,
		   const struct pending *p, struct agent_reply *rep)
{
	struct agent_request req;

	if (agent_request_parse(&req, method, url, p->data, p->len, rep) != 0)
		return;
	req.conn = conn;
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

static void log_refusal(const char *method, const char *url, const struct agent_reply *rep)
{
	agent_log_refusal(rep->status, method, url, json_string_value(json_object_get(rep->json, "error")));
}

/* Answer before the request is complete; libmicrohttpd closes the connection after the reply. */
static enum MHD_Result refuse(struct MHD_Connection *conn, const char *method, const char *url, struct agent_reply *rep)
{
	log_refusal(method, url, rep);
	return send_reply(conn, rep);
}

static enum MHD_Result on_access(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
				 const char *version, const char *upload_data, size_t *upload_data_size, void **req_cls)
{
	struct agent *a = cls;
	struct pending *p = *req_cls;
	struct agent_reply rep = { .status = 500, .json = NULL, .fd = -1, .size = 0 };

	(void)version;
	if (p == NULL) {
		/* First call: the headers are in, the body (if any) is not read yet. A request without the
		 * token or with too large a body is answered now, and the connection closes after the reply. */
		p = calloc(1, sizeof(*p));
		if (p == NULL)
			return MHD_NO;
		*req_cls = p;
		if (!authorized(a, conn, &rep))
			return refuse(conn, method, url, &rep);
		if (body_declared_too_big(conn)) {
			reply_error(&rep, 413, "the request body is larger than %d bytes", AGENT_BODY_MAX);
			return refuse(conn, method, url, &rep);
		}
		/* Authorized: this connection has no deadline any more, and may idle as long as a controller's
		 * between samples. */
		if (a->cfg.token[0] != '\0') {
			guard_authorized(a->guard, conn);
			MHD_set_connection_option(conn, MHD_CONNECTION_OPTION_TIMEOUT, (unsigned int)AGENT_IDLE_TIMEOUT_S);
		}
		return MHD_YES;
	}
	if (*upload_data_size > 0) {
		char *grown;

		/* A chunked body has no length up front. libmicrohttpd takes no reply while a body is read, so
		 * the connection is closed at the byte that passes the limit rather than reading on. */
		if (p->len + *upload_data_size > AGENT_BODY_MAX) {
			char m[81 * 4], u[81 * 4];

			agent_log_escape(method, 80, m, sizeof(m));
			agent_log_escape(url, 80, u, sizeof(u));
			fprintf(stderr, "tcplab-agent: %s %s: the request body passed %d bytes: connection closed\n", m,
				u, AGENT_BODY_MAX);
			return MHD_NO;
		}
		grown = realloc(p->data, p->len + *upload_data_size + 1);
		if (grown == NULL)
			return MHD_NO;
		p->data = grown;
		memcpy(p->data + p->len, upload_data, *upload_data_size);
		p->len += *upload_data_size;
		*upload_data_size = 0;
		return MHD_YES;
	}
	handle(a, conn, method, url, p, &rep);
	if (rep.status >= 400)
		log_refusal(method, url, &rep);
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

/* libmicrohttpd's messages, a few per interval: a flood of refused connections must not flood the log. */
static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	static time_t window_start;
	static unsigned printed, dropped;
	time_t now = time(NULL);
	char msg[300], shown[sizeof(msg) * 4];

	(void)cls;
	if (now - window_start >= AGENT_LOG_WINDOW_S) {
		if (dropped > 0)
			fprintf(stderr, "tcplab-agent: libmicrohttpd: %u more messages not shown\n", dropped);
		window_start = now;
		printed = 0;
		dropped = 0;
	}
	if (printed == AGENT_LOG_PER_WINDOW) {
		dropped++;
		return;
	}
	printed++;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	msg[strcspn(msg, "\n")] = '\0';
	agent_log_escape(msg, sizeof(msg), shown, sizeof(shown));
	fprintf(stderr, "tcplab-agent: libmicrohttpd: %s\n", shown);
}

/* Room for every connection the limit allows: the soft descriptor limit up to AGENT_FILES_MAX (or the hard one). */
static void raise_files_limit(void)
{
	struct rlimit lim;

	if (getrlimit(RLIMIT_NOFILE, &lim) != 0 || lim.rlim_cur >= AGENT_FILES_MAX)
		return;
	lim.rlim_cur = lim.rlim_max == RLIM_INFINITY || lim.rlim_max > AGENT_FILES_MAX ? AGENT_FILES_MAX : lim.rlim_max;
	setrlimit(RLIMIT_NOFILE, &lim);
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
	/* Made here with its mode, or checked again: a folder that appeared since main's check is
	 * held to the same rules (own uid, its mode, no symlink). */
	if (mkdir(cfg->workdir, AGENT_WORKDIR_MODE(cfg)) == 0) {
		a->made_workdir = 1;
		/* The umask may have taken bits off; trust_open_workdir below checks the result. */
		chmod(cfg->workdir, AGENT_WORKDIR_MODE(cfg));
	} else if (errno != EEXIST || trust_check_workdir(cfg->workdir, AGENT_WORKDIR_MODE(cfg), err) != 1) {
		if (errno != EEXIST)
			tl_errf(err, "--workdir %s: %s", cfg->workdir, strerror(errno));
		close(listen_fd);
		free(a);
		return -1;
	}
	/* Held open: sessions are made and removed relative to this folder, not by its path again. */
	a->workdir_fd = trust_open_workdir(cfg->workdir, AGENT_WORKDIR_MODE(cfg), err);
	if (a->workdir_fd < 0) {
		close(listen_fd);
		if (a->made_workdir)
			rmdir(cfg->workdir);
		free(a);
		return -1;
	}
	/* On TCP a connection without the token is closed 10 s after its accept, trickling bytes or not. */
	if (guard_start(cfg->token[0] != '\0' ? AGENT_UNAUTH_TIMEOUT_S : 0, &a->guard, err) != 0) {
		close(listen_fd);
		close(a->workdir_fd);
		if (a->made_workdir)
			rmdir(cfg->workdir);
		free(a);
		return -1;
	}
	raise_files_limit();
	/* One internal thread, not one per connection: programs are forked from it, and their
	 * PR_SET_PDEATHSIG fires when the forking thread ends, which is when the agent stops. epoll, not
	 * select: no FD_SETSIZE ceiling, and connections over the limits are closed as they are accepted.
	 * On TCP a connection gets the long timeout only once a request on it carried the token. */
	a->daemon = MHD_start_daemon(
		MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG, 0, NULL, NULL, on_access, a,
		MHD_OPTION_EXTERNAL_LOGGER, mhd_log, a, MHD_OPTION_LISTEN_SOCKET, listen_fd,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, a, MHD_OPTION_NOTIFY_CONNECTION, guard_notify, a->guard,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned int)AGENT_CONNECTIONS_MAX,
		MHD_OPTION_CONNECTION_TIMEOUT,
		(unsigned int)(cfg->token[0] != '\0' ? AGENT_UNAUTH_TIMEOUT_S : AGENT_IDLE_TIMEOUT_S),
		/* 0 is no limit: a unix socket's peers have no address. */
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned int)(cfg->token[0] != '\0' ? AGENT_CONNECTIONS_PER_IP : 0),
		MHD_OPTION_END);
	if (a->daemon == NULL) {
		guard_stop(a->guard);
		close(listen_fd);
		close(a->workdir_fd);
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
	guard_stop(a->guard);
	session_close(&a->session);
	close(a->workdir_fd);
	if (a->made_workdir)
		rmdir(a->cfg.workdir);
	free(a);
}
