#!/usr/bin/env bash
# lab-junit: run --junit and compare --junit --strict write JUnit XML that xmllint reads, with a testcase per
# expectation, the failure's seen value, UNAVAILABLE skipped (a failure with --strict), the same exit status as
# without the option, a symlink at the file's name replaced rather than followed, an error testcase for a run
# without a result, and junit-merge adding files up.
. "$(dirname "$0")/../lib/lab.sh" "$1"

command -v xmllint >/dev/null || fail "xmllint is not installed (make deps: libxml2-utils)"

# xmllint's value of an XPath expression over a file.
xpath() {
	xmllint --xpath "$2" "$1" 2>/dev/null
}

# accept-queue-capacity with one expectation that fails (the queue holds 2) and one that rests on a capture
# this run does not make (--no-capture): UNAVAILABLE.
sc="$RESULTS/junit-check.conf"
sed -e 's/^name = accept-queue-capacity$/name = junit-check/' "$TCPLAB_HOME/lab/scenarios/accept-queue-capacity.conf" >"$sc"
printf 'server.acceptq.max == 3\npackets.syn >= 1\n' >>"$sc"
grep -q '^name = junit-check$' "$sc" || fail "could not name the scenario copy"

# The file's name is a symlink to a file that must stay as it is.
echo "keep" >"$RESULTS/victim"
ln -s "$RESULTS/victim" "$RESULTS/run.xml"
out=$("$TCPLAB" run --no-capture --results "$RESULTS" --junit "$RESULTS/run.xml" "$sc" 2>&1)
status=$?
echo "$out"
[ "$status" -eq 1 ] || fail "tcplab run exited $status, not 1 (one expectation fails)"
[ "$(cat "$RESULTS/victim")" = keep ] || fail "the symlink's target was written"
[ -f "$RESULTS/run.xml" ] && [ ! -L "$RESULTS/run.xml" ] || fail "run.xml is not a file of its own"
xmllint --noout "$RESULTS/run.xml" || fail "run.xml is not well-formed"
dir=$(echo "$out" | sed -n 's/^results: //p')
want=$(jq '.expectations | length' "$dir/run.json")
[ "$want" -eq 9 ] || fail "run.json holds $want expectations, not 9"
[ "$(xpath "$RESULTS/run.xml" 'count(/testsuites/testsuite)')" = 1 ] || fail "not one testsuite"
[ "$(xpath "$RESULTS/run.xml" 'count(//testcase)')" = "$want" ] || fail "not a testcase per expectation"
[ "$(xpath "$RESULTS/run.xml" 'string(/testsuites/@tests)')" = "$want" ] || fail "tests attribute is not $want"
[ "$(xpath "$RESULTS/run.xml" 'string(/testsuites/@failures)')" = 1 ] || fail "not one failure"
[ "$(xpath "$RESULTS/run.xml" 'string(/testsuites/@skipped)')" = 1 ] || fail "not one skipped test"
[ "$(xpath "$RESULTS/run.xml" 'string(/testsuites/testsuite/@name)')" = "junit-check [classroom]" ] ||
	fail "suite name: $(xpath "$RESULTS/run.xml" 'string(/testsuites/testsuite/@name)')"
[ "$(xpath "$RESULTS/run.xml" 'string(//testcase[@name="server.acceptq.max == 3"]/failure/@message)')" = \
	"seen 2, expected == 3" ] || fail "the failure does not say what was seen"
xpath "$RESULTS/run.xml" 'string(//testcase[@name="packets.syn >= 1"]/skipped/@message)' | grep -q '^UNAVAILABLE: ' ||
	fail "the unavailable expectation is not skipped with its reason"
[ "$(xpath "$RESULTS/run.xml" 'string(//testcase[@name="server.acceptq.max == 2"]/@classname)')" = \
	"junit-check [classroom]" ] || fail "classname is not the scenario and profile"
