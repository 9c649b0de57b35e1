#!/usr/bin/env bash
# server-reuseport: prefork:2 shares one LISTEN socket; with --reuseport each child owns its own and both accept.
set -u
. "$(dirname "$0")/../lib/netns.sh"
bin="${1:?usage: $0 BUILD_DIR}/bin"
port=8080

netns_pair_up || fail "cannot create the namespaces"

listen_lines() { ip netns exec "$NS_SRV" ss -Hltnp "sport = :$port"; }

# Shared socket: one LISTEN line, held by the parent and both children.
ip netns exec "$NS_SRV" "$bin/tcplab-server" -q -l "$SRV_ADDR:$port" -b 16 -d prefork:2 --json --duration 15s \
	>"$NETNS_TMP/out" 2>"$NETNS_TMP/err" &
pid=$!
netns_track "$pid"
netns_wait_listen "$NS_SRV" "$port" || fail "prefork:2 did not listen: $(head -n 1 "$NETNS_TMP/err")"
n=$(listen_lines | wc -l)
[ "$n" = 1 ] || fail "prefork:2 without --reuseport: $n LISTEN sockets, expected 1"
kill -TERM "$pid"
wait "$pid"

# One SO_REUSEPORT socket per child: two LISTEN lines, each held by a single, different process.
ip netns exec "$NS_SRV" "$bin/tcplab-server" -q -l "$SRV_ADDR:$port" -b 16 -d prefork:2 --reuseport --json \
	--duration 15s >"$NETNS_TMP/out" 2>"$NETNS_TMP/err" &
pid=$!
netns_track "$pid"
netns_wait_listen "$NS_SRV" "$port" || fail "prefork:2 --reuseport did not listen: $(head -n 1 "$NETNS_TMP/err")"
both_listen() { [ "$(listen_lines | wc -l)" = 2 ]; }
wait_until 5 both_listen
n=$(listen_lines | wc -l)
[ "$n" = 2 ] || fail "prefork:2 --reuseport: $n LISTEN sockets, expected 2"
owners=$(listen_lines | grep -o 'pid=[0-9]*' | sort -u | wc -l)
[ "$owners" = 2 ] || fail "prefork:2 --reuseport: sockets held by $owners processes, expected 2 (one each)"
listen_lines | awk '{print $3}' | grep -qvx 16 && fail "a reuseport socket's Send-Q is not the backlog 16"

# New connections are spread over the two queues by a hash of the 4-tuple: 20 fresh ones reach both.
for i in $(seq 1 20); do
	ip netns exec "$NS_CLI" curl -s -o /dev/null -m 5 "http://$SRV_ADDR:$port/" || fail "request $i failed"
done
kill -TERM "$pid"
wait "$pid"
per=$(jq -r '.per_process_accepted // empty | map(tostring) | join(",")' "$NETNS_TMP/out")
[ -n "$per" ] || fail "no per_process_accepted in the summary: $(cat "$NETNS_TMP/out")"
IFS=, read -r a b <<<"$per"
[ "$((a + b))" = 20 ] || fail "per-process accepts $per do not add up to 20"
[ "$a" -gt 0 ] && [ "$b" -gt 0 ] || fail "per-process accepts $per: one SO_REUSEPORT child got nothing"
echo "ok: shared socket 1 LISTEN; --reuseport 2 LISTEN, accepts split $per"
