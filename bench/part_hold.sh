# part_hold.sh (sourced by bench/run.sh): 50 000 connections held by tcplab-client --mode connect --after hold,
# against the same hold by a plain C loop of connects (bench/hold_ref.c): peak RSS of each; then the same hold
# replayed by the controller, whose sampler must stay on its period; writes bench/parts/hold.md.
want=50000
hold_s=5
# One socket per held connection in one process: the file limit must allow it. Root raises its own limit
# when it has CAP_SYS_RESOURCE; without it the hold is as large as the hard limit lets it be (the server
# never accepts, so its connections wait in the accept queue and take no descriptor of its own).
ulimit -n $((want + 100)) 2>/dev/null || ulimit -n "$(ulimit -Hn)"
held=$(( $(ulimit -n) - 100 < want ? $(ulimit -n) - 100 : want ))
limit_note=
[ "$held" -lt "$want" ] && limit_note="RLIMIT_NOFILE's hard limit here is $(ulimit -Hn) and may not be raised (no CAP_SYS_RESOURCE): $held connections were held, not $want."
setup_pair
out=$NETNS_TMP
ip netns exec "$NS_SRV" "$server" -q -l "$SRV_ADDR:8080" -b 65535 -d none &
SERVER_PID=$!
netns_track "$SERVER_PID"
netns_wait_listen "$NS_SRV" 8080 || { echo "bench: server did not start" >&2; exit 1; }
ip netns exec "$NS_CLI" "$tools/rusage_run" "$out/client.ru" "$client" -m connect --after hold --hold "${hold_s}s" \
	-c "$held" -n 1 --json "$SRV_ADDR:8080" >"$out/client.json" 2>&1 ||
	{ echo "bench: the held run failed: $(cat "$out/client.json")" >&2; exit 1; }
client_ok=$(sed -n 's/.*"ok":\([0-9]*\).*/\1/p' "$out/client.json")
client_connect_max=$(sed -n 's/.*"connect_us":{[^}]*"max":\([0-9]*\).*/\1/p' "$out/client.json")
# The server holds every connection until it stops: a fresh one for the reference.
stop_server
ip netns exec "$NS_SRV" "$server" -q -l "$SRV_ADDR:8080" -b 65535 -d none &
SERVER_PID=$!
netns_track "$SERVER_PID"
netns_wait_listen "$NS_SRV" 8080 || { echo "bench: server did not start" >&2; exit 1; }
ip netns exec "$NS_CLI" "$tools/rusage_run" "$out/ref.ru" "$tools/hold_ref" "$SRV_ADDR" 8080 "$held" \
	$((hold_s * 1000)) >"$out/ref.txt" 2>&1 || { echo "bench: hold_ref failed: $(cat "$out/ref.txt")" >&2; exit 1; }
stop_server
client_rss_mb=$(awk -v k="$(ru "$out/client.ru" maxrss_kb)" 'BEGIN { printf "%.1f", k / 1024 }')
ref_rss_mb=$(awk -v k="$(ru "$out/ref.ru" maxrss_kb)" 'BEGIN { printf "%.1f", k / 1024 }')
client_cpu_ms=$(( ($(ru "$out/client.ru" user_us) + $(ru "$out/client.ru" sys_us)) / 1000 ))
ref_cpu_ms=$(( ($(ru "$out/ref.ru" user_us) + $(ru "$out/ref.ru" sys_us)) / 1000 ))

# The same hold replayed by the controller, sampling both namespaces every 10 ms.
cat >"$out/hold-50k.conf" <<CONF
[scenario]
name = hold-50k
description = $held connections held ${hold_s} s in the accept queue of a server that never accepts
duration = 90s
sample_period = 10ms

[server]
profile = high-concurrency
backlog = 65535
discipline = none

[client]
profile = kernel-defaults
mode = connect
concurrency = $held
requests = 1
after = hold
hold = ${hold_s}s
sources = 2

