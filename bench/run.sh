#!/usr/bin/env bash
# run.sh: benchmark tcplab-client against wrk and ab on the same tcplab-server, and the seed-000 grid;
# writes bench/RESULTS.md. Needs root (network namespaces), wrk and ab (apt-get install wrk apache2-utils).
#
# Usage: bench/run.sh BUILD_DIR [SECONDS]
set -u
build=$(cd "${1:?usage: bench/run.sh BUILD_DIR [SECONDS]}" && pwd)
secs=${2:-5}
cd "$(dirname "$0")/.." || exit 2
for tool in wrk ab; do
	command -v "$tool" >/dev/null || { echo "bench: $tool is missing (apt-get install wrk apache2-utils)" >&2; exit 2; }
done
. tests/lib/netns.sh
netns_pair_up || { echo "bench: cannot create namespaces" >&2; exit 3; }

server="$build/bin/tcplab-server"
client="$build/bin/tcplab-client"
conns=64
url="http://$SRV_ADDR:8080/"
out="$NETNS_TMP"
# Short connections at this rate would exhaust the client's ports: widen the range and allow TIME-WAIT reuse
# inside the bench's own client namespace.
ip netns exec "$NS_CLI" sysctl -qw net.ipv4.ip_local_port_range="1024 65535" net.ipv4.tcp_tw_reuse=1
ip netns exec "$NS_SRV" sysctl -qw net.core.somaxconn=4096 net.ipv4.tcp_max_syn_backlog=4096

start_server() {
	ip netns exec "$NS_SRV" "$server" -q -l "$SRV_ADDR:8080" -b 4096 "$@" &
	SERVER_PID=$!
	netns_track "$SERVER_PID"
	netns_wait_listen "$NS_SRV" 8080 || { echo "bench: server did not start" >&2; exit 1; }
}

stop_server() {
	kill -TERM "$SERVER_PID" 2>/dev/null
	wait "$SERVER_PID" 2>/dev/null
}

# Requests per second from each tool's own report.
wrk_rate() { awk '/^Requests\/sec:/ { print $2 }' "$1"; }
ab_rate() { awk '/^Requests per second:/ { print $4 }' "$1"; }
tcplab_rate() { sed -n 's/.*"requests_per_s": *\([0-9.]*\).*/\1/p' "$1" | head -n 1; }
tcplab_conn_rate() { sed -n 's/.*"rate_per_s": *\([0-9.]*\).*/\1/p' "$1" | head -n 1; }

run_cli() { ip netns exec "$NS_CLI" "$@"; }

start_server -d epoll
# -n counts per worker: enough that --duration, not the count, ends the run.
per_worker=$((2000000 / conns))
run_cli wrk -t2 -c"$conns" -d"${secs}s" -H 'Connection: close' "$url" >"$out/wrk-close.txt" 2>&1
run_cli ab -q -n 2000000 -c "$conns" -t "$secs" "$url" >"$out/ab-close.txt" 2>&1
run_cli "$client" --json -q -T 2 -c "$conns" -n "$per_worker" --duration "${secs}s" "$SRV_ADDR:8080" \
	>"$out/tcplab-close.json" 2>"$out/tcplab-close.err"
run_cli wrk -t2 -c"$conns" -d"${secs}s" "$url" >"$out/wrk-ka.txt" 2>&1
run_cli ab -q -k -n 2000000 -c "$conns" -t "$secs" "$url" >"$out/ab-ka.txt" 2>&1
run_cli "$client" --json -q -T 2 -c "$conns" -n "$per_worker" --duration "${secs}s" -k on "$SRV_ADDR:8080" \
	>"$out/tcplab-ka.json" 2>"$out/tcplab-ka.err"
stop_server

wrk_close=$(wrk_rate "$out/wrk-close.txt"); ab_close=$(ab_rate "$out/ab-close.txt")
tl_close=$(tcplab_rate "$out/tcplab-close.json")
tl_close_conns=$(tcplab_conn_rate "$out/tcplab-close.json")
wrk_ka=$(wrk_rate "$out/wrk-ka.txt"); ab_ka=$(ab_rate "$out/ab-ka.txt"); tl_ka=$(tcplab_rate "$out/tcplab-ka.json")
tl_ka_conns=$(tcplab_conn_rate "$out/tcplab-ka.json")
for f in tcplab-close tcplab-ka; do
	[ -s "$out/$f.json" ] || { echo "bench: tcplab-client failed: $(cat "$out/$f.err")" >&2; exit 1; }
