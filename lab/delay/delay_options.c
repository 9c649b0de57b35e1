/* delay_options: the options tcplab-delay takes, one table for its parser and for the tests of its help. */
#include "delay/delay_options.h"

#include <stddef.h>

const struct option delay_long_options[] = {
	{ "queue", required_argument, NULL, 'q' },       { "delay", required_argument, NULL, 'd' },
	{ "jitter", required_argument, NULL, 'j' },      { "max-packets", required_argument, NULL, 'n' },
	{ "seed", required_argument, NULL, 's' },        { "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },           { NULL, 0, NULL, 0 },
};

const char delay_short_options[] = ":";
