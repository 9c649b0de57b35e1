/* html_ladder: the selected connections of a run drawn as ladders, one arrow per packet, a cross per kernel drop. */
#include "html_ladder.h"

#include <inttypes.h>
#include <string.h>

#include "parse.h"
#include "report/html_page.h"

/* A page stays readable and small whatever a results folder holds. */
#define LADDERS_MAX 50
#define EVENTS_DRAWN_MAX 80

/* Geometry of one ladder (SVG user units). */
#define LADDER_WIDTH 660
#define CLIENT_X 170
#define SERVER_X 470
#define FIRST_ROW_Y 64
#define ROW_HEIGHT 26
#define ARROW_DROP 12
#define GAP_HEIGHT 24
/* Events further apart than this get a break in the ladder that says how long nothing happened. */
#define GAP_US 50000

struct kind_style {
	const char *kind;
	const char *color;
};

static const struct kind_style kinds[] = {
	{ "SYN", "#1f5fbf" }, { "SYN-ACK", "#17692e" }, { "ACK", "#555555" },
	{ "DATA", "#6a3d9a" }, { "FIN", "#b35900" },    { "RST", "#b3261e" },
};

/* The colour of a known kind, NULL for anything else (such an event is not drawn). */
static const char *kind_color(const char *kind)
{
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		if (kind != NULL && strcmp(kinds[i].kind, kind) == 0)
			return kinds[i].color;
	}
	return NULL;
}

/* An integer field in [0, 2^62), or -1. */
static int64_t time_field(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > ((json_int_t)1 << 62))
		return -1;
	return json_integer_value(v);
}

/* Whether an event can be drawn: a known kind, a sender, a time. */
static int event_ok(json_t *e)
{
	const char *from = json_string_value(json_object_get(e, "from"));

	return json_is_object(e) && kind_color(json_string_value(json_object_get(e, "kind"))) != NULL &&
	       from != NULL && (strcmp(from, "client") == 0 || strcmp(from, "server") == 0) && time_field(e, "t_us") >= 0;
}

/* The height the ladder needs for its events, breaks included. */
static int ladder_height(json_t *events)
{
	int64_t prev = -1;
	int y = FIRST_ROW_Y;
	size_t drawn = 0;
	size_t i;
	json_t *e;

	json_array_foreach(events, i, e) {
		int64_t t;

		if (drawn == EVENTS_DRAWN_MAX || !event_ok(e))
			continue;
		t = time_field(e, "t_us");
		if (prev >= 0 && t - prev > GAP_US)
			y += GAP_HEIGHT;
		prev = t;
		y += ROW_HEIGHT;
		drawn++;
	}
	return y + 20;
}

/* "+1.00s" from the connection's first packet. */
static void time_label(FILE *out, int x, int y, int64_t since_us)
{
	char text[32];

	format_duration_us(since_us, text, sizeof(text));
	fprintf(out, "<text x=\"%d\" y=\"%d\" class=\"t\">+%s</text>\n", x, y, text);
}

static void cross(FILE *out, int x, int y, const char *color)
{
	fprintf(out, "<path d=\"M%d %d l10 10 M%d %d l-10 10\" stroke=\"%s\" stroke-width=\"2.5\"/>\n", x - 5, y - 5,
		x + 5, y - 5, color);
}

/* One packet: an arrow from its sender's column towards the receiver's; a cross where it ended short. */
static void draw_event(FILE *out, json_t *e, int y, int64_t t0, int ladder_id)
{
	const char *kind = json_string_value(json_object_get(e, "kind"));
	const char *flags = json_string_value(json_object_get(e, "flags"));
	const char *seen = json_string_value(json_object_get(e, "seen"));
	json_t *drop = json_object_get(e, "drop");
	const char *reason = json_string_value(json_object_get(drop, "reason"));
	int from_client = strcmp(json_string_value(json_object_get(e, "from")), "client") == 0;
	int x1 = from_client ? CLIENT_X : SERVER_X;
	int x2 = from_client ? SERVER_X : CLIENT_X;
	int xm = (x1 + x2) / 2;
	const char *color = reason != NULL ? "#b3261e" : kind_color(kind);
	json_t *len = json_object_get(e, "len");
	int sender_only = seen != NULL && strcmp(seen, "sender") == 0;
	int receiver_only = seen != NULL && strcmp(seen, "receiver") == 0;

	time_label(out, 8, y + 4, time_field(e, "t_us") - t0);
	if (sender_only) {
		fprintf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"1.6\"/>\n", x1, y,
			xm, y + ARROW_DROP / 2, color);
		cross(out, xm, y + ARROW_DROP / 2, "#777");
	} else {
		fprintf(out,
			"<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"1.6\"%s"
			" marker-end=\"url(#arrow-%d)\"/>\n",
			receiver_only ? xm : x1, y + (receiver_only ? ARROW_DROP / 2 : 0), x2, y + ARROW_DROP, color,
			receiver_only ? " stroke-dasharray=\"4 3\"" : "", ladder_id);
	}
	fprintf(out, "<text x=\"%d\" y=\"%d\" class=\"k\" fill=\"%s\">", xm, y - 2, color);
	html_escape(out, kind);
	if (flags != NULL && strlen(flags) < 8) {
		fputs(" [", out);
		html_escape(out, flags);
		fputs("]", out);
	}
	if (strcmp(kind, "DATA") == 0 && json_is_integer(len))
		fprintf(out, " %" JSON_INTEGER_FORMAT " B", json_integer_value(len));
	if (json_is_true(json_object_get(e, "retrans")))
		fputs(" (retransmission)", out);
	fputs("</text>\n", out);
	if (sender_only)
		fprintf(out, "<text x=\"%d\" y=\"%d\" class=\"note\">not in the %s's capture</text>\n", xm + 10,
			y + ARROW_DROP + 4, from_client ? "server" : "client");
	if (reason != NULL && !sender_only) {
		/* The receiver's capture saw it arrive; its kernel threw it away. */
		cross(out, x2, y + ARROW_DROP, "#b3261e");
		fprintf(out, "<text x=\"%d\" y=\"%d\" class=\"drop\" text-anchor=\"%s\">dropped: ", from_client ? x2 + 12 : x2 - 12,
			y + ARROW_DROP + 4, from_client ? "start" : "end");
		html_escape(out, reason);
		fputs("</text>\n", out);
	}
}

