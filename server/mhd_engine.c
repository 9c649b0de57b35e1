/* mhd_engine: libmicrohttpd daemon set-up, request handler and connection counting. */
#include "mhd_engine.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <microhttpd.h>

#include "clock.h"
#include "http.h"
#include "listener.h"
#include "stop.h"

/* Runtime log lines printed before the rest are dropped: a refused flood would print one per connection. */
#define MHD_LOG_LINES_MAX 20

/* libmicrohttpd's own messages: kept for the start-up error, printed (a few) once running. */
static void on_log(void *cls, const char *fmt, va_list ap)
{
	struct mhd_engine *e = cls;
	char line[256];
	size_t len;
	int seen;

	vsnprintf(line, sizeof(line), fmt, ap);
	len = strlen(line);
	while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		line[--len] = '\0';
	if (!atomic_load(&e->started)) {
		snprintf(e->last_log, sizeof(e->last_log), "%s", line);
		return;
	}
	seen = atomic_fetch_add(&e->log_lines, 1) + 1;
	if (seen <= MHD_LOG_LINES_MAX)
		fprintf(stderr, "tcplab-server: libmicrohttpd: %s%s\n", line,
			seen == MHD_LOG_LINES_MAX ? " (further messages suppressed)" : "");
}

/* Body bytes for responses larger than the static chunk. */
static ssize_t read_body(void *cls, uint64_t pos, char *buf, size_t max)
{
	const struct mhd_engine *e = cls;
	size_t chunk_len;
	const char *chunk = http_body_chunk(&chunk_len);
	uint64_t left = (uint64_t)e->run->opts->body_bytes - pos;
	size_t n = max < chunk_len ? max : chunk_len;

	if (left < n)
		n = (size_t)left;
	memcpy(buf, chunk, n);
	return (ssize_t)n;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *connection, const char *url, const char *method,
				  const char *version, const char *upload_data, size_t *upload_data_size, void **req_cls)
{
	struct mhd_engine *e = cls;
	enum MHD_Result rc;

	(void)url;
	(void)method;
	(void)version;
	(void)upload_data;
	/* The first call only announces the head; answering on the second is the documented pattern. */
	if (*req_cls == NULL) {
		*req_cls = e;
		return MHD_YES;
	}
	if (*upload_data_size != 0) {
		*upload_data_size = 0;
		return MHD_YES;
	}
	counters_inc(&e->run->slot->requests);
	stop_inflight_add(1);
	/* The sleep blocks this libmicrohttpd thread, as a slow handler would. */
	clock_sleep_us(e->run->opts->handle_us);
	rc = MHD_queue_response(connection, MHD_HTTP_OK, e->response);
	if (rc == MHD_YES)
		counters_inc(&e->run->slot->responses);
	else
		counters_error(e->run->slot, ERR_OTHER);
	stop_inflight_add(-1);
	return rc;
}

static void on_completed(void *cls, struct MHD_Connection *connection, void **req_cls,
			 enum MHD_RequestTerminationCode toe)
{
	const struct mhd_engine *e = cls;

	(void)connection;
	(void)req_cls;
	switch (toe) {
	case MHD_REQUEST_TERMINATED_COMPLETED_OK:
	case MHD_REQUEST_TERMINATED_DAEMON_SHUTDOWN:
		return;
	case MHD_REQUEST_TERMINATED_CLIENT_ABORT:
		counters_inc(&e->run->slot->closed_by_peer);
		return;
	case MHD_REQUEST_TERMINATED_READ_ERROR:
		counters_error(e->run->slot, ERR_READ);
		return;
	case MHD_REQUEST_TERMINATED_WITH_ERROR:
	case MHD_REQUEST_TERMINATED_TIMEOUT_REACHED:
		counters_error(e->run->slot, ERR_OTHER);
		return;
	}
}

static void on_connection(void *cls, struct MHD_Connection *connection, void **socket_context,
			  enum MHD_ConnectionNotificationCode toe)
{
	const struct mhd_engine *e = cls;
	const union MHD_ConnectionInfo *info;

