/* html_drops: the kernel's drop decisions of a run over time (raw/drops.csv), one line per side, event and reason. */
#ifndef TL_HTML_DROPS_H
#define TL_HTML_DROPS_H

/* The largest raw/drops.csv the report reads. */
#define HTML_DROPS_FILE_MAX_BYTES (64LL << 20)

#include <jansson.h>
#include <stdio.h>

#include "tl_err.h"

/* 0 when dir/raw/drops.csv is absent or every row of it holds what a tracer writes; else -1, err naming the file
 * and line (a symlink is refused too). */
int html_drops_check(const char *dir, struct tl_err *err);

/* The <section id="drops"> of a run's page: a timeline of dir/raw/drops.csv when doc's drops.status is "on" (every
 * row checked; a bad file is named, never drawn), else why there is none. */
void html_drops_section(FILE *out, const char *dir, json_t *doc);

#endif
