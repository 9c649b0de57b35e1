#!/usr/bin/env bash
# compare-stored: tcplab compare RUN_FOLDER... sets stored run folders side by side (compare.json's columns, the
# kernel in the header, tcplab report rebuilds it), refuses a folder of another schema version by name (exit 2),
# and keeps a crafted folder name and kernel inert in the table and report.html.
. "$(dirname "$0")/../lib/lab.sh" "$1"

fixture="$TCPLAB_HOME/tests/report/run"
crafted=$'evil\e[31m<b>x'
mkdir -p "$RESULTS/in"
for name in alice bob "$crafted"; do
	cp -r "$fixture" "$RESULTS/in/$name"
done
jq '.run.kernel = "6.1.0-<script>x</script>"' "$fixture/run.json" >"$RESULTS/in/bob/run.json"

out=$("$TCPLAB" compare --results "$RESULTS/out" "$RESULTS/in/alice" "$RESULTS/in/bob" "$RESULTS/in/$crafted" 2>&1)
status=$?
echo "$out"
[ "$status" -eq 0 ] || fail "compare of three run folders exited $status"
dir=$(ls -d "$RESULTS"/out/*-compare-syn-drop-when-full)
[ -d "$dir" ] || fail "no comparison folder named <time>-compare-<scenario>"
json_file_true "$dir/compare.json" '.source == "stored" and (.columns | length) == 3
	and .columns[1].kernel == "6.1.0-<script>x</script>" and (.columns[2].label | endswith("evil?[31m<b>x"))
	and .columns[0].runs[0].dir == "1-alice" and (.columns[0].values["client.wall_us"] | type) == "number"' ||
	fail "compare.json does not hold the three folders as columns"
case $out in *$'\e'*) fail "the table printed an escape character" ;; esac
echo "$out" | grep -q '^  kernel ' || fail "no kernel line in the table's header"
if [ -f "$dir/report.html" ]; then
	grep -q '<script>x' "$dir/report.html" && fail "the kernel reached report.html as markup"
	grep -q $'\e' "$dir/report.html" && fail "report.html holds an escape character"
	"$TCPLAB" report "$dir" >/dev/null || fail "tcplab report does not rebuild the stored comparison"
fi

# Another schema version: one line naming the folder, exit 2, nothing written.
cp -r "$fixture" "$RESULTS/in/future"
jq '.schema_version = 2' "$fixture/run.json" >"$RESULTS/in/future/run.json"
out=$("$TCPLAB" compare --results "$RESULTS/refused" "$RESULTS/in/alice" "$RESULTS/in/future" 2>&1)
status=$?
[ "$status" -eq 2 ] || fail "a folder of schema version 2 gave exit $status, expected 2: $out"
[ "$(echo "$out" | wc -l)" -eq 1 ] || fail "the refusal is not one line: $out"
echo "$out" | grep -qF "$RESULTS/in/future/run.json: \$.schema_version: version 2" || fail "the refusal does not name the folder: $out"
[ -z "$(ls -A "$RESULTS/refused" 2>/dev/null)" ] || fail "a refused comparison left a folder"

# A scenario and folders together, and replay options with folders: refused.
"$TCPLAB" compare --results "$RESULTS/refused" syn-drop-when-full "$RESULTS/in/alice" 2>/dev/null
[ $? -eq 2 ] || fail "a scenario mixed with run folders was not refused"
"$TCPLAB" compare --results "$RESULTS/refused" --repeat 3 "$RESULTS/in/alice" 2>/dev/null
[ $? -eq 2 ] || fail "--repeat with run folders was not refused"
echo "ok: stored run folders compared, refused by name, crafted text inert"
