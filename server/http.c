/* http: request-head parsing and response formatting. */
#include "http.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define BODY_CHUNK_BYTES 65536

static char body_chunk[BODY_CHUNK_BYTES];

/* Filled at load time so no thread ever writes it while another sends from it. */
__attribute__((constructor)) static void body_chunk_fill(void)
{
	memset(body_chunk, 'x', sizeof(body_chunk));
}

const char *http_body_chunk(size_t *len)
{
	*len = sizeof(body_chunk);
	return body_chunk;
}

/* Whether the comma-separated token list [v, end) holds token (case-insensitive). */
static int has_token(const char *v, const char *end, const char *token)
{
	size_t tlen = strlen(token);

	while (v < end) {
		const char *comma = memchr(v, ',', (size_t)(end - v));
		const char *tok_end = comma ? comma : end;

		while (v < tok_end && (*v == ' ' || *v == '\t'))
			v++;
		while (tok_end > v && (tok_end[-1] == ' ' || tok_end[-1] == '\t'))
			tok_end--;
		if ((size_t)(tok_end - v) == tlen && strncasecmp(v, token, tlen) == 0)
			return 1;
		v = comma ? comma + 1 : end;
	}
	return 0;
}

/* Parse the request line "METHOD SP TARGET SP HTTP/1.x"; returns the minor version or -1. */
static int parse_request_line(const char *line, const char *end)
{
	const char *sp1 = memchr(line, ' ', (size_t)(end - line));
	const char *sp2;

	if (sp1 == NULL || sp1 == line)
		return -1;
	sp2 = memchr(sp1 + 1, ' ', (size_t)(end - sp1 - 1));
	if (sp2 == NULL || sp2 == sp1 + 1)
		return -1;
	if (end - sp2 - 1 != 8 || memcmp(sp2 + 1, "HTTP/1.", 7) != 0)
		return -1;
	if (sp2[8] == '0')
		return 0;
	if (sp2[8] == '1')
		return 1;
	return -1;
}

enum http_parse_result http_parse_request(const char *buf, size_t len, size_t *head_len, int *client_keepalive)
{
	const char *end = memmem(buf, len, "\r\n\r\n", 4);
	const char *line;
	const char *line_end;
	int minor;
	int keepalive;

	if (end == NULL)
		return len >= HTTP_MAX_HEAD_BYTES ? HTTP_TOO_LARGE : HTTP_NEED_MORE;
	*head_len = (size_t)(end - buf) + 4;
	if (*head_len > HTTP_MAX_HEAD_BYTES)
		return HTTP_TOO_LARGE;
	line_end = memmem(buf, (size_t)(end - buf) + 2, "\r\n", 2);
	minor = parse_request_line(buf, line_end);
	if (minor < 0)
		return HTTP_BAD;
	/* HTTP/1.1 keeps the connection unless told otherwise; HTTP/1.0 closes unless asked to keep it. */
	keepalive = minor == 1;
	for (line = line_end + 2; line < end + 2; line = line_end + 2) {
		const char *colon;

		line_end = memmem(line, (size_t)(end + 2 - line), "\r\n", 2);
		colon = memchr(line, ':', (size_t)(line_end - line));
		if (colon == NULL)
			return HTTP_BAD;
		if (colon - line == 10 && strncasecmp(line, "Connection", 10) == 0) {
			if (has_token(colon + 1, line_end, "close"))
				keepalive = 0;
			else if (has_token(colon + 1, line_end, "keep-alive"))
				keepalive = 1;
		}
	}
	*client_keepalive = keepalive;
	return HTTP_REQUEST;
}

size_t http_format_ok_head(char *out, size_t cap, int64_t body_bytes, int keepalive)
{
	int n = snprintf(out, cap, "HTTP/1.1 200 OK\r\nContent-Length: %" PRId64 "\r\nConnection: %s\r\n\r\n",
			 body_bytes, keepalive ? "keep-alive" : "close");

	return n < 0 ? 0 : ((size_t)n < cap ? (size_t)n : cap - 1);
}

size_t http_format_error_head(char *out, size_t cap, enum http_parse_result why)
{
	const char *status = why == HTTP_TOO_LARGE ? "431 Request Header Fields Too Large" : "400 Bad Request";
	int n = snprintf(out, cap, "HTTP/1.1 %s\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", status);

	return n < 0 ? 0 : ((size_t)n < cap ? (size_t)n : cap - 1);
}
