/* summary: the ten-second read of a run, for the terminal and for summary.md. */
#ifndef TL_SUMMARY_H
#define TL_SUMMARY_H

#include <jansson.h>

/* Output flavour. */
enum summary_style {
	SUMMARY_TERMINAL,
	SUMMARY_MARKDOWN,
};

/* Render the summary of a run document; the caller frees the text. NULL when out of memory. */
char *summary_render(json_t *doc, enum summary_style style);

#endif
