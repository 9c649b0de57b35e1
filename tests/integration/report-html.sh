#!/usr/bin/env bash
# report-html: report.html of a run and of a comparison open in headless Chromium without console errors, fetch
# nothing, and every chart rendered: an SVG of real size with the expected series drawn, and a screenshot that is
# not blank.
. "$(dirname "$0")/../lib/lab.sh" "$1"

command -v chromium >/dev/null || fail "chromium is not installed (make deps installs it)"
command -v gnuplot >/dev/null || fail "gnuplot is not installed (make deps installs gnuplot-nox)"
work="$RESULTS/.browser"
mkdir -p "$work"

browser() {
	timeout 90 chromium --headless --disable-gpu --no-sandbox --user-data-dir="$work/profile" \
		--window-size=1200,2400 "$@"
}

# Measure in the page itself: each chart's size, its series' names (SVG <title>) and how many of their paths have
# a length; the result goes into the DOM, which --dump-dom prints.
cat >"$work/check.js" <<'EOF'
(function () {
	var out = {};
	['acceptq', 'states', 'connect', 'outcomes'].forEach(function (id) {
		var fig = document.getElementById('plot-' + id);
		var svg = fig ? fig.querySelector('svg') : null;
		var r = { present: !!svg, width: 0, height: 0, drawn: 0, titles: [] };
		if (svg) {
			var box = svg.getBoundingClientRect();
			r.width = Math.round(box.width);
			r.height = Math.round(box.height);
			svg.querySelectorAll('g[id^="' + id + '-gnuplot_plot"] path').forEach(function (p) {
				if (p.getTotalLength() > 0) r.drawn++;
			});
			svg.querySelectorAll('g[id^="' + id + '-gnuplot_plot"] > title').forEach(function (t) {
				r.titles.push(t.textContent);
			});
		}
		out[id] = r;
	});
	// The ladders: figures drawn in the packets section, per comparison column, and the smallest one's width.
	var section = document.getElementById('ladders');
	var lad = { figures: 0, columns: [], min_width: 0, retrans_captions: 0 };
	if (section) {
		var figs = section.querySelectorAll('figure.ladder');
		lad.figures = figs.length;
		figs.forEach(function (f) {
			var w = Math.round(f.querySelector('svg').getBoundingClientRect().width);
			lad.min_width = lad.min_width === 0 ? w : Math.min(lad.min_width, w);
			if (f.querySelector('svg').textContent.indexOf('retrans') >= 0) lad.retrans_captions++;
		});
		section.querySelectorAll('.ladder-column').forEach(function (c) {
			lad.columns.push(c.querySelectorAll('figure.ladder').length);
		});
	}
	out.ladders = lad;
	var pre = document.createElement('pre');
	pre.id = 'tcplab-check';
	pre.textContent = JSON.stringify(out);
	document.body.appendChild(pre);
})();
EOF

