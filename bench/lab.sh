#!/usr/bin/env bash
# lab.sh: benchmark the lab itself: set-up + tear-down against Mininet, and the sampler's CPU against an ss loop.
#
# Usage: bench/lab.sh BUILD_DIR [ROUNDS]     (as root, after `make BUILD=BUILD_DIR all`)
# Measures, in one run:
#   a) tcplab's lab set-up + tear-down (two namespaces, veth, addresses, the classroom profile on both
#      sides), ROUNDS times (default 50), with bench/setup_time.c linked against BUILD_DIR's archives;
#   b) Mininet's two-host set-up + tear-down (Python API, LinuxBridge, no controller), inside a network
#      namespace of its own; Mininet is installed with apt-get when missing;
#   c) the sampler's CPU at sample_period = 1ms with 400 held connections (median of 5 runs), against
#      `ss -ltn` run every millisecond in the server namespace for the same time;
# plus what one inet_diag dump or listener lookup costs in a lab namespace and in one created from the host
# (bench/dump_cost.c).
# Prints the numbers and appends a section to bench/RESULTS-lab.md.
set -u
build=$(cd "${1:?usage: bench/lab.sh BUILD_DIR [ROUNDS]}" && pwd) || exit 2
rounds=${2:-50}
mn_rounds=7
hold_s=5
connections=400
cd "$(dirname "$0")/.." || exit 2
src=$PWD

[ "$(id -u)" -eq 0 ] || { echo "bench-lab: needs root (network namespaces)" >&2; exit 2; }
for f in "$build/bin/tcplab" "$build/liblab.a" "$build/libcommon.a"; do
	[ -e "$f" ] || { echo "bench-lab: $f is missing: make BUILD=$build all" >&2; exit 2; }
done

# Other labs running at the same time share the two cores: say so in the results.
other_labs=$(ip netns list | awk '$1 ~ /^tcplab/' | wc -l)
work=$(mktemp -d /tmp/tcplab-bench-lab.XXXXXX) || exit 2
lab_pids=()
loop_pid=
cleanup() {
	local pid ns
	# Only what this script started: the ss loop, and the programs that make labs (tcplab removes its own
	# namespaces on SIGTERM; the two harnesses just end, so their namespaces, named after their pid, go
	# here). Not SIGINT: a shell without job control starts background programs with SIGINT ignored.
	[ -n "$loop_pid" ] && kill -TERM "$loop_pid" 2>/dev/null && wait "$loop_pid" 2>/dev/null
	for pid in "${lab_pids[@]}"; do
		kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
		for ns in $(ip netns list | awk -v p="tcplab-$pid-" 'index($1, p) == 1 { print $1 }'); do
			ip netns del "$ns" 2>/dev/null
		done
	done
	rm -rf "$work"
}
# Start a program that creates labs in the background and wait for it, so cleanup knows its pid.
run_lab_program() {
	local out=$1
	shift
	"$@" >"$out" 2>&1 &
	lab_pids+=("$!")
	wait "$!"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The project's flags and link line (see Makefile: CFLAGS, the lab objects' flags, the tcplab link).
pkgs="inih jansson libcurl libmicrohttpd"
cflags="-O2 -g -std=c11 -Wall -Wextra -Werror -D_GNU_SOURCE -pthread -Icommon -Ilab $(pkg-config --cflags $pkgs)"
for prog in setup_time dump_cost; do
	# shellcheck disable=SC2086
	gcc $cflags "bench/$prog.c" -o "$work/$prog" "$build/liblab.a" "$build/libcommon.a" \
		$(pkg-config --libs $pkgs) -lm || { echo "bench-lab: cannot build bench/$prog.c" >&2; exit 1; }
done

