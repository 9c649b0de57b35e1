/* explain: rules that read run.json and say why the client saw what it saw. */
#include "explain.h"

#include <stdlib.h>
#include <string.h>

#include "report/explain_drops.h"
#include "report/explain_link.h"
#include "report/explain_packets.h"
#include "report/jsonpath.h"

static long num(json_t *doc, const char *path)
{
	double v = 0;

	return jsonpath_number(doc, path, &v) == 0 ? (long)v : 0;
}

static long sysctl_num(json_t *doc, const char *side, const char *key, long fallback)
{
	char path[160];
	json_t *v;

	snprintf(path, sizeof(path), "%s.sysctl", side);
	v = json_object_get(jsonpath_get(doc, path), key);
	return json_is_string(v) ? strtol(json_string_value(v), NULL, 10) : fallback;
}

static const char *plural(long n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

static int explain_syn_drops(json_t *doc, FILE *out)
{
	long b1 = num(doc, "client.bands.1s"), b3 = num(doc, "client.bands.3s");
	long b7 = num(doc, "client.bands.7s"), bmore = num(doc, "client.bands.more");
	long waited = b1 + b3 + b7 + bmore;
	long overflows = num(doc, "server.nstat.TcpExtListenOverflows");
	long reqq_drop = num(doc, "server.nstat.TcpExtTCPReqQFullDrop");

	if (waited == 0)
		return 0;
	fprintf(out, "- %ld %s for SYN retransmissions (~1 s: %ld, ~3 s: %ld, ~7 s: %ld, longer: %ld): ", waited,
		plural(waited, "connect waited", "connects waited"), b1, b3, b7, bmore);
	if (overflows > 0)
		fprintf(out, "their SYNs were dropped while the accept queue was full — ListenOverflows +%ld, "
			     "ListenDrops +%ld\n",
			overflows, num(doc, "server.nstat.TcpExtListenDrops"));
	else if (reqq_drop > 0)
		fprintf(out, "their SYNs were dropped because the SYN queue was full and cookies are off — "
			     "TCPReqQFullDrop +%ld\n",
			reqq_drop);
	else if (explain_link_lost(doc, "client_to_server") > 0 || explain_link_lost(doc, "server_to_client") > 0)
		fprintf(out, "the link's loss rule dropped their SYNs on the way to the server or the SYN-ACKs on the "
			     "way back (%ld and %ld packets lost there in all; client TCPSynRetrans +%ld)\n",
			explain_link_lost(doc, "client_to_server"), explain_link_lost(doc, "server_to_client"),
			num(doc, "client.nstat.TcpExtTCPSynRetrans"));
	else
		fprintf(out, "no server counter accounts for it (client TCPSynRetrans +%ld)\n",
			num(doc, "client.nstat.TcpExtTCPSynRetrans"));
	return 1;
}

static int explain_resets(json_t *doc, FILE *out)
{
	long resets = num(doc, "client.outcome.reset");
	long out_rsts = num(doc, "server.nstat.TcpOutRsts");

	if (resets == 0)
		return 0;
	if (sysctl_num(doc, "server", "net.ipv4.tcp_abort_on_overflow", 0) == 1 &&
	    num(doc, "server.nstat.TcpExtListenOverflows") > 0)
		fprintf(out, "- %ld %s: tcp_abort_on_overflow=1 answers a handshake that finds the accept queue full "
			     "with RST — OutRsts +%ld, ListenOverflows +%ld\n",
			resets, plural(resets, "reset", "resets"), out_rsts,
			num(doc, "server.nstat.TcpExtListenOverflows"));
	else
		fprintf(out, "- %ld %s: the server closed with RST — OutRsts +%ld, EstabResets +%ld\n", resets,
			plural(resets, "reset", "resets"), out_rsts, num(doc, "server.nstat.TcpEstabResets"));
	return 1;
}

static int explain_addrnotavail(json_t *doc, FILE *out)
{
	long n = num(doc, "client.outcome.addrnotavail");

	if (n == 0)
		return 0;
	fprintf(out, "- %ld EADDRNOTAVAIL: %ld-port range, up to %ld client sockets in TIME-WAIT (tcp_tw_reuse=%ld)\n",
		n, num(doc, "run.limits.client_port_range_size"), num(doc, "client.states_max.TIME-WAIT"),
		sysctl_num(doc, "client", "net.ipv4.tcp_tw_reuse", -1));
	return 1;
}

static int explain_timeouts(json_t *doc, FILE *out)
{
	long n = num(doc, "client.outcome.timeout");

	if (n == 0)
		return 0;
	fprintf(out, "- %ld %s timed out: tcp_syn_retries=%ld on the client; ListenOverflows +%ld on the server\n", n,
		plural(n, "connection", "connections"), sysctl_num(doc, "client", "net.ipv4.tcp_syn_retries", -1),
		num(doc, "server.nstat.TcpExtListenOverflows"));
	return 1;
}

static int explain_synack_retrans(json_t *doc, FILE *out)
{
	long synack = num(doc, "server.nstat.TcpExtTCPSynRetrans");
	long flood = num(doc, "client.synflood.sent");

	if (synack == 0 || sysctl_num(doc, "server", "net.ipv4.tcp_abort_on_overflow", 0) != 0)
		return 0;
	fprintf(out, "- the server retransmitted %ld SYN-ACK%s (TCPSynRetrans +%ld): ", synack, synack == 1 ? "" : "s",
		synack);
	if (flood > 0)
		fprintf(out, "%ld spoofed SYNs left half-open entries (SYN-RECV max %ld) whose SYN-ACKs went "
			     "unanswered into the black hole\n",
			flood, num(doc, "server.states_max.SYN-RECV"));
	else if (num(doc, "server.nstat.TcpExtListenOverflows") > 0)
		fprintf(out, "clients' final ACKs were dropped while the accept queue was full, so those clients "
			     "believed they were connected\n");
	else
		fprintf(out, "SYN-ACKs or the clients' final ACKs were lost, though the accept queue never "
			     "overflowed\n");
	return 1;
}

static int explain_cookies(json_t *doc, FILE *out)
{
	long sent = num(doc, "server.nstat.TcpExtSyncookiesSent");

	if (sent == 0)
		return 0;
	fprintf(out, "- the SYN queue filled: the server answered with SYN cookies — SyncookiesSent +%ld, "
		     "SyncookiesRecv +%ld, TCPReqQFullDoCookies +%ld\n",
		sent, num(doc, "server.nstat.TcpExtSyncookiesRecv"), num(doc, "server.nstat.TcpExtTCPReqQFullDoCookies"));
	return 1;
}

static int explain_refused(json_t *doc, FILE *out)
{
	long n = num(doc, "client.outcome.refused");

	if (n == 0)
		return 0;
	fprintf(out, "- %ld %s refused: nothing listened on the port, so the server's kernel answered the SYN "
		     "with RST — server OutRsts +%ld\n", n,
		plural(n, "connect", "connects"), num(doc, "server.nstat.TcpOutRsts"));
	return 1;
}

int explain_run(json_t *doc, FILE *out)
{
	int (*const rules[])(json_t *, FILE *) = {
		explain_syn_drops, explain_synack_retrans, explain_resets, explain_timeouts,
		explain_refused,   explain_addrnotavail,   explain_cookies,
	};
	int n = explain_link(doc, out);

	for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
		n += rules[i](doc, out);
	return n + explain_packets(doc, out) + explain_drops(doc, out);
}
