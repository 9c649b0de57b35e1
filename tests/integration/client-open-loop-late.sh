#!/bin/bash
# client-open-loop-late: an open loop that wakes late (the client is stopped for 600 ms) still starts every
# connection its schedule holds, records how late each started, and reports latency from the intended start
# beside latency from the actual start; for both HTTP engines and connect mode.
. "$(dirname "$0")/../lib/netns.sh"
BIN="$1/bin"
netns_pair_up || fail "could not create the namespaces"

ip netns exec "$NS_SRV" "$BIN/tcplab-server" -l "$SRV_ADDR:8080" -d epoll -q >/dev/null &
netns_track $!
netns_wait_listen "$NS_SRV" 8080 || fail "server did not listen"

# field JSON KEY SUB: the number under "KEY":{..."SUB":N...} of a one-line summary.
field() { echo "$1" | sed -n "s/.*\"$2\":{[^}]*\"$3\":\\([0-9]*\\).*/\\1/p"; }

# 200/s for 500 ms = 100 starts. The client is stopped from ~150 ms to ~750 ms: the rest of the schedule,
# and the end of the duration, pass while it cannot run; it must start the ~70 due starts when it wakes.
for variant in "--engine lean" "--engine curl" "-m connect"; do
	# shellcheck disable=SC2086
	ip netns exec "$NS_CLI" "$BIN/tcplab-client" $variant --json --rate 200 --duration 500ms \
		--records "$NETNS_TMP/r.jsonl" "$SRV_ADDR:8080" >"$NETNS_TMP/out.json" &
	pid=$!
	sleep 0.15
	kill -STOP "$pid"
	sleep 0.6
	kill -CONT "$pid"
	# A client that waits for a start it will never make must not hang the test.
	for _ in $(seq 1 100); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -TERM "$pid" 2>/dev/null
	wait "$pid" || fail "$variant: client exited $?"
	out=$(cat "$NETNS_TMP/out.json")
	echo "$out" | grep -q '"requests":100,' || fail "$variant: expected 100 starts, late or not: $out"
	echo "$out" | grep -q '"ok":100,' || fail "$variant: expected 100 ok: $out"
	[ "$(grep -c '"late_us":' "$NETNS_TMP/r.jsonl")" = 100 ] || fail "$variant: records lack late_us"
	late_max=$(field "$out" start_late_us max)
	late_p50=$(field "$out" start_late_us p50)
	# The start due at ~150 ms waited until ~750 ms: about 600 ms late; those due after were later less so.
	[ -n "$late_max" ] && [ "$late_max" -ge 450000 ] || fail "$variant: max lateness ${late_max}us, expected ~600 ms"
	late_records=$(sed -n 's/.*"late_us":\([0-9]*\).*/\1/p' "$NETNS_TMP/r.jsonl" | awk '$1 >= 100000' | wc -l)
	[ "$late_records" -ge 50 ] || fail "$variant: only $late_records records started >= 100 ms late"
	[ -n "$late_p50" ] || fail "$variant: no start_late_us in $out"
	intended_max=$(field "$out" total_from_intended_us max)
	total_max=$(field "$out" total_us max)
	# From the intended start the worst request took the ~600 ms it waited; from the actual start, milliseconds
	# (but for the one request, if any, that was in flight when the client was stopped).
	[ -n "$intended_max" ] && [ "$intended_max" -ge 450000 ] || fail "$variant: intended max ${intended_max}us"
	# A request that happened to be in flight when the client was stopped took the 600 ms itself: one at most.
	[ -n "$total_max" ] || fail "$variant: no total_us in $out"
	slow=$(sed -n 's/.*"total_us":\([0-9]*\).*/\1/p' "$NETNS_TMP/r.jsonl" | awk '$1 >= 200000' | wc -l)
	[ "$slow" -le 1 ] || fail "$variant: $slow requests took >= 200 ms from their actual start (total max ${total_max}us): the wait was counted in them"
done
exit 0
