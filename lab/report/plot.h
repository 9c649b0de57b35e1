/* plot: draw a report's charts with gnuplot (svg terminal) and hand them back as SVG text ready to inline in HTML. */
#ifndef TL_PLOT_H
#define TL_PLOT_H

#include <jansson.h>
#include <stddef.h>

#include "tl_err.h"

/* The charts of a report, in page order. */
enum plot_kind {
	PLOT_ACCEPTQ,  /* accept-queue length over time, the capacity dashed */
	PLOT_STATES,   /* socket states of both sides over time */
	PLOT_CONNECT,  /* connect-latency distribution (CDF), the 1 s / 3 s / 7 s bands marked */
	PLOT_OUTCOMES, /* outcome classes */
	PLOT_KINDS
};

/* One run to draw: its folder (samples.csv, connections.csv), its run.json and its name in legends. */
struct plot_source {
	const char *label;
	const char *dir;
	json_t *doc;
};

/* The charts drawn; svg[k] is NULL when chart k had nothing to show, and note[k] says why. */
struct plot_set {
	char *svg[PLOT_KINDS];
	char note[PLOT_KINDS][256];
};

/* Most points a time series or a distribution keeps per run: beyond this each point is the maximum of several. */
#define PLOT_MAX_POINTS 600

/* The gnuplot program: $TCPLAB_GNUPLOT, else gnuplot from PATH. */
const char *plot_program(void);

/* Whether the gnuplot program can be run. */
int plot_available(void);

/* Short name of a chart ("acceptq"): element ids in the page and SVG id prefixes. */
const char *plot_kind_id(enum plot_kind kind);

/* Draw every chart of n runs on shared axes (one run: a run report; more: a comparison). */
int plot_draw(const struct plot_source *src, size_t n, struct plot_set *out, struct tl_err *err);

/* Read a run folder's samples.csv and connections.csv as plot_draw would, only to refuse bad ones early
 * ("samples.csv:12: acceptq_len 'x' is not an integer"). */
int plot_check_data(const char *dir, struct tl_err *err);

/* Release the SVG texts. */
void plot_set_free(struct plot_set *s);

#endif
