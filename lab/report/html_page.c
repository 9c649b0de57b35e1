/* html_page: the shared frame of report.html: style, charts with their captions, footer, and the atomic write. */
#include "html_page.h"

#include <stdlib.h>
#include <string.h>

#include "path.h"
#include "doc/results.h"

/* Everything the page needs is in it: no font, script or style sheet is fetched. */
static const char style[] =
	"body{font:14px/1.45 system-ui,sans-serif;color:#1d1d1f;background:#fafafa;margin:0}"
	"main{max-width:1100px;margin:0 auto;padding:16px 24px 40px}"
	"h1{font-size:22px;margin:8px 0 2px}h2{font-size:17px;margin:28px 0 6px;border-bottom:1px solid #ddd}"
	".desc{color:#444;margin:0 0 10px}.meta{color:#555;font-size:13px}"
	"pre{white-space:pre-wrap;background:#fff;border:1px solid #ddd;padding:10px;overflow-x:auto;font-size:12.5px;line-height:1.35}"
	"figure{margin:6px 0;background:#fff;border:1px solid #ddd;padding:6px}figure svg{width:100%;height:auto}"
	".ladder-row{display:flex;gap:12px;align-items:flex-start}.ladder-column{flex:1;min-width:0}"
	"svg.drops{background:#fff;border:1px solid #ddd;max-width:100%;height:auto}svg.drops .note{fill:#777;font-size:11px}"
	".drops-legend{list-style:none;padding:0;margin:4px 0;font-size:13px}.drops-legend li{display:inline-block;margin-right:16px}"
	"figcaption{color:#444;font-size:13px;margin-top:4px}.missing{color:#8a5a00}"
	"table{border-collapse:collapse;background:#fff;font-size:13px;margin:6px 0}"
	"th,td{border:1px solid #ddd;padding:3px 8px}td.n{text-align:right;font-variant-numeric:tabular-nums}"
	"th{background:#f0f0f0;text-align:left}tr.differs td{background:#fff4d6}tr.differs td:first-child{font-weight:600}"
	".pass{color:#17692e;font-weight:600}.fail{color:#b3261e;font-weight:600}"
	"footer{color:#777;font-size:12px;margin-top:30px}";

static const char *const captions[PLOT_KINDS] = {
	[PLOT_ACCEPTQ] = "Accept-queue length as inet_diag reports it (ss -ltn Recv-Q), each point the largest value of "
			 "the samples it stands for. The dashed line is the capacity, min(backlog, somaxconn) + 1: a "
			 "SYN that arrives while the queue is at capacity is dropped (ListenOverflows).",
	[PLOT_STATES] = "Sockets on the lab port by state. Server SYN-RECV: half-open connections in the SYN queue; "
			"client SYN-SENT: connects waiting for a SYN-ACK (their SYN was dropped or not answered yet); "
			"TIME-WAIT: on the side that closed first.",
	[PLOT_CONNECT] = "Cumulative distribution of connect times over every connection started. A dropped SYN is "
			 "retransmitted after 1 s, then 3 s, 7 s ... after the first: steps inside the shaded bands "
			 "are connects that waited for one, two or three retransmissions.",
	[PLOT_OUTCOMES] = "Outcome class of every connection: ok, refused (RST to the SYN), timeout, reset "
			  "(Connection reset by peer), addrnotavail (no free local port), other.",
};

static const char *const headings[PLOT_KINDS] = {
	[PLOT_ACCEPTQ] = "Accept queue",
	[PLOT_STATES] = "Socket states",
	[PLOT_CONNECT] = "Connect latency",
	[PLOT_OUTCOMES] = "Outcomes",
};

void html_escape(FILE *out, const char *text)
{
	for (const char *p = text; *p != '\0'; p++) {
		switch (*p) {
		case '&':
			fputs("&amp;", out);
			break;
		case '<':
			fputs("&lt;", out);
			break;
		case '>':
			fputs("&gt;", out);
			break;
		case '"':
			fputs("&quot;", out);
			break;
		default:
			fputc(*p, out);
		}
	}
}

void html_head(FILE *out, const char *title)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	      /* An empty icon, so a browser asks for no favicon.ico beside the file. */
	      "<link rel=\"icon\" href=\"data:,\">\n<title>",
	      out);
	html_escape(out, title);
	fprintf(out, "</title>\n<style>%s</style>\n</head>\n<body>\n<main>\n", style);
}

void html_plots(FILE *out, const struct plot_set *plots, int compare)
{
	for (int k = 0; k < PLOT_KINDS; k++) {
		const char *id = plot_kind_id((enum plot_kind)k);

		fprintf(out, "<section id=\"%s\">\n<h2>%s</h2>\n", id, headings[k]);
		if (plots->svg[k] == NULL) {
			fprintf(out, "<p class=\"missing\" id=\"plot-%s-missing\">Not drawn: ", id);
			html_escape(out, plots->note[k][0] ? plots->note[k] : "no data");
			fputs(".</p>\n</section>\n", out);
			continue;
		}
		fprintf(out, "<figure id=\"plot-%s\" data-plot=\"%s\">\n%s\n<figcaption>", id, id, plots->svg[k]);
		html_escape(out, captions[k]);
		if (compare)
			fputs(" Columns share the axes; each is drawn from its median replay (by wall time).", out);
		fputs("</figcaption>\n</figure>\n</section>\n", out);
	}
}

void html_end(FILE *out, const char *made_from)
{
	fputs("<footer>Made by tcplab from ", out);
	html_escape(out, made_from);
	fputs("; rebuild with <code>tcplab report FOLDER</code>. Charts drawn by gnuplot.</footer>\n"
	      "</main>\n</body>\n</html>\n",
	      out);
}

int html_finish(FILE *out, char **text, size_t *len, const char *dir, struct tl_err *err)
{
	char path[TL_PATH_LEN];
	int rc;

	if (fclose(out) != 0) {
		free(*text);
		*text = NULL;
		return tl_errf(err, "out of memory rendering report.html");
	}
	rc = tl_path_fmt(path, sizeof(path), err, "%s/report.html", dir);
	if (rc == 0)
		rc = results_write_file(path, *text, *len, err);
	free(*text);
	*text = NULL;
	return rc;
}
