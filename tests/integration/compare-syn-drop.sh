#!/usr/bin/env bash
# compare-syn-drop: the scenario's [compare] profiles (classroom, high-concurrency) on the server side, replayed
# twice each: ListenOverflows and 1 s-band connects only under classroom, medians and spreads in compare.json.
. "$(dirname "$0")/../lib/lab.sh" "$1"

out=$("$TCPLAB" compare --repeat 2 --results "$RESULTS" syn-drop-when-full 2>&1)
status=$?
echo "$out"
[ "$status" -eq 0 ] || fail "tcplab compare exited $status"
dir=$(echo "$out" | sed -n 's/^results: //p')
doc="$dir/compare.json"
[ -s "$doc" ] || fail "no compare.json in '$dir'"

value() { jq -r --argjson i "$1" --arg p "$2" '.columns[$i].values[$p] // "missing"' "$doc"; }
at_least_1() { awk -v v="$1" 'BEGIN { exit !(v >= 1) }'; }
jq -e '.repeat == 2 and .side == "server" and ([.columns[].label] == ["classroom", "high-concurrency"])
	and all(.columns[]; (.runs | length) == 2 and .runs_complete == 2)' "$doc" >/dev/null ||
	fail "expected the [compare] profiles as two columns of two complete replays each"
overflows_classroom=$(value 0 server.nstat.TcpExtListenOverflows)
overflows_high=$(value 1 server.nstat.TcpExtListenOverflows)
band1_classroom=$(value 0 client.bands.1s)
band1_high=$(value 1 client.bands.1s)
at_least_1 "$overflows_classroom" || fail "classroom: ListenOverflows median $overflows_classroom"
[ "$overflows_high" = 0 ] || fail "high-concurrency: ListenOverflows median $overflows_high, expected 0"
at_least_1 "$band1_classroom" || fail "classroom: 1 s-band connects median $band1_classroom"
[ "$band1_high" = 0 ] || fail "high-concurrency: 1 s-band connects median $band1_high, expected 0"
# Every cell of a repeated comparison carries its spread over both replays.
jq -e '.rows[] | select(.path == "client.bands.1s") | .differs and all(.cells[]; .runs == 2 and .min <= .median
	and .median <= .max)' "$doc" >/dev/null || fail "the 1 s-band row lacks its spread or its difference mark"
# The scenario's expectations are written for classroom; under high-concurrency ListenOverflows >= 1 must fail in
# every replay. Verdicts are given per column and over the replays.
jq -e '(.columns[1].expectations == "passed 0/2 runs") and (.columns[0].expectations | test("^passed [0-2]/2 runs$"))
	and all(.columns[1].runs[]; .expectations_failed >= 1)' \
	"$doc" >/dev/null || fail "verdicts per column: $(jq -c '[.columns[].expectations]' "$doc")"
echo "$out" | grep -Eq '^\* server TcpExtListenOverflows +[0-9.]+ \([0-9.]+\.\.[0-9.]+\)|^\* server TcpExtListenOverflows +[0-9]+ ' ||
	fail "the terminal table does not show the marked ListenOverflows row"
[ -z "$(lab_namespaces_orphaned)" ] || fail "namespaces left: $(lab_namespaces_orphaned)"
exit 0
