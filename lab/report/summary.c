/* summary: what was run, the key numbers, counters that moved, explanations and verdicts. */
#include "summary.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "report/explain.h"
#include "report/explain_drops.h"
#include "report/jsonpath.h"

static double num(json_t *doc, const char *path)
{
	double v = 0;

	return jsonpath_number(doc, path, &v) == 0 ? v : 0;
}

static const char *str(json_t *doc, const char *path)
{
	json_t *v = jsonpath_get(doc, path);

	return json_is_string(v) ? json_string_value(v) : "?";
}

static void duration(FILE *out, const char *label, double us)
{
	char buf[32];

	format_duration_us((int64_t)us, buf, sizeof(buf));
	fprintf(out, "%s%s", label, buf);
}

static void print_latency(FILE *out, json_t *doc, const char *what)
{
	char path[64];
	static const char *const pcts[] = { "p50", "p90", "p99", "max" };

	fprintf(out, "  %-8s", what);
	for (size_t i = 0; i < sizeof(pcts) / sizeof(pcts[0]); i++) {
		char label[16];

		snprintf(path, sizeof(path), "client.%s.%s_us", what, pcts[i]);
		snprintf(label, sizeof(label), " %s ", pcts[i]);
		duration(out, label, num(doc, path));
	}
	fputc('\n', out);
}

static void print_moved(FILE *out, json_t *doc, const char *side)
{
	json_t *nstat = json_object_get(json_object_get(doc, side), "nstat");
	const char *key;
	json_t *v;
	int shown = 0;

	fprintf(out, "  %-7s", side);
	json_object_foreach(nstat, key, v) {
		/* TCP counters are the lab's subject; IP and UDP counters stay in run.json. */
		if (strncmp(key, "Tcp", 3) != 0 || json_integer_value(v) == 0)
			continue;
		if (shown > 0 && shown % 4 == 0)
			fprintf(out, "\n         ");
		fprintf(out, " %s %+lld", key, (long long)json_integer_value(v));
		shown++;
	}
	fprintf(out, "%s\n", shown ? "" : " (no TCP counter moved)");
}

static void print_grid(FILE *out, json_t *cells)
{
	json_t *cell;
	size_t i;

	fprintf(out, "\n  %5s %5s %9s %10s %14s %13s %12s %7s\n", "P", "R", "requests", "wall ms", "theoretical ms",
		"amplification", "retransmits", "errors");
	json_array_foreach(cells, i, cell) {
		fprintf(out, "  %5.0f %5.0f %9.0f %10.1f %14.1f %12.3fx %12.0f %7.0f\n", num(cell, "workers"),
			num(cell, "requests_per_worker"), num(cell, "requests"), num(cell, "wall_us") / 1e3,
			num(cell, "theoretical_us") / 1e3, num(cell, "amplification"), num(cell, "retransmitted"),
			num(cell, "errors"));
	}
}

static void print_expectations(FILE *out, json_t *doc)
{
	json_t *list = json_object_get(doc, "expectations");
	json_t *e;
	size_t i;

	if (json_array_size(list) == 0)
		return;
	fprintf(out, "expectations:\n");
	json_array_foreach(list, i, e) {
		json_t *seen = json_object_get(e, "seen");
		const char *status = json_string_value(json_object_get(e, "status"));
		const char *reason = json_string_value(json_object_get(e, "reason"));

		if (status == NULL)
			status = json_is_true(json_object_get(e, "pass")) ? "pass" : "fail";
		fprintf(out, "  %-4s  %-48s ", strcmp(status, "pass") == 0 ? "PASS"
					   : strcmp(status, "fail") == 0 ? "FAIL"
					   : strcmp(status, "unknown") == 0 ? "UNKNOWN"
									  : "UNAVAILABLE",
			json_string_value(json_object_get(e, "text")));
		if (reason != NULL)
			fprintf(out, "(%s)\n", reason);
		else if (json_is_number(seen))
			fprintf(out, "(seen %g)\n", json_number_value(seen));
		else
			fprintf(out, "(no such value in the run)\n");
	}
}

static void print_client(FILE *out, json_t *doc)
{
	fprintf(out, "  client: %.0f connections in ", num(doc, "client.connections"));
	duration(out, "", num(doc, "client.wall_us"));
	fprintf(out, ": ok %.0f, refused %.0f, timeout %.0f, reset %.0f, addrnotavail %.0f, other %.0f\n",
		num(doc, "client.outcome.ok"), num(doc, "client.outcome.refused"), num(doc, "client.outcome.timeout"),
		num(doc, "client.outcome.reset"), num(doc, "client.outcome.addrnotavail"), num(doc, "client.outcome.other"));
	print_latency(out, doc, "connect");
	print_latency(out, doc, "total");
	fprintf(out, "  SYN-retransmit bands: 0: %.0f  ~1s: %.0f  ~3s: %.0f  ~7s: %.0f  more: %.0f\n",
		num(doc, "client.bands.0"), num(doc, "client.bands.1s"), num(doc, "client.bands.3s"),
		num(doc, "client.bands.7s"), num(doc, "client.bands.more"));
	if (num(doc, "client.theoretical_us") > 0)
		fprintf(out, "  theoretical minimum %.1f ms, amplification %.3fx\n", num(doc, "client.theoretical_us") / 1e3,
			num(doc, "client.amplification"));
}

static void render(FILE *out, json_t *doc)
{
	json_t *cells = jsonpath_get(doc, "client.cells");

	fprintf(out, "%s — %s\n", str(doc, "run.scenario"), str(doc, "run.description"));
	fprintf(out, "  kernel %s; profiles: server %s, client %s; status %s\n", str(doc, "run.kernel"),
		str(doc, "server.profile"), str(doc, "client.profile"), str(doc, "run.status"));
	if (json_is_string(jsonpath_get(doc, "run.error")))
		fprintf(out, "  error: %s\n", str(doc, "run.error"));
	fprintf(out, "  server: backlog %.0f, somaxconn %.0f -> accept queue capacity %.0f; accept queue max %.0f, "
		     "full %.0f ms; SYN-RECV max %.0f\n",
		num(doc, "run.limits.backlog"), num(doc, "run.limits.somaxconn"), num(doc, "run.limits.acceptq_capacity"),
		num(doc, "server.acceptq.max"), num(doc, "server.acceptq.full_ms"), num(doc, "server.states_max.SYN-RECV"));
	fprintf(out, "  server program: accepted %.0f, requests %.0f\n", num(doc, "server.program.accepted"),
		num(doc, "server.program.requests"));
	if (json_array_size(cells) > 0)
		print_grid(out, cells);
	else
		print_client(out, doc);
	fprintf(out, "counters that moved:\n");
	print_moved(out, doc, "server");
	print_moved(out, doc, "client");
	explain_drops_status(doc, out);
	fprintf(out, "what happened:\n");
	if (explain_run(doc, out) == 0)
		fprintf(out, "- nothing unusual: no drops, resets, timeouts or retransmitted connects\n");
	print_expectations(out, doc);
}

char *summary_render(json_t *doc, enum summary_style style)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	if (out == NULL)
		return NULL;
	switch (style) {
	case SUMMARY_TERMINAL:
		render(out, doc);
		break;
	case SUMMARY_MARKDOWN:
		fprintf(out, "# %s\n\n```\n", str(doc, "run.scenario"));
		render(out, doc);
		fprintf(out, "```\n");
		break;
	}
	if (fclose(out) != 0) {
		free(text);
		return NULL;
	}
	return text;
}
