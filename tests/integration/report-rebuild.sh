#!/usr/bin/env bash
# report-rebuild: without gnuplot a run says so once and writes no report.html (the run itself is unaffected);
# tcplab report then builds it from the saved results; a folder that is not a result is refused.
. "$(dirname "$0")/../lib/lab.sh" "$1"

out=$(TCPLAB_GNUPLOT=/nonexistent/gnuplot "$TCPLAB" run --results "$RESULTS" syn-drop-when-full 2>&1)
status=$?
echo "$out"
[ "$status" -eq 0 ] || fail "tcplab run without gnuplot exited $status"
[ "$(echo "$out" | grep -c 'is not installed: no report.html')" -eq 1 ] || fail "the missing gnuplot is not said exactly once"
dir=$(echo "$out" | sed -n 's/^results: //p')
[ -s "$dir/run.json" ] || fail "no run folder"
[ -e "$dir/report.html" ] && fail "report.html written without gnuplot"

out=$(TCPLAB_GNUPLOT=/nonexistent/gnuplot "$TCPLAB" report "$dir" 2>&1)
status=$?
[ "$status" -eq 3 ] || fail "tcplab report without gnuplot exited $status, expected 3: $out"

mkdir "$RESULTS/tmp"
out=$(TMPDIR="$RESULTS/tmp" "$TCPLAB" report "$dir" 2>&1)
status=$?
echo "$out"
[ "$status" -eq 0 ] || fail "tcplab report exited $status"
[ "$out" = "report: $dir/report.html" ] || fail "unexpected output: $out"
[ -s "$dir/report.html" ] || fail "tcplab report wrote no report.html"
for id in plot-acceptq plot-states plot-connect plot-outcomes counter-table; do
	grep -q "id=\"$id\"" "$dir/report.html" || fail "the rebuilt page lacks $id"
done
# Rebuilding leaves nothing beside the page: no temporary file in the folder, no plot folder in TMPDIR.
ls -a "$dir" | grep -q '\.tmp$' && fail "a temporary file was left in the folder"
[ -z "$(ls -A "$RESULTS/tmp")" ] || fail "gnuplot's temporary folder was left: $(ls -A "$RESULTS/tmp")"

mkdir "$RESULTS/empty"
out=$("$TCPLAB" report "$RESULTS/empty" 2>&1)
status=$?
[ "$status" -eq 2 ] || fail "tcplab report on a folder without results exited $status, expected 2"
echo "$out" | grep -q 'neither run.json nor compare.json' || fail "unexpected refusal: $out"
[ -z "$(lab_namespaces_orphaned)" ] || fail "namespaces left: $(lab_namespaces_orphaned)"
exit 0
