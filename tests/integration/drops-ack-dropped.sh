#!/usr/bin/env bash
# drops-ack-dropped: the kernel's drop reasons on ack-dropped agree with its counters and with the wire:
# TCP_LISTEN_OVERFLOW is exactly the part of ListenOverflows that is a packet freed with a reason, the
# SYN-ACKs the tracer saw retransmitted are the ones on the wire, and raw/drops.csv holds every event.
. "$(dirname "$0")/../lib/lab.sh" "$1"
command -v bpftool >/dev/null || fail "bpftool is not installed (make deps)"

out=$("$TCPLAB" run --results "$RESULTS" ack-dropped 2>&1)
status=$?
echo "$out"
[ "$status" -eq 0 ] || fail "tcplab run ack-dropped exited $status"
dir=$(echo "$out" | sed -n 's/^results: //p')
doc=$dir/run.json
json_file_true "$doc" '.drops.status == "on"' || fail "drops not on: $(jq -c .drops "$doc")"
json_file_true "$doc" '.packets.complete == true and .packets.never_completed == 0' ||
	fail "the capture is incomplete or a connection never completed: the relation below needs both"

# ListenOverflows counts three kinds of packets on this kernel (6.15+), and only one is freed with a reason:
#  - a SYN that finds the accept queue full: consumed, no drop reason. Each connection's SYN was answered
#    once, so the SYNs dropped are packets.syn - packets.connections;
#  - a SYN-cookie ACK (the SYN queue overflowed into cookies) whose new socket finds the accept queue full:
#    counted, freed without a drop reason. Every cookie connection completes once here (all served), so these
#    are SyncookiesRecv - SyncookiesSent;
#  - the final ACK (or the data behind it) of a half-open connection with its request socket, finding the
#    accept queue full: tcp_check_req's TCP_LISTEN_OVERFLOW.
# Most runs match exactly. A connection whose SYN-ACK the server sent again answers it with one more ACK, and
# one run in CI counted 3 overflows more than the three kinds with 3 SYN-ACKs sent again: the remainder may
# be at most one per SYN-ACK retransmitted, never negative.
lo=$(json_num "$doc" server.nstat.TcpExtListenOverflows)
tlo=$(jq -r '.drops.server.TCP_LISTEN_OVERFLOW // 0' "$doc")
syn_dropped=$(jq -r '.packets.syn - .packets.connections' "$doc")
cookie_acks=$(jq -r '(.server.nstat.TcpExtSyncookiesRecv // 0) - (.server.nstat.TcpExtSyncookiesSent // 0)' "$doc")
synack_again=$(json_num "$doc" packets.synack_retrans)
rest=$((lo - syn_dropped - cookie_acks - tlo))
echo "ListenOverflows $lo = SYNs dropped $syn_dropped + cookie ACKs $cookie_acks + TCP_LISTEN_OVERFLOW $tlo + $rest" \
	"(SYN-ACKs sent again: $synack_again)"
[ "$tlo" -ge 1 ] || fail "no TCP_LISTEN_OVERFLOW drop was traced"
[ "$rest" -ge 0 ] && [ "$rest" -le "$synack_again" ] ||
	fail "ListenOverflows $lo - SYNs dropped $syn_dropped - cookie ACKs $cookie_acks - TCP_LISTEN_OVERFLOW $tlo = $rest, not 0..$synack_again"

# Every SYN-ACK the server's kernel retransmitted is one on the wire.
json_file_true "$doc" '.drops.synack_retransmits.server == .packets.synack_retrans and .drops.synack_retransmits.server >= 1' ||
	fail "SYN-ACKs retransmitted: tracer $(jq -c .drops.synack_retransmits "$doc"), wire $(json_num "$doc" packets.synack_retrans)"
json_file_true "$doc" '.drops.synack_retransmits.client == 0 and .drops.resets_sent.server == 0 and .drops.events_lost == 0' ||
	fail "unexpected events: $(jq -c .drops "$doc")"

# raw/drops.csv: one row per event; the overflow rows are the client's ACKs to the listener.
csv=$dir/raw/drops.csv
[ -f "$csv" ] || fail "no raw/drops.csv"
[ "$(head -n 1 "$csv")" = "time_us,side,event,reason,saddr,sport,daddr,dport,flags" ] || fail "raw/drops.csv header: $(head -n 1 "$csv")"
rows=$(($(wc -l <"$csv") - 1))
json_file_true "$doc" ".drops.events_recorded == $rows" || fail "raw/drops.csv has $rows rows, run.json says $(json_num "$doc" drops.events_recorded)"
# The listener as run.json names it (ADDR:PORT); the lab's client is the other end of its /30.
listener=$(json_num "$doc" packets.server)
server_addr=${listener%:*}
port=${listener##*:}
client_addr=${server_addr%.*}.$((${server_addr##*.} + 1))
bad=$(awk -F, -v c="$client_addr" -v p="$port" '$3 == "drop" && $4 == "TCP_LISTEN_OVERFLOW" && !($2 == "server" && $5 == c && $8 == p) { n++ }
	END { print n + 0 }' "$csv")
[ "$bad" = 0 ] || fail "$bad TCP_LISTEN_OVERFLOW rows are not the client's packets to the server's port"
[ "$(awk -F, '$4 == "TCP_LISTEN_OVERFLOW"' "$csv" | wc -l)" -eq "$tlo" ] || fail "TCP_LISTEN_OVERFLOW rows != its count"
synack_rows=$(awk -F, -v s="$server_addr" -v p="$port" '$2 == "server" && $3 == "synack_retransmit" && $5 == s && $6 == p' "$csv" | wc -l)
json_file_true "$doc" ".drops.synack_retransmits.server == $synack_rows" || fail "SYN-ACK rows $synack_rows != the count"
# The ladders: a selected connection whose final ACK or request the server's kernel dropped shows the drop on
# that very packet, sent by the client, with its reason; no packet is marked with QUEUE_PURGE (freed at close).
json_file_true "$doc" '.packets.ladder_drops >= 1' || fail "no ladder packet marked as dropped: $(jq -c '.packets | {ladder_drops, ladder_drops_error}' "$doc")"
json_file_true "$doc" "([.packets.ladders[].events[] | select(.drop != null)] | length) == .packets.ladder_drops" ||
	fail "ladder_drops does not count the marked packets"
json_file_true "$doc" '[.packets.ladders[].events[] | select(.drop != null) | select(.drop.reason != "TCP_LISTEN_OVERFLOW" or .from != "client" or (.flags | test("S")))] | length == 0' ||
	fail "a marked packet is not a client's ACK dropped with TCP_LISTEN_OVERFLOW: $(jq -c '[.packets.ladders[].events[] | select(.drop != null)] | .[0:3]' "$doc")"
[ -z "$(lab_bpf_programs)" ] || fail "BPF programs left loaded: $(lab_bpf_programs)"
exit 0