# check_page NAME FILE JQ_EXPECTATION: the page loads clean, is self-contained, and its charts pass the expectation.
check_page() {
	local name=$1 page=$2 expect=$3 errors measured blank_size shot_size
	[ -s "$page" ] || fail "$name: no report.html"
	# Self-contained: nothing that would make a browser fetch (gnuplot's xmlns URIs are names, not fetches).
	if grep -Eiq '<script|<img|<iframe|<link rel="stylesheet"|@import|url\((https?:)?//|src=' "$page"; then
		fail "$name: the page refers to something outside itself"
	fi
	browser --enable-logging=stderr --v=0 --dump-dom "file://$page" >"$work/$name.dom" 2>"$work/$name.log" ||
		fail "$name: chromium could not open the page"
	errors=$(grep -E 'CONSOLE|Uncaught|Failed to load' "$work/$name.log")
	[ -z "$errors" ] || fail "$name: console errors: $errors"
	grep -q 'id="plot-acceptq"' "$work/$name.dom" || fail "$name: the loaded page has no accept-queue chart"

	{ cat "$page"; printf '<script>\n'; cat "$work/check.js"; printf '</script>\n'; } >"$work/$name-check.html"
	browser --dump-dom "file://$work/$name-check.html" 2>/dev/null >"$work/$name-check.dom" ||
		fail "$name: chromium could not open the measuring copy"
	measured=$(sed -n 's|.*<pre id="tcplab-check">\(.*\)</pre>.*|\1|p' "$work/$name-check.dom")
	[ -n "$measured" ] || fail "$name: the charts could not be measured"
	echo "$name: $measured"
	echo "$measured" | jq -e 'del(.ladders) | all(.[]; .present and .width > 300 and .height > 150 and .drawn >= 1)' >/dev/null ||
		fail "$name: a chart is missing, too small or empty: $measured"
	echo "$measured" | jq -e "$expect" >/dev/null || fail "$name: the charts lack expected series: $measured"

	# A page of charts is far from a blank page of the same size, which compresses to almost nothing.
	browser --screenshot="$work/$name.png" "file://$page" >/dev/null 2>&1 || fail "$name: no screenshot"
	[ -s "$work/blank.png" ] || {
		printf '<!DOCTYPE html><html><body style="background:#fafafa"></body></html>' >"$work/blank.html"
		browser --screenshot="$work/blank.png" "file://$work/blank.html" >/dev/null 2>&1
	}
	blank_size=$(stat -c %s "$work/blank.png" 2>/dev/null || echo 0)
	shot_size=$(stat -c %s "$work/$name.png")
	[ "$blank_size" -gt 0 ] || fail "no blank screenshot to compare with"
	[ "$shot_size" -gt $((blank_size * 4)) ] ||
		fail "$name: the screenshot looks blank ($shot_size bytes; a blank page is $blank_size)"
}

out=$("$TCPLAB" run --results "$RESULTS" syn-drop-when-full 2>&1)
status=$?
echo "$out"
[ "$status" -eq 0 ] || fail "tcplab run exited $status"
run_report=$(echo "$out" | sed -n 's/^report: //p')
[ -n "$run_report" ] || fail "tcplab run did not say where report.html is"
check_page run "$run_report" '
	(.acceptq.titles | index("accept queue length") != null and index("capacity 65") != null) and
	(.states.titles | contains(["server SYN-RECV", "server ESTABLISHED", "server TIME-WAIT", "client SYN-SENT",
		"client ESTABLISHED", "client TIME-WAIT"])) and
	(.connect.titles == ["100 of 100 connected"]) and
	(.outcomes.titles | index("connections") != null) and
	(.ladders.figures >= 2 and .ladders.min_width > 300 and .ladders.retrans_captions >= 1)'

out=$("$TCPLAB" compare --results "$RESULTS" syn-drop-when-full 2>&1)
status=$?
echo "$out"
[ "$status" -eq 0 ] || fail "tcplab compare exited $status"
dir=$(echo "$out" | sed -n 's/^results: //p')
check_page compare "$dir/report.html" '
	(.acceptq.titles | contains(["classroom", "classroom: capacity 65", "high-concurrency",
		"high-concurrency: capacity 1025"])) and
	([.states.titles[] | select(. == "server SYN-RECV")] | length == 2) and
	(.connect.titles == ["classroom: 100 of 100 connected", "high-concurrency: 100 of 100 connected"]) and
	(.outcomes.titles | contains(["classroom", "high-concurrency"])) and
	(.ladders.columns | length == 2 and all(. >= 1)) and .ladders.min_width > 200 and .ladders.retrans_captions >= 1'
grep -q 'id="compare-table"' "$dir/report.html" || fail "the comparison page has no table"
grep -q 'class="differs" data-path="server.nstat.TcpExtListenOverflows"' "$dir/report.html" ||
	fail "the comparison page does not mark the ListenOverflows row"
exit 0
