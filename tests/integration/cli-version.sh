#!/usr/bin/env bash
# cli-version: the six programs print one version, the one the build set, and exit 0; run.json carries it too
# (lab-run-accept-queue checks that part).
set -u
bin=$(cd "${1:?usage: $0 BUILD_DIR}" && pwd)/bin
fail() {
	echo "FAIL: $*" >&2
	exit 1
}
want=$(cat "$bin/../version.stamp" 2>/dev/null) || fail "the build wrote no version.stamp"
[ -n "$want" ] || fail "empty version"
for p in tcplab tcplab-server tcplab-client tcplab-agent tcplab-capture tcplab-delay; do
	out=$("$bin/$p" --version 2>&1)
	status=$?
	[ "$status" = 0 ] || fail "$p --version exited $status: $out"
	[ "$out" = "$p $want" ] || fail "$p --version printed '$out', want '$p $want'"
done
exit 0
