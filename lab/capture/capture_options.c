/* capture_options: the options tcplab-capture takes, one table for its parser and for the tests of its help. */
#include "capture/capture_options.h"

#include <stddef.h>

const struct option capture_long_options[] = {
	{ "interface", required_argument, NULL, 'i' }, { "output", required_argument, NULL, 'o' },
	{ "snaplen", required_argument, NULL, 's' },   { "max-bytes", required_argument, NULL, 'm' },
	{ "help", no_argument, NULL, 'h' },            { "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

const char capture_short_options[] = ":";
