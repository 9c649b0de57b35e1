/* remote_http: one kept-alive HTTP connection to a tcplab-agent (unix socket, or TCP with a bearer token) over libcurl. */
#ifndef TL_REMOTE_HTTP_H
#define TL_REMOTE_HTTP_H

#include <curl/curl.h>
#include <jansson.h>

#include "tl_err.h"

/* Where an agent listens. */
struct remote_endpoint {
	char spec[300];      /* as the user wrote it, for messages */
	char unix_path[108]; /* the agent's unix socket; "" for TCP */
	char base_url[128];  /* "http://ADDR:PORT", or "http://agent" (the host is unused) on a unix socket */
	char token[256];     /* bearer token for TCP; "" on a unix socket */
};

/* A connection to one agent. */
struct remote_http {
	CURL *curl;
	struct curl_slist *headers;
	struct remote_endpoint ep;
	char curl_error[CURL_ERROR_SIZE];
};

/* Parse "unix:/path", "/path" or "http://ADDR:PORT"; TCP needs token_file (its first line is the token). */
int remote_endpoint_parse(const char *spec, const char *token_file, struct remote_endpoint *out, struct tl_err *err);

/* Set up the connection (nothing is sent yet). */
int remote_http_open(struct remote_http *h, const struct remote_endpoint *ep, struct tl_err *err);

/* Close the connection (safe on one that failed to open). */
void remote_http_close(struct remote_http *h);

/* Send method path with body (NULL: none) and parse the JSON reply into *reply (NULL: discard it);
 * a 4xx/5xx reply is an error carrying the agent's {"error": ...} message. */
int remote_http_json(struct remote_http *h, const char *method, const char *path, json_t *body, json_t **reply,
		     struct tl_err *err);

/* Read an agent's reply to method path: status and body (data NUL-terminated after len bytes, or NULL when
 * empty). A 4xx/5xx status is an error carrying the agent's {"error": ...} message; otherwise the body must be
 * a JSON object, parsed into *reply (reply NULL: the body is not read). */
int remote_http_reply(const char *spec, const char *method, const char *path, long status, const char *data,
		      size_t len, json_t **reply, struct tl_err *err);

/* GET path and write the reply body to local_path; on a 4xx/5xx reply nothing is written. */
int remote_http_download(struct remote_http *h, const char *path, const char *local_path, struct tl_err *err);

#endif
