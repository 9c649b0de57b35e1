/* plot_script: the data files and the gnuplot script that draw a report's charts. */
#ifndef TL_PLOT_SCRIPT_H
#define TL_PLOT_SCRIPT_H

#include <jansson.h>
#include <stdio.h>

#include "report/plot.h"
#include "report/plot_data.h"

/* A run's data as loaded for drawing. */
struct plot_loaded {
	const char *label;
	json_t *doc;
	struct plot_samples samples;
	struct plot_connects connects;
};

/* Longest label written into a script; longer ones are cut. */
#define PLOT_LABEL_MAX 120

/* Copy text into out keeping only characters inert in a gnuplot string (letters, digits, blanks and harmless
 * punctuation); every other byte becomes '?', and at most PLOT_LABEL_MAX are kept. */
void plot_inert_text(const char *text, char *out, size_t len);

/* The file a chart is written to, relative to the script's folder ("acceptq.svg"). */
void plot_svg_name(enum plot_kind kind, char *buf, size_t len);

/* Write the data files into dir and the script to gp (run in dir); drawn[k] says whether chart k is in it, and
 * note[k] why not. */
int plot_script_write(const char *dir, FILE *gp, const struct plot_loaded *runs, size_t n, int *drawn,
		      char (*note)[256], struct tl_err *err);

#endif
