/* describe: what a scenario does and expects, for `tcplab show`. */
#ifndef TL_DESCRIBE_H
#define TL_DESCRIBE_H

#include <stdio.h>

#include "scenario/scenario.h"

/* Print the scenario's set-up (profiles with their sysctls, program options) and its expectations. */
void describe_scenario(const struct scenario *sc, FILE *out);

#endif
