#!/usr/bin/env bash
# run-suite.sh: replay the classroom labs in teaching order, one line per scenario, then one line per lab with its key figure, and a total.
#
# Usage: lab/run-suite.sh BUILD_DIR [SCENARIO | LAB...]
# A LAB is a lab's number or its page name in lab/labs.txt (syn-drop, 4): its scenarios. The order and the lab numbers come from lab/labs.txt; scenarios it does not
# list run after the listed ones. The key figure of a scenario is its first
# expectation (path and the value seen), so each scenario file puts the
# number its lab is about first. Once every scenario ran, a table gives each
# lab that ran: PASS only when all its scenarios passed, and the lab's key
# figure, drawn by jq from the run.json of the scenario its "#key" line in
# lab/labs.txt names (without jq: that scenario's own key figure). Results go
# to results/ (tcplab's default), or to $TCPLAB_RESULTS when set. With
# JUNIT=FILE in the environment (make lab JUNIT=FILE) every scenario is run
# with --junit into a temporary folder and `tcplab junit-merge` joins them
# into FILE: one testsuite per scenario. Exit status 0 only when every
# scenario passed (and FILE, when asked for, was written).
#
# Other scripts read this output (tests/integration/docker-suite-*.sh): the
# per-scenario lines keep their format, the total is the one line that starts
# with "labs: " and its last "N failed" counts failed scenarios.
set -u
build=${1:?usage: lab/run-suite.sh BUILD_DIR [SCENARIO | LAB...]}
shift
# The JUnit file is named from where the caller stands, before the cd below.
junit_out=${JUNIT:-}
case "$junit_out" in
'' | /*) ;;
*) junit_out="$PWD/$junit_out" ;;
esac
cd "$(dirname "$0")/.." || exit 2
tcplab="$build/bin/tcplab"
# The scenarios and profiles of this tree, whatever BUILD_DIR is.
export TCPLAB_HOME=${TCPLAB_HOME:-$PWD}
results_opt=()
[ -n "${TCPLAB_RESULTS:-}" ] && results_opt=(--results "$TCPLAB_RESULTS")
err=$(mktemp /tmp/tcplab-suite.XXXXXX)
junit_dir=
trap 'rm -f "$err"; [ -z "$junit_dir" ] || rm -rf "$junit_dir"' EXIT
[ -z "$junit_out" ] || junit_dir=$(mktemp -d /tmp/tcplab-suite-junit.XXXXXX) || exit 2

declare -A lab_of=() page_of=() lab_size=() key_scenario=() key_filter=()
lab_numbers=()
ordered=()
while read -r number page scenarios; do
	case "$number" in
	'#key')
		# "#key NUMBER SCENARIO JQ-FILTER": page holds NUMBER, the rest splits once more.
		read -r s filter <<<"$scenarios"
		key_scenario[$page]=$s
		key_filter[$page]=$filter
		continue
		;;
	'' | '#'*) continue ;;
	esac
	lab_numbers+=("$number")
	page_of[$number]=$page
	lab_size[$number]=0
	for s in $scenarios; do
		lab_of[$s]=$number
		lab_size[$number]=$((lab_size[$number] + 1))
		ordered+=("$s")
	done
done <lab/labs.txt
for f in lab/scenarios/*.conf; do
	s=$(basename "$f" .conf)
	[ -n "${lab_of[$s]:-}" ] || { lab_of[$s]=-; ordered+=("$s"); }
done

if [ "$#" -gt 0 ]; then
	# A lab's number or page name stands for its scenarios, in their order.
	names=()
	for arg in "$@"; do
		number=$arg
		for n in "${lab_numbers[@]}"; do
			[ "${page_of[$n]}" = "$arg" ] && number=$n
		done
		if [ -n "${page_of[$number]:-}" ]; then
			for s in "${ordered[@]}"; do
				[ "${lab_of[$s]}" = "$number" ] && names+=("$s")
			done
		else
			names+=("$arg")
		fi
	done
else
	names=()
	for s in "${ordered[@]}"; do
		[ -f "lab/scenarios/$s.conf" ] && names+=("$s")
	done
fi

passed=0
failed=0
start=$(date +%s)
# Per lab: scenarios run and passed; per scenario: its key figure and results folder.
declare -A labs_seen=() lab_ran=() lab_passed=() key_of=() dir_of=()
junit_files=()
for name in "${names[@]}"; do
	t0=$(date +%s)
	junit_opt=()
	if [ -n "$junit_dir" ]; then
		# Numbered, so the merged file keeps the order the scenarios ran in.
		junit_files+=("$junit_dir/$(printf '%03d' "${#junit_files[@]}").xml")
		junit_opt=(--junit "${junit_files[-1]}")
	fi
	out=$("$tcplab" run "${results_opt[@]}" "${junit_opt[@]}" "$name" 2>"$err")
	status=$?
	took=$(( $(date +%s) - t0 ))
	# "  PASS  path op number   (seen value)": the first one is the key figure.
	verdicts=$(printf '%s\n' "$out" | grep -cE '^  (PASS|FAIL)  ')
	fails=$(printf '%s\n' "$out" | grep -cE '^  FAIL  ')
	key=$(printf '%s\n' "$out" | grep -m1 -E '^  (PASS|FAIL)  ' |
		sed -E 's/^  (PASS|FAIL)  ([^ ]+) .*\(seen ([^)]*)\)$/\2 = \3/; s/^  (PASS|FAIL)  ([^ ]+) .*$/\2 = (none)/')
	if [ "$status" -eq 0 ]; then
		passed=$((passed + 1))
		word=PASS
	else
		failed=$((failed + 1))
		word=FAIL
		[ -n "$key" ] || key="(no result: exit status $status)"
	fi
	lab=${lab_of[$name]:--}
	labs_seen[$lab]=1
	lab_ran[$lab]=$((${lab_ran[$lab]:-0} + 1))
	[ "$word" = PASS ] && lab_passed[$lab]=$((${lab_passed[$lab]:-0} + 1))
	key_of[$name]=$key
	dir_of[$name]=$(printf '%s\n' "$out" | sed -n 's/^results: //p' | tail -n 1)
	printf '%3s  %-26s %s  %-52s %2d/%-2d %4ss\n' "${lab_of[$name]:--}" "$name" "$word" "$key" \
		"$((verdicts - fails))" "$verdicts" "$took"
	if [ "$status" -ne 0 ]; then
		printf '%s\n' "$out" | grep -E '^  FAIL  ' | sed 's/^/      /'
		sed 's/^/      /' "$err"
	fi
done

# The lab's key figure: its #key filter over the key scenario's run.json, or that scenario's own key figure.
lab_figure() {
	local lab=$1 s=${key_scenario[$1]:-} dir figure
	[ -n "$s" ] || { echo "(no #key line in lab/labs.txt)"; return; }
	dir=${dir_of[$s]-unrun}
	if [ "$dir" = unrun ]; then
		echo "(key scenario $s not run)"
	elif [ -z "$dir" ] || [ ! -f "$dir/run.json" ]; then
		echo "(no result from $s)"
	elif [ "$have_jq" = 0 ]; then
		echo "${key_of[$s]:-(none)} ($s)"
	elif figure=$(jq -r "${key_filter[$lab]}" "$dir/run.json" 2>/dev/null) && [ -n "$figure" ]; then
		echo "$figure ($s)"
	else
		echo "(the #key filter of lab $lab failed on $dir/run.json)"
	fi
}

have_jq=0
command -v jq >/dev/null && have_jq=1
labs_passed=0
echo
printf '%3s  %-26s %-4s  %-9s %s\n' lab page "" passed "key figure (scenario)"
for lab in "${lab_numbers[@]}" -; do
	[ -n "${lab_ran[$lab]:-}" ] || continue
	ran=${lab_ran[$lab]}
	ok=${lab_passed[$lab]:-0}
	word=FAIL
	[ "$ok" -eq "$ran" ] && { word=PASS; labs_passed=$((labs_passed + 1)); }
	if [ "$lab" = - ]; then
		page="(not in lab/labs.txt)"
		figure="-"
	else
		page=${page_of[$lab]}
		figure=$(lab_figure "$lab")
		[ "$ran" -lt "${lab_size[$lab]}" ] && figure="$figure; $ran of ${lab_size[$lab]} scenarios run"
	fi
	printf '%3s  %-26s %s  %-9s %s\n' "$lab" "$page" "$word" "$ok/$ran" "$figure"
done
[ "$have_jq" = 1 ] || echo "     (jq is not installed: each lab shows its key scenario's first expectation)"
echo "labs: ${#names[@]} scenarios in ${#labs_seen[@]} labs, $passed passed, $failed failed in $(( $(date +%s) - start ))s; $labs_passed of ${#labs_seen[@]} labs pass"
junit_ok=1
if [ -n "$junit_dir" ]; then
	# tcplab writes the file even for a scenario it refuses (an error testcase); one it could not write is left
	# out, and said so.
	present=()
	for f in "${junit_files[@]}"; do
		[ -f "$f" ] && present+=("$f")
	done
	if [ "${#present[@]}" -lt "${#junit_files[@]}" ]; then
		echo "junit: $(( ${#junit_files[@]} - ${#present[@]} )) scenario(s) wrote no JUnit file" >&2
	fi
	if [ "${#present[@]}" -gt 0 ] && "$tcplab" junit-merge --output "$junit_out" "${present[@]}"; then
		echo "junit: $junit_out"
	else
		echo "junit: $junit_out not written" >&2
		junit_ok=0
	fi
fi
[ "$failed" -eq 0 ] && [ "$junit_ok" -eq 1 ]