[ "$(xpath "$RESULTS/run.xml" 'count(//testcase[@name="server.acceptq.max == 2"]/*)')" = 0 ] ||
	fail "a passed expectation carries a failure or skipped"

# compare: a suite per column, named by its profiles; --strict makes UNAVAILABLE a failure; the exit status is
# still about the replays completing.
out=$("$TCPLAB" compare --no-capture --results "$RESULTS" --junit "$RESULTS/compare.xml" --strict \
	--profile classroom --profile server=kernel-defaults "$sc" 2>&1)
status=$?
echo "$out"
[ "$status" -eq 0 ] || fail "tcplab compare exited $status"
xmllint --noout "$RESULTS/compare.xml" || fail "compare.xml is not well-formed"
[ "$(xpath "$RESULTS/compare.xml" 'count(/testsuites/testsuite)')" = 2 ] || fail "not a testsuite per column"
[ "$(xpath "$RESULTS/compare.xml" 'string(/testsuites/testsuite[2]/@name)')" = \
	"junit-check [server=kernel-defaults,client=classroom]" ] ||
	fail "column suite name: $(xpath "$RESULTS/compare.xml" 'string(/testsuites/testsuite[2]/@name)')"
[ "$(xpath "$RESULTS/compare.xml" 'string(/testsuites/@skipped)')" = 0 ] || fail "--strict left skipped tests"
[ "$(xpath "$RESULTS/compare.xml" 'count(//testcase[@name="packets.syn >= 1"]/failure[@type="unavailable"])')" = 2 ] ||
	fail "--strict did not make the unavailable expectation a failure in each column"

# A run that produces no result (agents that are not there): one error testcase, exit status 3 as without --junit.
out=$("$TCPLAB" run --results "$RESULTS" --junit "$RESULTS/error.xml" --backend docker \
	--server-agent unix:"$RESULTS/no-agent.sock" --client-agent unix:"$RESULTS/no-agent.sock" "$sc" 2>&1)
status=$?
echo "$out"
[ "$status" -eq 3 ] || fail "a run without agents exited $status, not 3"
xmllint --noout "$RESULTS/error.xml" || fail "error.xml is not well-formed"
[ "$(xpath "$RESULTS/error.xml" 'count(//testcase)')" = 1 ] || fail "not one testcase for a run without result"
[ -n "$(xpath "$RESULTS/error.xml" 'string(//testcase/error/@message)')" ] || fail "the error has no message"

# A scenario that does not load: exit status 2 as without --junit, and the file says why.
"$TCPLAB" run --junit "$RESULTS/refused.xml" no-such-scenario-here 2>/dev/null
status=$?
[ "$status" -eq 2 ] || fail "an unknown scenario exited $status, not 2"
xpath "$RESULTS/refused.xml" 'string(//testsuite[@name="no-such-scenario-here"]/testcase/error/@message)' |
	grep -q 'no such scenario' || fail "the refused scenario's file does not say why"

# junit-merge: the three files as one, totals added up.
"$TCPLAB" junit-merge --output "$RESULTS/all.xml" "$RESULTS/run.xml" "$RESULTS/compare.xml" "$RESULTS/error.xml" ||
	fail "junit-merge failed"
xmllint --noout "$RESULTS/all.xml" || fail "all.xml is not well-formed"
[ "$(xpath "$RESULTS/all.xml" 'count(/testsuites/testsuite)')" = 4 ] || fail "the merge does not hold 4 suites"
[ "$(xpath "$RESULTS/all.xml" 'string(/testsuites/@tests)')" = "$(xpath "$RESULTS/all.xml" 'count(//testcase)')" ] ||
	fail "the merged tests total is not the number of testcases"
[ "$(xpath "$RESULTS/all.xml" 'string(/testsuites/@errors)')" = 1 ] || fail "the merge lost the error"
ls -a "$RESULTS" | grep -q '\.tmp' && fail "a temporary file was left: $(ls -a "$RESULTS")"
[ -z "$(lab_namespaces)" ] || fail "namespaces left: $(lab_namespaces)"
exit 0
