/* scenario_internal: what the scenario files share among themselves (not for the rest of the controller). */
#ifndef TL_SCENARIO_INTERNAL_H
#define TL_SCENARIO_INTERNAL_H

#include "scenario.h"

/* The lab's server address, standing in for the real one when options are only checked. */
#define SCENARIO_CHECK_ADDR "198.18.0.1"

/* Error at a line of the scenario: "path:line: [section] " + fmt; returns -1. */
int scenario_errf(struct tl_err *err, const struct scenario *sc, int line, enum scenario_section section,
		  const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Build the argv of section's program (server or client); check puts --check right after the program. */
int scenario_build_argv(const struct scenario *sc, enum scenario_section section, const char *bindir,
			const char *addr, const char *records_path, const char *sources, int check, char ***argv,
			struct tl_err *err);

/* Run both programs with --check and turn a refusal into an error at the line of the key it names; the client's
 * --check --json plan goes to *planned_connections. */
int scenario_check_programs(const struct scenario *sc, const char *bindir, int64_t *planned_connections,
			    struct tl_err *err);

/* Put the overrides' values in place of the file's (before the required keys and fallbacks are filled). */
int scenario_apply_overrides(struct scenario *sc, const struct scenario_override *ov, size_t n, struct tl_err *err);

#endif
