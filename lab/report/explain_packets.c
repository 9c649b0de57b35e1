/* explain_packets: what happened, told from the packets on the wire (run.json "packets"), with one ladder as the example. */
#include "explain_packets.h"

#include <string.h>

#include "report/explain_link.h"
#include "report/jsonpath.h"

static long num(json_t *doc, const char *path)
{
	double v = 0;

	return jsonpath_number(doc, path, &v) == 0 ? (long)v : 0;
}

static const char *plural(long n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

static const char *str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s != NULL ? s : "";
}

/* The port of an "ADDR:PORT" endpoint, or "" when it has none. */
static const char *port_of(const char *endpoint)
{
	const char *colon = strrchr(endpoint, ':');

	return colon != NULL ? colon + 1 : "";
}

static long long event_us(json_t *ev)
{
	return (long long)json_integer_value(json_object_get(ev, "t_us"));
}

static int is_event(json_t *ev, const char *from, const char *kind, int retrans)
{
	return strcmp(str(ev, "from"), from) == 0 && strcmp(str(ev, "kind"), kind) == 0 &&
	       (retrans < 0 || json_is_true(json_object_get(ev, "retrans")) == (retrans == 1));
}

/* The index of the first event at or after start that matches, or -1. */
static long find_event(json_t *events, size_t start, const char *from, const char *kind, int retrans)
{
	for (size_t i = start; i < json_array_size(events); i++) {
		if (is_event(json_array_get(events, i), from, kind, retrans))
			return (long)i;
	}
	return -1;
}

/* Milliseconds from event a to event b of one ladder. */
static double gap_ms(json_t *events, long a, long b)
{
	return (double)(event_us(json_array_get(events, (size_t)b)) - event_us(json_array_get(events, (size_t)a))) /
	       1000.0;
}

/* The example for dropped SYNs: a ladder whose first SYN got no answer before its retransmission. */
static void syn_example(json_t *ladders, FILE *out)
{
	for (size_t i = 0; i < json_array_size(ladders); i++) {
		json_t *l = json_array_get(ladders, i);
		json_t *ev = json_object_get(l, "events");
		long syn = find_event(ev, 0, "client", "SYN", 0);
		long again = syn < 0 ? -1 : find_event(ev, (size_t)syn + 1, "client", "SYN", 1);
		long answer = again < 0 ? -1 : find_event(ev, (size_t)syn + 1, "server", "SYN-ACK", -1);

		if (again < 0 || answer < again)
			continue;
		fprintf(out, "  e.g. %s: SYN, no answer, the SYN again %.0f ms later, the SYN-ACK %.2f ms after that "
			     "(tcplab packets --port %s RESULTS_DIR)\n",
			str(l, "client"), gap_ms(ev, syn, again), gap_ms(ev, again, answer), port_of(str(l, "client")));
		return;
	}
}

/* Whether the link's loss rule dropped packets in either direction: then a missing answer is no proof of a
 * kernel's drop. */
static int link_lossy(json_t *doc)
{
	return explain_link_lost(doc, "client_to_server") > 0 || explain_link_lost(doc, "server_to_client") > 0;
}

static int explain_wire_syns(json_t *doc, FILE *out)
{
	long resent = num(doc, "packets.syn_retrans");
	long once = num(doc, "packets.bands.by_retrans.1"), twice = num(doc, "packets.bands.by_retrans.2");
	long conns = 0;
	json_t *by_retrans = jsonpath_get(doc, "packets.bands.by_retrans");
	const char *band;
	json_t *count;

	if (resent == 0)
		return 0;
	json_object_foreach(by_retrans, band, count) {
		if (strcmp(band, "0") != 0)
			conns += (long)json_integer_value(count);
	}
	fprintf(out, "- on the wire: %ld %s sent again by %ld %s (answered after 1 retransmission: %ld, after 2: %ld, "
		     "later: %ld); the first SYN of each got neither SYN-ACK nor RST: %s\n",
		resent, plural(resent, "SYN", "SYNs"), conns, plural(conns, "connection", "connections"), once, twice,
		conns - once - twice,
		link_lossy(doc) ? "the link loses packets, so the SYN or its SYN-ACK may have been lost on the way (each "
				  "side's capture holds only what left it)"
				: "the server's kernel dropped the SYN itself");
	syn_example(jsonpath_get(doc, "packets.ladders"), out);
	return 1;
}

/* The example for dropped final ACKs: the client's ACK, then the server's SYN-ACK again. */
static void synack_example(json_t *ladders, FILE *out)
{
	for (size_t i = 0; i < json_array_size(ladders); i++) {
		json_t *l = json_array_get(ladders, i);
		json_t *ev = json_object_get(l, "events");
		long synack = find_event(ev, 0, "server", "SYN-ACK", 0);
		long ack = synack < 0 ? -1 : find_event(ev, (size_t)synack + 1, "client", "ACK", -1);
		long again = ack < 0 ? -1 : find_event(ev, (size_t)ack + 1, "server", "SYN-ACK", 1);
		const char *seen;

		if (again < 0)
			continue;
		seen = str(json_array_get(ev, (size_t)ack), "seen");
		fprintf(out, "  e.g. %s: SYN-ACK, the client's ACK %.2f ms later%s, the SYN-ACK again %.0f ms after "
			     "the ACK (tcplab packets --port %s RESULTS_DIR)\n",
			str(l, "client"), gap_ms(ev, synack, ack),
			strcmp(seen, "both") == 0 || strcmp(seen, "server") == 0 ? " (it reached the server's interface)"
										   : "",
			gap_ms(ev, ack, again), port_of(str(l, "client")));
		return;
	}
}

static int explain_wire_synacks(json_t *doc, FILE *out)
{
	long resent = num(doc, "packets.synack_retrans");

	if (resent == 0)
		return 0;
	if (link_lossy(doc))
		fprintf(out, "- on the wire: the server sent %ld %s again: the link loses packets, so a SYN-ACK or the "
			     "client's final ACK may have been lost on the way, or a repeated SYN was answered\n",
			resent, plural(resent, "SYN-ACK", "SYN-ACKs"));
	else
		fprintf(out, "- on the wire: the server sent %ld %s again, after the client had answered the first with "
			     "its final ACK: the server's kernel dropped that ACK and kept the connection half-open\n",
			resent, plural(resent, "SYN-ACK", "SYN-ACKs"));
	synack_example(jsonpath_get(doc, "packets.ladders"), out);
	return 1;
}

static int explain_wire_resets(json_t *doc, FILE *out)
{
	long server = num(doc, "packets.rst.server"), client = num(doc, "packets.rst.client");

	if (server + client == 0)
		return 0;
	fprintf(out, "- on the wire: %ld %s from the server, %ld from the client\n", server,
		plural(server, "RST", "RSTs"), client);
	return 1;
}

int explain_packets(json_t *doc, FILE *out)
{
	json_t *packets = json_object_get(doc, "packets");

	if (!json_is_true(json_object_get(packets, "available")))
		return 0;
	if (!json_is_true(json_object_get(packets, "complete"))) {
		fprintf(out, "- packets: the capture is incomplete (%s): what the wire shows is unknown\n",
			json_is_string(json_object_get(packets, "reason")) ? str(packets, "reason") : "packets lost");
		return 1;
	}
	return explain_wire_syns(doc, out) + explain_wire_synacks(doc, out) + explain_wire_resets(doc, out);
}
