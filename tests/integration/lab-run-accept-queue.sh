#!/usr/bin/env bash
# lab-run-accept-queue: a full run of the accept-queue-capacity scenario passes and writes every result file.
. "$(dirname "$0")/../lib/lab.sh" "$1"

out=$("$TCPLAB" run --results "$RESULTS" accept-queue-capacity 2>&1)
status=$?
echo "$out"
[ "$status" -eq 0 ] || fail "tcplab run exited $status"
dir=$(echo "$out" | sed -n 's/^results: //p')
[ -d "$dir" ] || fail "no results folder in the output"
for f in run.json samples.csv connections.csv summary.md raw/server-ss-ltn-before.txt raw/client-nstat-after.txt; do
	[ -s "$dir/$f" ] || fail "$f is missing or empty"
done
json_file_true "$dir/run.json" '.schema_version == 1' || fail "run.json has no schema version"
json_file_true "$dir/run.json" '.run.status == "complete"' || fail "run.json is not marked complete"
version=$("$TCPLAB" --version | awk '{ print $2 }')
json_file_true "$dir/run.json" ".run.tcplab_version == \"$version\"" || fail "run.json does not carry tcplab $version"
[ "$(wc -l <"$dir/connections.csv")" -eq 5 ] || fail "connections.csv should hold a header and 4 records"
echo "$out" | grep -q 'PASS  server.acceptq.max == 2' || fail "summary lacks the acceptq verdict"
echo "$out" | grep -q 'ListenOverflows +' || fail "summary does not explain the delayed connect"
ls "$RESULTS" | grep -q '^\.tmp' && fail "a temporary folder was left"
[ -z "$(lab_namespaces)" ] || fail "namespaces left: $(lab_namespaces)"
exit 0
