#!/usr/bin/env bash
# run.sh: run every libFuzzer target of a fuzz build for a number of seconds from its seed corpus; fail on a crash.
#
# Usage: tests/fuzz/run.sh [--record FILE] [--only "NAME ..."] FUZZ_BUILD SECONDS [JOBS]
# Each target BUILD/fuzz/fuzz_<name> starts from tests/fuzz/corpus/<name>/ (copied into BUILD/corpus/<name>, which
# keeps what the fuzzer finds between runs; the seeds in the tree are never touched). A crash, leak, timeout or
# sanitizer report stops that target: its input is kept as BUILD/crashes/<name>-* and the run fails. JOBS targets
# run at once (niced). --only runs the named targets alone (names without fuzz_, separated by spaces or commas).
# --record FILE writes one table row per target (execs/s, coverage, result) into FILE; with --only the rows of
# the other targets are kept, which needs the file's header to state the same conditions as this run's.
set -u

usage="usage: tests/fuzz/run.sh [--record FILE] [--only \"NAME ...\"] FUZZ_BUILD SECONDS [JOBS]"
record=
only=
while [ $# -gt 0 ]; do
	case $1 in
	--record) record=${2:?$usage}; shift 2 ;;
	--only) only=" ${2//,/ } "; shift 2 ;;
	*) break ;;
	esac
done
build=${1:?$usage}
seconds=${2:?$usage}
jobs=${3:-1}
cd "$(dirname "$0")/../.." || exit 2
build=$(cd "$build" && pwd) || exit 2
mkdir -p "$build/crashes" "$build/logs"

targets=()
for bin in "$build"/fuzz/fuzz_*; do
	name=$(basename "$bin")
	name=${name#fuzz_}
	[ -n "${only// /}" ] && [[ $only != *" $name "* ]] && continue
	[ -x "$bin" ] && targets+=("$(basename "$bin")")
done
for name in $only; do
	if [ ! -x "$build/fuzz/fuzz_$name" ]; then
		echo "no fuzz target $name in $build/fuzz" >&2
		exit 2
	fi
done
if [ "${#targets[@]}" -eq 0 ]; then
	echo "no fuzz targets in $build/fuzz" >&2
	exit 2
fi

# What the recorded table's header states: the run's length and the conditions every row was measured under,
# on the days $1 ("DAY" or "FIRST to LAST").
record_header() {
	echo "# Fuzzing campaign (make fuzz-long)"
	echo
	echo "Each libFuzzer target of tests/fuzz/ run for $seconds s from its seed corpus (tests/fuzz/corpus/<name>/),"
	echo "built by $(${FUZZ_CC:-clang-14} --version | head -n 1) with ASan and UBSan (LeakSanitizer on),"
	echo "$jobs at a time under nice, on $1, kernel $(uname -r), $(nproc) cores."
	echo "exec/s is libFuzzer's average over the run; cov the coverage counters reached; corpus the inputs kept."
	echo
	echo "| target | seconds | runs | exec/s | cov | corpus | result |"
	echo "| --- | ---: | ---: | ---: | ---: | ---: | --- |"
}

# The rows of the targets not run this time, kept when a subset is recorded; checked before anything runs.
kept_rows=()
days=()
if [ -n "$record" ] && [ -n "${only// /}" ] && [ -f "$record" ]; then
	old_days=$(sed -n 's/.* at a time under nice, on \(.*\), kernel .*/\1/p' "$record")
	if [ -z "$old_days" ] || [ "$(sed -n '1,/^| --- |/p' "$record")" != "$(record_header "$old_days")" ]; then
		echo "$record: its header states other conditions than this run's (length, compiler, jobs, date, kernel," >&2
		echo "cores): its rows cannot share one table with this run's; record every target instead" >&2
		exit 2
	fi
	while IFS= read -r row; do
		name=${row#'| `'}
		name=${name%%'`'*}
		[[ $only == *" $name "* ]] || kept_rows+=("$row")
	done < <(grep '^| `' "$record")
	days+=(${old_days/ to / })
fi
days+=("$(date -u +%Y-%m-%d)")

# One target: its own corpus copy, bounded memory and time per input, a log whose last lines give the verdict.
run_one() {
	local target=$1 name=${1#fuzz_}
	local corpus="$build/corpus/$name" log="$build/logs/$name.log"
	mkdir -p "$corpus"
	[ -d "tests/fuzz/corpus/$name" ] && cp -n tests/fuzz/corpus/"$name"/* "$corpus"/ 2>/dev/null
	ASAN_OPTIONS=detect_leaks=1:halt_on_error=1:allocator_may_return_null=1 \
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
		nice -n 19 "$build/fuzz/$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
		-max_len=65536 -print_final_stats=1 -artifact_prefix="$build/crashes/$name-" "$corpus" >"$log" 2>&1
	echo $? >"$build/logs/$name.status"
}

running=0
for target in "${targets[@]}"; do
	run_one "$target" &
	running=$((running + 1))
	if [ "$running" -ge "$jobs" ]; then
		wait -n
		running=$((running - 1))
	fi
done
wait

failed=0
rows=()
for target in "${targets[@]}"; do
	name=${target#fuzz_}
	log="$build/logs/$name.log"
	status=$(cat "$build/logs/$name.status" 2>/dev/null || echo 1)
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
	cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2)
	corpus=$(find "$build/corpus/$name" -type f | wc -l)
	if [ "$status" -eq 0 ]; then
		result=ok
		echo "fuzz $name: ok (${runs:-0} runs, ${rate:-0} exec/s, cov ${cov:-0}, corpus $corpus)"
	else
		result="FAILED (exit $status)"
		failed=$((failed + 1))
		echo "fuzz $name: FAILED (exit $status); input kept in $build/crashes/"
		grep -E 'ERROR|SUMMARY|runtime error|==[0-9]+==' "$log" | head -n 12 | sed 's/^/    /'
	fi
	rows+=("| \`$name\` | $seconds | ${runs:-0} | ${rate:-0} | ${cov:-0} | $corpus | $result |")
done

if [ -n "$record" ]; then
	days+=("$(date -u +%Y-%m-%d)")
	first=$(printf '%s\n' "${days[@]}" | LC_ALL=C sort | head -n 1)
	last=$(printf '%s\n' "${days[@]}" | LC_ALL=C sort | tail -n 1)
	{
		if [ "$first" = "$last" ]; then
			record_header "$first"
		else
			record_header "$first to $last"
		fi
		printf '%s\n' "${kept_rows[@]}" "${rows[@]}" | LC_ALL=C sort -t'`' -k2,2
	} >"$record.tmp" && mv "$record.tmp" "$record"
	echo "recorded in $record"
fi
[ "$failed" -eq 0 ]
