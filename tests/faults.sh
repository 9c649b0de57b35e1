#!/usr/bin/env bash
# faults.sh: kill or interrupt runs at random instants and prove each time that nothing is left behind and the next run passes.
#
# Usage: tests/faults.sh BUILD_DIR [RUNS] [TABLE_FILE]
# RUNS faults (default 100) are injected in turn into `tcplab run` and `tcplab compare` of backlog-plus-one
# (capture on): SIGKILL, SIGINT and SIGTERM of the controller, SIGKILL of the server and of the client program.
# The instant is drawn at random inside the set-up (first 0.3 s), anywhere in the run, or inside its last 0.5 s
# (final counters, results writing), from the wall time of a clean run measured first. After each fault:
#  - the controller's exit status is the documented one (130 interrupted, 3 a lab program died, 137 for SIGKILL;
#    0 or 1 when the run had ended before the signal came);
#  - after SIGKILL, `tcplab cleanup --results` exits 0; then no lab namespace, veth, program or BPF program of
#    ours is left, no unfinished (.tmp) folder, and every results folder holds a run.json or compare.json
#    whose status is complete, interrupted or error;
#  - the host's sysctls are byte-identical to before;
#  - every tenth fault and after the last, a clean run passes.
# The table of faults and outcomes goes between the "faults: begin" and "faults: end" markers of TABLE_FILE
# (markdown) when given. Exit 0 only when every check held.
set -u
build=$(cd "${1:?usage: tests/faults.sh BUILD_DIR [RUNS] [TABLE_FILE]}" && pwd) || exit 2
runs=${2:-100}
table=${3:-}
case "$runs" in '' | *[!0-9]*) echo "faults: RUNS must be a number" >&2; exit 2 ;; esac
if [ -n "$table" ] && ! { grep -q '^<!-- faults: begin' "$table" && grep -q '^<!-- faults: end' "$table"; }; then
	echo "faults: $table has no faults: begin / end markers" >&2
	exit 2
fi
cd "$(dirname "$0")/.." || exit 2
. tests/lib/lab.sh "$build"
scenario=backlog-plus-one
work=$(mktemp -d /tmp/tcplab-test.faults.XXXXXX)
pid=
trap '[ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null; "$TCPLAB" cleanup --results "$RESULTS" >/dev/null 2>&1; rm -rf "$RESULTS" "$work"' EXIT

# The host's own sysctls a lab could touch, one "path=value" per line.
host_sysctls() {
	local f
	for f in /proc/sys/net/core/* /proc/sys/net/ipv4/* /proc/sys/net/ipv4/conf/all/*; do
		[ -f "$f" ] && [ -r "$f" ] && printf '%s=%s\n' "$f" "$(tr '\n\t' '  ' <"$f" 2>/dev/null)"
	done
}

# Lab veths and tcplab BPF programs that exist now (none between runs).
lab_veths() {
	ip -o link show | awk -F': ' '{ print $2 }' | grep -E '^(tl[0-9]+x[0-9]+[sc]|vt[0-9]+[sc])(@|$)' || true
}
lab_bpf_programs() {
	command -v bpftool >/dev/null || return 0
	bpftool prog show 2>/dev/null | grep -E 'name (tcplab|tl)_' || true
}

# Milliseconds since the epoch.
now_ms() {
	date +%s%3N
}

# Whether process $1 catches SIGTERM yet (SigCgt bit 15): the instant from which tcplab promises a clean stop.
catches_term() {
	local mask
	mask=$(awk '/^SigCgt:/ { print $2 }' "/proc/$1/status" 2>/dev/null)
	[ -n "$mask" ] && [ $(( 0x$mask & 0x4000 )) != 0 ]
}

# Start command "$@" in the background as the controller under test; sets pid.
start_controller() {
	"$@" >"$work/out" 2>&1 &
	pid=$!
}

# What is wrong after a fault (empty when nothing): namespaces, veths, programs, BPF, folders, sysctls.
leftovers() {
	local what="" d status
	[ -n "$(ip netns list | grep '^tcplab-')" ] && what+=" namespaces:$(ip netns list | grep '^tcplab-' | awk '{ print $1 }' | tr '\n' ,)"
	[ -n "$(lab_veths)" ] && what+=" veths:$(lab_veths | tr '\n' ,)"
	[ -n "$(pgrep -f "^$build/bin/tcplab-" || true)" ] && what+=" programs:$(pgrep -f "^$build/bin/tcplab-" | tr '\n' ,)"
	[ -n "$(lab_bpf_programs)" ] && what+=" bpf:$(lab_bpf_programs | head -n 1)"
	ls -A "$RESULTS" | grep -q '^\.tmp' && what+=" unfinished:$(ls -A "$RESULTS" | grep '^\.tmp' | tr '\n' ,)"
	for d in "$RESULTS"/*/; do
		[ -d "$d" ] || continue
		if [ -f "$d/run.json" ]; then
			status=$(jq -r '.run.status // "none"' "$d/run.json" 2>/dev/null)
		elif [ -f "$d/compare.json" ]; then
			# A comparison whose replay failed is "incomplete"; one without a status was not finished.
			status=$(jq -r '.status // "none"' "$d/compare.json" 2>/dev/null)
			[ "$status" = incomplete ] && status=complete
			# Its replays too: each a finished run folder, none left unfinished.
			find "$d" -mindepth 1 -name '.tmp*' | grep -q . && what+=" unfinished-in:$(basename "$d")"
			while IFS= read -r r; do
				case "$(jq -r '.run.status // "none"' "$r" 2>/dev/null)" in
				complete | interrupted | error) ;;
				*) what+=" replay:$(basename "$(dirname "$r")")=$(jq -r '.run.status // "none"' "$r" 2>/dev/null)" ;;
				esac
			done < <(find "$d" -mindepth 2 -name run.json)
		else
			status=missing
		fi
		case "$status" in complete | interrupted | error) ;; *) what+=" folder:$(basename "$d")=$status" ;; esac
	done
	host_sysctls >"$work/sysctl-now"
	cmp -s "$work/sysctl-before" "$work/sysctl-now" || what+=" sysctls:$(diff "$work/sysctl-before" "$work/sysctl-now" | head -n 2 | tr '\n' ' ')"
	echo "$what"
}

