#!/usr/bin/env bash
# server-none: a server that never accepts: connects complete into the accept queue (backlog + 1 of them), none is served.
set -u
. "$(dirname "$0")/../lib/netns.sh"
bin="${1:?usage: $0 BUILD_DIR}/bin"
port=8080

netns_pair_up || fail "cannot create the namespaces"
ip netns exec "$NS_SRV" "$bin/tcplab-server" -q -l "$SRV_ADDR:$port" -b 2 -d none --json --duration 15s \
	>"$NETNS_TMP/out" 2>"$NETNS_TMP/err" &
pid=$!
netns_track "$pid"
netns_wait_listen "$NS_SRV" "$port" || fail "server did not listen: $(head -n 1 "$NETNS_TMP/err")"

for i in 1 2 3 4 5; do
	ip netns exec "$NS_CLI" curl -s -o /dev/null -m 1 "http://$SRV_ADDR:$port/" &
	netns_track $!
done
acceptq() { ip netns exec "$NS_SRV" ss -Hltn "sport = :$port" | awk '{print $2}'; }
queue_full() { [ "$(acceptq)" = 3 ]; }
wait_until 5 queue_full
recvq=$(acceptq)
[ "$recvq" = 3 ] || fail "accept queue holds '$recvq', expected 3 (backlog 2 + 1)"
kill -TERM "$pid"
wait "$pid"
json_file_true "$NETNS_TMP/out" '.accepted == 0' || fail "a 'none' server accepted something: $(cat "$NETNS_TMP/out")"
echo "ok: accept queue full at 3, nothing accepted"
