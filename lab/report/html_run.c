/* html_run: report.html of one run folder: the summary, the charts, and the TCP counters that moved. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "path.h"
#include "report/doc_check.h"
#include "report/html.h"
#include "report/html_drops.h"
#include "report/html_ladder.h"
#include "report/html_page.h"
#include "report/jsonpath.h"
#include "report/summary.h"

static const char *str(json_t *doc, const char *path)
{
	json_t *v = jsonpath_get(doc, path);

	return json_is_string(v) ? json_string_value(v) : "?";
}

static long long counter(json_t *doc, const char *side, const char *key)
{
	return json_integer_value(json_object_get(json_object_get(json_object_get(doc, side), "nstat"), key));
}

/* A row per Tcp* / TcpExt* counter that moved on either side, in the kernel's order (server's first). */
static void counters_table(FILE *out, json_t *doc)
{
	static const char *const sides[] = { "server", "client" };
	json_t *seen = json_object();
	int rows = 0;

	fputs("<section id=\"counters\">\n<h2>TCP counters that moved</h2>\n"
	      "<table id=\"counter-table\">\n<tr><th>counter (nstat name)</th><th>server</th><th>client</th></tr>\n",
	      out);
	for (size_t s = 0; s < 2; s++) {
		const char *key;
		json_t *v;

		json_object_foreach(json_object_get(json_object_get(doc, sides[s]), "nstat"), key, v) {
			if (strncmp(key, "Tcp", 3) != 0 || json_integer_value(v) == 0 || json_object_get(seen, key))
				continue;
			json_object_set_new(seen, key, json_true());
			fputs("<tr><td>", out);
			html_escape(out, key);
			fprintf(out, "</td><td class=\"n\">%+lld</td><td class=\"n\">%+lld</td></tr>\n",
				counter(doc, "server", key), counter(doc, "client", key));
			rows++;
		}
	}
	if (rows == 0)
		fputs("<tr><td colspan=\"3\">no TCP counter moved</td></tr>\n", out);
	fputs("</table>\n<p class=\"meta\">Deltas of /proc/net/netstat and /proc/net/snmp in each namespace, before "
	      "and after the run (what nstat prints); every counter is in run.json.</p>\n</section>\n",
	      out);
	json_decref(seen);
}

static void heading(FILE *out, json_t *doc)
{
	fputs("<h1>", out);
	html_escape(out, str(doc, "run.scenario"));
	fputs("</h1>\n<p class=\"desc\">", out);
	html_escape(out, str(doc, "run.description"));
	fputs("</p>\n<p class=\"meta\">", out);
	fputs("started ", out);
	html_escape(out, str(doc, "run.started"));
	fputs(" &middot; kernel ", out);
	html_escape(out, str(doc, "run.kernel"));
	fputs(" &middot; server profile ", out);
	html_escape(out, str(doc, "server.profile"));
	fputs(" &middot; client profile ", out);
	html_escape(out, str(doc, "client.profile"));
	fputs(" &middot; status ", out);
	html_escape(out, str(doc, "run.status"));
	fputs("</p>\n", out);
}

int html_report_run(const char *dir, struct tl_err *err)
{
	char path[TL_PATH_LEN];
	struct plot_set plots;
	struct plot_source src;
	json_t *doc;
	char *summary;
	char *text = NULL;
	size_t len = 0;
	FILE *out;

	if (tl_path_fmt(path, sizeof(path), err, "%s/run.json", dir) != 0)
		return -1;
	doc = doc_load_run(path, err);
	if (doc == NULL)
		return -1;
	src.label = str(doc, "server.profile");
	src.dir = dir;
	src.doc = doc;
	if (plot_draw(&src, 1, &plots, err) != 0) {
		json_decref(doc);
		return -1;
	}
	out = open_memstream(&text, &len);
	if (out == NULL) {
		plot_set_free(&plots);
		json_decref(doc);
		return tl_errf(err, "out of memory rendering report.html");
	}
	snprintf(path, sizeof(path), "tcplab run: %s", str(doc, "run.scenario"));
	html_head(out, path);
	heading(out, doc);
	summary = summary_render(doc, SUMMARY_TERMINAL);
	fputs("<section id=\"summary\">\n<h2>Summary</h2>\n<pre>", out);
	html_escape(out, summary != NULL ? summary : "");
	fputs("</pre>\n</section>\n", out);
	free(summary);
	html_plots(out, &plots, 0);
	html_ladders_section(out, doc);
	html_drops_section(out, dir, doc);
	counters_table(out, doc);
	html_end(out, "run.json, samples.csv and connections.csv in this folder");
	plot_set_free(&plots);
	json_decref(doc);
	return html_finish(out, &text, &len, dir, err);
}
