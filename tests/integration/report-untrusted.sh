#!/usr/bin/env bash
# report-untrusted: tcplab report on folders someone else made: crafted labels never run a command through
# gnuplot (the charts are still drawn, or the input is refused with the file and JSON path, exit 2), replay
# folders stay inside the comparison, and planted symlinks are never written through.
. "$(dirname "$0")/../lib/lab.sh" "$1"

fixture="$TCPLAB_HOME/tests/report/run"
mark="$RESULTS/owned"
elsewhere="$RESULTS/elsewhere"

# A comparison folder of two replays whose column labels are $1 and $2 (JSON string bodies, escapes allowed).
make_compare() {
	local dir=$1 label0=$2 label1=$3
	mkdir -p "$dir/c0" "$dir/c1"
	cp -r "$fixture" "$dir/c0/r"
	cp -r "$fixture" "$dir/c1/r"
	cat >"$dir/compare.json" <<EOF
{"schema_version": 1, "kind": "compare", "scenario": "syn-drop-when-full", "description": "crafted",
 "started": "2026-12-01T10:00:00Z", "side": "server", "repeat": 1, "status": "complete",
 "columns": [
  {"label": "$label0", "server_profile": "classroom", "client_profile": "classroom", "settings": {},
   "runs": [{"dir": "c0/r", "status": "complete"}]},
  {"label": "$label1", "server_profile": "classroom", "client_profile": "classroom", "settings": {},
   "runs": [{"dir": "c1/r", "status": "complete"}]}],
 "rows": []}
EOF
}

# expect_refused DIR PATTERN: tcplab report exits 2, says PATTERN, runs nothing and writes no page.
expect_refused() {
	local dir=$1 pattern=$2 out status
	out=$("$TCPLAB" report "$dir" 2>&1)
	status=$?
	echo "$out"
	[ -e "$mark" ] && fail "a crafted label ran a command"
	[ "$status" -eq 2 ] || fail "tcplab report $dir exited $status, expected 2: $out"
	echo "$out" | grep -qF -- "$pattern" || fail "the refusal does not say '$pattern': $out"
	[ -e "$dir/report.html" ] && fail "a refused folder got a report.html"
	return 0
}

# 1. Labels with quotes, backslashes, system() and '!': inert; the page and all four charts are drawn.
make_compare "$RESULTS/quotes" \
	"x' . system(\\\"touch $mark\\\") . '\\\\" \
	"a\\\\b \\\"q\\\" ;!touch $mark \` \$(touch $mark)"
out=$("$TCPLAB" report "$RESULTS/quotes" 2>&1)
status=$?
echo "$out"
[ "$status" -eq 0 ] || fail "tcplab report on crafted but printable labels exited $status: $out"
[ -e "$mark" ] && fail "a crafted label ran a command through gnuplot"
for id in plot-acceptq plot-states plot-connect plot-outcomes compare-table; do
	grep -q "id=\"$id\"" "$RESULTS/quotes/report.html" || fail "the page lacks $id"
done
# The label is still shown, HTML-escaped, in the table header.
grep -qF "system(&quot;touch" "$RESULTS/quotes/report.html" || fail "the label is not in the page"

# 2. A line end in a label (it would put '!touch' on a line of its own in plots.gp): refused, nothing run.
make_compare "$RESULTS/newline" 'x\n!touch '"$mark"'\n' "plain"
expect_refused "$RESULTS/newline" 'compare.json: $.columns[0].label: a string holds the control character 0x0a'

# 3. The same in a run folder: the profile is the chart's label.
cp -r "$fixture" "$RESULTS/run-newline"
jq --arg p "x
!touch $mark
" '.server.profile = $p' "$fixture/run.json" >"$RESULTS/run-newline/run.json"
expect_refused "$RESULTS/run-newline" 'run.json: $.server.profile: a string holds the control character 0x0a'
cp -r "$fixture" "$RESULTS/run-profile"
jq '.server.profile = "system(\"id\")"' "$fixture/run.json" >"$RESULTS/run-profile/run.json"
expect_refused "$RESULTS/run-profile" "run.json: \$.server.profile: 'system(\"id\")' is not a name"

