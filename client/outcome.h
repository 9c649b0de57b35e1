/* outcome: the class of a finished connection (ok, refused, timeout, reset, addrnotavail, other, aborted). */
#ifndef TL_CLIENT_OUTCOME_H
#define TL_CLIENT_OUTCOME_H

#include <curl/curl.h>

enum outcome {
	OUTCOME_OK,           /* connected (and, in HTTP mode, got a complete response) */
	OUTCOME_REFUSED,      /* RST to our SYN: nothing listening, or tcp_abort_on_overflow */
	OUTCOME_TIMEOUT,      /* kernel gave up on SYNs (ETIMEDOUT) or a client deadline passed */
	OUTCOME_RESET,        /* the peer tore down an established connection (RST, or closed without answering) */
	OUTCOME_ADDRNOTAVAIL, /* no local address/port to use: port exhaustion or a --source not on this box */
	OUTCOME_OTHER,        /* anything else (EMFILE, ENETUNREACH, protocol errors ...) */
	OUTCOME_ABORTED,      /* still in flight when SIGINT/SIGTERM stopped the run: not a result of the target */
	OUTCOME_COUNT
};

/* Short lowercase name used in records, summaries and JSON keys. */
const char *outcome_name(enum outcome outcome);

/* Class of a failed socket call from its errno (0 means success: ok). */
enum outcome outcome_from_errno(int err_no);

/* Class of a finished libcurl transfer from its CURLcode and CURLINFO_OS_ERRNO. */
enum outcome outcome_from_curl(CURLcode code, int os_errno);

/* Whether the outcome counts as an error in summaries (everything but ok and aborted). */
int outcome_is_error(enum outcome outcome);

#endif
