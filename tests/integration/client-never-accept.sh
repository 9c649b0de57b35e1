#!/bin/bash
# client-never-accept: against a server that never accepts (backlog 1), the first backlog+1 connects complete at
# once and the later SYNs are dropped: those connects retransmit (syn_retrans from TCP_INFO) and time out.
. "$(dirname "$0")/../lib/netns.sh"
BIN="$1/bin"
netns_pair_up || fail "could not create the namespaces"

ip netns exec "$NS_SRV" "$BIN/tcplab-server" -l "$SRV_ADDR:8080" -d none -b 1 -q >/dev/null &
netns_track $!
netns_wait_listen "$NS_SRV" 8080 || fail "server did not listen"

# One connect after the other, so no two SYNs race for the queue; 1.5 s lets the ~1 s retransmission happen.
out=$(ip netns exec "$NS_CLI" "$BIN/tcplab-client" -m connect --json -c 1 -n 4 --connect-timeout 1500ms \
	--records "$NETNS_TMP/r.jsonl" "$SRV_ADDR:8080") || fail "run exited $?"
json_true "$out" '.outcome.ok == 2' || fail "expected 2 connects to complete (accept queue = backlog + 1): $out"
json_true "$out" '.outcome.timeout == 2' || fail "expected 2 timed-out connects: $out"
json_true "$out" '.bands == {"0": 2, "1s": 0, "3s": 0, "7s": 0, "more": 0, "timeout": 2}' ||
	fail "expected bands 0:2 and timeout:2: $out"
# Records 2 and 3 waited behind a full queue: their SYN went out again at ~1 s.
n=$(jq -s '[.[] | select(.outcome == "timeout" and .errno == 110 and .errno_name == "ETIMEDOUT" and
	.syn_retrans >= 1 and .syn_retrans_src == "tcp_info")] | length' "$NETNS_TMP/r.jsonl")
[ "$n" = 2 ] || fail "timed-out records should show syn_retrans >= 1 from tcp_info: $(cat "$NETNS_TMP/r.jsonl")"
exit 0
