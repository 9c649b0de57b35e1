# part_server.sh (sourced by bench/run.sh): tcplab-server's epoll discipline (and its mhd engine) against nginx
# with one worker, the same wrk load on each, server CPU per request from /proc/PID/stat; bench/parts/server.md.
setup_pair
out=$NETNS_TMP
url="http://$SRV_ADDR:8080/"
hz=$(getconf CLK_TCK)
# nginx (Debian's nginx-light): one worker, no access log, a 2-byte body like tcplab-server's default, its
# configuration, pid file and logs in the run's own temp directory.
mkdir -p "$out/nginx"
cat >"$out/nginx/nginx.conf" <<CONF
user root;
worker_processes 1;
daemon off;
pid $out/nginx/nginx.pid;
error_log $out/nginx/error.log error;
events { worker_connections 8192; use epoll; }
http {
	access_log off;
	keepalive_requests 100000000;
	server {
		listen $SRV_ADDR:8080 backlog=4096;
		location / { return 200 "xx"; }
	}
}
CONF
# cpu_ticks PID...: utime + stime of the processes, in clock ticks.
cpu_ticks() {
	local pid sum=0
	for pid in "$@"; do
		sum=$((sum + $(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$pid/stat")))
	done
	echo "$sum"
}
# server_pids: the server process and its children (nginx's worker).
server_pids() { echo "$SERVER_PID $(cat "/proc/$SERVER_PID/task/$SERVER_PID/children" 2>/dev/null)"; }
: >"$out/table"
# load NAME WORKLOAD: one wrk run against the running server; notes requests and the server's CPU per request.
load() {
	local pids before after requests wrk_args=()
	[ "$2" = close ] && wrk_args=(-H 'Connection: close')
	# shellcheck disable=SC2046
	pids=$(server_pids)
	# shellcheck disable=SC2086
	before=$(cpu_ticks $pids)
	ip netns exec "$NS_CLI" wrk -t2 -c"$conns" -d"${secs}s" "${wrk_args[@]}" "$url" >"$out/wrk.out" 2>&1
	# shellcheck disable=SC2086
	after=$(cpu_ticks $pids)
	requests=$(awk '/ requests in / { print $1 }' "$out/wrk.out")
	echo "$2 $1 $requests $(awk '/^Requests\/sec:/ { print $2 }' "$out/wrk.out")" \
		"$(awk -v t=$((after - before)) -v hz="$hz" -v n="$requests" 'BEGIN { printf "%.2f", t * 1e6 / hz / n }')" \
		>>"$out/table"
}
start_nginx() {
	ip netns exec "$NS_SRV" nginx -e "$out/nginx/error.log" -c "$out/nginx/nginx.conf" &
	SERVER_PID=$!
	netns_track "$SERVER_PID"
	netns_wait_listen "$NS_SRV" 8080 || { echo "bench: nginx did not start: $(cat "$out/nginx/error.log")" >&2; exit 1; }
	sleep 0.2
}
for round in $(seq 1 "$rounds"); do
	for workload in keepalive close; do
		start_server -d epoll
		load tcplab-server-epoll "$workload"
		stop_server
		start_nginx
		load nginx "$workload"
		stop_server
		start_server --engine mhd
		load tcplab-server-mhd "$workload"
		stop_server
		echo "round $round $workload: $(tail -n 3 "$out/table" | tr '\n' ';')"
	done
done
stat() { awk -v w="$1" -v t="$2" -v c="$3" '$1 == w && $2 == t { print $c }' "$out/table" | median; }
mhd_demo="Debian ships no libmicrohttpd demo server (libmicrohttpd-dev and libmicrohttpd12 hold the library, headers"
mhd_demo+=" and manuals only), so --engine mhd is measured against nginx instead."
{
	echo "## Server under test: tcplab-server against nginx"
	echo
	echo "$(machine_line)."
	echo "Load: wrk -t2 -c$conns for ${secs} s against each server in turn, $rounds rounds; the median round is"
	echo "shown. Server CPU is utime + stime from /proc/PID/stat (nginx: master and its one worker), per request"
	echo "wrk completed. nginx-light $(nginx -v 2>&1 | sed 's/.*nginx\///'), worker_processes 1, access_log off,"
	echo "\`return 200 \"xx\"\`; tcplab-server -d epoll -b 4096 answers the same 2-byte body."
	echo
	echo "| workload | server | requests/s (wrk) | server CPU us per request | CPU / nginx |"
	echo "| --- | --- | --- | --- | --- |"
	for workload in keepalive close; do
		n_cpu=$(stat "$workload" nginx 5)
		for s in tcplab-server-epoll nginx tcplab-server-mhd; do
			c=$(stat "$workload" "$s" 5)
			echo "| $([ "$workload" = close ] && echo "new connection per request" || echo keep-alive) | $s |" \
				"$(stat "$workload" "$s" 4) | $c | $(ratio "$c" "$n_cpu") |"
		done
	done
	echo
	echo "| target | measured | verdict |"
	echo "| --- | --- | --- |"
	for workload in keepalive close; do
		r=$(ratio "$(stat "$workload" tcplab-server-epoll 5)" "$(stat "$workload" nginx 5)")
		echo "| $workload: tcplab-server epoll CPU per request <= 1.0x nginx | ${r}x | $(verdict "$r" le 1.0) |"
	done
	echo
	echo "$mhd_demo"
	echo
	echo "Every round:"
	echo
	echo '```'
	echo "workload server requests requests/s server_cpu_us_per_request"
	cat "$out/table"
	echo '```'
} >bench/parts/server.md
cat bench/parts/server.md
