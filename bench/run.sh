#!/usr/bin/env bash
# run.sh: benchmark tcplab-client against wrk (CPU per request and rate), tcplab-server against nginx, a
# 50 000-connection hold against a plain C loop, the seed-000 grid, and callgrind profiles; writes one file
# per part to bench/parts/ and joins them into bench/RESULTS.md.
#
# Usage: bench/run.sh BUILD_DIR [PART...]      parts: client server hold grid grids profile (default: all)
# Needs root (network namespaces), wrk, ab, nginx-light and valgrind (make bench-deps).
# Every load runs between two network namespaces this script creates; each part makes its own pair, so the
# parts can be run one at a time.
set -u
build=$(cd "${1:?usage: bench/run.sh BUILD_DIR [PART...]}" && pwd) || exit 2
shift
parts=("$@")
[ ${#parts[@]} -gt 0 ] || parts=(client server hold grid grids profile)
cd "$(dirname "$0")/.." || exit 2
src=$PWD
secs=${BENCH_SECONDS:-5}
rounds=${BENCH_ROUNDS:-3}
conns=64
for tool in wrk ab nginx valgrind callgrind_annotate gcc; do
	command -v "$tool" >/dev/null || { echo "bench: $tool is missing (make bench-deps)" >&2; exit 2; }
done
[ "$(id -u)" -eq 0 ] || { echo "bench: needs root (network namespaces)" >&2; exit 2; }
server="$build/bin/tcplab-server"
client="$build/bin/tcplab-client"
mkdir -p bench/parts
tools=$(mktemp -d /tmp/tcplab-bench.XXXXXX) || exit 2
for prog in rusage_run hold_ref; do
	gcc -O2 -Wall -Wextra -Werror -o "$tools/$prog" "bench/$prog.c" || { echo "bench: cannot build $prog" >&2; exit 1; }
done
trap 'rm -rf "$tools"' EXIT

# Helpers shared by the parts (each part runs in a subshell with its own namespaces and cleanup trap).
ratio() { awk -v a="${1:-0}" -v b="${2:-0}" 'BEGIN { if (a > 0 && b > 0) printf "%.2f", a / b; else print "n/a" }'; }
# verdict VALUE OP LIMIT: met / missed.
verdict() { awk -v v="${1:-n/a}" -v op="$2" -v l="$3" 'BEGIN { if (v == "n/a" || v == "") print "not measured";
	else if ((op == "le" && v + 0 <= l + 0) || (op == "ge" && v + 0 >= l + 0)) print "met"; else print "missed" }'; }
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "n/a"; else if (NR % 2) print v[(NR + 1) / 2];
	else printf "%.6g\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# ru FILE KEY: a value of rusage_run's line.
ru() { sed -n "s/.*$2=\\([0-9]*\\).*/\\1/p" "$1"; }
json_num() { sed -n "s/.*\"$2\": *\\([0-9.]*\\).*/\\1/p" "$1" | head -n 1; }
setup_pair() {
	. tests/lib/netns.sh
	netns_pair_up || { echo "bench: cannot create namespaces" >&2; exit 3; }
	# Short connections at these rates would exhaust the client's ports: widen the range and allow
	# TIME-WAIT reuse, inside the bench's own namespaces.
	ip netns exec "$NS_CLI" sysctl -qw net.ipv4.ip_local_port_range="1024 65535" net.ipv4.tcp_tw_reuse=1
	ip netns exec "$NS_SRV" sysctl -qw net.core.somaxconn=65535 net.ipv4.tcp_max_syn_backlog=65535
}
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
machine_line() {
	echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores ($(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo |
		head -n 1)), kernel $(uname -r), load average before $(cut -d' ' -f1-3 /proc/loadavg)"
}

for part in "${parts[@]}"; do
	case $part in
	client | server | hold | grid | grids | profile) ;;
	*) echo "bench: unknown part '$part' (client server hold grid grids profile)" >&2; exit 2 ;;
	esac
	echo "== bench part $part"
	( . "bench/part_$part.sh" ) || { echo "bench: part $part failed" >&2; exit 1; }
done

{
	echo "# Benchmarks"
	echo
	echo "Recorded by \`make bench\` (bench/run.sh; one part at a time with \`make bench BENCH_PARTS=...\`)."
	echo "Each part names its date, machine and kernel. Every load runs between two network namespaces over a"
	echo "veth pair on one 2-core machine that others share: compare the ratios of one run, not absolute numbers."
	for part in client server hold grid grids profile notes; do
		[ -s "bench/parts/$part.md" ] && { echo; cat "bench/parts/$part.md"; }
	done
} >bench/RESULTS.md
# bench/parts/notes.md is written by hand from the parts and joins them last.
echo "bench: wrote bench/RESULTS.md"
