#!/usr/bin/env bash
# server-close-rst: --close rst resets the connection (curl exit 56) and leaves no TIME_WAIT; --close fin ends cleanly and does leave one.
set -u
. "$(dirname "$0")/../lib/netns.sh"
bin="${1:?usage: $0 BUILD_DIR}/bin"
port=8080

netns_pair_up || fail "cannot create the namespaces"

# Start a server with extra flags, wait for it, leave its pid in server_pid.
start_server() {
	ip netns exec "$NS_SRV" "$bin/tcplab-server" -q -l "$SRV_ADDR:$port" --duration 15s "$@" \
		>"$NETNS_TMP/out" 2>"$NETNS_TMP/err" &
	server_pid=$!
	netns_track "$server_pid"
	netns_wait_listen "$NS_SRV" "$port" || fail "server ($*) did not listen: $(head -n 1 "$NETNS_TMP/err")"
}

stop_server() {
	kill -TERM "$server_pid"
	wait "$server_pid" 2>/dev/null
}

timewait_count() {
	ip netns exec "$NS_SRV" ss -Htan state time-wait "sport = :$port" | wc -l
}

# Raw close with RST after 200 ms: curl has sent its request and reads "Connection reset by peer".
start_server --raw close --close rst -t 200ms
ip netns exec "$NS_CLI" curl -s -o /dev/null -m 5 "http://$SRV_ADDR:$port/"
rc=$?
[ "$rc" = 56 ] || fail "--raw close --close rst: curl exit $rc, expected 56 (connection reset)"
stop_server

# With FIN a silent client (it sends nothing) reads a clean end of stream. Had it sent a request,
# the kernel would reset anyway: closing a socket with unread data sends RST whatever the style.
start_server --raw close --close fin
ip netns exec "$NS_CLI" timeout 5 bash -c "exec 3<>/dev/tcp/$SRV_ADDR/$port && cat <&3" 2>/dev/null
rc=$?
[ "$rc" = 0 ] || fail "--raw close --close fin: a silent client's read ended with status $rc, expected a clean EOF"
stop_server
start_server --raw close --close rst
ip netns exec "$NS_CLI" timeout 5 bash -c "exec 3<>/dev/tcp/$SRV_ADDR/$port && cat <&3" 2>/dev/null
rc=$?
[ "$rc" = 1 ] || fail "--raw close --close rst: a silent client's read ended with status $rc, expected 1 (reset)"
stop_server

# HTTP with keep-alive off: the server closes first, so TIME_WAIT sits on its side, unless it resets.
start_server --keepalive off --close fin
code=$(ip netns exec "$NS_CLI" curl -s -o /dev/null -m 5 -w '%{http_code}' "http://$SRV_ADDR:$port/")
[ "$code" = 200 ] || fail "--close fin: HTTP status '$code', expected 200"
in_time_wait() { [ "$(timewait_count)" -ge 1 ]; }
wait_until 5 in_time_wait
tw=$(timewait_count)
[ "$tw" -ge 1 ] || fail "--close fin: $tw TIME_WAIT sockets on the server, expected at least 1"
stop_server

# A fresh port, so the TIME_WAIT just counted (it lasts 60 s) is not counted again.
port=8081
start_server --keepalive off --close rst
ip netns exec "$NS_CLI" curl -s -o /dev/null -m 5 "http://$SRV_ADDR:$port/"
# Wait until the server's side of the connection is gone (closed, or in TIME_WAIT if it were not reset).
closed() { [ -z "$(ip netns exec "$NS_SRV" ss -Htn state all exclude listening exclude time-wait "sport = :$port")" ]; }
wait_until 5 closed || fail "--close rst: the server's connection never closed"
tw=$(timewait_count)
[ "$tw" = 0 ] || fail "--close rst: $tw TIME_WAIT sockets on the server, expected none"
stop_server
echo "ok: rst gives curl 56, a reset read and no TIME_WAIT; fin gives EOF and TIME_WAIT"