/* Why the analyser picked this connection out of the run. */
static void selected_because(FILE *out, json_t *reasons)
{
	static const struct {
		const char *key;
		const char *words;
	} known[] = { { "band", "first of its SYN band" },
		      { "slowest", "among the slowest handshakes" },
		      { "reset", "reset" },
		      { "incomplete", "never completed" } };
	size_t i;
	json_t *r;
	int shown = 0;

	json_array_foreach(reasons, i, r) {
		for (size_t k = 0; k < sizeof(known) / sizeof(known[0]); k++) {
			if (json_is_string(r) && strcmp(json_string_value(r), known[k].key) == 0) {
				fprintf(out, "%s%s", shown++ ? ", " : " &#183; shown as ", known[k].words);
				break;
			}
		}
	}
}

/* A ladder's one-line title: who, and what stands out. */
static void ladder_title(FILE *out, json_t *c)
{
	const char *client = json_string_value(json_object_get(c, "client"));
	const char *server = json_string_value(json_object_get(c, "server"));
	int64_t handshake = time_field(c, "handshake_us");
	json_t *syn_retrans = json_object_get(c, "syn_retrans");
	json_t *synack_retrans = json_object_get(c, "synack_retrans");
	char text[32];

	html_escape(out, client != NULL && strlen(client) < 32 ? client : "?");
	fputs(" &#8594; ", out);
	html_escape(out, server != NULL && strlen(server) < 32 ? server : "?");
	if (json_is_integer(syn_retrans) && json_integer_value(syn_retrans) > 0)
		fprintf(out, " &#183; SYN retransmitted %" JSON_INTEGER_FORMAT "&#215;", json_integer_value(syn_retrans));
	if (json_is_integer(synack_retrans) && json_integer_value(synack_retrans) > 0)
		fprintf(out, " &#183; SYN-ACK retransmitted %" JSON_INTEGER_FORMAT "&#215;",
			json_integer_value(synack_retrans));
	if (handshake >= 0) {
		format_duration_us(handshake, text, sizeof(text));
		fprintf(out, " &#183; handshake %s", text);
	} else {
		fputs(" &#183; the handshake never completed", out);
	}
	selected_because(out, json_object_get(c, "selected"));
}

/* One connection's ladder as an inline SVG inside a <figure>. */
static void draw_ladder(FILE *out, json_t *c, int ladder_id)
{
	json_t *events = json_object_get(c, "events");
	int height = ladder_height(events);
	int64_t t0 = -1;
	int64_t prev = -1;
	int y = FIRST_ROW_Y;
	size_t drawn = 0;
	size_t i;
	json_t *e;

	json_array_foreach(events, i, e) {
		if (event_ok(e)) {
			t0 = time_field(e, "t_us");
			break;
		}
	}
	fprintf(out, "<figure class=\"ladder\" id=\"ladder-%d\">\n<svg viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" "
		     "xmlns=\"http://www.w3.org/2000/svg\" role=\"img\">\n",
		ladder_id, LADDER_WIDTH, height, LADDER_WIDTH, height);
	fprintf(out, "<defs><marker id=\"arrow-%d\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" "
		     "markerHeight=\"7\" orient=\"auto\"><path d=\"M0 0L10 5L0 10z\" fill=\"context-stroke\"/></marker></defs>\n",
		ladder_id);
	fputs("<style>text{font:12px system-ui,sans-serif}.t{fill:#555;font-variant-numeric:tabular-nums}"
	      ".k{text-anchor:middle}.note{fill:#777;font-size:11px}.drop{fill:#b3261e;font-weight:600}"
	      ".col{font-weight:600;text-anchor:middle}</style>\n",
	      out);
	fprintf(out, "<text x=\"%d\" y=\"24\" class=\"col\">client</text><text x=\"%d\" y=\"24\" class=\"col\">server</text>\n",
		CLIENT_X, SERVER_X);
	fprintf(out, "<line x1=\"%d\" y1=\"34\" x2=\"%d\" y2=\"%d\" stroke=\"#999\"/>"
		     "<line x1=\"%d\" y1=\"34\" x2=\"%d\" y2=\"%d\" stroke=\"#999\"/>\n",
		CLIENT_X, CLIENT_X, height - 8, SERVER_X, SERVER_X, height - 8);
	json_array_foreach(events, i, e) {
		int64_t t;

		if (drawn == EVENTS_DRAWN_MAX || !event_ok(e))
			continue;
		t = time_field(e, "t_us");
		if (prev >= 0 && t - prev > GAP_US) {
			char text[32];

			format_duration_us(t - prev, text, sizeof(text));
			fprintf(out, "<text x=\"%d\" y=\"%d\" class=\"note\" text-anchor=\"middle\">&#8942; %s later</text>\n",
				(CLIENT_X + SERVER_X) / 2, y + 6, text);
			y += GAP_HEIGHT;
		}
		prev = t;
		draw_event(out, e, y, t0, ladder_id);
		y += ROW_HEIGHT;
		drawn++;
	}
	fputs("</svg>\n<figcaption>", out);
	ladder_title(out, c);
	if (drawn < json_array_size(events))
		fprintf(out, " &#183; %zu of %zu packets drawn", drawn, json_array_size(events));
	fputs("</figcaption>\n</figure>\n", out);
}