	(void)socket_context;
	switch (toe) {
	case MHD_CONNECTION_NOTIFY_STARTED:
		counters_inc(&e->run->slot->accepted);
		if (e->run->opts->close_style == CLOSE_RST) {
			/* libmicrohttpd closes with close(): lingering 0 turns every close into an RST. */
			struct linger lin = { .l_onoff = 1, .l_linger = 0 };

			info = MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CONNECTION_FD);
			if (info != NULL)
				setsockopt(info->connect_fd, SOL_SOCKET, SO_LINGER, &lin, sizeof(lin));
		}
		return;
	case MHD_CONNECTION_NOTIFY_CLOSED:
		return;
	}
}

/* The one response every request gets; libmicrohttpd reference-counts it across threads. */
static struct MHD_Response *make_response(struct mhd_engine *e, const struct server_opts *opts)
{
	size_t chunk_len;
	const char *chunk = http_body_chunk(&chunk_len);
	struct MHD_Response *resp;

	if (opts->body_bytes <= (int64_t)chunk_len)
		resp = MHD_create_response_from_buffer((size_t)opts->body_bytes, (void *)chunk, MHD_RESPMEM_PERSISTENT);
	else
		resp = MHD_create_response_from_callback((uint64_t)opts->body_bytes, 64 * 1024, read_body, e, NULL);
	if (resp != NULL && !opts->keepalive)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
	return resp;
}

int mhd_engine_start(struct mhd_engine *e, const struct server_run *run, struct tl_err *err)
{
	const struct server_opts *opts = run->opts;
	unsigned int flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG;
	struct MHD_OptionItem extra[3];
	int n = 0;

	memset(e, 0, sizeof(*e));
	e->run = run;
	e->response = make_response(e, opts);
	if (e->response == NULL)
		return tl_errf(err, "libmicrohttpd: cannot create the response");
	if (opts->mhd_threads == 0) {
		/* Thread per connection only works with select/poll in libmicrohttpd, not epoll. */
		flags |= MHD_USE_THREAD_PER_CONNECTION | MHD_USE_POLL;
	} else if (MHD_is_feature_supported(MHD_FEATURE_EPOLL) == MHD_YES) {
		flags |= MHD_USE_EPOLL;
	}
	if (opts->mhd_threads > 1)
		extra[n++] = (struct MHD_OptionItem){ MHD_OPTION_THREAD_POOL_SIZE, (intptr_t)opts->mhd_threads, NULL };
	if (opts->mhd_conn_limit_set)
		extra[n++] = (struct MHD_OptionItem){ MHD_OPTION_CONNECTION_LIMIT, (intptr_t)opts->mhd_conn_limit, NULL };
	extra[n] = (struct MHD_OptionItem){ MHD_OPTION_END, 0, NULL };
	e->daemon = MHD_start_daemon(flags, ntohs(opts->listen_addr.sin_port), NULL, NULL, on_request, e,
				      MHD_OPTION_SOCK_ADDR, (const struct sockaddr *)&opts->listen_addr,
				      MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned int)opts->backlog,
				      MHD_OPTION_NOTIFY_CONNECTION, on_connection, e,
				      MHD_OPTION_NOTIFY_COMPLETED, on_completed, e,
				      MHD_OPTION_EXTERNAL_LOGGER, on_log, e,
				      MHD_OPTION_ARRAY, extra,
				      MHD_OPTION_END);
	if (e->daemon == NULL) {
		MHD_destroy_response(e->response);
		e->response = NULL;
		return tl_errf(err, "libmicrohttpd could not start on %s: %s", opts->listen_text,
			       e->last_log[0] ? e->last_log : "no reason given");
	}
	atomic_store(&e->started, 1);
	return 0;
}

void mhd_engine_quiesce(struct mhd_engine *e)
{
	MHD_socket fd;

	if (e->daemon == NULL)
		return;
	fd = MHD_quiesce_daemon(e->daemon);
	if (fd != MHD_INVALID_SOCKET)
		close(fd);
}
