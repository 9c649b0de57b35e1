# part_profile.sh (sourced by bench/run.sh): where the load clients' user-space time goes, by callgrind
# (perf's instruction counter is not available on this virtual machine): instructions per request and the top
# functions for wrk and both tcplab-client engines, both workloads; writes bench/parts/profile.md.
setup_pair
out=$NETNS_TMP
start_server -d epoll
# callgrind slows a program about 50 times: a bounded load each (32 000 requests; wrk for 2 s).
profile() {
	local name=$1
	shift
	ip netns exec "$NS_CLI" valgrind --tool=callgrind --callgrind-out-file="$out/$name.cg" "$@" >"$out/$name.out" 2>&1
}
for workload in close keepalive; do
	wrk_args=() ka=()
	if [ "$workload" = close ]; then wrk_args=(-H 'Connection: close'); else ka=(-k on); fi
	profile "wrk-$workload" wrk -t2 -c"$conns" -d2s "${wrk_args[@]}" "http://$SRV_ADDR:8080/"
	for engine in lean curl; do
		profile "$engine-$workload" "$client" --engine "$engine" --json -q -T 2 -c "$conns" -n 500 "${ka[@]}" \
			"$SRV_ADDR:8080"
	done
done
stop_server
requests_of() {
	case $1 in
	wrk-*) awk '/ requests in / { print $1 }' "$out/$1.out" ;;
	*) sed -n 's/.*"requests":\([0-9]*\).*/\1/p' "$out/$1.out" ;;
	esac
}
{
	echo "## Where the client's time goes (callgrind)"
	echo
	echo "$(machine_line)."
	echo "\`perf stat -e instructions\` is not supported on this virtual machine, so the profiles are callgrind's"
	echo "instruction counts (user space only: the kernel's share, the socket system calls, is not in them;"
	echo "rusage's system time in the client table above is). Server: tcplab-server -d epoll; $conns connections;"
	echo "tcplab-client 32 000 requests, wrk 2 s under valgrind; program start-up (the dynamic linker) is counted too."
	for workload in close keepalive; do
		echo
		echo "### $([ "$workload" = close ] && echo "New connection per request" || echo "Keep-alive")"
		echo
		echo "| program | requests | instructions per request |"
		echo "| --- | --- | --- |"
		for prog in wrk lean curl; do
			name=$prog-$workload
			total=$(callgrind_annotate "$out/$name.cg" 2>/dev/null | awk '/PROGRAM TOTALS/ { gsub(/,/, "", $1); print $1; exit }')
			n=$(requests_of "$name")
			label=$prog
			[ "$prog" != wrk ] && label="tcplab-client --engine $prog"
			echo "| $label | $n | $(awk -v t="${total:-0}" -v n="${n:-0}" 'BEGIN { if (n > 0) printf "%.0f", t / n; else print "n/a" }') |"
		done
		for prog in wrk lean curl; do
			name=$prog-$workload
			echo
			echo "Top functions of $([ "$prog" = wrk ] && echo wrk || echo "tcplab-client --engine $prog") (share of its instructions, self):"
			echo
			echo '```'
			callgrind_annotate --inclusive=no "$out/$name.cg" 2>/dev/null | grep -E '^ *[0-9,]+ \(' |
				grep -v 'PROGRAM TOTALS' | head -n 10 |
				sed -E -e 's/^ *([0-9,]+) \( *([0-9.]+%)\) +(.*):([^: ]+) \[(.*\/)?([^]/]+)\]$/\2  \4  (\6)/' \
					-e 's/^ *([0-9,]+) \( *([0-9.]+%)\) +(.*):([^: ]+)$/\2  \4/' | cut -c1-110
			echo '```'
		done
	done
} >bench/parts/profile.md
cat bench/parts/profile.md
