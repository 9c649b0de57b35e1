/* sweep: a grid of scenario settings (--set server.backlog=5,256 --set client.concurrency=1,8), one column per point. */
#ifndef TL_SWEEP_H
#define TL_SWEEP_H

#include <stddef.h>

#include "run/compare.h"
#include "scenario/scenario.h"
#include "tl_err.h"

/* Values one key takes at most, and points a grid has at most (each point is a full replay). */
#define SWEEP_VALUES_MAX 32
#define SWEEP_POINTS_MAX 64

/* One key and the values it takes. */
struct sweep_axis {
	struct scenario_override key; /* section and key; value unused */
	char values[SWEEP_VALUES_MAX][256];
	size_t count;
};

/* The axes of a grid, in the order given (the first varies slowest). */
struct sweep {
	struct sweep_axis axes[COMPARE_SETTINGS_MAX];
	size_t axis_count;
};

/* Add an axis from "SECTION.KEY=V1,V2,..."; the key must exist, be replaceable, and not take a list itself. */
int sweep_add_axis(struct sweep *s, const char *text, struct tl_err *err);

/* Points in the grid: the product of the axes' value counts. */
size_t sweep_points(const struct sweep *s);

/* Load the scenario at path once per point with that point's keys replaced, so every check runs on the values
 * the replay will use (the programs' --check included), and fill each point's column; scs and specs hold
 * sweep_points() entries. An error names the point ("server.backlog=0: ..."). */
int sweep_load(const struct sweep *s, const char *path, const char *profiles_dir, const char *bindir,
	       struct scenario *scs, struct compare_spec *specs, struct tl_err *err);

#endif
