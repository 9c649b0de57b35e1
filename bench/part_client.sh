# part_client.sh (sourced by bench/run.sh): tcplab-client's two engines against wrk and ab on one tcplab-server:
# CPU per request from each tool's own rusage, and rates, median of the rounds; writes bench/parts/client.md.
setup_pair
start_server -d epoll
per_worker=$((2000000 / conns))
url="http://$SRV_ADDR:8080/"
out=$NETNS_TMP
: >"$out/table"
# measure NAME CMD...: run CMD in the client namespace under rusage_run.
measure() {
	local name=$1
	shift
	ip netns exec "$NS_CLI" "$tools/rusage_run" "$out/$name.ru" "$@" >"$out/$name.out" 2>&1
}
# note WORKLOAD TOOL REQUESTS RATE RUFILE: one line of the table of runs.
note() {
	local cpu=$(( $(ru "$5" user_us) + $(ru "$5" sys_us) ))
	echo "$1 $2 $3 $4 $(awk -v c="$cpu" -v n="$3" 'BEGIN { if (n > 0) printf "%.2f", c / n; else print "n/a" }')" \
		>>"$out/table"
}
for workload in close keepalive; do
	wrk_args=() ka=() ab_ka=()
	if [ "$workload" = close ]; then wrk_args=(-H 'Connection: close'); else ka=(-k on); ab_ka=(-k); fi
	for round in $(seq 1 "$rounds"); do
		measure wrk wrk -t2 -c"$conns" -d"${secs}s" "${wrk_args[@]}" "$url"
		note "$workload" wrk "$(awk '/ requests in / { print $1 }' "$out/wrk.out")" \
			"$(awk '/^Requests\/sec:/ { print $2 }' "$out/wrk.out")" "$out/wrk.ru"
		for engine in lean curl; do
			measure "$engine" "$client" --engine "$engine" --json -q -T 2 -c "$conns" -n "$per_worker" \
				--duration "${secs}s" "${ka[@]}" "$SRV_ADDR:8080"
			[ -s "$out/$engine.out" ] && grep -q '"requests"' "$out/$engine.out" ||
				{ echo "bench: tcplab-client failed: $(cat "$out/$engine.out")" >&2; exit 1; }
			note "$workload" "tcplab-client-$engine" "$(json_num "$out/$engine.out" requests)" \
				"$(json_num "$out/$engine.out" requests_per_s)" "$out/$engine.ru"
		done
		if [ "$round" = 1 ]; then
			# -t before -n: ab takes -t as "-n 50000" unless a later -n says otherwise.
			measure ab ab -q "${ab_ka[@]}" -t "$secs" -n 2000000 -c "$conns" "$url"
			note "$workload" ab "$(awk '/^Complete requests:/ { print $3 }' "$out/ab.out")" \
				"$(awk '/^Requests per second:/ { print $4 }' "$out/ab.out")" "$out/ab.ru"
		fi
		echo "$workload round $round: $(grep "^$workload " "$out/table" | tail -n 4 | tr '\n' ';')"
	done
done
stop_server
# stat WORKLOAD TOOL COLUMN: the median of a column (4 rate, 5 CPU us per request) over the rounds.
stat() { awk -v w="$1" -v t="$2" -v c="$3" '$1 == w && $2 == t { print $c }' "$out/table" | median; }
{
	echo "## Load client: tcplab-client against wrk and ab"
	echo
	echo "$(machine_line)."
	echo "Server: tcplab-server -d epoll -b 4096. Each tool: $conns connections for ${secs} s (tcplab-client and wrk"
	echo "on 2 threads), $rounds rounds taken in turn (ab once); the median round is shown. CPU is user + system"
	echo "time from each tool's own rusage (bench/rusage_run.c, getrusage(RUSAGE_CHILDREN)), per completed"
	echo "request; rates are each tool's own report."
	echo
	echo "| workload | tool | requests/s | CPU us per request | CPU / wrk | rate / wrk |"
	echo "| --- | --- | --- | --- | --- | --- |"
	for workload in close keepalive; do
		wrk_rate=$(stat "$workload" wrk 4)
		wrk_cpu=$(stat "$workload" wrk 5)
		for tool in wrk tcplab-client-lean tcplab-client-curl ab; do
			r=$(stat "$workload" "$tool" 4)
			c=$(stat "$workload" "$tool" 5)
			echo "| $([ "$workload" = close ] && echo "new connection per request" || echo keep-alive) | $tool |" \
				"$r | $c | $(ratio "$c" "$wrk_cpu") | $(ratio "$r" "$wrk_rate") |"
		done
	done
	echo
	echo "| target | measured | verdict |"
	echo "| --- | --- | --- |"
	for workload in close keepalive; do
		c=$(ratio "$(stat "$workload" tcplab-client-lean 5)" "$(stat "$workload" wrk 5)")
		r=$(ratio "$(stat "$workload" tcplab-client-lean 4)" "$(stat "$workload" wrk 4)")
		want=1.0
		[ "$workload" = keepalive ] && want=0.95
		echo "| $workload: CPU per request <= 1.0x wrk (lean engine) | ${c}x | $(verdict "$c" le 1.0) |"
		echo "| $workload: rate >= ${want}x wrk (lean engine) | ${r}x | $(verdict "$r" ge "$want") |"
	done
	echo
	echo "Every round:"
	echo
	echo '```'
	echo "workload tool requests requests/s cpu_us_per_request"
	cat "$out/table"
	echo '```'
} >bench/parts/client.md
cat bench/parts/client.md
