#!/usr/bin/env bash
# packets-tshark: tcpdump records both sides of 4 concurrent connects to a serial server with backlog 1 (two SYNs
# dropped and retransmitted); tcplab packets and tshark, each reading the same two files, count the same SYNs,
# SYN retransmissions, SYN-ACKs, RSTs and FINs per connection and in total.
set -u
. "$(dirname "$0")/../lib/netns.sh"
BIN="${1:?usage: $0 BUILD_DIR}/bin"
port=8080
for tool in tcpdump tshark jq; do
	command -v "$tool" >/dev/null || fail "$tool is not installed (make deps)"
done
netns_pair_up || fail "could not create the namespaces"
if_srv="vt$$s"
if_cli="vt$$c"
cap_srv="$NETNS_TMP/server.pcap"
cap_cli="$NETNS_TMP/client.pcap"
# Classic doubling SYN timers on the client, as the lab's profiles have them.
ip netns exec "$NS_CLI" sh -c 'echo 0 > /proc/sys/net/ipv4/tcp_syn_linear_timeouts' 2>/dev/null

# One tcpdump per side, headers only; -Z root keeps it allowed to write into the test's private folder, and
# --immediate-mode hands it each packet at once (else the last second of packets may still sit in the kernel's
# ring when it is stopped).
# Sets dump_pid.
start_capture() {
	local ns=$1 iface=$2 file=$3 log=$4 _
	ip netns exec "$ns" tcpdump -i "$iface" -s 128 --immediate-mode -U -n -Z root -w "$file" >/dev/null 2>"$log" &
	dump_pid=$!
	netns_track "$dump_pid"
	for _ in $(seq 1 300); do
		grep -q 'listening on' "$log" 2>/dev/null && return 0
		sleep 0.01
	done
	fail "tcpdump on $iface did not start: $(cat "$log")"
}
start_capture "$NS_SRV" "$if_srv" "$cap_srv" "$NETNS_TMP/tcpdump-s.log"
dump_srv=$dump_pid
start_capture "$NS_CLI" "$if_cli" "$cap_cli" "$NETNS_TMP/tcpdump-c.log"
dump_cli=$dump_pid

ip netns exec "$NS_SRV" "$BIN/tcplab-server" -q -l "$SRV_ADDR:$port" -b 1 -d serial -t 1s --keepalive off >/dev/null &
netns_track $!
netns_wait_listen "$NS_SRV" "$port" || fail "server did not listen"
ip netns exec "$NS_CLI" "$BIN/tcplab-client" -q -c 4 -n 1 --records "$NETNS_TMP/records.csv" "$SRV_ADDR:$port" ||
	fail "client exited $?"
# The last FIN and ACK are on the wire a moment after the client has exited.
sleep 0.3
for pid in "$dump_srv" "$dump_cli"; do
	kill -INT "$pid"
	wait "$pid" 2>/dev/null
done

"$BIN/tcplab" packets --json --server "$SRV_ADDR:$port" "$cap_cli" "$cap_srv" >"$NETNS_TMP/packets.json" ||
	fail "tcplab packets exited $?"
"$BIN/tcplab" packets --server "$SRV_ADDR:$port" "$cap_cli" "$cap_srv" || fail "tcplab packets (text) exited $?"

# tshark, on its own: one line per TCP packet with its flags and tshark's own retransmission analysis.
# Fields out: client port, sender (c or s), syn, ack, fin, rst (0 or 1), retransmission (0 or 1).
tshark_lines() {
	tshark -r "$1" -Y "tcp.port == $port" -T fields -E separator=, -e ip.src -e tcp.srcport -e tcp.dstport \
		-e tcp.flags.syn -e tcp.flags.ack -e tcp.flags.fin -e tcp.flags.reset -e tcp.analysis.retransmission \
		2>/dev/null |
		awk -F, -v srv="$SRV_ADDR" -v port="$port" '
			function bit(v) { return (v == "1" || v == "True") ? 1 : 0 }
			{
				from = ($1 == srv && $2 == port) ? "s" : "c"
				cport = from == "s" ? $3 : $2
				print cport "," from "," bit($4) "," bit($5) "," bit($6) "," bit($7) "," ($8 != "" ? 1 : 0)
			}'
}
tshark_lines "$cap_cli" >"$NETNS_TMP/tshark-client.csv"
tshark_lines "$cap_srv" >"$NETNS_TMP/tshark-server.csv"
[ -s "$NETNS_TMP/tshark-client.csv" ] && [ -s "$NETNS_TMP/tshark-server.csv" ] || fail "tshark read no packets"

