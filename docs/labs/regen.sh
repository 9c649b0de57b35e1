#!/usr/bin/env bash
# regen.sh: rewrite the "real run" excerpt of each lab page from fresh runs of its scenarios on this machine.
#
# Usage: docs/labs/regen.sh BUILD_DIR [PAGE...]
#        docs/labs/regen.sh --stability RUNS BUILD_DIR [SCENARIO...]
# For each page of lab/labs.txt (or only the PAGEs named), every scenario of
# the lab is replayed once and its summary (what `tcplab run` prints) goes
# between the page's markers
#   <!-- real-run: begin ... -->  and  <!-- real-run: end -->
# with the date and the kernel release; the server's `ss -ltn` after the run
# is added when its accept queue was not empty. Nothing else in the page is
# touched. With --stability, lab/stability.sh replays every scenario RUNS
# times and its table goes between the stability markers of README.md (and
# the stability-added block is emptied); with SCENARIOs, only those are
# replayed and their table goes into the stability-added block: scenarios
# added since the full table was taken.
# Exit status 1 when a scenario failed (its excerpt is written all the same).
set -u
stability_runs=0
if [ "${1:-}" = "--stability" ]; then
	stability_runs=${2:?usage: docs/labs/regen.sh --stability RUNS BUILD_DIR}
	shift 2
fi
build=${1:?usage: docs/labs/regen.sh BUILD_DIR [PAGE...]}
shift
build=$(cd "$build" && pwd) || exit 2
cd "$(dirname "$0")/../.." || exit 2
export TCPLAB_HOME=${TCPLAB_HOME:-$PWD}
tcplab="$build/bin/tcplab"
work=$(mktemp -d /tmp/tcplab-regen.XXXXXX)
trap 'rm -rf "$work"' EXIT

begin_re='^<!-- real-run: begin'
end_re='^<!-- real-run: end'

# Replace the lines between the begin and end markers of file $1 (markers kept) with the content of file $2.
replace_between() {
	local page=$1 content=$2 begin=$3 end=$4
	grep -q "$begin" "$page" && grep -q "$end" "$page" || {
		echo "regen: $page has no markers matching '$begin' / '$end'" >&2
		return 1
	}
	awk -v begin="$begin" -v end="$end" -v content="$content" '
		$0 ~ begin { print; while ((getline line < content) > 0) print line; skip = 1; next }
		$0 ~ end { skip = 0 }
		!skip { print }
	' "$page" >"$work/page.new" && cat "$work/page.new" >"$page"
}

if [ "$stability_runs" -gt 0 ]; then
	# Every scenario: the table, and the block of later additions emptied. Named scenarios only (added
	# since the table was taken): their own table in that block.
	lab/stability.sh "$build" "$stability_runs" "$@" >"$work/stability.txt"
	status=$?
	{
		echo
		echo '```text'
		cat "$work/stability.txt"
		echo '```'
		echo
	} >"$work/excerpt"
	echo >"$work/empty"
	if [ "$#" -eq 0 ]; then
		replace_between docs/labs/README.md "$work/excerpt" '^<!-- stability: begin' '^<!-- stability: end' &&
			replace_between docs/labs/README.md "$work/empty" '^<!-- stability-added: begin' \
				'^<!-- stability-added: end' || exit 1
	else
		replace_between docs/labs/README.md "$work/excerpt" '^<!-- stability-added: begin' \
			'^<!-- stability-added: end' || exit 1
	fi
	cat "$work/stability.txt"
	exit "$status"
fi

failed=0
while read -r number page scenarios; do
	case "$number" in '' | '#'*) continue ;; esac
	if [ "$#" -gt 0 ]; then
		wanted=0
		for p in "$@"; do [ "$p" = "$page" ] && wanted=1; done
		[ "$wanted" = 1 ] || continue
	fi
	file="docs/labs/$page.md"
	[ -f "$file" ] || { echo "regen: lab $number: $file is missing" >&2; failed=1; continue; }
	{
		echo
		echo "Real run on $(date -u +%Y-%m-%d), kernel $(uname -r); rewritten by \`docs/labs/regen.sh\`, do not edit by hand."
	} >"$work/excerpt"
	for s in $scenarios; do
		rm -rf "$work/results"
		if ! "$tcplab" run --results "$work/results" "$s" >/dev/null 2>"$work/err"; then
			echo "regen: $s failed:" >&2
			sed 's/^/  /' "$work/err" >&2
			failed=1
		fi
		summary=$(ls "$work"/results/*/summary.md 2>/dev/null | head -n 1)
		{
			echo
			echo "\`tcplab run $s\`:"
			echo
			echo '```text'
			if [ -n "$summary" ]; then
				# The block between the fences, without the line naming the (temporary) results folder.
				sed -n '/^```/,/^```/p' "$summary" | sed '1d;$d' | grep -vE '^(results|report): '
			else
				echo "(no result: $(tail -n 1 "$work/err"))"
			fi
			# The last connection the explanation takes as an example, as tcplab packets shows it.
			port=$([ -n "$summary" ] && sed -n 's/.*(tcplab packets --port \([0-9]*\) RESULTS_DIR).*/\1/p' "$summary" | tail -n 1)
			if [ -n "$port" ]; then
				echo "tcplab packets --port $port RESULTS_DIR (that connection's ladder):"
				"$tcplab" packets --port "$port" "$(dirname "$summary")" 2>&1 | sed -n '/^ladders of/,$p' | sed '1,2d; s/ *$//'
			fi
			ltn=$(ls "$work"/results/*/raw/server-ss-ltn-after.txt 2>/dev/null | head -n 1)
			if [ -n "$ltn" ] && awk 'NR > 1 && $2 > 0 { found = 1 } END { exit !found }' "$ltn"; then
				echo "server ss -ltn after the run:"
				sed 's/^/  /; s/ *$//' "$ltn"
			fi
			echo '```'
		} >>"$work/excerpt"
		echo "regen: lab $number $s done" >&2
	done
	echo >>"$work/excerpt"
	replace_between "$file" "$work/excerpt" "$begin_re" "$end_re" || failed=1
done <lab/labs.txt
exit "$failed"
