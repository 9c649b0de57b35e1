#!/usr/bin/env bash
# link.sh: what the [link] delay line costs: keep-alive HTTP through a 1 ms delay each way, as many packets a second
# as the lab carries (about 20 000 through each line and more), replayed RUNS times; packets per second through each
# delay line, its CPU time per packet and share of a core, how late its releases came, and what it dropped; writes
# bench/RESULTS-link.md. Needs root.
#
# Usage: bench/link.sh BUILD_DIR [RUNS]
set -u
build=$(cd "${1:?usage: bench/link.sh BUILD_DIR [RUNS]}" && pwd)
runs=${2:-3}
cd "$(dirname "$0")/.." || exit 2
tcplab="$build/bin/tcplab"
export TCPLAB_HOME=$PWD
work=$(mktemp -d /tmp/tcplab-bench-link.XXXXXX)
trap 'rm -rf "$work"' EXIT

cat >"$work/link-bench.conf" <<'CONF'
[scenario]
name = link-bench
description = keep-alive requests through a 1 ms delay line each way
duration = 60s

[server]
profile = high-concurrency
discipline = epoll
keepalive = on

[client]
profile = high-concurrency
mode = http
keepalive = on
concurrency = 32
duration = 5s
requests = 100000

[capture]
packets = off
drops = off

[link]
delay = 1ms
CONF

for run in $(seq 1 "$runs"); do
	echo "bench: run $run ..." >&2
	"$tcplab" run --json --results "$work/results" "$work/link-bench.conf" >"$work/run-$run.json" 2>"$work/err" || {
		cat "$work/err" >&2
		echo "bench: run $run failed" >&2
		exit 1
	}
done

# row FILE DIRECTION: one table row for that delay line.
row() {
	jq -r --arg d "$2" '
		(.client.wall_us / 1e6) as $s | .link[$d].delay_line as $l |
		"| \($d) | \($l.packets_delayed) | \(($l.packets_delayed / $s) | round) | " +
		"\((($l.cpu_us / $l.packets_delayed) * 1000 | round) / 1000) | " +
		"\((($l.cpu_us / 1e6 / $s) * 1000 | round) / 10) | \($l.held_max) | \($l.late_max_us) | " +
		"\($l.packets_dropped_full + $l.queue_dropped + $l.user_dropped) | \(.client.requests) |"' "$1"
}
{
	echo "# What the [link] delay line costs"
	echo
	echo "\`bench/link.sh BUILD_DIR $runs\` on $(date -u +%Y-%m-%d), $(nproc) cores, kernel $(uname -r), tcplab $("$tcplab" --version | awk '{ print $2 }')."
	echo
	echo "Keep-alive HTTP (epoll server, 32 client connections, 5 s) through \`[link] delay = 1ms\` each way, so that"
	echo "every packet of both directions passes a delay line (tcplab-delay, docs/link.md). Per run and direction:"
	echo "the packets it held, the rate (packets per second of the client's run), its CPU time (user + system) per"
	echo "packet in microseconds and as a share of one core, the most packets held at once, the latest release"
	echo "after its time, packets dropped (line full, kernel queue), and the requests the client completed."
	echo "Client, server and both delay lines share the machine's cores."
	echo
	echo "| run | direction | packets | packets/s | CPU us/packet | % of a core | held max | latest (us) | dropped | requests |"
	echo "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
	for run in $(seq 1 "$runs"); do
		for d in client_to_server server_to_client; do
			echo "| $run $(row "$work/run-$run.json" "$d")"
		done
	done
} >bench/RESULTS-link.md
cat bench/RESULTS-link.md
