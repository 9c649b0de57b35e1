#!/usr/bin/env bash
# run-suite.sh: replay the classroom labs in teaching order, one line per scenario with its key figure, and a total.
#
# Usage: lab/run-suite.sh BUILD_DIR [SCENARIO...]
# The order and the lab numbers come from lab/labs.txt; scenarios it does not
# list run after the listed ones. The key figure of a scenario is its first
# expectation (path and the value seen), so each scenario file puts the
# number its lab is about first. Results go to results/ (tcplab's default), or
# to $TCPLAB_RESULTS when set. Exit status 0 only when every scenario passed.
set -u
build=${1:?usage: lab/run-suite.sh BUILD_DIR [SCENARIO...]}
shift
cd "$(dirname "$0")/.." || exit 2
tcplab="$build/bin/tcplab"
# The scenarios and profiles of this tree, whatever BUILD_DIR is.
export TCPLAB_HOME=${TCPLAB_HOME:-$PWD}
results_opt=()
[ -n "${TCPLAB_RESULTS:-}" ] && results_opt=(--results "$TCPLAB_RESULTS")
err=$(mktemp /tmp/tcplab-suite.XXXXXX)
trap 'rm -f "$err"' EXIT

declare -A lab_of=()
ordered=()
while read -r number _page scenarios; do
	case "$number" in '' | '#'*) continue ;; esac
	for s in $scenarios; do
		lab_of[$s]=$number
		ordered+=("$s")
	done
done <lab/labs.txt
for f in lab/scenarios/*.conf; do
	s=$(basename "$f" .conf)
	[ -n "${lab_of[$s]:-}" ] || { lab_of[$s]=-; ordered+=("$s"); }
done

if [ "$#" -gt 0 ]; then
	names=("$@")
else
	names=()
	for s in "${ordered[@]}"; do
		[ -f "lab/scenarios/$s.conf" ] && names+=("$s")
	done
fi

passed=0
failed=0
start=$(date +%s)
declare -A labs_seen=()
for name in "${names[@]}"; do
	t0=$(date +%s)
	out=$("$tcplab" run "${results_opt[@]}" "$name" 2>"$err")
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
	labs_seen[${lab_of[$name]:--}]=1
	printf '%3s  %-26s %s  %-52s %2d/%-2d %4ss\n' "${lab_of[$name]:--}" "$name" "$word" "$key" \
		"$((verdicts - fails))" "$verdicts" "$took"
	if [ "$status" -ne 0 ]; then
		printf '%s\n' "$out" | grep -E '^  FAIL  ' | sed 's/^/      /'
		sed 's/^/      /' "$err"
	fi
done
echo "labs: ${#names[@]} scenarios in ${#labs_seen[@]} labs, $passed passed, $failed failed in $(( $(date +%s) - start ))s"
[ "$failed" -eq 0 ]
