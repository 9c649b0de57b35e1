#!/usr/bin/env bash
# lab-independent-tools: for the four core scenarios, the run's accept-queue figures and server counters, and the
# verdicts resting on them, agree with ss -ltn polled during the run and nstat read on its own afterwards.
. "$(dirname "$0")/../lib/lab.sh" "$1"

pid=
holder=
trap '[ -n "$pid" ] && kill -KILL $pid 2>/dev/null; [ -n "$holder" ] && kill $holder 2>/dev/null;
	rm -rf "$RESULTS" "$RESULTS.out" "$RESULTS.nstat"' EXIT

check_scenario() {
	local name=$1 ns="" ss_max=0 q dir run_max capacity full_ms counter want got path op expected pass seen verdict
	"$TCPLAB" run --results "$RESULTS" "$name" >"$RESULTS.out" 2>&1 &
	pid=$!
	for _ in $(seq 1 300); do
		ns=$(ip netns list | awk '{ print $1 }' | grep "^tcplab-$pid-.*-s$" | head -n 1)
		[ -n "$ns" ] && break
		sleep 0.01
	done
	[ -n "$ns" ] || fail "$name: the run never created its server namespace"
	# A process of ours inside keeps the namespace, and its counters, after the run has removed its name.
	ip netns exec "$ns" sleep 600 &
	holder=$!
	# Watch Recv-Q of the listener with ss itself while the run goes on.
	while kill -0 "$pid" 2>/dev/null; do
		q=$(ip netns exec "$ns" ss -Hltn 'sport = :8080' 2>/dev/null | awk '{ print $2; exit }')
		[ -n "$q" ] && [ "$q" -gt "$ss_max" ] && ss_max=$q
		sleep 0.005
	done
	wait "$pid"
	pid=
	# The namespace was new: nstat's absolute values are what the run did there (teardown opens nothing).
	nsenter --net="/proc/$holder/ns/net" nstat -asz >"$RESULTS.nstat" || fail "$name: nstat in the kept namespace"
	kill "$holder"
	wait "$holder" 2>/dev/null
	holder=
	dir=$(ls -d "$RESULTS"/*-"$name" | tail -n 1)
	jq -e '.run.status == "complete"' "$dir/run.json" >/dev/null || fail "$name: the run did not complete: $(cat "$RESULTS.out")"

	run_max=$(jq '.server.acceptq.max' "$dir/run.json")
	capacity=$(jq '.server.acceptq.capacity' "$dir/run.json")
	full_ms=$(jq '.server.acceptq.full_ms | floor' "$dir/run.json")
	# Both poll, at other moments: a queue full for a tenth of a second or more both must see full; a short
	# peak either may miss. Neither can see more than the capacity.
	[ "$ss_max" -le "$capacity" ] || fail "$name: ss -ltn saw Recv-Q $ss_max above the capacity $capacity"
	if [ "$full_ms" -ge 100 ]; then
		[ "$ss_max" = "$capacity" ] && [ "$run_max" = "$capacity" ] ||
			fail "$name: full for ${full_ms} ms, yet ss -ltn saw Recv-Q max $ss_max and the run $run_max of $capacity"
	fi
	for counter in TcpExtListenOverflows TcpExtListenDrops TcpPassiveOpens; do
		want=$(awk -v c="$counter" '$1 == c { print $2 }' "$RESULTS.nstat")
		got=$(jq --arg c "$counter" '.server.nstat[$c] // 0' "$dir/run.json")
		[ "${want:-0}" = "$got" ] || fail "$name: $counter: nstat says ${want:-0}, run.json says $got"
	done
	# Every verdict on a server counter, judged again on nstat's own figure.
	while IFS=$'\t' read -r path op expected pass; do
		counter=${path#server.nstat.}
		seen=$(awk -v c="$counter" '$1 == c { print $2 }' "$RESULTS.nstat")
		verdict=$(awk -v s="${seen:-0}" -v op="$op" -v e="$expected" 'BEGIN {
			s += 0; e += 0
			if (op == "==") r = s == e; else if (op == "!=") r = s != e
			else if (op == ">=") r = s >= e; else if (op == "<=") r = s <= e
			else if (op == ">") r = s > e; else r = s < e
			print r ? "true" : "false" }')
		[ "$verdict" = "$pass" ] || fail "$name: '$path $op $expected' is $pass in the run, $verdict on nstat's ${seen:-0}"
	done < <(jq -r '.expectations[] | select(.path | startswith("server.nstat.")) | [.path, .op, .expected, .pass] | @tsv' \
		"$dir/run.json")
	echo "$name: ss -ltn max $ss_max, the run's $run_max (capacity $capacity, full ${full_ms} ms); nstat agrees"
}

command -v jq >/dev/null || fail "jq is not installed"
for s in accept-queue-capacity syn-drop-when-full abort-on-overflow handle-time-grid; do
	check_scenario "$s"
done
exit 0
