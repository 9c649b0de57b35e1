#!/bin/bash
# client-refused: connects to a port nobody listens on are classed "refused" (RST to the SYN), in both modes.
. "$(dirname "$0")/../lib/netns.sh"
BIN="$1/bin"
netns_pair_up || fail "could not create the namespaces"

# A server on 8080 so the box is alive; the client aims at 8081, which is closed.
ip netns exec "$NS_SRV" "$BIN/tcplab-server" -l "$SRV_ADDR:8080" -d threads -q >/dev/null &
netns_track $!
netns_wait_listen "$NS_SRV" 8080 || fail "server did not listen"

out=$(ip netns exec "$NS_CLI" "$BIN/tcplab-client" --json -c 3 -n 2 "$SRV_ADDR:8081") || fail "http run exited $?"
json_true "$out" '.outcome.refused == 6' || fail "http: expected 6 refused: $out"
json_true "$out" '.outcome.ok == 0' || fail "http: expected no ok: $out"

ip netns exec "$NS_CLI" "$BIN/tcplab-client" -m connect -q -c 2 -n 3 --records "$NETNS_TMP/r.csv" \
	"$SRV_ADDR:8081" || fail "connect run exited $?"
[ "$(grep -c ',refused,111,ECONNREFUSED,' "$NETNS_TMP/r.csv")" = 6 ] ||
	fail "connect: expected 6 refused/ECONNREFUSED records: $(cat "$NETNS_TMP/r.csv")"
exit 0
