#!/usr/bin/env bash
# server-epoll: the event loop never blocks on the handle time: 10 requests of 500 ms each, at once, finish together.
set -u
. "$(dirname "$0")/../lib/netns.sh"
bin="${1:?usage: $0 BUILD_DIR}/bin"
port=8080

netns_pair_up || fail "cannot create the namespaces"
ip netns exec "$NS_SRV" "$bin/tcplab-server" -q -l "$SRV_ADDR:$port" -d epoll -t 500ms --json --duration 15s \
	>"$NETNS_TMP/out" 2>"$NETNS_TMP/err" &
pid=$!
netns_track "$pid"
netns_wait_listen "$NS_SRV" "$port" || fail "epoll server did not listen: $(head -n 1 "$NETNS_TMP/err")"

start_ns=$(date +%s%N)
curls=()
for i in $(seq 1 10); do
	ip netns exec "$NS_CLI" curl -s -o /dev/null -m 5 -w '%{http_code}\n' "http://$SRV_ADDR:$port/" \
		>"$NETNS_TMP/code.$i" &
	curls+=($!)
done
for c in "${curls[@]}"; do
	wait "$c"
done
took_ms=$(( ($(date +%s%N) - start_ns) / 1000000 ))
for i in $(seq 1 10); do
	[ "$(cat "$NETNS_TMP/code.$i")" = 200 ] || fail "request $i got '$(cat "$NETNS_TMP/code.$i")', expected 200"
done
# One after another they would take 5 s; overlapped, a little over 0.5 s.
[ "$took_ms" -lt 2000 ] || fail "10 concurrent 500 ms requests took ${took_ms} ms: the loop blocked"
[ "$took_ms" -ge 450 ] || fail "10 requests took only ${took_ms} ms: the 500 ms handle time was not applied"

kill -TERM "$pid"
wait "$pid"
json_file_true "$NETNS_TMP/out" '.requests == 10 and .responses == 10' || fail "summary does not count 10 requests: $(cat "$NETNS_TMP/out")"
echo "ok: 10 x 500 ms requests in ${took_ms} ms"
