/* html: report.html, one self-contained page (inline CSS and SVG, nothing fetched) for a run or a comparison. */
#ifndef TL_HTML_H
#define TL_HTML_H

#include "report/compare_doc.h"
#include "report/compare_table.h"
#include "tl_err.h"

/* Write dir/report.html from the run folder's run.json, samples.csv and connections.csv (needs gnuplot). */
int html_report_run(const char *dir, struct tl_err *err);

/* Write dir/report.html for a comparison folder: the table, and every chart with the columns on shared axes
 * (each column drawn from its median replay by wall time). */
int html_report_compare(const char *dir, const struct comparison *c, const struct compare_table *t,
			struct tl_err *err);

#endif
