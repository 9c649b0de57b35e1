/* explain_link: the network conditions made on the lab link and what they measured, in words. */
#include "explain_link.h"

#include <string.h>

#include "parse.h"

static const char *const dirs[] = { "client_to_server", "server_to_client" };
static const char *const dir_words[] = { "client -> server", "server -> client" };

/* A non-negative integer member, -1 when absent or not one (run.json may come from elsewhere). */
static long long count_of(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_integer(v) && json_integer_value(v) >= 0 ? (long long)json_integer_value(v) : -1;
}

/* The conditions of one direction: "delay 50ms +- 5ms, loss 5 %, rate 10 Mbit/s". */
static void print_conditions(json_t *cond, FILE *out)
{
	char a[32], b[32];
	long long delay = count_of(json_object_get(cond, "delay"), "us");
	long long jitter = count_of(json_object_get(cond, "jitter"), "us");
	json_t *loss = json_object_get(json_object_get(cond, "loss"), "percent");
	long long rate = count_of(json_object_get(cond, "rate"), "bits_per_s");
	const char *sep = "";

	if (delay > 0) {
		format_duration_us(delay, a, sizeof(a));
		format_duration_us(jitter > 0 ? jitter : 0, b, sizeof(b));
		fprintf(out, "delay %s%s%s (NFQUEUE delay line)", a, jitter > 0 ? " +- " : "", jitter > 0 ? b : "");
		sep = ", ";
	}
	if (json_is_number(loss)) {
		fprintf(out, "%sloss %.4g %% (nftables numgen random)", sep, json_number_value(loss));
		sep = ", ";
	}
	if (rate > 0)
		fprintf(out, "%srate %.4g Mbit/s (tbf)", sep, (double)rate / 1e6);
}

int explain_link(json_t *doc, FILE *out)
{
	json_t *link = json_object_get(doc, "link");
	int n = 0;

	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		json_t *d = json_object_get(link, dirs[i]);
		json_t *wire = json_object_get(d, "wire");
		json_t *line = json_object_get(d, "delay_line");
		long long sent = count_of(wire, "sent_packets"), lost = count_of(wire, "lost_packets");

		if (!json_is_true(json_object_get(d, "applied")))
			continue;
		fprintf(out, "- the link %s: ", dir_words[i]);
		print_conditions(json_object_get(d, "conditions"), out);
		if (sent >= 0 && lost >= 0)
			fprintf(out, "; on the way out %lld packets, %lld lost (%.2f %%)", sent, lost,
				sent > 0 ? 100.0 * (double)lost / (double)sent : 0.0);
		if (count_of(line, "packets_delayed") >= 0)
			fprintf(out, "; %lld delayed, at most %lld held at once, %lld dropped by a full line",
				count_of(line, "packets_delayed"), count_of(line, "held_max"),
				count_of(line, "packets_dropped_full"));
		fputc('\n', out);
		n++;
	}
	return n;
}

long explain_link_lost(json_t *doc, const char *direction)
{
	json_t *wire = json_object_get(json_object_get(json_object_get(doc, "link"), direction), "wire");
	long long lost = count_of(wire, "lost_packets");

	return lost > 0 ? (long)lost : 0;
}
