#!/usr/bin/env bash
# evidence.sh: what recording the evidence costs a measurement: the seed-000 grid (threads server, backlog 256,
# 40 ms) replayed by tcplab with nothing recorded, with packet capture, and with capture and drop tracing, runs
# interleaved; median amplification per cell and the ratios; writes bench/RESULTS-evidence.md. Needs root.
#
# Usage: bench/evidence.sh BUILD_DIR [RUNS]
set -u
build=$(cd "${1:?usage: bench/evidence.sh BUILD_DIR [RUNS]}" && pwd)
runs=${2:-5}
cd "$(dirname "$0")/.." || exit 2
tcplab="$build/bin/tcplab"
export TCPLAB_HOME=$PWD
work=$(mktemp -d /tmp/tcplab-bench-evidence.XXXXXX)
trap 'rm -rf "$work"' EXIT
cells="1 2 4 8 16 32 80 160"
modes="none capture all"

# grid_conf MODE: the grid scenario with MODE's evidence (none: nothing; capture: packets; all: packets and drops).
grid_conf() {
	local packets=off drops=off
	case "$1" in capture) packets=on ;; all) packets=on drops=on ;; esac
	cat <<CONF
[scenario]
name = evidence-$1
description = the seed-000 grid, evidence: $1
duration = 300s

[server]
profile = high-concurrency
backlog = 256
discipline = threads
handle_time = 40ms
keepalive = off

[client]
profile = kernel-defaults
mode = http
grid = ${cells// /,}
total = 160
server_workers = 160
handle_time = 40ms

[capture]
packets = $packets
drops = $drops
CONF
}

for mode in $modes; do
	grid_conf "$mode" >"$work/evidence-$mode.conf"
done
# Interleaved, so that a slow minute of a shared machine does not land on one mode only.
for run in $(seq 1 "$runs"); do
	for mode in $modes; do
		echo "bench: run $run, evidence $mode ..." >&2
		out=$("$tcplab" run --json --results "$work/results" "$work/evidence-$mode.conf" 2>"$work/err") || {
			cat "$work/err" >&2
			echo "bench: the $mode run failed" >&2
			exit 1
		}
		echo "$out" >"$work/$mode-$run.json"
	done
done

# amp MODE P: the amplifications of cell P over the runs of MODE, one per line; median reads them.
amp() { for f in "$work"/"$1"-*.json; do jq -r --argjson p "$2" '.client.cells[] | select(.workers == $p) | .amplification' "$f"; done; }
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) printf "%.4f", v[(NR + 1) / 2]; else printf "%.4f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
drops_status=$(jq -r '.drops.status // "unavailable"' "$work/all-1.json")
drops_reason=$(jq -r '.drops.reason // ""' "$work/all-1.json")
worst=0
{
	echo "# What the evidence costs a measurement"
	echo
	echo "\`bench/evidence.sh BUILD_DIR $runs\` on $(date -u +%Y-%m-%d), $(nproc) cores, kernel $(uname -r)."
	echo
	echo "The seed-000 grid as a scenario (threads server, backlog 256, 40 ms handle time; 160 requests per cell"
	echo "from P workers), replayed $runs times each way, the three ways interleaved: nothing recorded"
	echo "(\`packets = off\`, \`drops = off\`), packet capture on both sides (\`packets = on\`), and capture with"
	echo "drop tracing (\`drops = on\`: $drops_status${drops_reason:+, $drops_reason}). Amplification = the cell's"
	echo "wall time / its theoretical minimum; the table gives the median of the $runs runs and each way's ratio"
	echo "to nothing recorded."
	echo
	echo "| P | nothing | capture | capture + drops | capture / nothing | capture + drops / nothing |"
	echo "| --- | --- | --- | --- | --- | --- |"
	for p in $cells; do
		n=$(amp none "$p" | median)
		c=$(amp capture "$p" | median)
		a=$(amp all "$p" | median)
		rc=$(awk -v a="$c" -v b="$n" 'BEGIN { printf "%.4f", a / b }')
		ra=$(awk -v a="$a" -v b="$n" 'BEGIN { printf "%.4f", a / b }')
		printf '| %s | %.3fx | %.3fx | %.3fx | %s | %s |\n' "$p" "$n" "$c" "$a" "$rc" "$ra"
		worst=$(printf '%s\n%s\n%s\n' "$worst" "$rc" "$ra" | sort -g | tail -n 1)
	done
	echo
	echo "Target: the evidence changes the amplification by at most 1 % (ratio <= 1.01) in every cell."
	echo "Worst ratio measured: $worst ($(awk -v w="$worst" 'BEGIN { print (w <= 1.01) ? "met" : "missed" }'))."
} >"$work/results.md"
cp "$work/results.md" bench/RESULTS-evidence.md
cat bench/RESULTS-evidence.md
