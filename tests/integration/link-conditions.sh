#!/usr/bin/env bash
# link-conditions: [link] keys are checked before anything starts (exit 2), refused by the docker backend (exit 3,
# nothing made), applied with --set (a 20 ms delay each way makes a 40 ms handshake, counted by both delay lines),
# the same in every column of compare --set, and an interrupted run leaves no delay line behind.
. "$(dirname "$0")/../lib/lab.sh" "$1"

pid=
trap '[ -n "$pid" ] && kill -KILL $pid 2>/dev/null; rm -rf "$RESULTS" "$RESULTS.out"' EXIT

# Bad values name the key and exit 2, with nothing started.
"$TCPLAB" run --results "$RESULTS" --set link.loss=5x link-delay-rtt >"$RESULTS.out" 2>&1
status=$?
[ "$status" -eq 2 ] || fail "--set link.loss=5x exited $status, want 2: $(cat "$RESULTS.out")"
grep -q "loss: '5x' is not a percentage" "$RESULTS.out" || fail "no message naming the key: $(cat "$RESULTS.out")"
"$TCPLAB" run --results "$RESULTS" --set link.jitter=80ms link-delay-rtt >"$RESULTS.out" 2>&1
[ $? -eq 2 ] || fail "a jitter above the delay was not refused: $(cat "$RESULTS.out")"
[ -z "$(ls -A "$RESULTS")" ] || fail "a refused scenario left something in the results folder"

# The docker backend refuses [link] before it reaches any agent.
"$TCPLAB" run --results "$RESULTS" --backend docker --server-agent unix:/nonexistent/s.sock \
	--client-agent unix:/nonexistent/c.sock link-delay-rtt >"$RESULTS.out" 2>&1
status=$?
[ "$status" -eq 3 ] || fail "docker backend with [link] exited $status, want 3: $(cat "$RESULTS.out")"
grep -q "not made by the docker backend" "$RESULTS.out" || fail "no clear refusal: $(cat "$RESULTS.out")"
[ -z "$(ls -A "$RESULTS")" ] || fail "the refusal left a results folder"

# A 20 ms delay each way: a 40 ms handshake, both delay lines counted their packets and stopped cleanly.
"$TCPLAB" run --results "$RESULTS" --set link.delay=20ms link-delay-rtt >"$RESULTS.out" 2>&1
run_json=$(ls "$RESULTS"/*/run.json 2>/dev/null | head -n 1)
[ -n "$run_json" ] || fail "no run.json: $(cat "$RESULTS.out")"
json_file_true "$run_json" '.client.connect_us.p50 >= 39000 and .client.connect_us.p50 <= 43000' ||
	fail "connect p50 $(json_num "$run_json" client.connect_us.p50) us with 20 ms each way, want 39..43 ms"
json_file_true "$run_json" '.link.round_trip_added_us == 40000' || fail "round_trip_added_us is not 40000"
for d in client_to_server server_to_client; do
	json_file_true "$run_json" ".link.$d.applied == true and .link.$d.delay_line.packets_delayed >= 200 and
		.link.$d.delay_line.exit_ok == true and .link.$d.delay_line.packets_dropped_full == 0 and
		(.link.$d.conditions.delay.method | test(\"nfqueue\"))" ||
		fail "$d: $(jq -c ".link.$d" "$run_json")"
done
[ -s "$(dirname "$run_json")/raw/client-delay.stdout" ] || fail "raw/client-delay.stdout missing"
grep -q "the link client -> server: delay 20.0ms" "$(dirname "$run_json")/summary.md" ||
	fail "the summary does not say what the link did"

# compare --set: the same key replaced in every column, each run saying so.
rm -rf "$RESULTS"/*
"$TCPLAB" compare --results "$RESULTS" --set link.delay=10ms --set client.requests=5 --profile classroom \
	--profile high-concurrency link-delay-rtt >"$RESULTS.out" 2>&1 || fail "compare --set: $(cat "$RESULTS.out")"
runs=$(ls "$RESULTS"/*-compare-link-delay-rtt/*/*/run.json 2>/dev/null | wc -l)
[ "$runs" -eq 2 ] || fail "compare --set wrote $runs runs, want 2"
for f in "$RESULTS"/*-compare-link-delay-rtt/*/*/run.json; do
	json_file_true "$f" '.link.round_trip_added_us == 20000 and .run.settings == ["link.delay=10ms", "client.requests=5"]
		and .client.connect_us.p50 >= 19000 and .client.connect_us.p50 <= 23000' ||
		fail "$f: $(jq -c '{settings: .run.settings, link: .link.round_trip_added_us, connect: .client.connect_us}' "$f")"
done

# SIGINT during a delayed run: exit 130, no delay line, program or namespace left.
rm -rf "$RESULTS"/*
"$TCPLAB" run --results "$RESULTS" --set client.requests=400 link-delay-rtt >"$RESULTS.out" 2>&1 &
pid=$!
wait_lab_namespaces "$pid"
wait_until 10 lab_programs_running "$pid" || fail "the run never started both programs"
programs=$(lab_program_pids "$pid")
for p in $programs; do
	[ "$(cat "/proc/$p/comm" 2>/dev/null)" = tcplab-delay ] && delay_seen=1
done
[ -n "${delay_seen:-}" ] || fail "no tcplab-delay in the lab's namespaces"
kill -INT "$pid"
wait "$pid"
status=$?
[ "$status" -eq 130 ] || fail "interrupted run exited $status, want 130: $(cat "$RESULTS.out")"
ip netns list | grep -q "^tcplab-$pid-" && fail "namespaces left"
any_alive $programs && fail "lab programs or delay lines left running"
exit 0
