#!/bin/bash
# client-open-loop: --rate N --duration D starts N x D connections at the given pace, whatever the completions.
. "$(dirname "$0")/../lib/netns.sh"
BIN="$1/bin"
netns_pair_up || fail "could not create the namespaces"

# 100 ms per request: with 200/s about 20 are in flight at once, more than a closed loop of 1 would allow.
ip netns exec "$NS_SRV" "$BIN/tcplab-server" -l "$SRV_ADDR:8080" -d threads -t 100ms -q >/dev/null &
netns_track $!
netns_wait_listen "$NS_SRV" 8080 || fail "server did not listen"

out=$(ip netns exec "$NS_CLI" "$BIN/tcplab-client" --json --rate 200 --duration 500ms -T 2 \
	--records "$NETNS_TMP/r.jsonl" "$SRV_ADDR:8080") || fail "http run exited $?"
json_true "$out" '.requests == 100' || fail "expected 100 requests: $out"
json_true "$out" '.outcome.ok == 100' || fail "expected 100 ok: $out"
# Starts spread over ~0.5 s, and the run lasts about 0.5 s + 100 ms, not 100 x 100 ms.
span=$(sed -n 's/.*"start_wall_us":\([0-9]*\).*/\1/p' "$NETNS_TMP/r.jsonl" |
	awk '{ if (min == "" || $1 < min) min = $1; if ($1 > max) max = $1 } END { print max - min }')
[ "$span" -ge 450000 ] && [ "$span" -le 600000 ] || fail "starts spread over ${span}us, expected ~495000"
wall=$(echo "$out" | sed 's/.*"wall_us":\([0-9]*\).*/\1/')
[ "$wall" -lt 1500000 ] || fail "open loop took ${wall}us"

out=$(ip netns exec "$NS_CLI" "$BIN/tcplab-client" -m connect --json --rate 1000 --duration 200ms \
	"$SRV_ADDR:8080") || fail "connect run exited $?"
json_true "$out" '.connections == 200 and .outcome.ok == 200' || fail "connect open loop: $out"
exit 0
