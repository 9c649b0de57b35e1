# part_grid.sh (sourced by bench/run.sh): the seed-000 grid against the thread-per-connection server with
# backlog 256 and 40 ms of handle time, median of 5 runs per cell (lean engine; libcurl once beside it), and
# where the time goes at P = 32 from the records of 5 runs of that cell; writes bench/parts/grid.md.
grid_runs=5
setup_pair
out=$NETNS_TMP
cells=1,2,4,8,16,32,80,160
start_server -d threads -b 256 -t 40ms
for run in $(seq 1 "$grid_runs"); do
	ip netns exec "$NS_CLI" timeout 300 "$client" --engine lean --json --grid "$cells" --total 160 --handle-time 40ms \
		--server-workers 160 "$SRV_ADDR:8080" >"$out/grid-lean-$run.json" || { echo "bench: grid run failed" >&2; exit 1; }
done
ip netns exec "$NS_CLI" timeout 300 "$client" --engine curl --json --grid "$cells" --total 160 --handle-time 40ms \
	--server-workers 160 "$SRV_ADDR:8080" >"$out/grid-curl-1.json" || { echo "bench: grid run failed" >&2; exit 1; }
# The P = 32 cell again, with records: where its time goes.
for run in $(seq 1 "$grid_runs"); do
	ip netns exec "$NS_CLI" "$client" --engine lean --json -c 32 -n 5 --handle-time 40ms --server-workers 160 \
		--records "$out/p32-$run.csv" --records-format csv "$SRV_ADDR:8080" >"$out/p32-$run.json" ||
		{ echo "bench: P = 32 run failed" >&2; exit 1; }
done
stop_server
# amp ENGINE P: the amplifications of cell P over the runs, one per line.
amp() { for f in "$out"/grid-"$1"-*.json; do jq -r --argjson p "$2" '.cells[] | select(.workers == $p) | .amplification' "$f"; done; }
worst_lean_small=0
{
	echo "## Seed-000 grid: threads server, backlog 256, 40 ms handle time"
	echo
	echo "$(machine_line)."
	echo "tcplab-server -d threads -b 256 -t 40ms; tcplab-client --grid $cells --total 160; amplification = wall /"
	echo "theoretical minimum (ceil(P x R / P) x 40 ms). Median of $grid_runs runs with the lean engine, and one run"
	echo "with libcurl beside it."
	echo
	echo "| P | R | theoretical ms | lean: median amplification | lean: all $grid_runs runs | curl: one run |"
	echo "| --- | --- | --- | --- | --- | --- |"
	for p in ${cells//,/ }; do
		m=$(amp lean "$p" | median)
		all=$(amp lean "$p" | sort -g | awk '{ printf "%.3f\n", $1 }' | paste -sd' ')
		c=$(amp curl "$p" | median)
		printf '| %s | %s | %s | %.3fx | %s | %.3fx |\n' "$p" $((160 / p)) $((160 / p * 40)) "$m" "$all" "$c"
	done
	echo
	small=$(for p in 1 2 4 8 16 32; do amp lean "$p" | median; done | sort -g | tail -n 1)
	big=$(amp lean 160 | median)
	echo "| target | measured | verdict |"
	echo "| --- | --- | --- |"
	echo "| amplification <= 1.02x for every P <= 32 (median of $grid_runs) | $(printf '%.3f' "$small")x (worst cell) | $(verdict "$small" le 1.02) |"
	echo "| amplification <= 1.15x at P = 160 (median of $grid_runs) | $(printf '%.3f' "$big")x | $(verdict "$big" le 1.15) |"
	echo
	echo "### Where the time goes at P = 32"
	echo
	echo "32 workers x 5 requests, $grid_runs runs with records. Per request: the handshake (connect); the server's"
	echo "share beyond the 40 ms (first byte - connect - 40 ms: the request's way over, accept, the thread's"
	echo "creation, the sleep's overshoot, the response's way back); the close after the first byte; and the"
	echo "client's scheduling (from one request's end to the same worker's next start). The first requests do"
	echo "not all start at once: the spread of the first round's starts is the client's set-up of 32 connects."
	echo
	# pq FILE: "median p90" of the numbers in FILE (one per line).
	pq() { sort -g "$1" | awk '{ v[NR] = $1 } END { if (NR) printf "%d | %d", v[int((NR + 1) / 2)], v[int((NR - 1) * 0.9) + 1]; else printf "n/a | n/a" }'; }
	cat "$out"/p32-*.csv | awk -F, '$1 != "id" && $7 == "ok" { print $4 }' >"$out/handshake"
	cat "$out"/p32-*.csv | awk -F, '$1 != "id" && $7 == "ok" { print $5 - $4 - 40000 }' >"$out/server"
	cat "$out"/p32-*.csv | awk -F, '$1 != "id" && $7 == "ok" { print $6 - $5 }' >"$out/close"
	: >"$out/gap"
	: >"$out/skew"
	for f in "$out"/p32-*.csv; do
		# Times relative to the run's first start: epoch microseconds are too large for some awks' integers.
		base=$(awk -F, '$1 != "id" { print $3 }' "$f" | sort -n | head -n 1)
		# Per worker in start order: the next start minus this request's end.
		awk -F, -v b="$base" '$1 != "id" { printf "%d %d %d\n", $2, $3 - b, $3 - b + $6 }' "$f" |
			sort -k1,1n -k2,2n | awk '{ if (NR > 1 && $1 == w) print $2 - end; w = $1; end = $3 }' >>"$out/gap"
		# The first round: each worker's first start; their spread.
		awk -F, -v b="$base" '$1 != "id" { printf "%d %d\n", $2, $3 - b }' "$f" | sort -k1,1n -k2,2n |
			awk '!seen[$1]++ { print $2 }' | sort -n | awk 'NR == 1 { first = $1 } { last = $1 } END { print last - first }' \
			>>"$out/skew"
	done
	echo "| part | median us | p90 us |"
	echo "| --- | --- | --- |"
	echo "| handshake (connect_us) | $(pq "$out/handshake") |"
	echo "| server beyond 40 ms | $(pq "$out/server") |"
	echo "| after the first byte (close) | $(pq "$out/close") |"
	echo "| client scheduling (end to the next start) | $(pq "$out/gap") |"
	echo "| spread of the first round's starts (per run) | $(pq "$out/skew") |"
	echo
	echo "Wall time of the $grid_runs runs (theoretical 200 ms):" \
		"$(for f in "$out"/p32-*.json; do jq -r '.wall_us / 1000 | tostring + " ms"' "$f"; done | paste -sd, | sed 's/,/, /g')."
} >bench/parts/grid.md
cat bench/parts/grid.md