done
ratio() { awk -v a="${1:-0}" -v b="${2:-0}" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
# verdict RATIO TARGET: "met" or "missed" for a ratio that must be at least TARGET.
verdict() { awk -v r="$1" -v t="$2" 'BEGIN { print (r + 0 >= t) ? "met" : "missed" }'; }
# The worst amplification among a grid table's cells with min_p <= P <= max_p: the table's rows are
# "| P | R | requests | wall ms | theoretical ms | amplification | ...", amplification written "1.015x".
grid_amp() {
	awk -F'|' -v min_p="$2" -v max_p="$3" '
		{ p = $2 + 0; a = $7; gsub(/[ x]/, "", a) }
		$2 ~ /^ *[0-9]+ *$/ && p >= min_p && p <= max_p && a + 0 > m { m = a + 0 }
		END { if (m > 0) printf "%.3f", m; else print "n/a" }' "$1"
}

# The seed-000 grid against serial and thread-per-connection servers, backlog 5 and 256. A cell whose SYNs
# are dropped can take minutes (that is the effect); each configuration is capped at 10 minutes.
grid_cells=1,2,4,8,16,32,80,160
for disc in threads serial; do
	for backlog in 256 5; do
		start_server -d "$disc" -b "$backlog" -t 40ms
		workers=160
		[ "$disc" = serial ] && workers=1
		timeout 600 ip netns exec "$NS_CLI" "$client" --grid "$grid_cells" --total 160 --handle-time 40ms \
			--server-workers "$workers" "$SRV_ADDR:8080" >"$out/grid-$disc-$backlog.txt" 2>&1 ||
			echo "(stopped after 10 minutes or failed: exit $?)" >>"$out/grid-$disc-$backlog.txt"
		stop_server
	done
done

{
	echo "# Benchmarks"
	echo
	echo "Recorded by \`make bench\` on $(date -u +%Y-%m-%d) — $(nproc) cores ($(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)),"
	echo "$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo) RAM, kernel $(uname -r). Server: tcplab-server -d epoll -b 4096"
	echo "in one network namespace, every client in another, over a veth pair; ${secs} s per tool, $conns connections,"
	echo "2 client threads. The machine is shared: compare ratios from the same run, not absolute numbers."
	echo
	echo "| workload | wrk req/s | ab req/s | tcplab-client req/s | tcplab-client new conn/s | tcplab / wrk | tcplab / ab |"
	echo "| --- | --- | --- | --- | --- | --- | --- |"
	echo "| new connection per request (Connection: close) | $wrk_close | $ab_close | $tl_close | $tl_close_conns | $(ratio "$tl_close" "$wrk_close") | $(ratio "$tl_close" "$ab_close") |"
	echo "| keep-alive | $wrk_ka | $ab_ka | $tl_ka | $tl_ka_conns | $(ratio "$tl_ka" "$wrk_ka") | $(ratio "$tl_ka" "$ab_ka") |"
	echo
	echo "With Connection: close every request is a new connection, so wrk's and ab's requests per second are"
	echo "their new connections per second."
	echo
	echo "| target | measured | verdict |"
	echo "| --- | --- | --- |"
	r=$(ratio "$tl_close" "$wrk_close"); echo "| new-connection rate >= 1.0x wrk | ${r}x | $(verdict "$r" 1.0) |"
	r=$(ratio "$tl_close" "$ab_close"); echo "| new-connection rate >= 2x ab | ${r}x | $(verdict "$r" 2.0) |"
	r=$(ratio "$tl_ka" "$wrk_ka"); echo "| keep-alive request rate >= 0.9x wrk | ${r}x | $(verdict "$r" 0.9) |"
	a=$(grid_amp "$out/grid-threads-256.txt" 1 32)
	echo "| grid, threads, backlog 256: amplification <= 1.02 for P <= 32 | ${a}x (worst cell) | $(awk -v a="$a" 'BEGIN { print (a != "n/a" && a + 0 <= 1.02) ? "met" : "missed" }') |"
	a=$(grid_amp "$out/grid-threads-256.txt" 160 160)
	echo "| grid, threads, backlog 256: amplification <= 1.25 at P = 160 | ${a}x | $(awk -v a="$a" 'BEGIN { print (a != "n/a" && a + 0 <= 1.25) ? "met" : "missed" }') |"
	echo
	for disc in threads serial; do
		for backlog in 256 5; do
			echo "## Seed-000 grid: $disc server, backlog $backlog, 40 ms handle time"
			echo
			echo '```'
			cat "$out/grid-$disc-$backlog.txt"
			echo '```'
			echo
		done
	done
} >bench/RESULTS.md
cat bench/RESULTS.md
