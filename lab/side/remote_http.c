/* remote_http: libcurl easy handle per agent, reused so every sample rides one kept-alive connection. */
#include "remote_http.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "path.h"

/* Starting a program runs its --check first; nothing the agent does should take longer than this. */
#define REMOTE_TIMEOUT_MS 30000L
#define REMOTE_CONNECT_TIMEOUT_MS 5000L

/* Agent replies larger than this are refused (a raw ss -tan of a busy lab is well below). */
#define REMOTE_REPLY_MAX (64u * 1024 * 1024)

struct reply_buf {
	char *data;
	size_t len;
	size_t cap;
	int too_big;
};

static size_t on_data(char *ptr, size_t size, size_t nmemb, void *userdata)
{
	struct reply_buf *b = userdata;
	size_t n = size * nmemb;

	if (b->len + n + 1 > REMOTE_REPLY_MAX) {
		b->too_big = 1;
		return 0;
	}
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		char *grown;

		while (cap < b->len + n + 1)
			cap *= 2;
		grown = realloc(b->data, cap);
		if (grown == NULL)
			return 0;
		b->data = grown;
		b->cap = cap;
	}
	memcpy(b->data + b->len, ptr, n);
	b->len += n;
	b->data[b->len] = '\0';
	return n;
}

static int read_token(const char *path, char *token, size_t len, struct tl_err *err)
{
	FILE *f = fopen(path, "r");

	if (f == NULL)
		return tl_errf(err, "token file %s: %s", path, strerror(errno));
	if (fgets(token, (int)len, f) == NULL)
		token[0] = '\0';
	fclose(f);
	token[strcspn(token, "\r\n")] = '\0';
	if (token[0] == '\0')
		return tl_errf(err, "token file %s: the first line is empty", path);
	return 0;
}

int remote_endpoint_parse(const char *spec, const char *token_file, struct remote_endpoint *out, struct tl_err *err)
{
	const char *path = NULL;

	memset(out, 0, sizeof(*out));
	if (snprintf(out->spec, sizeof(out->spec), "%s", spec) >= (int)sizeof(out->spec))
		return tl_errf(err, "agent address '%.40s...' is too long", spec);
	if (strncmp(spec, "unix:", 5) == 0)
		path = spec + 5;
	else if (spec[0] == '/')
		path = spec;
	if (path != NULL) {
		if (path[0] != '/')
			return tl_errf(err, "agent address '%s': the unix socket needs an absolute path", spec);
		if (tl_path_fmt(out->unix_path, sizeof(out->unix_path), err, "%s", path) != 0)
			return tl_err_wrap(err, "agent address: the unix socket");
		snprintf(out->base_url, sizeof(out->base_url), "http://agent");
		return 0;
	}
	if (strncmp(spec, "http://", 7) == 0) {
		struct sockaddr_in sin;

		if (parse_ipv4_port(spec + 7, &sin, "agent address", err) != 0)
			return -1;
		if (token_file == NULL || token_file[0] == '\0')
			return tl_errf(err, "agent address '%s': an agent on TCP needs a token file (--agent-token-file)",
				       spec);
		snprintf(out->base_url, sizeof(out->base_url), "%s", spec);
		return read_token(token_file, out->token, sizeof(out->token), err);
	}
	return tl_errf(err, "agent address '%s': expected unix:/PATH, /PATH or http://ADDR:PORT", spec);
}