# A clean run of the scenario passes (exit 0) and leaves nothing.
clean_run_passes() {
	"$TCPLAB" run --results "$RESULTS" "$scenario" >"$work/clean.out" 2>&1
}

host_sysctls >"$work/sysctl-before"
[ -z "$(leftovers)" ] || fail "before the first fault: $(leftovers)"

# The wall time of a clean run and of a clean comparison: the window the instants are drawn from.
t0=$(now_ms)
clean_run_passes || fail "the clean run before the faults failed: $(tail -n 5 "$work/clean.out")"
run_ms=$(( $(now_ms) - t0 ))
t0=$(now_ms)
"$TCPLAB" compare --results "$RESULTS" "$scenario" >"$work/out" 2>&1 || fail "the clean comparison failed: $(tail -n 5 "$work/out")"
compare_ms=$(( $(now_ms) - t0 ))
rm -rf "${RESULTS:?}"/*
echo "faults: clean run ${run_ms} ms, clean comparison ${compare_ms} ms; $runs faults"

kinds=(controller-KILL controller-INT controller-TERM server-KILL client-KILL)
declare -A seen_count seen_ok seen_hit
failures=0
rows=""
for i in $(seq 1 "$runs"); do
	kind=${kinds[$(( (i - 1) % ${#kinds[@]} ))]}
	command=run
	window=$run_ms
	# Every other round of controller faults hits a comparison (between and inside its columns).
	if [ "${kind%%-*}" = controller ] && [ $(( (i - 1) / ${#kinds[@]} % 2 )) = 1 ]; then
		command=compare
		window=$compare_ms
	fi
	case $(( RANDOM % 3 )) in
	0) phase=set-up; at_ms=$(( RANDOM % 300 )) ;;
	1) phase=during; at_ms=$(( (RANDOM * 32768 + RANDOM) % window )) ;;
	2) phase=end; at_ms=$(( window - 600 + RANDOM % 500 )); [ "$at_ms" -lt 0 ] && at_ms=0 ;;
	esac
	start_controller "$TCPLAB" "$command" --results "$RESULTS" "$scenario"
	started=$(now_ms)
	# Instants count from the moment the controller holds its signal handlers (its first milliseconds).
	while ! catches_term "$pid" && kill -0 "$pid" 2>/dev/null && [ $(( $(now_ms) - started )) -lt 2000 ]; do
		sleep 0.001
	done
	signal=${kind#*-}
	target=$pid
	case "$kind" in
	server-KILL | client-KILL)
		# The program runs in its side's namespace; wait for it, then for the instant.
		side=s
		prog=tcplab-server
		[ "$kind" = client-KILL ] && side=c && prog=tcplab-client
		target=""
		while [ -z "$target" ] && kill -0 "$pid" 2>/dev/null && [ $(( $(now_ms) - started )) -lt 10000 ]; do
			ns=$(ip netns list | awk -v p="tcplab-$pid-" -v s="-$side" 'index($1, p) == 1 && substr($1, length($1) - 1) == s { print $1 }' | head -n 1)
			[ -n "$ns" ] && target=$(ns_program_pid "$ns" "$prog")
			[ -z "$target" ] && sleep 0.005
		done
		;;
	esac
	delay_ms=$(( at_ms - ($(now_ms) - started) ))
	[ "$delay_ms" -gt 0 ] && sleep "$(printf '%d.%03d' $((delay_ms / 1000)) $((delay_ms % 1000)))"
	delivered=0
	if [ -n "$target" ] && kill -"$signal" "$target" 2>/dev/null; then
		delivered=1
	fi
	# (The shell's own "Killed" line for the job is not news here.)
	{ wait "$pid"; } 2>/dev/null
	status=$?
	pid=
	verdict=ok
	why=""
	case "$kind" in
	controller-KILL)
		# A signal that found the controller gone (the run had ended) must leave an ordinary exit.
		[ "$delivered" = 0 ] && [ "$status" = 137 ] && { verdict=FAIL; why="137 without a delivered SIGKILL"; }
		case "$status" in
		137) "$TCPLAB" cleanup --results "$RESULTS" >"$work/cleanup.out" 2>&1 || { verdict=FAIL; why="cleanup exited $?"; } ;;
		0 | 1) ;;
		*) verdict=FAIL; why="exit $status" ;;
		esac
		;;
	controller-INT | controller-TERM)
		case "$status" in 130 | 0 | 1) ;; *) verdict=FAIL; why="exit $status, want 130" ;; esac
		;;
	server-KILL | client-KILL)
		if [ -z "$target" ]; then
			# The program had ended before it could be found: the run must have finished normally.
			case "$status" in 0 | 1) ;; *) verdict=FAIL; why="exit $status without a fault" ;; esac
		else
			case "$status" in 3 | 0 | 1) ;; *) verdict=FAIL; why="exit $status, want 3" ;; esac
		fi
		;;
	esac
	left=$(leftovers)
	if [ -n "$left" ]; then
		verdict=FAIL
		why="$why left:$left"
		"$TCPLAB" cleanup --results "$RESULTS" >/dev/null 2>&1
	fi
	if [ $(( i % 10 )) = 0 ] || [ "$i" = "$runs" ]; then
		if ! clean_run_passes; then
			verdict=FAIL
			why="$why; the next clean run failed: $(tail -n 3 "$work/clean.out" | tr '\n' ' ')"
		fi
	fi
	key="$kind $command $phase"
	seen_count[$key]=$(( ${seen_count[$key]:-0} + 1 ))
	[ "$verdict" = ok ] && seen_ok[$key]=$(( ${seen_ok[$key]:-0} + 1 ))
	seen_hit[$key]=$(( ${seen_hit[$key]:-0} + delivered ))
	[ "$delivered" = 1 ] || why="${why:+$why; }the signal found no process (the run had ended)"
	echo "fault $i: $kind of tcplab $command at ${at_ms} ms ($phase): exit $status, $verdict${why:+ ($why)}"
	[ "$verdict" = ok ] || failures=$((failures + 1))
	rm -rf "${RESULTS:?}"/* "$RESULTS"/.tmp* 2>/dev/null
done

rows=$(for key in "${!seen_count[@]}"; do
	read -r k c p <<<"$key"
	printf '| %s | tcplab %s | %s | %d | %d | %d |\n' "$k" "$c" "$p" "${seen_count[$key]}" "${seen_hit[$key]:-0}" \
		"${seen_ok[$key]:-0}"
done | sort)
echo "faults: $runs injected, $((runs - failures)) left everything clean, $failures failed"
if [ -n "$table" ]; then
	{
		echo
		echo "$runs faults on $(date -u +%Y-%m-%d), kernel $(uname -r), scenario $scenario (clean run ${run_ms} ms, comparison ${compare_ms} ms):"
		echo
		echo "| fault | command | instant | injected | signal delivered | clean after |"
		echo "| --- | --- | --- | --- | --- | --- |"
		echo "$rows"
		echo
	} >"$work/table"
	awk -v f="$work/table" '/^<!-- faults: begin/ { print; while ((getline l < f) > 0) print l; skip = 1; next }
		/^<!-- faults: end/ { skip = 0 } !skip' "$table" >"$work/page" && cat "$work/page" >"$table"
fi
[ "$failures" -eq 0 ]
