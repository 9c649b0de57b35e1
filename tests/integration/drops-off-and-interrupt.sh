#!/usr/bin/env bash
# drops-off-and-interrupt: a bad [capture] drops value exits 2 with nothing started; drops = off loads no BPF
# program and an expectation on drops reads UNAVAILABLE; a run interrupted by SIGINT or killed by SIGKILL
# leaves no tcplab BPF program or link attached.
. "$(dirname "$0")/../lib/lab.sh" "$1"
command -v bpftool >/dev/null || fail "bpftool is not installed (make deps)"

pid=
# A scenario's name must match its file's: the copies are named drops-test.conf in a folder of their own.
confdir=$(mktemp -d /tmp/tcplab-drops-conf.XXXXXX)
conf=$confdir/drops-test.conf
trap '[ -n "$pid" ] && kill -KILL $pid 2>/dev/null; "$TCPLAB" cleanup --results "$RESULTS" >/dev/null 2>&1; rm -rf "$RESULTS" "$RESULTS.out" "$confdir"' EXIT
[ -z "$(lab_bpf_programs)" ] || fail "tcplab BPF programs are loaded before the test: $(lab_bpf_programs)"

# A bad value: file, line and key on one line, exit 2, no namespace made.
sed -e '/^\[expect\]/,$d' -e 's/^name = ack-dropped$/name = drops-test/' "$TCPLAB_HOME/lab/scenarios/ack-dropped.conf" >"$conf"
printf '[capture]\ndrops = maybe\n' >>"$conf"
line=$(grep -n '^drops = maybe' "$conf" | cut -d: -f1)
"$TCPLAB" run --results "$RESULTS" "$conf" >"$RESULTS.out" 2>&1
status=$?
[ "$status" -eq 2 ] || fail "drops = maybe exited $status, want 2"
grep -q "$conf:$line: \[capture\] drops: " "$RESULTS.out" || fail "the error does not name file, line and key: $(cat "$RESULTS.out")"
[ "$(wc -l <"$RESULTS.out")" -eq 1 ] || fail "more than one line for a bad value: $(cat "$RESULTS.out")"
[ -z "$(lab_namespaces)" ] || fail "a bad scenario created namespaces"

# drops = off: no program loaded while the run goes, status off, the expectation on drops UNAVAILABLE.
sed -e '/^\[expect\]/,$d' -e 's/^name = ack-dropped$/name = drops-test/' "$TCPLAB_HOME/lab/scenarios/ack-dropped.conf" >"$conf"
printf '[capture]\ndrops = off\n\n[expect]\nserver.drops.TCP_LISTEN_OVERFLOW >= 1\nclient.outcome.ok == 40\n' >>"$conf"
"$TCPLAB" run --results "$RESULTS" "$conf" >"$RESULTS.out" 2>&1 &
pid=$!
wait_lab_namespaces "$pid"
wait_until 10 lab_programs_running "$pid" || fail "drops = off: the run never started both programs"
[ -z "$(lab_bpf_programs)" ] || fail "drops = off, yet BPF programs are loaded: $(lab_bpf_programs)"
wait "$pid"
status=$?
pid=
cat "$RESULTS.out"
[ "$status" -eq 0 ] || fail "drops = off: the run exited $status (an UNAVAILABLE expectation is not a failure)"
dir=$(sed -n 's/^results: //p' "$RESULTS.out")
json_file_true "$dir/run.json" '.drops.status == "off" and (.drops.reason | length > 0)' || fail "drops: $(jq -c .drops "$dir/run.json")"
json_file_true "$dir/run.json" '.expectations[0].status == "unavailable" and .expectations[0].pass == false and .expectations[1].status == "pass"' ||
	fail "expectations: $(jq -c .expectations "$dir/run.json")"
grep -q "UNAVAILABLE  server.drops.TCP_LISTEN_OVERFLOW >= 1" "$RESULTS.out" || fail "the summary does not say UNAVAILABLE"
grep -q "^  kernel drops: off" "$RESULTS.out" || fail "the summary does not say drop tracing was off"
[ -e "$dir/raw/drops.csv" ] && fail "drops = off wrote raw/drops.csv"
rm -rf "$RESULTS"/*

# --no-capture turns drop tracing off as it does packet capture, whatever the scenario says.
"$TCPLAB" run --no-capture --results "$RESULTS" backlog-plus-one >"$RESULTS.out" 2>&1 || fail "--no-capture: the run exited $?"
dir=$(sed -n 's/^results: //p' "$RESULTS.out")
json_file_true "$dir/run.json" '.drops.status == "off" and .capture.packets == false' || fail "--no-capture: drops $(jq -c .drops "$dir/run.json")"
rm -rf "$RESULTS"/*

# SIGINT, then SIGKILL, of a run whose programs are attached: nothing of them stays.
for sig in INT KILL; do
	"$TCPLAB" run --results "$RESULTS" syn-drop-when-full >"$RESULTS.out" 2>&1 &
	pid=$!
	wait_lab_namespaces "$pid"
	wait_until 10 lab_programs_running "$pid" || fail "SIG$sig: the run never started both programs"
	progs=$(lab_bpf_programs | wc -l)
	links=$(lab_bpf_links | wc -l)
	echo "SIG$sig: while the run goes, $progs tcplab BPF programs, $links links"
	[ "$progs" -eq 4 ] && [ "$links" -eq 4 ] || fail "SIG$sig: $progs programs and $links links attached, want 4 and 4"
	kill -"$sig" "$pid"
	wait "$pid"
	status=$?
	pid=
	none() { [ -z "$(lab_bpf_programs)" ] && [ -z "$(bpftool link show -j | jq -r '.[] | select(.type == "raw_tracepoint") | .prog_id' |
		while read -r p; do bpftool prog show id "$p" -j | jq -r 'select(.name | startswith("tcplab_")) | .id'; done)" ]; }
	wait_until 5 none || fail "SIG$sig: BPF left after the controller ended: $(lab_bpf_programs)"
	if [ "$sig" = INT ]; then
		[ "$status" -eq 130 ] || fail "SIGINT: exited $status, want 130"
		json_file_true "$(ls "$RESULTS"/*/run.json | head -n 1)" '.drops.status == "on"' || fail "SIGINT: the interrupted run has no drops"
	fi
	"$TCPLAB" cleanup --results "$RESULTS" >/dev/null || fail "tcplab cleanup exited $?"
	[ -z "$(lab_bpf_programs)" ] || fail "SIG$sig: BPF programs after tcplab cleanup"
done
exit 0
