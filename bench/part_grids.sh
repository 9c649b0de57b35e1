# part_grids.sh (sourced by bench/run.sh): the seed-000 grid where the queue is the story: threads with backlog
# 5, serial with backlog 256 and 5, one run each (a cell whose SYNs are dropped can take minutes; each grid is
# capped at 10 minutes); writes bench/parts/grids.md.
setup_pair
out=$NETNS_TMP
cells=1,2,4,8,16,32,80,160
for config in "threads 5" "serial 256" "serial 5"; do
	read -r disc backlog <<<"$config"
	start_server -d "$disc" -b "$backlog" -t 40ms
	workers=160
	[ "$disc" = serial ] && workers=1
	timeout 600 ip netns exec "$NS_CLI" "$client" --grid "$cells" --total 160 --handle-time 40ms \
		--server-workers "$workers" "$SRV_ADDR:8080" >"$out/grid-$disc-$backlog.txt" 2>&1 ||
		echo "(stopped after 10 minutes or failed: exit $?)" >>"$out/grid-$disc-$backlog.txt"
	stop_server
done
{
	echo "## Seed-000 grids where the queue decides"
	echo
	echo "$(machine_line); tcplab-client's default (lean) engine, one run each."
	for config in "threads 5" "serial 256" "serial 5"; do
		read -r disc backlog <<<"$config"
		echo
		echo "### $disc server, backlog $backlog, 40 ms handle time"
		echo
		echo '```'
		cat "$out/grid-$disc-$backlog.txt"
		echo '```'
	done
} >bench/parts/grids.md
cat bench/parts/grids.md
