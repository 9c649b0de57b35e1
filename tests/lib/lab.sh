# lab.sh: helpers for integration tests of the tcplab controller.
#
# Usage: . "$(dirname "$0")/../lib/lab.sh" "$1"   (the build dir)
# Sets TCPLAB (the controller binary), RESULTS (a temp results dir removed on exit) and TCPLAB_HOME.

LAB_BUILD=$(cd "${1:?build dir}" && pwd)
TCPLAB="$LAB_BUILD/bin/tcplab"
export TCPLAB_HOME=${TCPLAB_SRCDIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
RESULTS=$(mktemp -d /tmp/tcplab-results.XXXXXX)
trap 'rm -rf "$RESULTS"' EXIT

# Print a failure reason and exit 1.
fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# The value of a top-level "key": number in a run.json section (first match after the section name).
json_num() {
	local file=$1 section=$2 key=$3
	awk -v s="\"$section\": {" -v k="\"$key\":" '
		index($0, s) { inside = 1 }
		inside && index($0, k) { sub(/.*": */, ""); sub(/,$/, ""); print; exit }
	' "$file"
}

# Names of the tcplab namespaces that exist now.
lab_namespaces() {
	ip netns list | awk '{ print $1 }' | grep '^tcplab-' || true
}

# tcplab namespaces whose controller has exited (tcplab-PID-N-s/c): left behind, whatever else runs meanwhile.
lab_namespaces_orphaned() {
	local ns pid
	for ns in $(lab_namespaces); do
		pid=${ns#tcplab-}
		pid=${pid%%-*}
		[ -d "/proc/$pid" ] || echo "$ns"
	done
}

# The pids of the processes in the namespaces of controller $1 (its lab programs), one per line.
lab_program_pids() {
	local ns
	for ns in $(ip netns list | awk -v p="tcplab-$1-" 'index($1, p) == 1 { print $1 }'); do
		ip netns pids "$ns"
	done
}

# Whether any of the pids given is still alive.
any_alive() {
	local p
	for p in "$@"; do
		kill -0 "$p" 2>/dev/null && return 0
	done
	return 1
}

# Wait (up to 4 s) until controller $1 has created its namespaces; fail if it never does.
wait_lab_namespaces() {
	local _
	for _ in $(seq 1 200); do
		ip netns list | grep -q "^tcplab-$1-" && return 0
		sleep 0.02
	done
	fail "the run never created its namespaces"
}
