/* server_options: the getopt_long tables of tcplab-server, which its --help and man page must name in full. */
#ifndef TL_SERVER_OPTIONS_H
#define TL_SERVER_OPTIONS_H

#include <getopt.h>

/* The long options, ending in a NULL name, and the short ones, as getopt_long takes them. */
extern const struct option server_long_options[];
extern const char server_short_options[];

#endif
