/* client_options: the getopt_long tables of tcplab-client, which its --help and man page must name in full. */
#ifndef TL_CLIENT_OPTIONS_H
#define TL_CLIENT_OPTIONS_H

#include <getopt.h>

/* The long options, ending in a NULL name, and the short ones, as getopt_long takes them. */
extern const struct option client_long_options[];
extern const char client_short_options[];

#endif
