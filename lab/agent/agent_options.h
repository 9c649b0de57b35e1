/* agent_options: the getopt_long tables of tcplab-agent, which its --help and man page must name in full. */
#ifndef TL_AGENT_OPTIONS_H
#define TL_AGENT_OPTIONS_H

#include <getopt.h>

/* The long options, ending in a NULL name, and the short ones, as getopt_long takes them. */
extern const struct option agent_long_options[];
extern const char agent_short_options[];

#endif
