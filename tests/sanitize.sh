#!/usr/bin/env bash
# sanitize.sh: the unit tests and the network-namespace integration tests against a SANITIZE build; any
# AddressSanitizer, LeakSanitizer or UndefinedBehaviorSanitizer report, from any program they start, fails.
#
# Usage: tests/sanitize.sh BUILD_DIR   (made by make SANITIZE=address,undefined BUILD=BUILD_DIR)
# Every sanitized process writes its reports to its own file under a folder of this run (log_path), so a report
# from a program whose exit status a test does not look at (a lab's server, a killed client) still counts.
set -u
build=${1:?usage: tests/sanitize.sh BUILD_DIR}
cd "$(dirname "$0")/.." || exit 2
reports=$(mktemp -d /tmp/tcplab-sanitize.XXXXXX)
trap 'rm -rf "$reports"' EXIT

export ASAN_OPTIONS="halt_on_error=1:detect_leaks=1:log_path=$reports/asan:strip_path_prefix=$PWD/"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:log_path=$reports/ubsan:strip_path_prefix=$PWD/"

tests/run.sh --no-docker "$build"
status=$?

found=$(find "$reports" -type f | sort)
if [ -n "$found" ]; then
	echo "sanitizer reports: $(echo "$found" | wc -l)"
	for f in $found; do
		echo "--- $(basename "$f")"
		head -n 40 "$f"
	done
	exit 1
fi
echo "sanitizer reports: 0"
exit "$status"