# Per client port, counted in the sender's capture: syn syn_retrans synack synack_retrans rst_c rst_s fin_c fin_s.
tshark_counts() {
	awk -F, '
		FILENAME ~ /client/ && $2 == "c" || FILENAME ~ /server/ && $2 == "s" {
			p = $1; ports[p] = 1
			if ($6) { if ($2 == "c") rst_c[p]++; else rst_s[p]++ }
			else if ($3 && !$4 && $2 == "c") { s[p]++; if ($7) sr[p]++ }
			else if ($3 && $4 && $2 == "s") { sa[p]++; if ($7) sar[p]++ }
			if ($5 && !$6) { if ($2 == "c") fin_c[p]++; else fin_s[p]++ }
		}
		END {
			for (p in ports)
				printf "%s %d %d %d %d %d %d %d %d\n", p, s[p], sr[p], sa[p], sar[p], rst_c[p], rst_s[p], fin_c[p], fin_s[p]
		}' "$NETNS_TMP/tshark-client.csv" "$NETNS_TMP/tshark-server.csv" | sort
}
tshark_counts >"$NETNS_TMP/tshark.txt"
jq -r '.ladders[] | (.client | split(":")[1]) + " " + ([.syn, .syn_retrans, .synack, .synack_retrans,
	.rst.client, .rst.server, .fin.client, .fin.server] | map(tostring) | join(" "))' \
	"$NETNS_TMP/packets.json" | sort >"$NETNS_TMP/analyser.txt"
echo "port syn syn_retrans synack synack_retrans rst_client rst_server fin_client fin_server"
echo "tshark:"
cat "$NETNS_TMP/tshark.txt"
echo "tcplab packets:"
cat "$NETNS_TMP/analyser.txt"
[ "$(wc -l <"$NETNS_TMP/tshark.txt")" = 4 ] || fail "tshark sees $(wc -l <"$NETNS_TMP/tshark.txt") connections, want 4"
cmp -s "$NETNS_TMP/tshark.txt" "$NETNS_TMP/analyser.txt" || fail "per-connection counts differ from tshark's"

# The totals: tshark's sums, tshark's stream count, and every packet in both captures (no loss on a veth).
streams=$(tshark -r "$cap_cli" -Y "tcp.port == $port" -T fields -e tcp.stream 2>/dev/null | sort -u | wc -l)
read -r syn syn_r synack synack_r rst_c rst_s fin_c fin_s < <(awk '{ for (i = 2; i <= 9; i++) t[i] += $i }
	END { print t[2], t[3], t[4], t[5], t[6], t[7], t[8], t[9] }' "$NETNS_TMP/tshark.txt")
want="$streams $syn $syn_r $synack $synack_r $rst_c $rst_s $fin_c $fin_s 0 0"
got=$(jq -r '.totals | [.connections, .syn, .syn_retrans, .synack, .synack_retrans, .rst.client, .rst.server,
	.fin.client, .fin.server, .seen_one_side.sender, .seen_one_side.receiver] | map(tostring) | join(" ")' \
	"$NETNS_TMP/packets.json")
echo "totals: tshark $want, tcplab packets $got"
[ "$got" = "$want" ] || fail "totals differ: tshark $want, tcplab packets $got"
# The same SYNs arrived as were sent, in tshark's reading too.
arrived=$(awk -F, '$2 == "c" && $3 && !$4' "$NETNS_TMP/tshark-server.csv" | wc -l)
[ "$arrived" = "$syn" ] || fail "tshark: $syn SYNs sent, $arrived in the server's capture"
# The captures hold every connection to its end, both FINs.
jq -e '[.ladders[] | select(.fin.client >= 1 and .fin.server >= 1)] | length == 4' "$NETNS_TMP/packets.json" \
	>/dev/null || fail "a connection's FINs are missing from the captures"
# And the run is the one the test means: SYNs dropped on the full queue and answered after a retransmission.
[ "$syn_r" -ge 1 ] || fail "no SYN was retransmitted: the accept queue never overflowed"
jq -e '[.ladders[] | select(.syn_retrans >= 1 and .completed and .band.retrans != "0")] | length >= 1' \
	"$NETNS_TMP/packets.json" >/dev/null || fail "no completed connection in a SYN-retransmission band"
exit 0
