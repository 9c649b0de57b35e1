#!/usr/bin/env bash
# lab-cleanup: after a controller is killed with SIGKILL, `tcplab cleanup` removes its namespaces and its
# unfinished results folder, and nothing of a live run; --dry-run only lists; bad arguments exit 2.
. "$(dirname "$0")/../lib/lab.sh" "$1"

pid=
# Whatever happens, the killed run's namespaces go too: a failure here must not fail the tests after it.
trap '[ -n "$pid" ] && kill -KILL $pid 2>/dev/null && wait $pid 2>/dev/null; "$TCPLAB" cleanup --results "$RESULTS" >/dev/null 2>&1
	rm -rf "$RESULTS" "$RESULTS.out" "$RESULTS.clean"' EXIT
"$TCPLAB" cleanup --bogus 2>"$RESULTS.out"
[ $? = 2 ] && [ "$(wc -l <"$RESULTS.out")" = 1 ] || fail "cleanup --bogus: $(cat "$RESULTS.out")"
"$TCPLAB" cleanup extra 2>/dev/null
[ $? = 2 ] || fail "cleanup with an extra argument did not exit 2"

"$TCPLAB" run --results "$RESULTS" never-accept >"$RESULTS.out" 2>&1 &
pid=$!
wait_lab_namespaces "$pid"
# A live run is not touched.
"$TCPLAB" cleanup --results "$RESULTS" >"$RESULTS.clean" || fail "cleanup exited $?"
ip netns list | grep -q "^tcplab-$pid-" || fail "cleanup removed the namespaces of a live run: $(cat "$RESULTS.clean")"
ls -A "$RESULTS" | grep -q '^\.tmp' || fail "cleanup removed the folder of a live run"

wait_until 10 lab_programs_running "$pid" || fail "the run never started both programs"
programs=$(lab_program_pids "$pid")
[ -n "$programs" ] || fail "no lab program runs in the namespaces"
kill -KILL "$pid"
wait "$pid" 2>/dev/null
namespaces=$(ip netns list | grep -c "^tcplab-$pid-")
[ "$namespaces" -ge 2 ] || fail "a killed run left $namespaces namespaces; this test expects its two"
ls -A "$RESULTS" | grep -q '^\.tmp' || fail "a killed run left no unfinished folder; this test expects one"
# The lab programs die with the controller (PR_SET_PDEATHSIG), whatever cleanup does.
for _ in $(seq 1 100); do
	any_alive $programs || break
	sleep 0.02
done
any_alive $programs && fail "lab programs outlived their controller"

"$TCPLAB" cleanup --dry-run --results "$RESULTS" >"$RESULTS.clean" || fail "cleanup --dry-run exited $?"
grep -q "would remove namespace tcplab-$pid-" "$RESULTS.clean" || fail "dry run: $(cat "$RESULTS.clean")"
grep -q "would remove unfinished results $RESULTS/.tmp-never-accept-$pid-" "$RESULTS.clean" ||
	fail "dry run does not list the folder: $(cat "$RESULTS.clean")"
[ "$(ip netns list | grep -c "^tcplab-$pid-")" = "$namespaces" ] || fail "--dry-run removed namespaces"

"$TCPLAB" cleanup --results "$RESULTS" >"$RESULTS.clean" || fail "cleanup exited $?"
cat "$RESULTS.clean"
ip netns list | grep -q "^tcplab-$pid-" && fail "cleanup left namespaces: $(ip netns list | grep "^tcplab-$pid-")"
ls -A "$RESULTS" | grep -q '^\.tmp' && fail "cleanup left the unfinished folder"
grep -qE "^[0-9]+ stale lab namespaces? and 1 unfinished result folder removed$" "$RESULTS.clean" ||
	fail "cleanup's last line: $(tail -n 1 "$RESULTS.clean")"
exit 0
