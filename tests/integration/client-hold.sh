#!/bin/bash
# client-hold: connect mode --after hold keeps connections open for --hold; SIGINT ends an open-ended hold and
# still prints the summary (exit 0).
. "$(dirname "$0")/../lib/netns.sh"
BIN="$1/bin"
netns_pair_up || fail "could not create the namespaces"

ip netns exec "$NS_SRV" "$BIN/tcplab-server" -l "$SRV_ADDR:8080" -d threads --raw hold -q >/dev/null &
netns_track $!
netns_wait_listen "$NS_SRV" 8080 || fail "server did not listen"

ip netns exec "$NS_CLI" "$BIN/tcplab-client" -m connect --after hold --hold 300ms -q -c 5 \
	--records "$NETNS_TMP/r.csv" "$SRV_ADDR:8080" || fail "hold run exited $?"
[ "$(grep -c ',ok,0,,' "$NETNS_TMP/r.csv")" = 5 ] || fail "expected 5 ok records: $(cat "$NETNS_TMP/r.csv")"
awk -F, 'NR > 1 && ($6 < 300000 || $6 > 1000000) { bad = 1 } END { exit bad }' "$NETNS_TMP/r.csv" ||
	fail "held connections should last ~300 ms: $(cut -d, -f6 "$NETNS_TMP/r.csv" | tr '\n' ' ')"

# No --hold, no --duration: held until SIGINT.
ip netns exec "$NS_CLI" "$BIN/tcplab-client" -m connect --after hold --json -c 4 "$SRV_ADDR:8080" \
	>"$NETNS_TMP/out" &
pid=$!
netns_track "$pid"
established() { ip netns exec "$NS_CLI" ss -Htn state established "dport = :8080" | wc -l; }
holding() { [ "$(established)" = 4 ]; }
wait_until 5 holding
n=$(established)
[ "$n" = 4 ] || fail "expected 4 established connections while holding, saw $n"
kill -INT "$pid"
wait "$pid"
rc=$?
[ "$rc" = 0 ] || fail "SIGINT: exit $rc, expected 0"
json_file_true "$NETNS_TMP/out" '.outcome.ok == 4 and .interrupted == true' ||
	fail "summary after SIGINT: $(cat "$NETNS_TMP/out")"
exit 0
