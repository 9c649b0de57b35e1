#!/usr/bin/env bash
# docker-suite-2-matches-netns: every scenario replayed in network namespaces passes, and gives the verdicts, limits and
# read-back profiles the containers gave, scenario by scenario, and neither backend's counters hold traffic of the lab's own.
# Compares with the results docker-suite-1-compose-up kept; docker/known-differences.txt is checked as written there.
. "$(dirname "$0")/../../docker/testlib.sh"
build=$(cd "$1" && pwd)
keep=/tmp/tcplab-docker-suite
known=$DOCKER_SRC/docker/known-differences.txt
docker_require
docker_project
work=$DOCKER_TMP
trap 'docker_cleanup; rm -rf "$keep"' EXIT
[ -d "$keep/results" ] || fail "no container results in $keep (docker-suite-1-compose-up failed or did not run)"
command -v jq >/dev/null || fail "jq is not installed (make docker-deps)"

mkdir "$work/netns"
TCPLAB_RESULTS=$work/netns TCPLAB_HOME=$DOCKER_SRC "$DOCKER_SRC/lab/run-suite.sh" "$build" >"$work/netns.log" 2>&1
netns_status=$?
cat "$work/netns.log"

latest() { ls -d "$1"/*-"$2" 2>/dev/null | tail -n 1; }
known_field() { awk -F'\t' -v s="$1" '$1 == s { print $2 }' "$known"; }

# Why a run did not pass: its status when not complete, else the expectations that failed (but the one allowed to).
not_passing() {
	jq -r --arg allowed "$2" '
		if .run.status != "complete" then "status \(.run.status)"
		else [.expectations[] | select(.pass != true and .text != $allowed) | .text] | join("; ") end' "$1/run.json"
}

# One line per expectation: "text<TAB>pass".
verdicts() { jq -r '.expectations[] | "\(.text)\t\(.pass)"' "$1/run.json"; }

# What must be equal whatever the timing: the limits the kernel derived and both sides' read-back sysctls.
fixed() { jq -S '{limits: .run.limits, server: .server.sysctl, client: .client.sysctl, capacity: .server.acceptq.capacity}' "$1/run.json"; }

# Active opens beyond the client's own connections would be traffic of the lab's own in the counters.
own_traffic() {
	jq -r '[.client.nstat.TcpActiveOpens, (.client.connections // -1)] | @tsv' "$1/run.json"
}

# Passive opens on the server for the client's connections: traffic of the lab's own would add to them.
# (The accept-queue figures themselves are held to the scenario's tolerance, its expectations, above.)
figures() {
	jq -r '[.server.nstat.TcpPassiveOpens // 0, .client.connections // 0] | @tsv' "$1/run.json"
}

# within A B: A and B differ by at most 20 % of the larger, or by 3 (small counts jitter by a connection or two).
within() {
	awk -v a="$1" -v b="$2" 'BEGIN { d = a - b; if (d < 0) d = -d; m = a > b ? a : b; exit !(d <= 3 || d <= 0.2 * m) }'
}

compare() {
	local name=$1 n=$2 d=$3 diff line text allowed
	diff=$(diff <(verdicts "$n") <(verdicts "$d"))
	allowed=$(known_field "$name")
	if [ -n "$diff" ]; then
		# Only the one documented expectation may differ.
		while IFS= read -r line; do
			text=$(printf '%s' "${line#[<>] }" | cut -f1)
			[ "$text" = "$allowed" ] || { echo "$name: verdicts differ: $diff"; return 1; }
		done < <(echo "$diff" | grep -E '^[<>] ')
	fi
	diff -q <(fixed "$n") <(fixed "$d") >/dev/null || {
		echo "$name: limits or read-back sysctls differ: $(diff <(fixed "$n") <(fixed "$d") | head -n 6 | tr '\n' ' ')"
		return 1
	}
	read -r n_opens n_conns < <(own_traffic "$n")
	read -r d_opens d_conns < <(own_traffic "$d")
	if [ "$n_opens" = "$n_conns" ] && [ "$d_opens" != "$d_conns" ]; then
		echo "$name: client TcpActiveOpens $d_opens for $d_conns connections in containers (netns: $n_opens for $n_conns)"
		return 1
	fi
	read -r n_passive n_c < <(figures "$n")
	read -r d_passive d_c < <(figures "$d")
	# Without traffic of the lab's own, the server counts as many passive opens for as many client connections.
	if [ "$n_c" = "$d_c" ] && [ "$n_passive" != "$d_passive" ] && ! within "$n_passive" "$d_passive"; then
		echo "$name: server TcpPassiveOpens $d_passive in containers, $n_passive in namespaces"
		return 1
	fi
	if [ -n "$diff" ]; then
		echo "$name: same but for '$allowed', as docker/known-differences.txt says"
	else
		echo "$name: same"
	fi
	return 0
}

# Replay one scenario once more on both backends (a verdict that depends on a few milliseconds may flip once).
replay() {
	mkdir -p "$work/retry-netns"
	TCPLAB_HOME=$DOCKER_SRC "$build/bin/tcplab" run --results "$work/retry-netns" "$1" >/dev/null 2>&1
	compose run --rm lab run "$1" >/dev/null 2>&1
	docker_down_checked
}

failures=0
retries=0
for f in "$DOCKER_SRC"/lab/scenarios/*.conf; do
	name=$(basename "$f" .conf)
	n=$(latest "$work/netns" "$name")
	d=$(latest "$keep/results" "$name")
	[ -n "$n" ] || { echo "$name: no result in network namespaces"; failures=$((failures + 1)); continue; }
	if [ "$(known_field "$name")" = refused ]; then
		reason=$(awk -F'\t' -v s="$name" '$1 == s { print $3 }' "$known")
		if [ -n "$d" ] || ! grep -q "tcplab: $name: .*docker backend" "$keep/suite.log"; then
			echo "$name: the docker backend should refuse it ($reason)"
			failures=$((failures + 1))
		else
			echo "$name: netns only, as documented: $reason"
		fi
		continue
	fi
	[ -n "$d" ] || { echo "$name: no result in containers"; failures=$((failures + 1)); continue; }
	# Agreeing is not enough: a scenario that fails on both backends alike is a failure (a sampler reading 0
	# everywhere would agree with itself).
	why_n=$(not_passing "$n" "")
	why_d=$(not_passing "$d" "$(known_field "$name")")
	if [ -n "$why_n" ] || [ -n "$why_d" ]; then
		[ -n "$why_n" ] && echo "$name: fails in network namespaces: $why_n"
		[ -n "$why_d" ] && echo "$name: fails in containers: $why_d"
		failures=$((failures + 1))
		continue
	fi
	if msg=$(compare "$name" "$n" "$d"); then
		echo "$msg"
		continue
	fi
	echo "$msg"
	# Two replays at most, and only while they fit in the 540 s tests/run.sh gives this script.
	if [ "$retries" -ge 2 ] || [ "$SECONDS" -gt 420 ]; then
		failures=$((failures + 1))
		continue
	fi
	retries=$((retries + 1))
	echo "$name: replaying once more on both backends"
	replay "$name"
	if msg=$(compare "$name" "$(latest "$work/retry-netns" "$name")" "$(latest "$TCPLAB_RESULTS" "$name")"); then
		echo "$msg (second replay)"
	else
		echo "$msg"
		failures=$((failures + 1))
	fi
done
[ "$failures" -eq 0 ] || fail "$failures scenarios fail or differ between containers and network namespaces"
[ "$netns_status" -eq 0 ] || fail "the suite in network namespaces exited $netns_status: $(grep -E '^labs: ' "$work/netns.log")"
exit 0
