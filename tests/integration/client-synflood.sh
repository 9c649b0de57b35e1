#!/bin/bash
# client-synflood: --mode synflood fills the server's SYN queue with spoofed half-open connections (the SYN-ACKs
# go to a blackhole route), real probes still connect through SYN cookies, and targets or prefixes outside
# 198.18.0.0/15 are refused with exit 2 before any packet leaves.
. "$(dirname "$0")/../lib/netns.sh"
BIN="$1/bin"
netns_pair_up || fail "could not create the namespaces"

# Refusals first: nothing may be sent outside the lab range.
out=$(ip netns exec "$NS_CLI" "$BIN/tcplab-client" -m synflood --spoof 198.19.0.0/16 --rate 10 --duration 1s \
	192.0.2.1:80 2>&1)
[ $? = 2 ] || fail "a target outside 198.18.0.0/15 should exit 2: $out"
echo "$out" | grep -q 'outside 198.18.0.0/15' || fail "no clear refusal for the target: $out"
out=$(ip netns exec "$NS_CLI" "$BIN/tcplab-client" -m synflood --spoof 10.0.0.0/8 --rate 10 --duration 1s \
	"$SRV_ADDR:8080" 2>&1)
[ $? = 2 ] || fail "a prefix outside 198.18.0.0/15 should exit 2: $out"
echo "$out" | grep -q 'outside 198.18.0.0/15' || fail "no clear refusal for the prefix: $out"

# The spoofed prefix leads from the server to a black hole beside the client, as the lab sets it up.
ip -n "$NS_SRV" route add 198.19.0.0/16 via "$CLI_ADDR" || fail "server route"
ip -n "$NS_CLI" route add blackhole 198.19.0.0/16 || fail "client blackhole route"

ip netns exec "$NS_SRV" "$BIN/tcplab-server" -l "$SRV_ADDR:8080" -d epoll --raw close -b 16 -q >/dev/null &
netns_track $!
netns_wait_listen "$NS_SRV" 8080 || fail "server did not listen"

out=$(ip netns exec "$NS_CLI" "$BIN/tcplab-client" -m synflood --spoof 198.19.0.0/16 --rate 1000 --duration 1s \
	--probe-rate 5 --json "$SRV_ADDR:8080") || fail "flood exited $?: $out"
json_true "$out" '.synflood | .spoof == "198.19.0.0/16" and .rate_per_s == 1000 and .sent == 1000 and .send_errors == 0' ||
	fail "expected 1000 SYNs sent: $out"
json_true "$out" '.mode == "synflood"' || fail "mode not reported: $out"
json_true "$out" '.outcome.ok == 5' || fail "the 5 probes should connect (through cookies): $out"

# Half-open entries from the spoofed prefix: backlog + 1 of them on this kernel (backlog on older ones).
half_open=$(ip netns exec "$NS_SRV" ss -Htn state syn-recv src "$SRV_ADDR" dst 198.19.0.0/16 | wc -l)
[ "$half_open" -ge 16 ] || fail "expected the SYN queue full of spoofed entries, found $half_open"
counters=$(ip netns exec "$NS_SRV" nstat -asz TcpExtTCPReqQFullDoCookies TcpExtSyncookiesSent TcpExtSyncookiesRecv)
cookies=$(echo "$counters" | awk '$1 == "TcpExtSyncookiesSent" { print $2 }')
[ "${cookies:-0}" -ge 900 ] || fail "expected cookies for the SYNs beyond the queue: $counters"
recv=$(echo "$counters" | awk '$1 == "TcpExtSyncookiesRecv" { print $2 }')
[ "${recv:-0}" -ge 1 ] || fail "a probe should have come back with its cookie: $counters"
# No SYN-ACK reached a socket or drew an ICMP error on the client side.
unreach=$(ip netns exec "$NS_CLI" nstat -asz IcmpOutDestUnreachs | awk '$1 == "IcmpOutDestUnreachs" { print $2 }')
[ "${unreach:-0}" = 0 ] || fail "the client side sent $unreach ICMP unreachables: SYN-ACKs were not blackholed"
exit 0