# 4. Wrong types, sizes and characters anywhere: refused with the JSON path.
cp -r "$fixture" "$RESULTS/run-type"
jq '.run.status = 5' "$fixture/run.json" >"$RESULTS/run-type/run.json"
expect_refused "$RESULTS/run-type" 'run.json: $.run.status: not a string'
cp -r "$fixture" "$RESULTS/run-escape"
jq '.client.nstat.TcpExtListenDrops = "\u001b[2J"' "$fixture/run.json" >"$RESULTS/run-escape/run.json"
expect_refused "$RESULTS/run-escape" 'run.json: $.client.nstat.TcpExtListenDrops: a string holds the control character 0x1b'
cp -r "$fixture" "$RESULTS/run-deep"
jq '.server.x = [[[[[[[[[[[[[[1]]]]]]]]]]]]]]' "$fixture/run.json" >"$RESULTS/run-deep/run.json"
expect_refused "$RESULTS/run-deep" 'nested deeper than 12 levels'
cp -r "$fixture" "$RESULTS/run-version"
jq '.schema_version = 99' "$fixture/run.json" >"$RESULTS/run-version/run.json"
expect_refused "$RESULTS/run-version" 'run.json: $.schema_version: version 99, this tcplab reads version 1'
make_compare "$RESULTS/kind" "a" "b"
jq '.kind = "<script>"' "$RESULTS/kind/compare.json" >"$RESULTS/kind/c.json" && mv "$RESULTS/kind/c.json" "$RESULTS/kind/compare.json"
expect_refused "$RESULTS/kind" "compare.json: \$.kind: '<script>' is not one of compare|sweep"

# The CSV files too: every field a plot reads is an integer in range, else refused at its line.
cp -r "$fixture" "$RESULTS/csv"
sed -i '5s/^\([0-9]*\),[0-9]*,/\1,$(id),/' "$RESULTS/csv/samples.csv"
expect_refused "$RESULTS/csv" "samples.csv:5: acceptq_len: '\$(id)' is not an integer"
cp -r "$fixture" "$RESULTS/csv-connect"
sed -i '3s/^\([0-9]*\),\([0-9]*\),\([0-9]*\),[0-9]*,/\1,\2,\3, -5,/' "$RESULTS/csv-connect/connections.csv"
expect_refused "$RESULTS/csv-connect" "connections.csv:3: connect_us: ' -5' is not an integer"
# raw/drops.csv (the drops timeline): every row as a tracer writes it, no symlink; a good one is drawn.
cp -r "$fixture" "$RESULTS/drops-good"
mkdir -p "$RESULTS/drops-good/raw"
printf 'time_us,side,event,reason,saddr,sport,daddr,dport,flags\n120,server,drop,TCP_LISTEN_OVERFLOW,198.18.0.2,40000,198.18.0.1,8080,A\n' \
	>"$RESULTS/drops-good/raw/drops.csv"
