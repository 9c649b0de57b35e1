#!/usr/bin/env bash
# pair-serial-backlog1: serial server, backlog 1, 1 s handle time, 4 concurrent tcplab-client workers:
# ss -ltn shows Recv-Q 2 of Send-Q 1, and a connect waits ~1 s for a SYN retransmission.
. "$(dirname "$0")/../lib/netns.sh"
BIN="$1/bin"
netns_pair_up || fail "could not create the namespaces"
# Classic doubling SYN timers, as on the kernels the lab's bands describe.
ip netns exec "$NS_CLI" sh -c 'echo 0 > /proc/sys/net/ipv4/tcp_syn_linear_timeouts' 2>/dev/null

ip netns exec "$NS_SRV" "$BIN/tcplab-server" -q -l "$SRV_ADDR:8080" -b 1 -d serial -t 1s --keepalive off >/dev/null &
netns_track $!
netns_wait_listen "$NS_SRV" 8080 || fail "server did not listen"

records="$NETNS_TMP/records.csv"
ip netns exec "$NS_CLI" "$BIN/tcplab-client" -q -c 4 -n 1 --records "$records" "$SRV_ADDR:8080" &
client=$!
netns_track "$client"
recvq_max=0
sendq=""
while kill -0 "$client" 2>/dev/null; do
	line=$(ip netns exec "$NS_SRV" ss -Hltn 'sport = :8080')
	q=$(echo "$line" | awk '{ print $2 }')
	sendq=$(echo "$line" | awk '{ print $3 }')
	[ -n "$q" ] && [ "$q" -gt "$recvq_max" ] && recvq_max=$q
	sleep 0.01
done
wait "$client" || fail "client exited $?"
[ "$sendq" = 1 ] || fail "Send-Q (effective backlog) is '$sendq', want 1"
[ "$recvq_max" = 2 ] || fail "Recv-Q peaked at $recvq_max, want 2 (backlog + 1)"
# connect_us is column 4, syn_retrans column 10.
delayed=$(awk -F, 'NR > 1 && $4 >= 500000 && $4 < 2000000 && $10 >= 1' "$records" | wc -l)
prompt=$(awk -F, 'NR > 1 && $4 < 500000' "$records" | wc -l)
cat "$records"
[ "$delayed" -ge 1 ] || fail "no connect in the ~1 s band with a SYN retransmission"
[ "$prompt" -ge 2 ] || fail "only $prompt connects completed at once, want at least 2 (queue capacity)"
[ "$(awk -F, 'NR > 1 && $7 == "ok"' "$records" | wc -l)" = 4 ] || fail "not all 4 requests succeeded"
exit 0
