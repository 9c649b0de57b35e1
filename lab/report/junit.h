/* junit: the verdicts of runs as a JUnit XML file (libxml2's text writer), the format CI systems read. */
#ifndef TL_JUNIT_H
#define TL_JUNIT_H

#include <jansson.h>
#include <stddef.h>

#include "tl_err.h"

/* One run, one <testsuite>: its name says which scenario and which profile or settings. */
struct junit_suite {
	const char *name;  /* the suite's name, and the classname of its testcases */
	json_t *doc;       /* its run.json; NULL when the run produced none */
	const char *error; /* why the run did not end as it should ("" or NULL: it did) */
	const char *dir;   /* its results folder ("" or NULL: none) */
};

/* What a run is called in JUnit: "SCENARIO [PROFILE]", or "SCENARIO [server=P,client=Q]" when the sides' profiles
 * differ, from its run document (scenario alone without one). */
void junit_run_name(json_t *doc, const char *scenario, char *buf, size_t len);

/* The suites as a JUnit XML document: a <testcase> per expectation, <failure> for FAIL, <skipped> for UNAVAILABLE
 * and UNKNOWN (a <failure> when strict), one <error> testcase for a run that ended in an error. Text from the
 * documents goes through libxml2's escaping with control characters replaced by U+FFFD. The caller frees the
 * text (free()); NULL with err when the writer failed. */
char *junit_render(const struct junit_suite *suites, size_t n, int strict, size_t *len, struct tl_err *err);

/* Render the suites and write them to path atomically (a fresh file beside it, created exclusively, renamed). */
int junit_write(const char *path, const struct junit_suite *suites, size_t n, int strict, struct tl_err *err);

/* Read the JUnit files inputs[0..n) (each a <testsuites> or a <testsuite>) and write one <testsuites> holding
 * all their suites, with the totals added up, to path atomically. */
int junit_merge(const char *path, char *const *inputs, size_t n, struct tl_err *err);

#endif
