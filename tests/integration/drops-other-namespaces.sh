#!/usr/bin/env bash
# drops-other-namespaces: the tracer counts the lab's two namespaces only. While ack-dropped runs (no RST in
# it), connects to a closed port in a namespace of the test's own and on the host's loopback make the kernel
# send RSTs and free SYNs as NO_SOCKET; none of them may show in the run's drops.
. "$(dirname "$0")/../lib/lab.sh" "$1"

other="tcplabt-$$-o"
pid=
noise=
cleanup() {
	[ -n "$noise" ] && kill "$noise" 2>/dev/null && wait "$noise" 2>/dev/null
	[ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null
	ip netns del "$other" 2>/dev/null
	rm -rf "$RESULTS" "$RESULTS.out"
}
trap cleanup EXIT
ip netns add "$other" || fail "cannot create a namespace"
ip -n "$other" link set lo up

# refused_connects N: N connects to 127.0.0.1 port 1 (nothing listens): each SYN is answered with RST. Bounded.
refused_connects() {
	local i
	for i in $(seq 1 "$1"); do
		(exec 3<>/dev/tcp/127.0.0.1/1) 2>/dev/null
		sleep 0.01
	done
}

rsts_in_other() { ip netns exec "$other" nstat -az TcpOutRsts | awk '$1 == "TcpOutRsts" { print $2 }'; }
rsts_before=$(rsts_in_other)
"$TCPLAB" run --results "$RESULTS" ack-dropped >"$RESULTS.out" 2>&1 &
pid=$!
wait_lab_namespaces "$pid"
# The noise lasts while the run does (at most 3000 connects each way, about a minute).
(
	for _ in $(seq 1 30); do
		kill -0 "$pid" 2>/dev/null || break
		ip netns exec "$other" bash -c "$(declare -f refused_connects); refused_connects 50"
		refused_connects 50
	done
) &
noise=$!
wait "$pid"
status=$?
pid=
kill "$noise" 2>/dev/null
wait "$noise" 2>/dev/null
noise=
cat "$RESULTS.out"
[ "$status" -eq 0 ] || fail "tcplab run ack-dropped exited $status"
made=$(($(rsts_in_other) - rsts_before))
[ "$made" -ge 50 ] || fail "the other namespace sent only $made RSTs: the noise did not run"
dir=$(sed -n 's/^results: //p' "$RESULTS.out")
doc=$dir/run.json
echo "RSTs sent in the other namespace meanwhile: $made; the run's drops: $(jq -c '.drops | {server, client, resets_sent}' "$doc")"
json_file_true "$doc" '.drops.status == "on"' || fail "drops not on: $(jq -c .drops "$doc")"
json_file_true "$doc" '.drops.resets_sent.server == 0 and .drops.resets_sent.client == 0 and
	.drops.resets_received.server == 0 and .drops.resets_received.client == 0' || fail "RSTs of other namespaces counted: $(jq -c .drops "$doc")"
json_file_true "$doc" '(.drops.server.NO_SOCKET // 0) == 0 and (.drops.client.NO_SOCKET // 0) == 0' ||
	fail "NO_SOCKET drops of other namespaces counted"
json_file_true "$doc" '.drops.netns.server != .drops.netns.client and .drops.netns.server > 0' || fail "netns inodes: $(jq -c .drops.netns "$doc")"
if grep -q '127\.0\.0\.1' "$dir/raw/drops.csv"; then fail "raw/drops.csv holds loopback packets"; fi
exit 0
