/* http: the small HTTP/1.x subset the server speaks: find a request head, decide keep-alive, format responses. */
#ifndef TL_SERVER_HTTP_H
#define TL_SERVER_HTTP_H

#include <stddef.h>
#include <stdint.h>

/* A request head larger than this is refused with 431 (requests have no body). */
#define HTTP_MAX_HEAD_BYTES 8192

/* Room for any response head this module formats. */
#define HTTP_MAX_RESPONSE_HEAD 160

/* What the bytes read so far hold. */
enum http_parse_result {
	HTTP_NEED_MORE, /* no "\r\n\r\n" yet */
	HTTP_REQUEST,   /* one complete request head */
	HTTP_TOO_LARGE, /* HTTP_MAX_HEAD_BYTES without the end of the head */
	HTTP_BAD,       /* not an HTTP/1.0 or HTTP/1.1 request */
};

/* Look for one request head at the start of buf; on HTTP_REQUEST sets its length and whether the client wants keep-alive. */
enum http_parse_result http_parse_request(const char *buf, size_t len, size_t *head_len, int *client_keepalive);

/* Format "HTTP/1.1 200 OK" with Content-Length and Connection headers; returns the length. */
size_t http_format_ok_head(char *out, size_t cap, int64_t body_bytes, int keepalive);

/* Format an error response head with an empty body and "Connection: close" (400 or 431); returns the length. */
size_t http_format_error_head(char *out, size_t cap, enum http_parse_result why);

/* A read-only buffer of 'x' to send bodies from; *len is its size. */
const char *http_body_chunk(size_t *len);

#endif
