/* test_explain: each client symptom in a run document is tied to the server counter that accounts for it. */
#include "unit.h"
#include "unit_render.h"

#include <stdlib.h>

#include "report/explain.h"

/* Run the rules on a JSON text; returns the lines written (caller frees) and their count in *n. */
static char *explain_text(const char *json, int *n)
{
	return unit_render(json, explain_run, n);
}

static void test_syn_drop_bands(void)
{
	int n;
	char *t = explain_text("{\"client\": {\"bands\": {\"1s\": 3, \"3s\": 1}}, \"server\": {\"nstat\": "
			       "{\"TcpExtListenOverflows\": 4, \"TcpExtListenDrops\": 4}}}", &n);

	CHECK(n == 1);
	CHECK(t && strstr(t, "4 connects waited for SYN retransmissions (~1 s: 3, ~3 s: 1") != NULL);
	CHECK(t && strstr(t, "accept queue was full — ListenOverflows +4, ListenDrops +4") != NULL);
	free(t);
}

static void test_abort_resets(void)
{
	int n;
	char *t = explain_text("{\"client\": {\"outcome\": {\"reset\": 12}}, \"server\": {\"sysctl\": "
			       "{\"net.ipv4.tcp_abort_on_overflow\": \"1\"}, \"nstat\": {\"TcpOutRsts\": 12, "
			       "\"TcpExtListenOverflows\": 12, \"TcpExtTCPSynRetrans\": 3}}}", &n);

	/* With abort on, the SYN-ACK retransmissions are not blamed on dropped ACKs. */
	CHECK(n == 1);
	CHECK(t && strstr(t, "12 resets: tcp_abort_on_overflow=1") != NULL && strstr(t, "OutRsts +12") != NULL);
	free(t);
}

static void test_synack_retrans_causes(void)
{
	int n;
	char *t = explain_text("{\"server\": {\"nstat\": {\"TcpExtTCPSynRetrans\": 5, \"TcpExtListenOverflows\": 2}}}",
			       &n);

	CHECK(n == 1 && t && strstr(t, "final ACKs were dropped while the accept queue was full") != NULL);
	free(t);
	/* A flood's half-open entries retransmit into the black hole; the accept queue has nothing to do with it. */
	t = explain_text("{\"client\": {\"synflood\": {\"sent\": 4000}}, \"server\": {\"states_max\": "
			 "{\"SYN-RECV\": 65}, \"nstat\": {\"TcpExtTCPSynRetrans\": 65}}}", &n);
	CHECK(n == 1 && t && strstr(t, "4000 spoofed SYNs left half-open entries (SYN-RECV max 65)") != NULL);
	CHECK(t && strstr(t, "accept queue") == NULL);
	free(t);
	t = explain_text("{\"server\": {\"nstat\": {\"TcpExtTCPSynRetrans\": 1}}}", &n);
	CHECK(n == 1 && t && strstr(t, "never overflowed") != NULL);
	free(t);
}

static void test_ports_and_quiet_runs(void)
{
	int n;
	char *t = explain_text("{\"client\": {\"outcome\": {\"addrnotavail\": 40}, \"states_max\": {\"TIME-WAIT\": 1000},"
			       " \"sysctl\": {\"net.ipv4.tcp_tw_reuse\": \"0\"}}, \"run\": {\"limits\": "
			       "{\"client_port_range_size\": 1000}}}", &n);

	CHECK(n == 1);
	CHECK(t && strstr(t, "40 EADDRNOTAVAIL: 1000-port range, up to 1000 client sockets in TIME-WAIT "
			     "(tcp_tw_reuse=0)") != NULL);
	free(t);
	t = explain_text("{\"client\": {\"outcome\": {\"ok\": 100}}}", &n);
	CHECK(n == 0 && t && t[0] == '\0');
	free(t);
}

int main(void)
{
	RUN(test_syn_drop_bands);
	RUN(test_abort_resets);
	RUN(test_synack_retrans_causes);
	RUN(test_ports_and_quiet_runs);
	return UNIT_END();
}
