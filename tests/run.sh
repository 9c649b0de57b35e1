#!/usr/bin/env bash
# run.sh: run the unit tests, then the integration tests (root, network namespaces), and print one total.
#
# Usage: tests/run.sh [--unit-only | --no-docker] BUILD_DIR
# Unit binaries print "PASS name" / "FAIL ..." / "SKIP name" lines; every
# integration script under tests/integration is one case (exit 0 = pass).
# --no-docker leaves out the integration tests that need Docker (docker-*).
set -u

unit_only=0
no_docker=0
case "${1:-}" in
--unit-only)
	unit_only=1
	shift
	;;
--no-docker)
	no_docker=1
	shift
	;;
esac
build=${1:?usage: tests/run.sh [--unit-only] BUILD_DIR}
build=$(cd "$build" && pwd)
cd "$(dirname "$0")/.." || exit 2
export TCPLAB_SRCDIR=$PWD

passed=0
failed=0
skipped=0
failures=()
log_dir=$(mktemp -d /tmp/tcplab-tests.XXXXXX)
trap 'rm -rf "$log_dir"' EXIT

for bin in "$build"/tests/test_*; do
	[ -x "$bin" ] || continue
	name=$(basename "$bin")
	out="$log_dir/$name.log"
	"$bin" >"$out" 2>&1
	status=$?
	p=$(grep -c '^PASS ' "$out")
	f=$(grep -c '^FAIL ' "$out")
	s=$(grep -c '^SKIP ' "$out")
	passed=$((passed + p))
	skipped=$((skipped + s))
	if [ "$f" -gt 0 ] || [ "$status" -ne 0 ]; then
		[ "$f" -eq 0 ] && f=1
		failed=$((failed + f))
		failures+=("$name")
		echo "--- $name (exit $status)"
		grep -v '^PASS ' "$out" | head -n 40
	fi
	echo "unit $name: $p passed, $f failed"
done

# The host's own (init namespace) sysctls that a lab could touch, one "path=value" per line.
host_sysctls() {
	local f
	for f in /proc/sys/net/core/* /proc/sys/net/ipv4/* /proc/sys/net/ipv4/conf/all/*; do
		[ -f "$f" ] && [ -r "$f" ] && printf '%s=%s\n' "$f" "$(tr '\n\t' '  ' <"$f" 2>/dev/null)"
	done
}

if [ "$unit_only" = 0 ]; then
	if [ "$(id -u)" != 0 ]; then
		echo "integration tests need root (network namespaces)" >&2
		exit 2
	fi
	host_sysctls >"$log_dir/sysctl-before"
	netns_before=$(ip netns list | sort)
	# What an earlier, killed run left is not this run's: only what appears during the suite counts.
	tmp_before=$(ls -d /tmp/tcplab-test.* /tmp/tcplab-results.* 2>/dev/null | sort || true)
	for script in tests/integration/*.sh; do
		[ -f "$script" ] || continue
		name=$(basename "$script" .sh)
		case "$name" in docker-*) [ "$no_docker" = 1 ] && continue ;; esac
		out="$log_dir/$name.log"
		start=$(date +%s)
		# The docker suites replay the whole catalogue (about 4 minutes each); anything else takes seconds.
		limit_s=120
		case "$name" in docker-suite-*) limit_s=540 ;; docker-*) limit_s=300 ;; esac
		timeout --kill-after=10 "$limit_s" bash "$script" "$build" >"$out" 2>&1
		status=$?
		took=$(( $(date +%s) - start ))
		if [ "$status" -eq 0 ]; then
			passed=$((passed + 1))
			echo "integration $name: ok (${took}s)"
		else
			failed=$((failed + 1))
			failures+=("$name")
			echo "integration $name: FAILED (exit $status, ${took}s)"
			tail -n 30 "$out" | sed 's/^/    /'
		fi
	done

	# After the whole suite: the host's sysctls are byte-identical and nothing of ours is left.
	host_sysctls >"$log_dir/sysctl-after"
	if cmp -s "$log_dir/sysctl-before" "$log_dir/sysctl-after"; then
		passed=$((passed + 1))
		echo "suite host-sysctls-unchanged: ok"
	else
		failed=$((failed + 1))
		failures+=(host-sysctls-unchanged)
		echo "suite host-sysctls-unchanged: FAILED"
		diff "$log_dir/sysctl-before" "$log_dir/sysctl-after" | head -n 20 | sed 's/^/    /'
	fi
	left_ns=$(comm -13 <(echo "$netns_before") <(ip netns list | sort) | grep -E '^(tcplab|tcplabt)-' || true)
	left_procs=$(pgrep -a -f "^$build/bin/tcplab" || true)
	left_tmp=$(comm -13 <(echo "$tmp_before") <(ls -d /tmp/tcplab-test.* /tmp/tcplab-results.* 2>/dev/null | sort) || true)
	left_veth=$(ip -o link show | awk -F': ' '{ print $2 }' | grep -E '^(tl[0-9]+x[0-9]+[sc]|vt[0-9]+[sc])(@|$)' || true)
	left_docker=
	if [ "$no_docker" = 0 ] && command -v docker >/dev/null; then
		left_docker=$({ docker ps -a --format '{{.Names}}'; docker network ls --format '{{.Name}}'; docker volume ls --format '{{.Name}}'; } 2>/dev/null | grep -E '^tcplabt[0-9]+[_-]' || true)
	fi
	if [ -z "$left_ns$left_procs$left_tmp$left_veth$left_docker" ]; then
		passed=$((passed + 1))
		echo "suite nothing-left-behind: ok"
	else
		failed=$((failed + 1))
		failures+=(nothing-left-behind)
		echo "suite nothing-left-behind: FAILED"
		printf '    %s\n' $left_ns "$left_procs" $left_tmp $left_veth $left_docker
	fi
fi

[ "${#failures[@]}" -gt 0 ] && echo "failed: ${failures[*]}"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