void html_ladders_section(FILE *out, json_t *doc)
{
	json_t *packets = json_object_get(doc, "packets");
	json_t *ladders = json_object_get(packets, "ladders");
	const char *reason = json_string_value(json_object_get(packets, "reason"));
	size_t i;
	json_t *c;

	fputs("<section id=\"ladders\">\n<h2>Packets, connection by connection</h2>\n", out);
	if (!json_is_true(json_object_get(packets, "available"))) {
		fputs("<p class=\"missing\">No packets: ", out);
		html_escape(out, reason != NULL ? reason : "this run recorded none");
		fputs(".</p>\n</section>\n", out);
		return;
	}
	fputs("<p class=\"meta\">Each ladder is one connection as both captures saw it: an arrow per packet from its "
	      "sender to its receiver, time running down (the time at the left is since the connection's first "
	      "packet; long waits are cut short and labelled). A red cross is a packet the receiving kernel "
	      "dropped, with its drop reason; a grey cross, a packet only the sender's capture holds. The full "
	      "captures are raw/server.pcap and raw/client.pcap: tcpdump -r, tshark -r or Wireshark open them.</p>\n",
	      out);
	if (json_is_false(json_object_get(packets, "complete"))) {
		fputs("<p class=\"missing\">The captures are incomplete: ", out);
		html_escape(out, reason != NULL ? reason : "packets were lost");
		fputs(". Counts that rest on packets read UNKNOWN.</p>\n", out);
	}
	if (json_array_size(ladders) == 0)
		fputs("<p>No connection to draw.</p>\n", out);
	json_array_foreach(ladders, i, c) {
		if (i == LADDERS_MAX)
			break;
		if (json_is_object(c) && json_is_array(json_object_get(c, "events")))
			draw_ladder(out, c, (int)i);
	}
	fputs("</section>\n", out);
}

/* How much a ladder has to show: retransmissions, resets, a handshake that never completed. */
static long eventfulness(json_t *c)
{
	json_t *rst = json_object_get(c, "rst");

	return (long)json_integer_value(json_object_get(c, "syn_retrans")) +
	       (long)json_integer_value(json_object_get(c, "synack_retrans")) +
	       (long)json_integer_value(json_object_get(rst, "client")) +
	       (long)json_integer_value(json_object_get(rst, "server")) +
	       (json_is_false(json_object_get(c, "completed")) ? 1 : 0);
}

void html_ladders_column(FILE *out, json_t *doc, const char *label, int column, size_t max)
{
	json_t *ladders = json_object_get(json_object_get(doc, "packets"), "ladders");
	size_t n = json_array_size(ladders);
	char chosen[LADDERS_MAX] = { 0 };
	size_t picked = 0;
	json_t *c;

	if (n == 0)
		return;
	if (n > LADDERS_MAX)
		n = LADDERS_MAX;
	if (max > n)
		max = n;
	/* The most eventful first (the earliest among equals), then drawn in order of first packet. */
	while (picked < max) {
		long best_score = -1;
		size_t best = 0;

		for (size_t i = 0; i < n; i++) {
			long score = eventfulness(json_array_get(ladders, i));

			if (!chosen[i] && score > best_score) {
				best_score = score;
				best = i;
			}
		}
		chosen[best] = 1;
		picked++;
	}
	fputs("<div class=\"ladder-column\"><h3>", out);
	html_escape(out, label);
	fputs("</h3>\n", out);
	for (size_t i = 0; i < n; i++) {
		c = json_array_get(ladders, i);
		if (chosen[i] && json_is_object(c) && json_is_array(json_object_get(c, "events")))
			draw_ladder(out, c, (column + 1) * LADDERS_MAX + (int)i);
	}
	fputs("</div>\n", out);
}
