#!/bin/bash
# client-unreachable: a target without a route exits 2 before the run, as do bad flags; --check validates only.
. "$(dirname "$0")/../lib/netns.sh"
BIN="$1/bin"
netns_pair_up || fail "could not create the namespaces"

# The client namespace routes only its /30: 198.19.0.1 has no route.
ip netns exec "$NS_CLI" "$BIN/tcplab-client" -m connect 198.19.0.1:80 2>"$NETNS_TMP/err"
rc=$?
[ "$rc" = 2 ] || fail "unreachable target: exit $rc, expected 2"
grep -q '^tcplab-client: target 198.19.0.1:80: Network is unreachable$' "$NETNS_TMP/err" ||
	fail "unexpected message: $(cat "$NETNS_TMP/err")"

"$BIN/tcplab-client" -c -3 "$SRV_ADDR:80" 2>"$NETNS_TMP/err"
rc=$?
[ "$rc" = 2 ] || fail "negative concurrency: exit $rc, expected 2"
[ "$(wc -l < "$NETNS_TMP/err")" = 1 ] && grep -q '^tcplab-client: --concurrency: ' "$NETNS_TMP/err" ||
	fail "expected one line about --concurrency: $(cat "$NETNS_TMP/err")"

# --check does not look at routes, prints nothing, exits 0.
out=$(ip netns exec "$NS_CLI" "$BIN/tcplab-client" --check -c 4 198.19.0.1:80 2>&1) || fail "--check exited $?"
[ -z "$out" ] || fail "--check printed: $out"
exit 0
