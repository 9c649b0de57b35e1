/* explain_drops: what the kernel's drop tracing (run.json "drops") says, for the summary and "what happened". */
#include "report/explain_drops.h"

#include <string.h>

#include "probe/drops_format.h"
#include "report/jsonpath.h"

static const char *const sides[] = { "server", "client" };

static long num(json_t *doc, const char *path)
{
	double v = 0;

	return jsonpath_number(doc, path, &v) == 0 ? (long)v : 0;
}

static const char *status_of(json_t *doc)
{
	const char *s = json_string_value(json_object_get(json_object_get(doc, "drops"), "status"));

	return s != NULL ? s : "unavailable";
}

/* "REASON n, REASON n" for one side, "none" when it dropped nothing. */
static void side_counts(json_t *counts, FILE *out)
{
	const char *reason;
	json_t *n;
	int first = 1;

	json_object_foreach(counts, reason, n) {
		fprintf(out, "%s%s %lld", first ? "" : ", ", reason, (long long)json_integer_value(n));
		first = 0;
	}
	if (first)
		fprintf(out, "none");
}

void explain_drops_status(json_t *doc, FILE *out)
{
	json_t *drops = json_object_get(doc, "drops");
	const char *status = status_of(doc);
	const char *reason = json_string_value(json_object_get(drops, "reason"));

	if (strcmp(status, "on") != 0) {
		fprintf(out, "  kernel drops: %s (%s)\n", status, reason != NULL ? reason : "not recorded in this run");
		return;
	}
	fprintf(out, "  kernel drops: server ");
	side_counts(json_object_get(drops, "server"), out);
	fprintf(out, "; client ");
	side_counts(json_object_get(drops, "client"), out);
	fprintf(out, "; SYN-ACKs sent again %ld; RSTs sent %ld/%ld, received %ld/%ld (server/client)",
		num(doc, "drops.synack_retransmits.server"), num(doc, "drops.resets_sent.server"),
		num(doc, "drops.resets_sent.client"), num(doc, "drops.resets_received.server"),
		num(doc, "drops.resets_received.client"));
	if (num(doc, "drops.events_lost") > 0)
		fprintf(out, "; %ld events not recorded", num(doc, "drops.events_lost"));
	fputc('\n', out);
}

/* The kind of packet an example was, by its flags: "SYNs", "ACKs", "segments". */
static const char *packet_kind(json_t *example)
{
	const char *flags = json_string_value(json_object_get(example, "flags"));

	if (flags == NULL || flags[0] == '\0')
		return "packets";
	if (strcmp(flags, "S") == 0)
		return "SYNs";
	if (strcmp(flags, "A") == 0)
		return "ACKs";
	if (strchr(flags, 'R') != NULL)
		return "RSTs";
	return "segments";
}

/* One line per reason the lab explains, on each side: how many, from where, what it means, an example. */
static int explain_reasons(json_t *doc, FILE *out)
{
	json_t *drops = json_object_get(doc, "drops");
	int lines = 0;

	for (size_t i = 0; i < sizeof(sides) / sizeof(sides[0]); i++) {
		json_t *examples = json_object_get(json_object_get(drops, "examples"), sides[i]);
		const char *reason;
		json_t *n;

		json_object_foreach(json_object_get(drops, sides[i]), reason, n) {
			const char *meaning = drops_reason_meaning(reason);
			json_t *ex = json_object_get(examples, reason);
			const char *from = json_string_value(json_object_get(ex, "from"));
			char peer[32] = "";

			if (meaning == NULL || strcmp(reason, "NOT_SPECIFIED") == 0)
				continue;
			if (from != NULL) {
				snprintf(peer, sizeof(peer), " from %s", from);
				*strrchr(peer, ':') = '\0';
			}
			/* The first event of a kind stands for its count: the kind comes from the example's flags. */
			fprintf(out, "- %lld %s%s dropped by the %s's kernel (%s: %s)", (long long)json_integer_value(n),
				ex != NULL ? packet_kind(ex) : "packets", peer, sides[i], reason, meaning);
			if (ex != NULL)
				fprintf(out, ", e.g. %s > %s [%s] at %.3f s (raw/drops.csv)", from,
					json_string_value(json_object_get(ex, "to")),
					json_string_value(json_object_get(ex, "flags")),
					(double)json_integer_value(json_object_get(ex, "time_us")) / 1e6);
			fputc('\n', out);
			lines++;
		}
	}
	return lines;
}

/* ListenOverflows counts packets that no drop reason shows: say so, rather than let a 0 look like nothing. */
static int explain_overflows_without_reason(json_t *doc, FILE *out)
{
	long overflows = num(doc, "server.nstat.TcpExtListenOverflows");
	long with_reason = num(doc, "drops.server.TCP_LISTEN_OVERFLOW");
	json_t *knows = json_object_get(json_object_get(doc, "drops"), "kernel_has_listen_overflow");

	if (overflows <= with_reason)
		return 0;
	if (json_is_false(knows))
		fprintf(out, "- ListenOverflows +%ld, and no drop reason for it: this kernel (before 6.15) has no "
			     "TCP_LISTEN_OVERFLOW, so packets refused by a full accept queue are counted only in "
			     "ListenOverflows/ListenDrops\n",
			overflows);
	else
		fprintf(out, "- ListenOverflows +%ld, of which %ld freed as TCP_LISTEN_OVERFLOW: the kernel drops a SYN "
			     "that finds the accept queue full, and a SYN-cookie ACK whose new socket finds it full, "
			     "without a drop reason — %ld such packets show only in ListenOverflows/ListenDrops\n",
			overflows, with_reason, overflows - with_reason);
	return 1;
}

static int explain_resets(json_t *doc, FILE *out)
{
	int lines = 0;

	for (size_t i = 0; i < sizeof(sides) / sizeof(sides[0]); i++) {
		char path[64];
		long sent, received;

		snprintf(path, sizeof(path), "drops.resets_sent.%s", sides[i]);
		sent = num(doc, path);
		snprintf(path, sizeof(path), "drops.resets_received.%s", sides[1 - i]);
		received = num(doc, path);
		if (sent == 0)
			continue;
		fprintf(out, "- the %s's kernel sent %ld RST%s (tcp:tcp_send_reset); the %s's kernel reset %ld "
			     "socket%s on receiving one (tcp:tcp_receive_reset)\n",
			sides[i], sent, sent == 1 ? "" : "s", sides[1 - i], received, received == 1 ? "" : "s");
		lines++;
	}
	return lines;
}

int explain_drops(json_t *doc, FILE *out)
{
	if (strcmp(status_of(doc), "on") != 0)
		return 0;
	return explain_reasons(doc, out) + explain_overflows_without_reason(doc, out) + explain_resets(doc, out);
}
