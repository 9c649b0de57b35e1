/* outcome: classification of finished connections from errno and from libcurl results. */
#include "outcome.h"

#include <errno.h>

const char *outcome_name(enum outcome outcome)
{
	switch (outcome) {
	case OUTCOME_OK:
		return "ok";
	case OUTCOME_REFUSED:
		return "refused";
	case OUTCOME_TIMEOUT:
		return "timeout";
	case OUTCOME_RESET:
		return "reset";
	case OUTCOME_ADDRNOTAVAIL:
		return "addrnotavail";
	case OUTCOME_OTHER:
		return "other";
	case OUTCOME_ABORTED:
		return "aborted";
	case OUTCOME_COUNT:
		break;
	}
	return "?";
}

enum outcome outcome_from_errno(int err_no)
{
	switch (err_no) {
	case 0:
		return OUTCOME_OK;
	case ECONNREFUSED:
		return OUTCOME_REFUSED;
	case ETIMEDOUT:
		return OUTCOME_TIMEOUT;
	case ECONNRESET:
	case EPIPE:
		return OUTCOME_RESET;
	case EADDRNOTAVAIL:
		return OUTCOME_ADDRNOTAVAIL;
	default:
		return OUTCOME_OTHER;
	}
}

/*
 * libcurl reports the layer that failed (connect, send, receive) and keeps the
 * socket errno apart; the errno is what tells the TCP story, so it decides
 * whenever there is one.
 *
 * CURLE_GOT_NOTHING (the server closed the connection without sending a
 * single byte) counts as "reset" even when it closed with a FIN and no errno:
 * either way the peer tore down an established connection before answering,
 * which is what a server that accepts and drops, or a full accept queue with
 * tcp_abort_on_overflow, looks like from the client. CURLE_PARTIAL_FILE (the
 * connection ended in the middle of the body) is "reset" for the same reason.
 */
enum outcome outcome_from_curl(CURLcode code, int os_errno)
{
	/* An if-chain, not a switch: CURLcode has ~100 members we do not enumerate. */
	if (code == CURLE_OK)
		return OUTCOME_OK;
	if (code == CURLE_OPERATION_TIMEDOUT)
		return OUTCOME_TIMEOUT;
	/* COULDNT_CONNECT, RECV_ERROR, SEND_ERROR and ABORTED_BY_CALLBACK (our
	 * socket-options callback failing to bind a --source) all carry the errno. */
	if (os_errno != 0)
		return outcome_from_errno(os_errno);
	if (code == CURLE_GOT_NOTHING || code == CURLE_PARTIAL_FILE)
		return OUTCOME_RESET;
	return OUTCOME_OTHER;
}

int outcome_is_error(enum outcome outcome)
{
	return outcome != OUTCOME_OK && outcome != OUTCOME_ABORTED;
}
