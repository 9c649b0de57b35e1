#!/usr/bin/env bash
# lab-sigint: SIGINT or SIGTERM during a run stops it, marks the results interrupted and leaves nothing behind.
. "$(dirname "$0")/../lib/lab.sh" "$1"

pid=
trap '[ -n "$pid" ] && kill -KILL $pid 2>/dev/null; rm -rf "$RESULTS" "$RESULTS.out"' EXIT
for sig in INT TERM; do
	rm -rf "$RESULTS"
	"$TCPLAB" run --results "$RESULTS" syn-drop-when-full >"$RESULTS.out" 2>&1 &
	pid=$!
	# Wait until the run is under way: its namespaces exist.
	wait_lab_namespaces "$pid"
	wait_until 10 lab_programs_running "$pid" || fail "SIG$sig: the run never started both programs"
	programs=$(lab_program_pids "$pid")
	[ -n "$programs" ] || fail "SIG$sig: no lab program runs in the namespaces"
	kill -"$sig" "$pid"
	wait "$pid"
	status=$?
	cat "$RESULTS.out"
	[ "$status" -eq 130 ] || fail "SIG$sig: interrupted run exited $status, want 130"
	run_json=$(ls "$RESULTS"/*/run.json 2>/dev/null | head -n 1)
	[ -n "$run_json" ] || fail "SIG$sig: no run.json written"
	json_file_true "$run_json" '.run.status == "interrupted"' || fail "SIG$sig: run.json not marked interrupted"
	ls -A "$RESULTS" | grep -q '^\.tmp' && fail "SIG$sig: temporary folder left"
	ip netns list | grep -q "^tcplab-$pid-" && fail "SIG$sig: namespaces left"
	any_alive $programs && fail "SIG$sig: lab programs left running"
done
exit 0
