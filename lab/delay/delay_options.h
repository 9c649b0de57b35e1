/* delay_options: the getopt_long tables of tcplab-delay, which its --help and man page must name in full. */
#ifndef TL_DELAY_OPTIONS_H
#define TL_DELAY_OPTIONS_H

#include <getopt.h>

/* The long options, ending in a NULL name, and the short ones, as getopt_long takes them. */
extern const struct option delay_long_options[];
extern const char delay_short_options[];

#endif