jq '.drops = {"status": "on"}' "$fixture/run.json" >"$RESULTS/drops-good/run.json"
"$TCPLAB" report "$RESULTS/drops-good" >/dev/null 2>&1 || fail "a good drops.csv was refused"
grep -q 'server drop TCP_LISTEN_OVERFLOW: 1' "$RESULTS/drops-good/report.html" || fail "the drops timeline is not drawn"
cp -r "$RESULTS/drops-good" "$RESULTS/drops-bad"
rm -f "$RESULTS/drops-bad/report.html"
echo '5,server,drop,<script>,,,,,' >>"$RESULTS/drops-bad/raw/drops.csv"
expect_refused "$RESULTS/drops-bad" "drops.csv:3: side, event or reason is not one a tracer writes"
cp -r "$RESULTS/drops-good" "$RESULTS/drops-link"
rm -f "$RESULTS/drops-link/report.html" "$RESULTS/drops-link/raw/drops.csv"
ln -s /etc/passwd "$RESULTS/drops-link/raw/drops.csv"
expect_refused "$RESULTS/drops-link" "drops.csv: a symlink, not a results file"
# A FIFO would block the reader forever, an endless line would take all memory: both refused at once.
cp -r "$RESULTS/drops-good" "$RESULTS/drops-fifo"
rm -f "$RESULTS/drops-fifo/report.html" "$RESULTS/drops-fifo/raw/drops.csv"
mkfifo "$RESULTS/drops-fifo/raw/drops.csv"
timeout 10 "$TCPLAB" report "$RESULTS/drops-fifo" >"$RESULTS/fifo.out" 2>&1
[ $? = 2 ] && grep -q "drops.csv: not a regular file" "$RESULTS/fifo.out" || fail "a FIFO drops.csv: $(cat "$RESULTS/fifo.out")"
cp -r "$RESULTS/drops-good" "$RESULTS/drops-long"
rm -f "$RESULTS/drops-long/report.html"
head -c 3000000 /dev/zero | tr '\0' 'x' >>"$RESULTS/drops-long/raw/drops.csv"
expect_refused "$RESULTS/drops-long" "drops.csv:3: longer than 511 bytes"
cp -r "$fixture" "$RESULTS/samples-fifo"
rm -f "$RESULTS/samples-fifo/samples.csv"
mkfifo "$RESULTS/samples-fifo/samples.csv"
timeout 10 "$TCPLAB" report "$RESULTS/samples-fifo" >"$RESULTS/fifo.out" 2>&1
[ $? = 2 ] && grep -q "samples.csv: not a regular file" "$RESULTS/fifo.out" || fail "a FIFO samples.csv: $(cat "$RESULTS/fifo.out")"
cp -r "$RESULTS/drops-good" "$RESULTS/raw-link"
rm -rf "$RESULTS/raw-link/raw" "$RESULTS/raw-link/report.html"
ln -s "$RESULTS/drops-good/raw" "$RESULTS/raw-link/raw"
expect_refused "$RESULTS/raw-link" "raw: not a folder"

# 5. Replay folders stay inside the comparison: no '..', no symlink out of it.
make_compare "$RESULTS/climb" "a" "b"
jq '.columns[1].runs[0].dir = "c1/../../run-type"' "$RESULTS/climb/compare.json" >"$RESULTS/climb/c.json"
mv "$RESULTS/climb/c.json" "$RESULTS/climb/compare.json"
expect_refused "$RESULTS/climb" 'compare.json: $.columns[1].runs[0].dir: not a folder inside the comparison'
make_compare "$RESULTS/linked" "a" "b"
mkdir "$elsewhere"
cp -r "$fixture" "$elsewhere/r"
rm -rf "$RESULTS/linked/c1"
ln -s "$elsewhere" "$RESULTS/linked/c1"
expect_refused "$RESULTS/linked" "run folder 'c1/r' is not inside the comparison"
[ -e "$elsewhere/r/report.html" ] && fail "a report was written through a symlinked replay folder"

