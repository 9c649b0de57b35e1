#!/bin/sh
# lab-entry: the lab service's command: "suite" (the default) replays every scenario, one line each; anything else is a tcplab command.
set -eu
if [ "$#" -eq 0 ] || [ "$1" = suite ]; then
	[ "$#" -gt 0 ] && shift
	exec /usr/local/share/tcplab/lab/run-suite.sh /usr/local "$@"
fi
exec /usr/local/bin/tcplab "$@"
