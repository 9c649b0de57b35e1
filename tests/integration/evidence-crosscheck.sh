#!/usr/bin/env bash
# evidence-crosscheck: the packets on the wire agree with the kernels' own counters, and a ladder shows the
# dropped SYN: syn-dropped-not-ack (SYNs dropped at a full accept queue) and ack-dropped (final ACKs dropped).
. "$(dirname "$0")/../lib/lab.sh" "$1"

run_dir() {
	local out status
	out=$("$TCPLAB" run --results "$RESULTS" "$1" 2>&1)
	status=$?
	echo "$out" >&2
	[ "$status" -eq 0 ] || fail "tcplab run $1 exited $status"
	echo "$out" | sed -n 's/^results: //p'
}

# SYNs dropped: every one the server refused (ListenDrops) is one SYN retransmitted on the wire, which is
# the client's TCPSynRetrans; the server answered no SYN twice.
dir=$(run_dir syn-dropped-not-ack)
doc=$dir/run.json
json_file_true "$doc" '.packets.complete == true' || fail "the capture of syn-dropped-not-ack is incomplete"
json_file_true "$doc" '.packets.syn_retrans >= 1' || fail "no SYN was retransmitted"
json_file_true "$doc" '.packets.syn_retrans == .client.nstat.TcpExtTCPSynRetrans' ||
	fail "SYN retransmissions on the wire $(json_num "$doc" packets.syn_retrans) != client TCPSynRetrans $(json_num "$doc" client.nstat.TcpExtTCPSynRetrans)"
json_file_true "$doc" '.packets.syn_retrans == .server.nstat.TcpExtListenDrops' ||
	fail "SYN retransmissions $(json_num "$doc" packets.syn_retrans) != server ListenDrops $(json_num "$doc" server.nstat.TcpExtListenDrops)"
json_file_true "$doc" '.packets.synack_retrans == 0 and (.server.nstat.TcpExtTCPSynRetrans // 0) == 0' ||
	fail "a SYN-ACK was retransmitted: a final ACK was dropped"
# The ladder of a connection retransmitted once: SYN, SYN again about 1 s later, then at once SYN-ACK and ACK.
json_file_true "$doc" '[.packets.ladders[] | select(.syn_retrans == 1) | .events
	| select(.[0].kind == "SYN" and .[1].kind == "SYN" and .[1].retrans and .[2].kind == "SYN-ACK" and .[3].kind == "ACK"
		and (.[1].t_us - .[0].t_us) > 900000 and (.[1].t_us - .[0].t_us) < 1300000
		and (.[2].t_us - .[1].t_us) < 100000)] | length >= 1' ||
	fail "no ladder shows a SYN answered only after its retransmission 1 s later"

# connections.csv: every client record found its connection on the wire, and the SYN retransmissions the
# client's kernel reported (TCP_INFO) are the ones on the wire.
json_file_true "$doc" '.packets.records_joined == 20' || fail "records joined: $(json_num "$doc" packets.records_joined), not 20"
bad=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
	$col["syn_retrans"] != $col["wire_syn_retrans"] || $col["wire_completed"] != 1 { n++ } END { print n + 0 }' "$dir/connections.csv")
[ "$bad" = 0 ] || fail "$bad records of connections.csv disagree with the wire"

# The explanation cites the wire with an example whose ladder tcplab packets shows from the results folder.
port=$(sed -n 's/.*(tcplab packets --port \([0-9]*\) RESULTS_DIR).*/\1/p' "$dir/summary.md" | head -n 1)
[ -n "$port" ] || fail "summary.md's explanation names no connection on the wire"
grep -q "on the wire: .* SYNs sent again" "$dir/summary.md" || fail "summary.md does not cite the SYNs sent again"
ladder=$("$TCPLAB" packets --json --port "$port" "$dir") || fail "tcplab packets --port $port DIR failed"
json_true "$ladder" ".server == \"$(json_num "$doc" packets.server)\"" || fail "packets DIR read another listener"
json_true "$ladder" "(.ladders | length) >= 1 and all(.ladders[]; .client | endswith(\":$port\")) and .ladders[0].syn_retrans >= 1" ||
	fail "tcplab packets --port $port does not give that connection's ladder"

# Final ACKs dropped: every SYN-ACK the server's kernel retransmitted (TCPSynRetrans on the server) is on
# the wire, and the queue's overflow shows as server ListenOverflows.
dir=$(run_dir ack-dropped)
doc=$dir/run.json
json_file_true "$doc" '.packets.complete == true' || fail "the capture of ack-dropped is incomplete"
json_file_true "$doc" '.packets.synack_retrans >= 1' || fail "no SYN-ACK was retransmitted"
json_file_true "$doc" '.packets.synack_retrans == .server.nstat.TcpExtTCPSynRetrans' ||
	fail "SYN-ACK retransmissions on the wire $(json_num "$doc" packets.synack_retrans) != server TCPSynRetrans $(json_num "$doc" server.nstat.TcpExtTCPSynRetrans)"
json_file_true "$doc" '.packets.syn_retrans == .client.nstat.TcpExtTCPSynRetrans' ||
	fail "SYN retransmissions on the wire != client TCPSynRetrans"
[ -z "$(lab_namespaces)" ] || fail "namespaces left: $(lab_namespaces)"
exit 0
