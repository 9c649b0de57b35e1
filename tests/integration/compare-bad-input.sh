#!/usr/bin/env bash
# compare-bad-input: bad profiles, repeats and sweep settings exit 2 with a message that names them; nothing runs.
. "$(dirname "$0")/../lib/lab.sh" "$1"

expect_refusal() {
	local says=$1
	shift
	local out status
	out=$("$TCPLAB" "$@" 2>&1)
	status=$?
	[ "$status" -eq 2 ] || fail "tcplab $* exited $status, expected 2: $out"
	echo "$out" | grep -q -- "$says" || fail "tcplab $*: '$out' does not say '$says'"
}

expect_refusal "no profile 'nosuch'" compare --results "$RESULTS" --profile nosuch syn-drop-when-full
expect_refusal "expected NAME, server=NAME" compare --results "$RESULTS" --profile middle=classroom syn-drop-when-full
expect_refusal "--repeat" compare --results "$RESULTS" --repeat 0 syn-drop-when-full
expect_refusal "no \[compare\] profiles" compare --results "$RESULTS" abort-on-overflow
expect_refusal "server.backlog=abc" sweep --results "$RESULTS" --set server.backlog=5,abc syn-drop-when-full
# A value only the program can judge is refused by its --check, with the point named.
expect_refusal "discipline=bogus" sweep --results "$RESULTS" --set server.discipline=serial,bogus syn-drop-when-full
expect_refusal "cannot be replaced" sweep --results "$RESULTS" --set scenario.name=x syn-drop-when-full
expect_refusal "at least one --set" sweep --results "$RESULTS" syn-drop-when-full
expect_refusal "more than 64 points" sweep --results "$RESULTS" --set client.concurrency=1,2,3,4,5,6,7,8,9 \
	--set server.backlog=1,2,3,4,5,6,7,8 syn-drop-when-full
# The options run, compare and sweep share are checked alike.
for cmd in run compare sweep; do
	extra=()
	[ "$cmd" = sweep ] && extra=(--set server.backlog=1,2)
	expect_refusal "backend 'bogus' is not netns or docker" "$cmd" --results "$RESULTS" --backend bogus "${extra[@]}" \
		syn-drop-when-full
done
[ -z "$(ls -A "$RESULTS")" ] || fail "a refused command wrote results: $(ls -A "$RESULTS")"
[ -z "$(lab_namespaces_orphaned)" ] || fail "namespaces left: $(lab_namespaces_orphaned)"
exit 0
