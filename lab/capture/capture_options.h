/* capture_options: the getopt_long tables of tcplab-capture, which its --help and man page must name in full. */
#ifndef TL_CAPTURE_OPTIONS_H
#define TL_CAPTURE_OPTIONS_H

#include <getopt.h>

/* The long options, ending in a NULL name, and the short ones, as getopt_long takes them. */
extern const struct option capture_long_options[];
extern const char capture_short_options[];

#endif
