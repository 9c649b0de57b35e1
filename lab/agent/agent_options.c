/* agent_options: the options tcplab-agent takes, one table for its parser and for the tests of its help. */
#include "agent/agent_options.h"

#include <stddef.h>

const struct option agent_long_options[] = {
	{ "role", required_argument, NULL, 'r' },
	{ "socket", required_argument, NULL, 's' },
	{ "listen", required_argument, NULL, 'l' },
	{ "token-file", required_argument, NULL, 't' },
	{ "workdir", required_argument, NULL, 'w' },
	{ "sysctl-root", required_argument, NULL, 'y' },
	{ "allow-init-netns", no_argument, NULL, 'i' },
	{ "program-user", required_argument, NULL, 'u' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

const char agent_short_options[] = ":r:s:l:t:w:y:u:ihV";
