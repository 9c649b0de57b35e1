/* compare_text: render a comparison as one table (profiles or settings as columns) for the terminal and compare.md. */
#ifndef TL_COMPARE_TEXT_H
#define TL_COMPARE_TEXT_H

#include "report/compare_doc.h"
#include "report/compare_table.h"
#include "report/summary.h"

/* The heading, the table (status, expectations, then every row; "*" marks rows that differ) and any replay errors;
 * the Markdown flavour adds the run folders. The caller frees the text; NULL when out of memory. */
char *compare_render(const struct comparison *c, const struct compare_table *t, enum summary_style style);

#endif
