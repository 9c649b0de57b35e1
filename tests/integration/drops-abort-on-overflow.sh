#!/usr/bin/env bash
# drops-abort-on-overflow: with tcp_abort_on_overflow=1 the RSTs the tracer saw the server's kernel send
# (tcp:tcp_send_reset) are the RSTs on the wire, and the client's kernel received each of them.
. "$(dirname "$0")/../lib/lab.sh" "$1"

out=$("$TCPLAB" run --results "$RESULTS" abort-on-overflow 2>&1)
status=$?
echo "$out"
[ "$status" -eq 0 ] || fail "tcplab run abort-on-overflow exited $status"
dir=$(echo "$out" | sed -n 's/^results: //p')
doc=$dir/run.json
json_file_true "$doc" '.drops.status == "on"' || fail "drops not on: $(jq -c .drops "$doc")"
json_file_true "$doc" '.packets.complete == true' || fail "the capture is incomplete"
sent=$(json_num "$doc" drops.resets_sent.server)
wire=$(json_num "$doc" packets.rst.server)
received=$(json_num "$doc" drops.resets_received.client)
echo "RSTs: server sent $sent (tracer), on the wire $wire, client received $received; OutRsts $(json_num "$doc" server.nstat.TcpOutRsts)"
[ "$sent" -ge 1 ] || fail "the tracer saw no RST sent by the server"
[ "$sent" -eq "$wire" ] || fail "RSTs sent $sent != RSTs from the server on the wire $wire"
json_file_true "$doc" '.drops.resets_sent.server == .server.nstat.TcpOutRsts' || fail "RSTs sent != server OutRsts"
# A RST that reaches a socket resets it: the client's resets received are its reset connections at most.
[ "$received" -ge 1 ] && [ "$received" -le "$sent" ] || fail "client resets received $received, want 1..$sent"
rows=$(awk -F, '$2 == "server" && $3 == "reset_sent"' "$dir/raw/drops.csv" | wc -l)
[ "$rows" -eq "$sent" ] || fail "raw/drops.csv has $rows reset_sent rows for $sent RSTs"
exit 0
