/* run: replay one scenario in a fresh lab and build its run document. */
#ifndef TL_RUN_H
#define TL_RUN_H

#include <jansson.h>
#include <signal.h>

#include "run/backend.h"
#include "scenario/scenario.h"
#include "tl_err.h"

/* Whether packets are recorded: as the scenario's [capture] packets says, or forced by --capture/--no-capture. */
enum run_capture { RUN_CAPTURE_AS_SCENARIO = 0, RUN_CAPTURE_ON, RUN_CAPTURE_OFF };

/* How to run. */
struct run_opts {
	const char *bindir;      /* where tcplab-server and tcplab-client are */
	const char *results_dir; /* parent of the run's folder ("results") */
	int live_status;         /* print a status line on stderr while running (a TTY) */
	const struct profile *server_profile; /* replaces the scenario's server profile (compare); NULL: as written */
	const struct profile *client_profile; /* the same for the client side */
	const struct backend_config *backend; /* where the lab runs; NULL: from the environment */
	enum run_capture capture;             /* packet capture on both sides */
	int strict;                           /* expectations that are unknown or unavailable count as failed */
	const char *const *settings;          /* the keys --set replaced ("link.delay=50ms"), for run.settings */
	size_t setting_count;
};

/* What a run produced. */
struct run_result {
	json_t *doc;         /* the run document (run.json) */
	char dir[512];       /* results folder it was written to */
	int interrupted;     /* SIGINT/SIGTERM arrived */
	int failed_expects;  /* expectations that did not hold */
};

/* Set by the controller's SIGINT/SIGTERM handler: the run stops, cleans up and writes what it has. */
extern volatile sig_atomic_t run_stop_requested;

/* Replay sc once: lab up, profiles, server, client, sampling, counters, teardown, results written. */
int run_scenario(const struct scenario *sc, const struct run_opts *o, struct run_result *res, struct tl_err *err);

#endif
