/* html_page: the pieces both kinds of report.html share: escaping, head and style, the charts, writing the file. */
#ifndef TL_HTML_PAGE_H
#define TL_HTML_PAGE_H

#include <stdio.h>

#include "report/plot.h"
#include "tl_err.h"

/* Write text with &, <, >, " escaped. */
void html_escape(FILE *out, const char *text);

/* <!doctype html> up to the opening <main>, with the inline style sheet. */
void html_head(FILE *out, const char *title);

/* One <section> per chart: the inline SVG in <figure id="plot-ID">, or why it is missing; compare changes the
 * captions to speak of columns. */
void html_plots(FILE *out, const struct plot_set *plots, int compare);

/* The footer and closing tags. */
void html_end(FILE *out, const char *made_from);

/* Close the memory stream holding the page and write it to dir/report.html atomically. */
int html_finish(FILE *out, char **text, size_t *len, const char *dir, struct tl_err *err);

#endif
