#!/usr/bin/env bash
# lab-server-crash: when the server dies mid-run the controller reports it, writes the results and cleans up.
. "$(dirname "$0")/../lib/lab.sh" "$1"

"$TCPLAB" run --results "$RESULTS" accept-queue-capacity >"$RESULTS.out" 2>&1 &
pid=$!
trap 'kill -KILL $pid 2>/dev/null; rm -rf "$RESULTS" "$RESULTS.out"' EXIT
ns=""
for _ in $(seq 1 300); do
	ns=$(ip netns list | awk '{ print $1 }' | grep "^tcplab-$pid-.*-s$" | head -n 1)
	[ -n "$ns" ] && [ -n "$(ip netns pids "$ns" 2>/dev/null)" ] && break
	sleep 0.01
done
[ -n "$ns" ] || fail "the run never created its server namespace"
# Under way: the client runs too, so the server is past its start.
wait_until 10 lab_programs_running "$pid" || fail "the run never started both programs"
# The run's tcplab-server (its packet recorder runs in the namespace too).
server_pid=$(ns_program_pid "$ns" tcplab-server)
[ -n "$server_pid" ] || fail "no server process in $ns"
programs=$(lab_program_pids "$pid")
kill -KILL "$server_pid"
wait "$pid"
status=$?
cat "$RESULTS.out"
[ "$status" -eq 3 ] || fail "a crashed server should end the run with status 3, got $status"
grep -q 'tcplab-server was killed by signal 9 (Killed)' "$RESULTS.out" || fail "the summary does not say the server died"
json_file_true "$(ls "$RESULTS"/*/run.json | head -n 1)" '.run.status == "error"' || fail "run.json not marked error"
ip netns list | grep -q "^tcplab-$pid-" && fail "namespaces left"
any_alive $programs && fail "lab programs left running"
exit 0