# The value after NAME in a "name value name value" line.
field() { awk -v k="$2" '{ for (i = 1; i < NF; i++) if ($i == k) { print $(i + 1); exit } }' <<<"$1"; }
ratio() { awk -v a="${1:-0}" -v b="${2:-0}" 'BEGIN { if (a > 0 && b > 0) printf "%.1f", a / b; else print "n/a" }'; }
# A number after "key": in the section of a run.json (first match after the section's opening line).
json_num() {
	awk -v s="\"$2\": {" -v k="\"$3\":" 'index($0, s) { inside = 1 }
		inside && index($0, k) { sub(/.*": */, ""); sub(/,$/, ""); print; exit }' "$1"
}

echo "== a) tcplab lab set-up + tear-down, $rounds rounds"
run_lab_program "$work/setup.txt" "$work/setup_time" "$rounds" sysctl/classroom.conf ||
	{ cat "$work/setup.txt" >&2; exit 1; }
tables_and_times=$(cat "$work/setup.txt")
echo "$tables_and_times"
ours=$(tail -n 1 <<<"$tables_and_times")
ours_median=$(field "$ours" median_ms)
ours_p90=$(field "$ours" p90_ms)
lab_tables=$(head -n 2 <<<"$tables_and_times")

echo "== private connection table: one inet_diag dump with 500 sockets present"
run_lab_program "$work/dumps.txt" "$work/dump_cost" 250 2000 || { cat "$work/dumps.txt" >&2; exit 1; }
dumps=$(cat "$work/dumps.txt")
echo "$dumps"

echo "== b) Mininet two-host set-up + tear-down, $mn_rounds rounds"
mn_note=
mn_version=$(dpkg-query -W -f='${Version}' mininet 2>/dev/null)
if [ -z "$mn_version" ] || ! command -v brctl >/dev/null || ! command -v ping >/dev/null; then
	echo "installing mininet bridge-utils iputils-ping"
	if ! { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		mininet bridge-utils iputils-ping >"$work/apt.log" 2>&1 ||
		{ DEBIAN_FRONTEND=noninteractive apt-get update -qq >>"$work/apt.log" 2>&1 &&
		  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
			mininet bridge-utils iputils-ping >>"$work/apt.log" 2>&1; }; }; then
		mn_note="Mininet could not be installed (apt-get install mininet bridge-utils iputils-ping failed:"
		mn_note+=" $(tail -n 1 "$work/apt.log"))"
	fi
	mn_version=$(dpkg-query -W -f='${Version}' mininet 2>/dev/null)
fi
mn_single_median= mn_single_p90= mn_pair_median= mn_pair_p90=
if [ -z "$mn_note" ]; then
	# A namespace of its own: Mininet's bridge and the switch ends of its links never touch the host.
	if mn_out=$(unshare --net /usr/bin/python3 bench/mininet_setup.py "$mn_rounds" 2>"$work/mn.err"); then
		echo "$mn_out"
		mn_single=$(grep '^single,2' <<<"$mn_out")
		mn_pair=$(grep '^two hosts' <<<"$mn_out")
		mn_single_median=$(field "$mn_single" median_ms)
		mn_single_p90=$(field "$mn_single" p90_ms)
		mn_pair_median=$(field "$mn_pair" median_ms)
		mn_pair_p90=$(field "$mn_pair" p90_ms)
	else
		mn_note="Mininet failed: $(tail -n 1 "$work/mn.err")"
	fi
fi
[ -n "$mn_note" ] && echo "$mn_note"
ratio_single=$(ratio "$mn_single_median" "$ours_median")
ratio_pair=$(ratio "$mn_pair_median" "$ours_median")
echo "ours ${ours_median} ms; Mininet single,2 ${mn_single_median:-n/a} ms (${ratio_single}x)," \
	"two hosts one link ${mn_pair_median:-n/a} ms (${ratio_pair}x); target: ours <= 50 ms and >= 10x faster"

echo "== c) sampler CPU at 1 ms with $connections held connections, against ss -ltn every 1 ms"
cat >"$work/sampler-cost.conf" <<EOF
; sampler-cost: $connections connections held ${hold_s}s in the accept queue of a server that never accepts,
; sampled every millisecond.
[scenario]
name = sampler-cost
description = $connections held connections sampled every millisecond
duration = 60s
sample_period = 1ms

[server]
profile = kernel-defaults
backlog = 1024
discipline = none

[client]
profile = kernel-defaults
mode = connect
concurrency = $connections
requests = 1
after = hold
hold = ${hold_s}s

[expect]
client.outcome.ok == $connections
EOF
export TCPLAB_HOME=$src
# Run 1: the controller alone, so its CPU is the sampler's and nothing else's. One run's figure moves by a
# fifth or more with whatever else the machine does (most of it is the kernel reading cold sockets), so it
# runs sampler_runs times and the median run is recorded, with all of them beside it.
sampler_runs=5
: >"$work/sampler-runs.txt"
for i in $(seq 1 "$sampler_runs"); do
	run_lab_program "$work/run1-$i.txt" "$build/bin/tcplab" run --results "$work/results-$i" \
		"$work/sampler-cost.conf" ||
		{ echo "bench-lab: the sampler run failed:" >&2; tail -n 5 "$work/run1-$i.txt" >&2; exit 1; }
	doc=$(ls -d "$work"/results-"$i"/*-sampler-cost | head -n 1)/run.json
	cpu_us=$(json_num "$doc" run sampler_cpu_us)
	n=$(json_num "$doc" run samples)
	wall_us=$(json_num "$doc" client controller_wall_us)
	pct=$(awk -v c="$cpu_us" -v w="$wall_us" 'BEGIN { printf "%.2f", 100 * c / w }')
	echo "$pct $cpu_us $n $wall_us" >>"$work/sampler-runs.txt"
	echo "tcplab sampler run $i: $n samples, ${cpu_us} us CPU in ${wall_us} us = ${pct}% of a core"
done
read -r sampler_pct sampler_cpu_us samples client_wall_us < <(sort -n "$work/sampler-runs.txt" |
	sed -n "$(( (sampler_runs + 1) / 2 ))p")
sampler_all_pct=$(cut -d' ' -f1 "$work/sampler-runs.txt" | sort -n | paste -sd' ')
sampler_per_sample_us=$(awk -v c="$sampler_cpu_us" -v n="$samples" 'BEGIN { printf "%.1f", c / n }')
echo "tcplab sampler, median of $sampler_runs runs ($sampler_all_pct): $samples samples, ${sampler_cpu_us} us CPU" \
	"in ${client_wall_us} us = ${sampler_pct}% of a core (${sampler_per_sample_us} us per sample); target <= 3%"

# Run 2: the same scenario, with ss -ltn every millisecond in its server namespace while the connections
# are held. The loop sleeps with bash's read -t on a FIFO, so its only children are the ss processes, and
# bash's `times` gives the CPU of the loop and of every ss it ran.
loop_ms=$(( (hold_s - 1) * 1000 ))
mkfifo "$work/tick"
"$build/bin/tcplab" run --results "$work/results2" "$work/sampler-cost.conf" >"$work/run2.txt" 2>&1 &
run_pid=$!
lab_pids+=("$run_pid")
ns="tcplab-$run_pid-0-s"
for _ in $(seq 1 500); do
	held=0
	[ -e "/run/netns/$ns" ] && held=$(ip netns exec "$ns" ss -Htn state established 2>/dev/null | wc -l)
	[ "$held" -ge "$connections" ] && break
	sleep 0.01
done
[ -e "/run/netns/$ns" ] || { echo "bench-lab: the second run's namespace $ns did not appear" >&2; exit 1; }
# shellcheck disable=SC2016
nsenter --net="/run/netns/$ns" bash -c '
	exec 9<>"$1"
	start_us=${EPOCHREALTIME/./}
	end_us=$(( start_us + $2 * 1000 ))
	n=0
	while (( ${EPOCHREALTIME/./} < end_us )); do
		ss -ltn >/dev/null
		n=$((n + 1))
		read -r -t 0.001 -u 9 _
	done
	echo "$n $(( ${EPOCHREALTIME/./} - start_us ))"
	times' ss-loop "$work/tick" "$loop_ms" >"$work/ss-loop.txt" 2>"$work/ss-loop.err" &
loop_pid=$!
wait "$loop_pid"
loop_pid=
wait "$run_pid" || { echo "bench-lab: the second sampler run failed:" >&2; tail -n 5 "$work/run2.txt" >&2; exit 1; }
# Line 1: runs and wall us; then `times`: the shell's user and system time, then its children's (XmY.YYYs).
read -r ss_runs ss_wall_us < <(head -n 1 "$work/ss-loop.txt")
ss_cpu_us=$(tail -n 2 "$work/ss-loop.txt" |
	awk '{ for (i = 1; i <= 2; i++) { split($i, t, /[ms]/); sum += t[1] * 60 + t[2] } } END { printf "%.0f", sum * 1e6 }')
ss_pct=$(awk -v c="$ss_cpu_us" -v w="$ss_wall_us" 'BEGIN { printf "%.1f", 100 * c / w }')
ss_per_run_us=$(awk -v c="$ss_cpu_us" -v n="$ss_runs" 'BEGIN { if (n > 0) printf "%.0f", c / n; else print "n/a" }')
ss_rate=$(awk -v n="$ss_runs" -v w="$ss_wall_us" 'BEGIN { printf "%.0f", n * 1e6 / w }')
ss_wall_s=$(awk -v w="$ss_wall_us" 'BEGIN { printf "%.2f", w / 1e6 }')
echo "ss -ltn loop: $ss_runs runs in ${ss_wall_s} s (${ss_rate}/s, asked 1000/s), CPU ${ss_cpu_us} us" \
	"= ${ss_pct}% of a core (${ss_per_run_us} us per run)"
cpu_ratio=$(ratio "$ss_pct" "$sampler_pct")
per_sample_ratio=$(ratio "$ss_per_run_us" "$sampler_per_sample_us")
echo "ss loop / sampler: ${cpu_ratio}x the CPU share, ${per_sample_ratio}x the CPU per sample"

verdict() { awk -v v="${1:-0}" -v lim="$2" -v op="$3" 'BEGIN { if (v == "n/a" || v == "") print "not measured";
	else if ((op == "le" && v + 0 <= lim) || (op == "ge" && v + 0 >= lim)) print "met"; else print "not met" }'; }

cpu_model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
mem_gib=$(awk '/^MemTotal:/ { printf "%.0f", $2 / 1048576 }' /proc/meminfo)
os=$(. /etc/os-release && echo "$PRETTY_NAME")
{
	[ -s bench/RESULTS-lab.md ] ||
		printf '# Lab benchmarks\n\nRecorded by bench/lab.sh (`make bench-lab`); each run appends a section.\n'
	echo
	echo "## $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo
	echo "Machine: $(nproc) cores ($cpu_model), ${mem_gib} GiB, $os, kernel $(uname -r),"
	echo "$(ip -V | sed 's/^ip utility, //'),"
	echo "Mininet ${mn_version:-not installed}; load average at the end $(cut -d' ' -f1-3 /proc/loadavg);" \
		"$other_labs namespaces of other labs present at the start."
	echo
	echo "### Lab set-up + tear-down"
	echo
	echo "Two namespaces, veth pair, addresses, the classroom profile applied to both sides, then removed"
	echo "(bench/setup_time.c: netns_lab_create, side_local_create, apply_profile, netns_lab_destroy)."
	echo "Mininet: build + start + stop through its Python API with LinuxBridge and no controller, inside a"
	echo "namespace of its own (\`mn\` itself raises host-wide limits such as fs.file-max on start)."
	echo
	echo "| what | rounds | median ms | p90 ms | Mininet / tcplab (median) |"
	echo "| --- | ---: | ---: | ---: | ---: |"
	echo "| tcplab lab | $rounds | $ours_median | $ours_p90 | |"
	if [ -z "$mn_note" ]; then
		echo "| Mininet single,2 (LinuxBridge) | $mn_rounds | $mn_single_median | $mn_single_p90 | ${ratio_single}x |"
		echo "| Mininet two hosts, one link | $mn_rounds | $mn_pair_median | $mn_pair_p90 | ${ratio_pair}x |"
	else
		echo
		echo "$mn_note."
	fi
	echo
	echo "Target ours <= 50 ms: $(verdict "$ours_median" 50 le); >= 10x faster than Mininet single,2:" \
		"$(verdict "$ratio_single" 10 ge); than two hosts with one link: $(verdict "$ratio_pair" 10 ge)."
	echo
	echo "### Connection table of the lab namespaces"
	echo
	echo "What the lab namespaces read back after the profile (negative tcp_ehash_entries would mean the host's"
	echo "shared table), and one sample with 250 connected pairs + 1 listener (bench/dump_cost.c, mean of 2000"
	echo "back-to-back samples, and of 500 made 1 ms apart as the sampler makes them): a full dump; the listener"
	echo "found by walking the kernel's listening table (shared by all namespaces); the listener looked up by"
	echo "name after a walk found it, as the sampler reads it between its full dumps (lookups: how many of those"
	echo "samples were answered by lookups rather than a walk):"
	echo
	echo '```'
	echo "$lab_tables"
	echo "$dumps"
	echo '```'
	echo
	echo "### Sampler CPU at sample_period = 1ms"
	echo
	echo "$connections connections held ${hold_s} s in the accept queue of a \`none\` server (backlog 1024), so"
	echo "$((2 * connections)) ESTABLISHED sockets across the two namespaces; the sampler dumps both namespaces"
	echo "in full every 10 ms and in between looks the listener up by name every 1 ms. The sampler ran $sampler_runs times"
	echo "(% of a core: $sampler_all_pct); the median run is shown. The ss loop ran ${ss_wall_s} s of the hold in"
	echo "the server namespace (CPU from bash's \`times\`: the loop's shell and every ss)."
	echo
	echo "| what | samples | wall s | CPU ms | % of a core | CPU us per sample |"
	echo "| --- | ---: | ---: | ---: | ---: | ---: |"
	echo "| tcplab sampler (run.sampler_cpu_us / client wall, median of $sampler_runs) | $samples |" \
		"$(awk -v w="$client_wall_us" 'BEGIN { printf "%.2f", w / 1e6 }') |" \
		"$(awk -v c="$sampler_cpu_us" 'BEGIN { printf "%.0f", c / 1e3 }') | $sampler_pct | $sampler_per_sample_us |"
	echo "| \`ss -ltn\` every 1 ms (${ss_rate}/s reached) | $ss_runs | $ss_wall_s |" \
		"$(awk -v c="$ss_cpu_us" 'BEGIN { printf "%.0f", c / 1e3 }') | $ss_pct | $ss_per_run_us |"
	echo
	echo "Target sampler <= 3% of a core: $(verdict "$sampler_pct" 3 le). The ss loop used ${cpu_ratio}x the sampler's"
	echo "CPU share and ${per_sample_ratio}x its CPU per sample."
} >>bench/RESULTS-lab.md
echo "appended to bench/RESULTS-lab.md"
