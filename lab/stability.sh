#!/usr/bin/env bash
# stability.sh: replay every scenario N times and print how often each passed (the stability table).
#
# Usage: lab/stability.sh BUILD_DIR [RUNS] [SCENARIO...]
# Exit status 0 only when every run of every scenario passed. TCPLAB_REPLAY_PREFIX, when set, is a command
# each replay runs under (split into words), for instance a lock that the users of a shared machine take
# one replay at a time.
set -u
build=${1:?usage: lab/stability.sh BUILD_DIR [RUNS] [SCENARIO...]}
runs=${2:-10}
shift $(( $# >= 2 ? 2 : 1 ))
cd "$(dirname "$0")/.." || exit 2
tcplab="$build/bin/tcplab"
# The scenarios and profiles of this tree, whatever BUILD_DIR is.
export TCPLAB_HOME=${TCPLAB_HOME:-$PWD}
read -ra prefix <<<"${TCPLAB_REPLAY_PREFIX:-}"
results=$(mktemp -d /tmp/tcplab-stability.XXXXXX)
trap 'rm -rf "$results"' EXIT

if [ "$#" -gt 0 ]; then
	names=("$@")
else
	names=()
	for f in lab/scenarios/*.conf; do
		names+=("$(basename "$f" .conf)")
	done
fi

echo "stability: $runs runs per scenario, kernel $(uname -r), $(date -u +%Y-%m-%d)"
printf '| %-28s | %-7s | %-9s | %s\n' scenario passed seconds "failed expectations"
all_ok=1
for name in "${names[@]}"; do
	passed=0
	failures=""
	t0=$(date +%s)
	for i in $(seq 1 "$runs"); do
		out=$("${prefix[@]}" "$tcplab" run --results "$results" "$name" 2>&1)
		if [ $? -eq 0 ]; then
			passed=$((passed + 1))
		else
			failures+="$(echo "$out" | grep -E '^  FAIL|^tcplab:' | sed 's/  */ /g' | tr '\n' ';')"
		fi
		rm -rf "${results:?}"/*
	done
	[ "$passed" -eq "$runs" ] || all_ok=0
	printf '| %-28s | %3d/%-3d | %-9s | %s\n' "$name" "$passed" "$runs" "$(( $(date +%s) - t0 ))" "$(printf '%s' "$failures" | tr ';' '\n' | sort -u | tr '\n' ';')"
done
[ "$all_ok" = 1 ]
