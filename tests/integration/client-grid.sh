#!/bin/bash
# client-grid: --grid runs one cell per P (P x total/P requests) and prints one table, or one JSON object.
. "$(dirname "$0")/../lib/netns.sh"
BIN="$1/bin"
netns_pair_up || fail "could not create the namespaces"

ip netns exec "$NS_SRV" "$BIN/tcplab-server" -l "$SRV_ADDR:8080" -d threads -b 256 -t 20ms -q >/dev/null &
netns_track $!
netns_wait_listen "$NS_SRV" 8080 || fail "server did not listen"

out=$(ip netns exec "$NS_CLI" "$BIN/tcplab-client" --grid 1,2,4 --total 16 --server-workers 1000 \
	--handle-time 20ms "$SRV_ADDR:8080") || fail "grid run exited $?"
echo "$out" | grep -q '^| P | R  | requests | wall ms | theoretical ms | amplification |' ||
	fail "table header missing: $out"
echo "$out" | grep -Eq '^\| 1 \| 16 \| +16 \| .*\| +320\.0 \|' || fail "row P=1 missing: $out"
echo "$out" | grep -Eq '^\| 4 \|  4 \| +16 \| .*\| +80\.0 \|' || fail "row P=4 missing: $out"

out=$(ip netns exec "$NS_CLI" "$BIN/tcplab-client" --json --grid 2,4 --total 8 --server-workers 1000 \
	--handle-time 20ms "$SRV_ADDR:8080") || fail "grid --json exited $?"
json_true "$out" '.cells[0] | .workers == 2 and .requests_per_worker == 4 and .requests == 8' ||
	fail "JSON cells missing: $out"
json_true "$out" '.cells[1].theoretical_us == 40000' || fail "P=4 theoretical should be 40 ms: $out"
exit 0
