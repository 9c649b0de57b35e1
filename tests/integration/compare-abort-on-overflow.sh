#!/usr/bin/env bash
# compare-abort-on-overflow: kernel-defaults vs abort-on-overflow on the server side: resets only under the second.
. "$(dirname "$0")/../lib/lab.sh" "$1"

out=$("$TCPLAB" compare --results "$RESULTS" --profile server=kernel-defaults --profile server=abort-on-overflow \
	abort-on-overflow 2>&1)
status=$?
echo "$out"
# Under kernel-defaults the scenario's own expectations fail: a comparison still exits 0 when every replay completed.
[ "$status" -eq 0 ] || fail "tcplab compare exited $status"
dir=$(echo "$out" | sed -n 's/^results: //p')
doc="$dir/compare.json"
[ -s "$doc" ] || fail "no compare.json in '$dir'"
[ -s "$dir/compare.md" ] || fail "no compare.md"

value() { jq -r --argjson i "$1" --arg p "$2" '.columns[$i].values[$p] // "missing"' "$doc"; }
jq -e '.kind == "compare" and .side == "server" and .status == "complete" and (.columns | length) == 2' "$doc" \
	>/dev/null || fail "compare.json does not describe two complete server-side columns"
jq -e '.columns[0].server_profile == "kernel-defaults" and .columns[1].server_profile == "abort-on-overflow"
	and .columns[0].client_profile == "classroom" and .columns[1].client_profile == "classroom"' "$doc" \
	>/dev/null || fail "the columns do not record the profiles each side had"
resets_default=$(value 0 client.outcome.reset)
resets_abort=$(value 1 client.outcome.reset)
[ "$resets_default" = 0 ] || fail "kernel-defaults: client.outcome.reset = $resets_default, expected 0"
awk -v r="$resets_abort" 'BEGIN { exit !(r >= 1) }' || fail "abort-on-overflow: no reset (client.outcome.reset = $resets_abort)"
rsts_abort=$(value 1 server.nstat.TcpOutRsts)
awk -v r="$rsts_abort" 'BEGIN { exit !(r >= 1) }' || fail "abort-on-overflow: server TcpOutRsts = $rsts_abort"
jq -e '.rows[] | select(.path == "client.outcome.reset") | .differs' "$doc" >/dev/null ||
	fail "the reset row is not marked as differing"
echo "$out" | grep -q '^\* outcome reset ' || fail "the terminal table does not mark the reset row"

# Each replay is a complete run folder with the profile it ran under.
for i in 0 1; do
	run=$(jq -r --argjson i "$i" '.columns[$i].runs[0].dir' "$doc")
	[ -s "$dir/$run/run.json" ] || fail "column $i: no run.json in '$run'"
	want=$(jq -r --argjson i "$i" '.columns[$i].server_profile' "$doc")
	got=$(jq -r '.server.profile' "$dir/$run/run.json")
	[ "$got" = "$want" ] || fail "column $i ran the server under '$got', not '$want'"
done
ls -a "$RESULTS" | grep -q '^\.tmp' && fail "a temporary folder was left"
[ -z "$(lab_namespaces_orphaned)" ] || fail "namespaces left: $(lab_namespaces_orphaned)"
exit 0
