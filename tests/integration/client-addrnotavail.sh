#!/bin/bash
# client-addrnotavail: --source with an address this box does not have fails at bind() with EADDRNOTAVAIL: "addrnotavail".
. "$(dirname "$0")/../lib/netns.sh"
BIN="$1/bin"
netns_pair_up || fail "could not create the namespaces"

ip netns exec "$NS_SRV" "$BIN/tcplab-server" -l "$SRV_ADDR:8080" -d threads -q >/dev/null &
netns_track $!
netns_wait_listen "$NS_SRV" 8080 || fail "server did not listen"

# 198.18.0.77 is in the lab range but on no interface of the client namespace.
for mode in http connect; do
	out=$(ip netns exec "$NS_CLI" "$BIN/tcplab-client" -m "$mode" --json -c 2 -n 2 --source 198.18.0.77 \
		"$SRV_ADDR:8080") || fail "$mode run exited $?"
	json_true "$out" '.outcome.addrnotavail == 4' || fail "$mode: expected 4 addrnotavail: $out"
	ip netns exec "$NS_CLI" "$BIN/tcplab-client" -m "$mode" -q -c 1 -n 3 --source 198.18.0.77 \
		--records "$NETNS_TMP/$mode.csv" "$SRV_ADDR:8080" || fail "$mode records run exited $?"
	[ "$(grep -c ',addrnotavail,99,EADDRNOTAVAIL,' "$NETNS_TMP/$mode.csv")" = 3 ] ||
		fail "$mode: expected 3 addrnotavail/EADDRNOTAVAIL records: $(cat "$NETNS_TMP/$mode.csv")"
done

# The client's own address works as a source: the same run succeeds.
out=$(ip netns exec "$NS_CLI" "$BIN/tcplab-client" --json -c 2 -n 2 --source "$CLI_ADDR" "$SRV_ADDR:8080") ||
	fail "run with a valid source exited $?"
json_true "$out" '.outcome.ok == 4' || fail "valid source: expected 4 ok: $out"
exit 0