[expect]
client.outcome.ok == $held
CONF
TCPLAB_HOME=$src "$build/bin/tcplab" run --results "$out/results" "$out/hold-50k.conf" >"$out/run.txt" 2>&1 &
run_pid=$!
netns_track "$run_pid"
wait "$run_pid"
run_status=$?
run_dir=$(ls -d "$out"/results/*-hold-50k 2>/dev/null | head -n 1)
[ -n "$run_dir" ] && [ -s "$run_dir/run.json" ] || { echo "bench: the controller run failed: $(tail -n 5 "$out/run.txt")" >&2; exit 1; }
samples=$(jq '.run.samples' "$run_dir/run.json")
period_us=$(jq '.run.sample_period_us' "$run_dir/run.json")
sampler_cpu_us=$(jq '.run.sampler_cpu_us' "$run_dir/run.json")
run_ok=$(jq '.client.outcome.ok' "$run_dir/run.json")
held_max=$(jq '.client.states_max.ESTABLISHED // .client.states_max.established // empty' "$run_dir/run.json")
# Gaps between consecutive samples: the median, p99 and the worst, against the period (sorted by sort: the
# awk here need not be gawk).
awk -F, 'NR > 2 { print $1 - prev } NR > 1 { prev = $1 }' "$run_dir/samples.csv" | sort -n >"$out/gaps"
gap_n=$(wc -l <"$out/gaps")
gap_median=$(sed -n "$(( (gap_n + 1) / 2 ))p" "$out/gaps")
gap_p99=$(sed -n "$(( gap_n * 99 / 100 > 0 ? gap_n * 99 / 100 : 1 ))p" "$out/gaps")
gap_max=$(tail -n 1 "$out/gaps")
span_us=$(awk -F, 'NR == 2 { first = $1 } NR > 1 { last = $1 } END { print last - first }' "$run_dir/samples.csv")
wall_us=$(jq '.client.controller_wall_us' "$run_dir/run.json")
sampler_pct=$(awk -v c="$sampler_cpu_us" -v s="$wall_us" 'BEGIN { if (s > 0) printf "%.1f", 100 * c / s; else print "n/a" }')
on_period=$(awk -v m="${gap_median:-}" -v p="$period_us" 'BEGIN { if (m != "" && p > 0) printf "%.2f", m / p; else print "n/a" }')
{
	echo "## Held connections: $held at once"
	echo
	echo "$(machine_line)."
	echo "Server: tcplab-server -d none -b 65535 (somaxconn 65535): every connection waits in its accept queue."
	echo "Client namespace: ports 1024-65535.${limit_note:+ $limit_note}"
	echo
	echo "| program | connections held | peak RSS | CPU | slowest connect |"
	echo "| --- | --- | --- | --- | --- |"
	echo "| tcplab-client -m connect --after hold --hold ${hold_s}s -c $held -n 1 | ${client_ok:-?} ok | ${client_rss_mb} MB |" \
		"${client_cpu_ms} ms | ${client_connect_max:-?} us |"
	echo "| bench/hold_ref.c (a loop of non-blocking connects, then epoll) | $(sed -n 's/connected \([0-9]*\).*/\1/p' "$out/ref.txt") |" \
		"${ref_rss_mb} MB | ${ref_cpu_ms} ms | all up in $(sed -n 's/.*up_ms \([0-9.]*\).*/\1/p' "$out/ref.txt") ms |"
	echo
	echo "The same hold replayed by \`tcplab run\` (sample_period 10ms, sources = 2, exit status $run_status): ${run_ok} ok,"
	echo "${held_max:-?} ESTABLISHED at most on the client side, $samples samples over $((span_us / 1000)) ms; the gap between"
	echo "samples was ${gap_median} us at the median (${on_period}x the period), ${gap_p99} us at p99 and ${gap_max} us at worst;"
	echo "the sampler used ${sampler_cpu_us} us of CPU, ${sampler_pct} % of a core."
	echo
	echo "| target | measured | verdict |"
	echo "| --- | --- | --- |"
	per_conn_kb=$(awk -v k="$(ru "$out/client.ru" maxrss_kb)" -v n="$held" 'BEGIN { printf "%.2f", k / n }')
	at_want_mb=$(awk -v k="$(ru "$out/client.ru" maxrss_kb)" -v n="$held" -v w="$want" 'BEGIN { printf "%.1f", k * w / n / 1024 }')
	if [ "$held" -lt "$want" ]; then
		echo "| client peak RSS <= 100 MB holding $want | ${client_rss_mb} MB for $held (${per_conn_kb} KB each, all of it counted; $want would be ${at_want_mb} MB) | $(verdict "$at_want_mb" le 100) (scaled) |"
	else
		echo "| client peak RSS <= 100 MB holding $want | ${client_rss_mb} MB (reference ${ref_rss_mb} MB) | $(verdict "$client_rss_mb" le 100) |"
	fi
	echo "| sampler on period while $held are held (median gap <= 1.1x the period) | ${on_period}x | $(verdict "$on_period" le 1.1) |"
} >bench/parts/hold.md
cat bench/parts/hold.md
