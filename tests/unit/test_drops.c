/* test_drops: the drop tracer's text (reason names, raw/drops.csv rows, flags) and how expectations and
 * explanations read run.json's drops. */
#include "unit.h"
#include "unit_render.h"

#include <arpa/inet.h>
#include <stdlib.h>

#include "probe/drops_format.h"
#include "report/explain.h"
#include "report/explain_drops.h"

static void test_names_and_rows(void)
{
	struct drops_event e = { 0 };
	char row[256];
	char flags[10];

	CHECK_STR(drops_strip_prefix("SKB_DROP_REASON_TCP_LISTEN_OVERFLOW", "SKB_DROP_REASON_"), "TCP_LISTEN_OVERFLOW");
	CHECK_STR(drops_strip_prefix("SKB_CONSUMED", "SKB_DROP_REASON_"), "SKB_CONSUMED");
	CHECK_STR(drops_strip_prefix("SKB_DROP_REASON_", "SKB_DROP_REASON_"), "SKB_DROP_REASON_");
	drops_flags_text(0x12, flags);
	CHECK_STR(flags, "SA");
	drops_flags_text(0, flags);
	CHECK_STR(flags, "");
	e.time_ns = 5000000 + 2500;
	e.side = DROPS_SIDE_SERVER;
	e.kind = DROPS_EV_DROP;
	e.saddr = inet_addr("198.18.0.2");
	e.daddr = inet_addr("198.18.0.1");
	e.sport = 52812;
	e.dport = 8080;
	e.tcp_flags = 0x10;
	CHECK(drops_csv_row(&e, 5000000, "TCP_LISTEN_OVERFLOW", row, sizeof(row)) > 0);
	CHECK_STR(row, "2,server,drop,TCP_LISTEN_OVERFLOW,198.18.0.2,52812,198.18.0.1,8080,A\n");
	/* No addresses (not IPv4): empty fields, not 0.0.0.0. */
	memset(&e, 0, sizeof(e));
	e.side = DROPS_SIDE_CLIENT;
	e.kind = DROPS_EV_RESET_RECEIVED;
	CHECK(drops_csv_row(&e, 0, NULL, row, sizeof(row)) > 0);
	CHECK_STR(row, "0,client,reset_received,,,0,,0,\n");
	CHECK(drops_csv_row(&e, 0, NULL, row, 8) == -1);
	CHECK_STR(drops_reason_meaning("TCP_LISTEN_OVERFLOW"), "accept queue full");
	CHECK(drops_reason_meaning("NO_SUCH_REASON") == NULL);
}

static int status_line(json_t *doc, FILE *out)
{
	explain_drops_status(doc, out);
	return 1;
}

static void test_explanations(void)
{
	int n;
	char *t = unit_render("{\"server\": {\"nstat\": {\"TcpExtListenOverflows\": 176}}, \"drops\": {\"status\": \"on\", "
			 "\"kernel_has_listen_overflow\": true, \"server\": {\"TCP_LISTEN_OVERFLOW\": 20, \"QUEUE_PURGE\": 3},"
			 " \"client\": {}, \"examples\": {\"server\": {\"TCP_LISTEN_OVERFLOW\": {\"from\": "
			 "\"198.18.0.2:52812\", \"to\": \"198.18.0.1:8080\", \"flags\": \"A\", \"time_us\": 1123577}}}, "
			 "\"resets_sent\": {\"server\": 0, \"client\": 0}}}",
			 explain_drops, &n);

	CHECK(n == 2);
	CHECK(t && strstr(t, "- 20 ACKs from 198.18.0.2 dropped by the server's kernel (TCP_LISTEN_OVERFLOW: accept "
			     "queue full), e.g. 198.18.0.2:52812 > 198.18.0.1:8080 [A] at 1.124 s") != NULL);
	CHECK(t && strstr(t, "ListenOverflows +176, of which 20 freed as TCP_LISTEN_OVERFLOW") != NULL &&
	      strstr(t, "156 such packets") != NULL);
	CHECK(t && strstr(t, "QUEUE_PURGE") == NULL);
	free(t);
	/* A kernel without the reason: the overflows are still explained, not shown as 0 drops. */
	t = unit_render("{\"server\": {\"nstat\": {\"TcpExtListenOverflows\": 9}}, \"drops\": {\"status\": \"on\", "
		   "\"kernel_has_listen_overflow\": false, \"server\": {}, \"client\": {}, \"resets_sent\": {\"server\": 4}, "
		   "\"resets_received\": {\"client\": 4}}}",
		   explain_drops, &n);
	CHECK(n == 2 && t && strstr(t, "before 6.15") != NULL);
	CHECK(t && strstr(t, "the server's kernel sent 4 RSTs (tcp:tcp_send_reset); the client's kernel reset 4 sockets") != NULL);
	free(t);
	/* Off or unavailable: no finding, and the summary's one line says why. */
	t = unit_render("{\"drops\": {\"status\": \"unavailable\", \"reason\": \"no BTF\"}}", explain_drops, &n);
	CHECK(n == 0);
	free(t);
	t = unit_render("{\"drops\": {\"status\": \"unavailable\", \"reason\": \"no BTF\"}}", status_line, &n);
	CHECK(t && strcmp(t, "  kernel drops: unavailable (no BTF)\n") == 0);
	free(t);
}

int main(void)
{
	RUN(test_names_and_rows);
	RUN(test_explanations);
	return UNIT_END();
}
