/* test_client_outcome: classification of finished connections from errno and from libcurl results. */
#include <errno.h>

/* By path: server/ has headers of the same names on the test include path. */
#include "../../client/outcome.h"
#include "unit.h"

static void test_errno_classes(void)
{
	CHECK(outcome_from_errno(0) == OUTCOME_OK);
	CHECK(outcome_from_errno(ECONNREFUSED) == OUTCOME_REFUSED);
	CHECK(outcome_from_errno(ETIMEDOUT) == OUTCOME_TIMEOUT);
	CHECK(outcome_from_errno(ECONNRESET) == OUTCOME_RESET);
	CHECK(outcome_from_errno(EPIPE) == OUTCOME_RESET);
	CHECK(outcome_from_errno(EADDRNOTAVAIL) == OUTCOME_ADDRNOTAVAIL);
	CHECK(outcome_from_errno(EMFILE) == OUTCOME_OTHER);
	CHECK(outcome_from_errno(ENETUNREACH) == OUTCOME_OTHER);
	CHECK(outcome_from_errno(EHOSTUNREACH) == OUTCOME_OTHER);
}

static void test_curl_connect_failures(void)
{
	CHECK(outcome_from_curl(CURLE_OK, 0) == OUTCOME_OK);
	CHECK(outcome_from_curl(CURLE_COULDNT_CONNECT, ECONNREFUSED) == OUTCOME_REFUSED);
	/* The kernel gave up on SYNs (tcp_syn_retries): libcurl says COULDNT_CONNECT. */
	CHECK(outcome_from_curl(CURLE_COULDNT_CONNECT, ETIMEDOUT) == OUTCOME_TIMEOUT);
	CHECK(outcome_from_curl(CURLE_COULDNT_CONNECT, EADDRNOTAVAIL) == OUTCOME_ADDRNOTAVAIL);
	CHECK(outcome_from_curl(CURLE_COULDNT_CONNECT, 0) == OUTCOME_OTHER);
	/* Our socket-options callback failing to bind a --source not on this box. */
	CHECK(outcome_from_curl(CURLE_ABORTED_BY_CALLBACK, EADDRNOTAVAIL) == OUTCOME_ADDRNOTAVAIL);
}

static void test_curl_timeouts(void)
{
	CHECK(outcome_from_curl(CURLE_OPERATION_TIMEDOUT, 0) == OUTCOME_TIMEOUT);
	/* A client deadline wins over whatever errno the socket carried. */
	CHECK(outcome_from_curl(CURLE_OPERATION_TIMEDOUT, EINPROGRESS) == OUTCOME_TIMEOUT);
}

static void test_curl_resets(void)
{
	CHECK(outcome_from_curl(CURLE_RECV_ERROR, ECONNRESET) == OUTCOME_RESET);
	CHECK(outcome_from_curl(CURLE_SEND_ERROR, ECONNRESET) == OUTCOME_RESET);
	CHECK(outcome_from_curl(CURLE_SEND_ERROR, EPIPE) == OUTCOME_RESET);
	CHECK(outcome_from_curl(CURLE_RECV_ERROR, 0) == OUTCOME_OTHER);
	/* Closed without a byte of answer: reset whether by RST or by FIN. */
	CHECK(outcome_from_curl(CURLE_GOT_NOTHING, 0) == OUTCOME_RESET);
	CHECK(outcome_from_curl(CURLE_GOT_NOTHING, ECONNRESET) == OUTCOME_RESET);
	CHECK(outcome_from_curl(CURLE_PARTIAL_FILE, 0) == OUTCOME_RESET);
	CHECK(outcome_from_curl(CURLE_WEIRD_SERVER_REPLY, 0) == OUTCOME_OTHER);
}

static void test_names_and_errors(void)
{
	CHECK_STR(outcome_name(OUTCOME_OK), "ok");
	CHECK_STR(outcome_name(OUTCOME_REFUSED), "refused");
	CHECK_STR(outcome_name(OUTCOME_TIMEOUT), "timeout");
	CHECK_STR(outcome_name(OUTCOME_RESET), "reset");
	CHECK_STR(outcome_name(OUTCOME_ADDRNOTAVAIL), "addrnotavail");
	CHECK_STR(outcome_name(OUTCOME_OTHER), "other");
	CHECK_STR(outcome_name(OUTCOME_ABORTED), "aborted");
	CHECK(!outcome_is_error(OUTCOME_OK));
	CHECK(!outcome_is_error(OUTCOME_ABORTED));
	CHECK(outcome_is_error(OUTCOME_REFUSED));
	CHECK(outcome_is_error(OUTCOME_OTHER));
}

int main(void)
{
	RUN(test_errno_classes);
	RUN(test_curl_connect_failures);
	RUN(test_curl_timeouts);
	RUN(test_curl_resets);
	RUN(test_names_and_errors);
	return UNIT_END();
}
