/* home: where tcplab finds its programs, scenarios and profiles. */
#ifndef TL_HOME_H
#define TL_HOME_H

#include <stddef.h>

#include "tl_err.h"

/* Directories a run needs. */
struct home {
	char bindir[512];    /* tcplab-server and tcplab-client: the directory of this executable */
	char datadir[512];   /* holds lab/scenarios/ and sysctl/ */
	char scenarios[600]; /* datadir/lab/scenarios */
	char profiles[600];  /* datadir/sysctl */
};

/* Find them: $TCPLAB_HOME, else <bindir>/../share/tcplab (installed), else the source tree above build/bin. */
int home_find(struct home *h, struct tl_err *err);

/* Resolve a scenario argument: a path to a .conf file, or a name in the scenarios folder. */
int home_scenario_path(const struct home *h, const char *arg, char *path, size_t len, struct tl_err *err);

#endif
