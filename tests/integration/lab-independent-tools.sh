#!/usr/bin/env bash
# lab-independent-tools: the run's accept-queue figure and counters agree with ss and nstat run on their own.
. "$(dirname "$0")/../lib/lab.sh" "$1"

"$TCPLAB" run --results "$RESULTS" accept-queue-capacity >"$RESULTS.out" 2>&1 &
pid=$!
trap 'kill -KILL $pid 2>/dev/null; rm -rf "$RESULTS" "$RESULTS.out"' EXIT
ns=""
for _ in $(seq 1 300); do
	ns=$(ip netns list | awk '{ print $1 }' | grep "^tcplab-$pid-.*-s$" | head -n 1)
	[ -n "$ns" ] && break
	sleep 0.01
done
[ -n "$ns" ] || fail "the run never created its server namespace"
# Watch Recv-Q of the listener with ss itself while the run goes on.
ss_max=0
while kill -0 "$pid" 2>/dev/null; do
	q=$(ip netns exec "$ns" ss -Hltn 'sport = :8080' 2>/dev/null | awk '{ print $2; exit }')
	[ -n "$q" ] && [ "$q" -gt "$ss_max" ] && ss_max=$q
	sleep 0.01
done
wait "$pid"
status=$?
cat "$RESULTS.out"
[ "$status" -eq 0 ] || fail "run exited $status"
dir=$(ls -d "$RESULTS"/*-accept-queue-capacity | head -n 1)
run_max=$(json_num "$dir/run.json" acceptq max)
[ "$ss_max" = "$run_max" ] || fail "ss -ltn saw Recv-Q max $ss_max, the run recorded $run_max"

# nstat's own before/after output of the server namespace gives the same deltas as run.json.
for counter in TcpExtListenOverflows TcpExtListenDrops TcpPassiveOpens; do
	b=$(awk -v c="$counter" '$1 == c { print $2 }' "$dir/raw/server-nstat-before.txt")
	a=$(awk -v c="$counter" '$1 == c { print $2 }' "$dir/raw/server-nstat-after.txt")
	want=$(( ${a:-0} - ${b:-0} ))
	got=$(json_num "$dir/run.json" nstat "$counter")
	[ "$want" = "$got" ] || fail "$counter: nstat says $want, run.json says $got"
done
[ "$(json_num "$dir/run.json" nstat TcpExtListenOverflows)" -ge 1 ] || fail "no ListenOverflows seen by nstat"
exit 0
