#!/usr/bin/env bash
# compare-sweep: a 2 x 2 grid (server backlog x client concurrency) is four replays in one table; only the point
# whose load outgrows its accept queue (backlog 32, 50 clients) drops SYNs.
. "$(dirname "$0")/../lib/lab.sh" "$1"

out=$("$TCPLAB" sweep --results "$RESULTS" --set server.backlog=32,1024 --set client.concurrency=5,50 \
	syn-drop-when-full 2>&1)
status=$?
echo "$out"
[ "$status" -eq 0 ] || fail "tcplab sweep exited $status"
dir=$(echo "$out" | sed -n 's/^results: //p')
doc="$dir/compare.json"
[ -s "$doc" ] || fail "no compare.json in '$dir'"
case "$dir" in */*-sweep-syn-drop-when-full) ;; *) fail "unexpected sweep folder name '$dir'" ;; esac
jq -e '.kind == "sweep" and (.columns | length) == 4 and .status == "complete"' "$doc" >/dev/null ||
	fail "expected four complete columns"
jq -e '[.columns[].label] == ["backlog=32 concurrency=5", "backlog=32 concurrency=50",
	"backlog=1024 concurrency=5", "backlog=1024 concurrency=50"]' "$doc" >/dev/null ||
	fail "columns out of order: $(jq -c '[.columns[].label]' "$doc")"
jq -e '.columns[1].settings == {"server.backlog": "32", "client.concurrency": "50"}' "$doc" >/dev/null ||
	fail "settings not recorded"
# Each point ran with its own values: the server reports the backlog it was given.
for i in 0 1 2 3; do
	run=$(jq -r --argjson i "$i" '.columns[$i].runs[0].dir' "$doc")
	want=$(jq -r --argjson i "$i" '.columns[$i].settings["server.backlog"]' "$doc")
	got=$(jq -r '.server.program.backlog' "$dir/$run/run.json")
	[ "$got" = "$want" ] || fail "point $i: the server listened with backlog $got, not $want"
done
value() { jq -r --argjson i "$1" --arg p "$2" '.columns[$i].values[$p] // 0' "$doc"; }
# Under the scenario's classroom profile (somaxconn 64) backlog 32 holds 33 and 1024 holds 65: only 50 clients
# against 33 places overflow.
awk -v v="$(value 1 server.nstat.TcpExtListenOverflows)" 'BEGIN { exit !(v >= 1) }' ||
	fail "backlog 32, 50 clients: no ListenOverflows"
for i in 0 2 3; do
	[ "$(value "$i" server.nstat.TcpExtListenOverflows)" = 0 ] || fail "point $i overflowed: its load fits its queue"
done
echo "$out" | grep -q '^  server.backlog ' || fail "no header line for server.backlog"
echo "$out" | grep -q '^  client.concurrency ' || fail "no header line for client.concurrency"
[ -z "$(lab_namespaces_orphaned)" ] || fail "namespaces left: $(lab_namespaces_orphaned)"
exit 0
