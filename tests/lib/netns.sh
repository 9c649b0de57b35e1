# netns.sh: create and remove a pair of network namespaces joined by a veth, for integration tests.
#
# Usage (in a test script):
#   . "$(dirname "$0")/../lib/netns.sh"
#   netns_pair_up           # sets NS_SRV NS_CLI SRV_ADDR CLI_ADDR, installs a cleanup trap
#   ip netns exec "$NS_SRV" ...
# Every namespace gets loopback up; the server side is 198.18.0.1, the client
# side 198.18.0.2 (/30 per pair; names are unique per process so tests can run at once).

NETNS_PIDS=()

# JSON is read with jq: json_true, json_file_true, json_get.
. "$(dirname "${BASH_SOURCE[0]}")/json.sh"
# Conditions are waited for with a bound: wait_until.
. "$(dirname "${BASH_SOURCE[0]}")/wait.sh"

netns_cleanup() {
	local pid
	for pid in "${NETNS_PIDS[@]}"; do
		kill -TERM "$pid" 2>/dev/null
	done
	for pid in "${NETNS_PIDS[@]}"; do
		wait "$pid" 2>/dev/null
	done
	[ -n "${NS_SRV:-}" ] && ip netns del "$NS_SRV" 2>/dev/null
	[ -n "${NS_CLI:-}" ] && ip netns del "$NS_CLI" 2>/dev/null
	[ -n "${NETNS_TMP:-}" ] && rm -rf "$NETNS_TMP"
	return 0
}

# Remember a background pid so cleanup ends it.
netns_track() {
	NETNS_PIDS+=("$1")
}

netns_pair_up() {
	local tag="t$$"
	NS_SRV="tcplabt-${tag}-s"
	NS_CLI="tcplabt-${tag}-c"
	SRV_ADDR=198.18.0.1
	CLI_ADDR=198.18.0.2
	NETNS_TMP=$(mktemp -d /tmp/tcplab-test.XXXXXX)
	trap netns_cleanup EXIT
	trap 'exit 130' INT TERM
	ip netns add "$NS_SRV" || return 1
	ip netns add "$NS_CLI" || return 1
	ip link add "v${tag}s" netns "$NS_SRV" type veth peer name "v${tag}c" netns "$NS_CLI" || return 1
	ip -n "$NS_SRV" link set lo up
	ip -n "$NS_CLI" link set lo up
	ip -n "$NS_SRV" addr add "$SRV_ADDR/30" dev "v${tag}s"
	ip -n "$NS_CLI" addr add "$CLI_ADDR/30" dev "v${tag}c"
	ip -n "$NS_SRV" link set "v${tag}s" up
	ip -n "$NS_CLI" link set "v${tag}c" up
}

# Wait (up to ~5 s) until a LISTEN socket on port $2 exists in namespace $1.
netns_wait_listen() {
	local i
	for i in $(seq 1 500); do
		if ip netns exec "$1" ss -Hltn "sport = :$2" | grep -q .; then
			return 0
		fi
		sleep 0.01
	done
	return 1
}

# Print a failure reason and exit 1.
fail() {
	echo "FAIL: $*" >&2
	exit 1
}