int remote_http_open(struct remote_http *h, const struct remote_endpoint *ep, struct tl_err *err)
{
	char auth[300];

	memset(h, 0, sizeof(*h));
	h->ep = *ep;
	h->curl = curl_easy_init();
	if (h->curl == NULL)
		return tl_errf(err, "curl_easy_init failed");
	/* A 100-continue round trip would add a wait to every POST. */
	h->headers = curl_slist_append(h->headers, "Expect:");
	h->headers = curl_slist_append(h->headers, "Content-Type: application/json");
	if (ep->token[0] != '\0') {
		snprintf(auth, sizeof(auth), "Authorization: Bearer %s", ep->token);
		h->headers = curl_slist_append(h->headers, auth);
	}
	if (h->headers == NULL)
		return tl_errf(err, "out of memory");
	curl_easy_setopt(h->curl, CURLOPT_HTTPHEADER, h->headers);
	curl_easy_setopt(h->curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h->curl, CURLOPT_TIMEOUT_MS, REMOTE_TIMEOUT_MS);
	curl_easy_setopt(h->curl, CURLOPT_CONNECTTIMEOUT_MS, REMOTE_CONNECT_TIMEOUT_MS);
	curl_easy_setopt(h->curl, CURLOPT_ERRORBUFFER, h->curl_error);
	curl_easy_setopt(h->curl, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(h->curl, CURLOPT_PROXY, "");
	if (ep->unix_path[0] != '\0')
		curl_easy_setopt(h->curl, CURLOPT_UNIX_SOCKET_PATH, h->ep.unix_path);
	/* Samples are small requests in quick succession: send each at once. */
	curl_easy_setopt(h->curl, CURLOPT_TCP_NODELAY, 1L);
	return 0;
}

void remote_http_close(struct remote_http *h)
{
	if (h->curl != NULL)
		curl_easy_cleanup(h->curl);
	curl_slist_free_all(h->headers);
	h->curl = NULL;
	h->headers = NULL;
}

/* One exchange; *status is the HTTP status and out holds the reply body. */
static int perform(struct remote_http *h, const char *method, const char *path, const char *body,
		   struct reply_buf *out, long *status, struct tl_err *err)
{
	char url[512];
	CURLcode rc;

	snprintf(url, sizeof(url), "%s%s", h->ep.base_url, path);
	curl_easy_setopt(h->curl, CURLOPT_URL, url);
	curl_easy_setopt(h->curl, CURLOPT_WRITEDATA, out);
	if (body != NULL) {
		curl_easy_setopt(h->curl, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(h->curl, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
		curl_easy_setopt(h->curl, CURLOPT_CUSTOMREQUEST, strcmp(method, "POST") == 0 ? NULL : method);
	} else {
		curl_easy_setopt(h->curl, CURLOPT_HTTPGET, 1L);
		curl_easy_setopt(h->curl, CURLOPT_CUSTOMREQUEST, strcmp(method, "GET") == 0 ? NULL : method);
	}
	h->curl_error[0] = '\0';
	rc = curl_easy_perform(h->curl);
	if (out->too_big)
		return tl_errf(err, "agent %s: %s %s: reply larger than %u bytes", h->ep.spec, method, path,
			       REMOTE_REPLY_MAX);
	if (rc != CURLE_OK)
		return tl_errf(err, "agent %s: %s %s: %s", h->ep.spec, method, path,
			       h->curl_error[0] ? h->curl_error : curl_easy_strerror(rc));
	curl_easy_getinfo(h->curl, CURLINFO_RESPONSE_CODE, status);
	return 0;
}

/* A refusal: the agent's own message when it sent one (data NUL-terminated, or NULL). */
static int refused(const char *spec, const char *method, const char *path, long status, const char *data,
		   struct tl_err *err)
{
	json_t *j = data ? json_loads(data, 0, NULL) : NULL;
	const char *msg = json_string_value(json_object_get(j, "error"));
	int rc = tl_errf(err, "agent %s: %s %s: %ld %s", spec, method, path, status, msg ? msg : "(no message)");

	json_decref(j);
	return rc;
}

int remote_http_reply(const char *spec, const char *method, const char *path, long status, const char *data,
		      size_t len, json_t **reply, struct tl_err *err)
{
	json_error_t jerr;

	if (status >= 300)
		return refused(spec, method, path, status, data, err);
	if (reply == NULL)
		return 0;
	*reply = json_loadb(data ? data : "", len, 0, &jerr);
	if (*reply == NULL || !json_is_object(*reply)) {
		json_decref(*reply);
		*reply = NULL;
		return tl_errf(err, "agent %s: %s %s: the reply is not a JSON object (%s)", spec, method, path,
			       jerr.text);
	}
	return 0;
}

int remote_http_json(struct remote_http *h, const char *method, const char *path, json_t *body, json_t **reply,
		     struct tl_err *err)
{
	struct reply_buf b = { 0 };
	char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
	long status = 0;
	int rc;

	if (body != NULL && text == NULL)
		return tl_errf(err, "out of memory");
	rc = perform(h, method, path, text, &b, &status, err);
	free(text);
	if (rc == 0)
		rc = remote_http_reply(h->ep.spec, method, path, status, b.data, b.len, reply, err);
	free(b.data);
	return rc;
}

int remote_http_download(struct remote_http *h, const char *path, const char *local_path, struct tl_err *err)
{
	struct reply_buf b = { 0 };
	long status = 0;
	FILE *f;
	int rc = perform(h, "GET", path, NULL, &b, &status, err);

	if (rc == 0 && status >= 300)
		rc = refused(h->ep.spec, "GET", path, status, b.data, err);
	if (rc == 0) {
		f = fopen(local_path, "w");
		if (f == NULL) {
			rc = tl_errf(err, "create %s: %s", local_path, strerror(errno));
		} else {
			if (b.len > 0 && fwrite(b.data, 1, b.len, f) != b.len)
				rc = tl_errf(err, "write %s: %s", local_path, strerror(errno));
			if (fclose(f) != 0 && rc == 0)
				rc = tl_errf(err, "write %s: %s", local_path, strerror(errno));
		}
	}
	free(b.data);
	return rc;
}
