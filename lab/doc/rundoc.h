/* rundoc: build the schema-versioned run document (run.json) from what a run measured. */
#ifndef TL_RUNDOC_H
#define TL_RUNDOC_H

#include <jansson.h>

#include "probe/counters.h"
#include "doc/series.h"
#include "scenario/scenario.h"
#include "side/side.h"

/* Bumped whenever a field changes meaning or moves. */
#define RUNDOC_SCHEMA_VERSION 1

/* Everything a run hands over to the report. */
struct rundoc_input {
	const struct scenario *sc;
	const struct profile *server_profile;
	const struct profile *client_profile;
	struct side_applied server_applied;
	struct side_applied client_applied;
	struct counters server_before, server_after;
	struct counters client_before, client_after;
	struct series series;
	const char *rawdir;          /* where server.stdout, client.stdout and connections.csv are */
	int64_t started_wall_us;
	int64_t client_wall_us;      /* from the client's start to its exit, as the controller saw it */
	int64_t sampler_cpu_us;      /* CPU the controller spent meanwhile (sampling, status line) */
	int server_started, client_started;
	int server_died, client_timed_out, interrupted;
	int server_exit_status, client_exit_status;
	char error[512];             /* set when the run stopped on an error */
	json_t *capture;             /* run.json "capture": what each side's recorder wrote and lost */
	json_t *packets;             /* run.json "packets": totals and ladders read back from the captures */
	json_t *drops;               /* run.json "drops": the kernel's drops by reason, resets, SYN-ACKs again */
	json_t *link;                /* run.json "link": the conditions made and measured; NULL: none asked for */
};

/* Build the document (the caller adds the expectations' verdicts, report/verdict.c); NULL on error. */
json_t *rundoc_build(const struct rundoc_input *in, struct tl_err *err);

#endif