# 6. Planted symlinks beside the page are never followed: the page is written under a fresh name and renamed.
cp -r "$fixture" "$RESULTS/planted"
ln -s "$RESULTS/target-tmp" "$RESULTS/planted/report.html.tmp"
ln -s "$RESULTS/target-page" "$RESULTS/planted/report.html"
"$TCPLAB" report "$RESULTS/planted" || fail "tcplab report with planted symlinks failed"
[ -e "$RESULTS/target-tmp" ] && fail "report.html.tmp was followed to its target"
[ -e "$RESULTS/target-page" ] && fail "report.html was followed to its target"
[ -f "$RESULTS/planted/report.html" ] && [ ! -L "$RESULTS/planted/report.html" ] || fail "report.html is not a new file"
ln -s "$fixture/run.json" "$RESULTS/run-link.json"
mkdir "$RESULTS/run-link" && ln -s "$fixture/run.json" "$RESULTS/run-link/run.json"
expect_refused "$RESULTS/run-link" 'run.json: a symlink, not a results file'
# 7. Markup where the page prints a time, a replay folder named twice (each replay is parsed and kept: one big
# run.json named 6 400 times would take all memory), more grid cells than a client runs (the table is quadratic
# in them), a capture that is a FIFO or a symlink (tcplab packets), escape sequences in what an error quotes.
cp -r "$fixture" "$RESULTS/started"
jq '.run.started = "<script src=//x.example/x.js></script>"' "$fixture/run.json" >"$RESULTS/started/run.json"
expect_refused "$RESULTS/started" 'run.json: $.run.started: not a UTC time like 2026-12-06T20:15:44Z'
make_compare "$RESULTS/twice" "a" "b"
jq '.columns[1].runs[0].dir = "c0/r"' "$RESULTS/twice/compare.json" >"$RESULTS/twice/c.json"
mv "$RESULTS/twice/c.json" "$RESULTS/twice/compare.json"
expect_refused "$RESULTS/twice" "run folder 'c0/r' is named by two replays"
make_compare "$RESULTS/twice-link" "a" "b"
rm -rf "$RESULTS/twice-link/c1/r"
ln -s ../c0/r "$RESULTS/twice-link/c1/r"
expect_refused "$RESULTS/twice-link" "run folder 'c1/r' is named by two replays"
cp -r "$fixture" "$RESULTS/cells"
jq '.client.cells = [range(65) | {"wall_us": .}]' "$fixture/run.json" >"$RESULTS/cells/run.json"
expect_refused "$RESULTS/cells" 'run.json: $.client.cells: 65 grid cells (at most 64)'
mkdir "$RESULTS/pcaps"
mkfifo "$RESULTS/pcaps/fifo.pcap"
ln -s /etc/passwd "$RESULTS/pcaps/link.pcap"
timeout 10 "$TCPLAB" packets --server 198.18.0.1:8080 "$RESULTS/pcaps/fifo.pcap" >"$RESULTS/pk.out" 2>&1
[ $? = 2 ] && grep -q "fifo.pcap: not a regular file" "$RESULTS/pk.out" || fail "a FIFO capture: $(cat "$RESULTS/pk.out")"
timeout 10 "$TCPLAB" packets --server 198.18.0.1:8080 "$RESULTS/pcaps/link.pcap" >"$RESULTS/pk.out" 2>&1
[ $? = 2 ] && grep -q "link.pcap: a symlink" "$RESULTS/pk.out" || fail "a symlinked capture: $(cat "$RESULTS/pk.out")"
cp -r "$fixture" "$RESULTS/csv-escape"
sed -i '5s/^\([0-9]*\),[0-9]*,/\1,\x1b]0;owned\x07\x1b[2J,/' "$RESULTS/csv-escape/samples.csv"
grep -q $'\x1b' "$RESULTS/csv-escape/samples.csv" || fail "the crafted samples.csv holds no escape"
"$TCPLAB" report "$RESULTS/csv-escape" >"$RESULTS/esc.out" 2>&1
[ $? = 2 ] || fail "a samples.csv with escape sequences was not refused"
grep -q $'\x1b\|\x07' "$RESULTS/esc.out" && fail "the error put escape sequences on the terminal: $(od -c "$RESULTS/esc.out" | head)"
grep -qF 'samples.csv:5: acceptq_len: '"'"'\x1b]0;owned\x07\x1b[2J'"'"' is not an integer' "$RESULTS/esc.out" ||
	fail "the refusal does not spell the escapes out: $(cat -v "$RESULTS/esc.out")"
echo "ok: crafted labels are inert or refused, folders stay inside, symlinks are not followed"
exit 0
