#!/usr/bin/env bash
# report.sh: how long report.html takes to build for a run with 50 000 connections, and how big it is; writes
# bench/RESULTS-report.md. Needs root (the run uses network namespaces) and gnuplot.
#
# Usage: bench/report.sh BUILD_DIR [CONNECTIONS]
set -u
build=$(cd "${1:?usage: bench/report.sh BUILD_DIR [CONNECTIONS]}" && pwd)
connections=${2:-50000}
cd "$(dirname "$0")/.." || exit 2
command -v gnuplot >/dev/null || { echo "bench: gnuplot is missing (apt-get install gnuplot-nox)" >&2; exit 2; }
tcplab="$build/bin/tcplab"
export TCPLAB_HOME=$PWD
work=$(mktemp -d /tmp/tcplab-bench-report.XXXXXX)
trap 'rm -rf "$work"' EXIT
workers=250

# Handshake-only connects against a thread-per-connection server. The client closes first, so its TIME-WAIT holds a
# port per connection for 60 s: three source addresses give 3 x 28232 ports, enough for 50 000.
cat >"$work/report-bench.conf" <<EOF
[scenario]
name = report-bench
description = $connections handshake-only connections against a threads server, for the report benchmark
duration = 300s
sample_period = 1ms

[server]
profile = high-concurrency
backlog = 4096
discipline = threads
raw = close

[client]
profile = kernel-defaults
mode = connect
concurrency = $workers
requests = $((connections / workers))
after = close
sources = 3
EOF

echo "bench: replaying $connections connections ..." >&2
run_start=$(date +%s.%N)
out=$("$tcplab" run --results "$work/results" "$work/report-bench.conf" 2>&1)
status=$?
run_s=$(awk -v a="$run_start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
dir=$(echo "$out" | sed -n 's/^results: //p')
if [ -z "$dir" ] || [ ! -s "$dir/run.json" ]; then
	echo "$out" >&2
	echo "bench: the run wrote no results (exit $status)" >&2
	exit 1
fi
records=$(($(wc -l <"$dir/connections.csv") - 1))
samples=$(($(wc -l <"$dir/samples.csv") - 1))
csv_kb=$(($(stat -c %s "$dir/connections.csv") / 1024))
ok=$(jq -r '.client.outcome.ok' "$dir/run.json" 2>/dev/null || echo "?")
# The captures are on (the scenario keeps the default): run.json holds the packets and the selected ladders.
packets=$(jq -r '.packets.packets_read // "none"' "$dir/run.json")
ladders=$(jq -r '.packets.ladders | length' "$dir/run.json")
joined=$(jq -r '.packets.records_joined // 0' "$dir/run.json")
pcap_kb=$(( ($(stat -c %s "$dir/raw/server.pcap" 2>/dev/null || echo 0) + $(stat -c %s "$dir/raw/client.pcap" 2>/dev/null || echo 0)) / 1024 ))

# The rebuild alone, three times: the slowest counts.
worst_ms=0
for i in 1 2 3; do
	t0=$(date +%s%N)
	"$tcplab" report "$dir" >/dev/null || { echo "bench: tcplab report failed" >&2; exit 1; }
	ms=$((($(date +%s%N) - t0) / 1000000))
	[ "$ms" -gt "$worst_ms" ] && worst_ms=$ms
done
size=$(stat -c %s "$dir/report.html")
size_kb=$((size / 1024))
verdict_time=$([ "$worst_ms" -lt 5000 ] && echo "under 5 s" || echo "OVER 5 s")
verdict_size=$([ "$size" -lt $((5 * 1024 * 1024)) ] && echo "under 5 MB" || echo "OVER 5 MB")
svg_kb=$(grep -o '<svg' "$dir/report.html" | wc -l)
ladder_figures=$(grep -o '<figure class="ladder"' "$dir/report.html" | wc -l)

cat >bench/RESULTS-report.md <<EOF
# report.html for a large run

\`bench/report.sh BUILD_DIR $connections\` on $(nproc) cores, kernel $(uname -r), $(gnuplot --version).

The run: $connections handshake-only connects (client \`mode = connect\`, $workers workers, 3 source addresses)
against a \`threads\` server with backlog 4096 (profile high-concurrency), sampled every 1 ms. It took
${run_s} s; $ok connections were ok.

| what | value |
| --- | --- |
| connection records (connections.csv) | $records ($csv_kb KB) |
| samples (samples.csv) | $samples |
| packets captured (both sides), read back by the run | $packets ($pcap_kb KB of pcap) |
| records joined to their connection on the wire | $joined |
| ladders in run.json / drawn in report.html | $ladders / $ladder_figures |
| \`tcplab report\`, slowest of 3 | $worst_ms ms ($verdict_time) |
| report.html | $size_kb KB ($verdict_size), $svg_kb inline SVGs (4 charts, the rest ladders) |

The charts stay small however long the run: every time series is reduced to at most 600 points per run (each
point the maximum of the samples it stands for, so a full queue never disappears between points), and the
connect-latency distribution is drawn from at most 600 quantiles of the sorted connect times. The ladders are a
bounded selection (at most 50 connections, at most 64 packets each), whatever the number of connections.
EOF
cat bench/RESULTS-report.md
[ "$worst_ms" -lt 5000 ] && [ "$size" -lt $((5 * 1024 * 1024)) ]
