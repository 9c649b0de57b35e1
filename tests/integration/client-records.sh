#!/bin/bash
# client-records: --records writes a CSV header and one line per connection (JSON lines with --json), all ok;
# both HTTP engines write the same records.
. "$(dirname "$0")/../lib/netns.sh"
BIN="$1/bin"
netns_pair_up || fail "could not create the namespaces"

ip netns exec "$NS_SRV" "$BIN/tcplab-server" -l "$SRV_ADDR:8080" -d threads -t 5ms -q >/dev/null &
netns_track $!
netns_wait_listen "$NS_SRV" 8080 || fail "server did not listen"

header="id,worker,start_wall_us,connect_us,first_byte_us,total_us,outcome,errno,errno_name,syn_retrans,syn_retrans_src,local_port,reused,http_status,late_us,tcpi_rtt_us"
for engine in lean curl; do
	ip netns exec "$NS_CLI" "$BIN/tcplab-client" --engine "$engine" -q -c 3 -n 4 --records "$NETNS_TMP/r.csv" \
		"$SRV_ADDR:8080" || fail "$engine: run exited $?"
	[ "$(head -1 "$NETNS_TMP/r.csv")" = "$header" ] || fail "$engine: bad header: $(head -1 "$NETNS_TMP/r.csv")"
	[ "$(wc -l < "$NETNS_TMP/r.csv")" = 13 ] ||
		fail "$engine: expected header + 12 lines, got $(wc -l < "$NETNS_TMP/r.csv")"
	# The server takes 5 ms per request: the first byte comes at least 5 ms after the connect.
	# tcpi_rtt_us (16): the kernel's round-trip time of the connection, read at close: above 0.
	awk -F, 'NR > 1 && (NF != 16 || $7 != "ok" || $14 != 200 || $4 < 0 || $5 < $4 + 5000 || $6 < $5 ||
		$12 == 0 || $11 != "tcp_info" || $13 != 0 || $15 != 0 || $16 <= 0) { bad = 1 }
		END { exit bad }' "$NETNS_TMP/r.csv" ||
		fail "$engine: unexpected record: $(cat "$NETNS_TMP/r.csv")"

	# Keep-alive: 2 workers x 5 requests ride 2 connections; the other 8 records are marked reused, with
	# the port of the connection they rode.
	out=$(ip netns exec "$NS_CLI" "$BIN/tcplab-client" --engine "$engine" --json -c 2 -n 5 -k on \
		--records "$NETNS_TMP/r.jsonl" "$SRV_ADDR:8080") || fail "$engine: keep-alive run exited $?"
	[ "$(wc -l < "$NETNS_TMP/r.jsonl")" = 10 ] || fail "$engine: expected 10 JSON lines"
	[ "$(jq -s '[.[] | select(.reused == true)] | length' "$NETNS_TMP/r.jsonl")" = 8 ] ||
		fail "$engine: expected 8 reused requests"
	[ "$(jq -s '[.[].local_port] | unique | length' "$NETNS_TMP/r.jsonl")" = 2 ] ||
		fail "$engine: expected the records on 2 local ports: $(cat "$NETNS_TMP/r.jsonl")"
	json_true "$out" '.connections == 2 and .requests == 10' || fail "$engine: expected 2 connections, 10 requests: $out"
	json_true "$out" ".engine == \"$engine\"" || fail "summary does not name engine $engine: $out"
done

# Records on stdout: the summary moves to stderr.
ip netns exec "$NS_CLI" "$BIN/tcplab-client" -c 2 --records - "$SRV_ADDR:8080" >"$NETNS_TMP/out" \
	2>"$NETNS_TMP/err" || fail "stdout records run exited $?"
[ "$(wc -l < "$NETNS_TMP/out")" = 3 ] || fail "stdout should hold exactly the header and 2 records"
grep -q "outcomes" "$NETNS_TMP/err" || fail "summary missing on stderr"
exit 0
