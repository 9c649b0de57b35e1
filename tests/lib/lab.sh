# lab.sh: helpers for integration tests of the tcplab controller.
#
# Usage: . "$(dirname "$0")/../lib/lab.sh" "$1"   (the build dir)
# Sets TCPLAB (the controller binary), RESULTS (a temp results dir removed on exit) and TCPLAB_HOME.

LAB_BUILD=$(cd "${1:?build dir}" && pwd)
TCPLAB="$LAB_BUILD/bin/tcplab"
export TCPLAB_HOME=${TCPLAB_SRCDIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
RESULTS=$(mktemp -d /tmp/tcplab-results.XXXXXX)
trap 'rm -rf "$RESULTS"' EXIT
# A test stopped by its time limit (SIGTERM) or by Ctrl-C still runs its EXIT trap.
trap 'exit 143' TERM
trap 'exit 130' INT

# Print a failure reason and exit 1.
fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# JSON is read with jq: json_true, json_file_true, json_get, json_num.
. "$(dirname "${BASH_SOURCE[0]}")/json.sh"
# Conditions are waited for with a bound: wait_until.
. "$(dirname "${BASH_SOURCE[0]}")/wait.sh"

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

# The pid of the process named $2 in network namespace $1 (tcplab-server, tcplab-client, tcplab-capture), or "".
ns_program_pid() {
	local p
	for p in $(ip netns pids "$1" 2>/dev/null); do
		[ "$(cat "/proc/$p/comm" 2>/dev/null)" = "$2" ] && { echo "$p"; return 0; }
	done
	return 1
}

# Whether both lab programs of controller $1 run: tcplab-server in its server namespace, tcplab-client in its
# client namespace (the packet recorders there start before them).
lab_programs_running() {
	local side ns program
	for side in s c; do
		ns=$(ip netns list | awk -v p="tcplab-$1-" -v s="-$side" 'index($1, p) == 1 && substr($1, length($1) - 1) == s { print $1 }' | head -n 1)
		program=tcplab-server
		[ "$side" = c ] && program=tcplab-client
		[ -n "$ns" ] && ns_program_pid "$ns" "$program" >/dev/null || return 1
	done
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

# The drop tracer's BPF programs loaded now (any process's), "id name" one per line; its programs are named
# tcplab_* (lab/probe/drops.bpf.c).
lab_bpf_programs() {
	bpftool prog show -j 2>/dev/null | jq -r '.[] | select((.name // "") | startswith("tcplab_")) | "\(.id) \(.name)"'
}

# The BPF links (attachments) of those programs, one id per line.
lab_bpf_links() {
	local ids
	ids=$(lab_bpf_programs | awk '{ print $1 }' | paste -sd, -)
	[ -n "$ids" ] || return 0
	bpftool link show -j 2>/dev/null | jq -r --arg ids "$ids" '($ids | split(",") | map(tonumber)) as $p
		| .[] | select(.prog_id as $i | $p | index($i)) | .id'
}
