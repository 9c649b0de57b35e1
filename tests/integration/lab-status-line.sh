#!/usr/bin/env bash
# lab-status-line: on a TTY `tcplab run` rewrites one status line (elapsed, connections done/total, errors, accept queue now/max) that fits the terminal; without a TTY it prints none.
. "$(dirname "$0")/../lib/lab.sh" "$1"
command -v script >/dev/null || fail "script (util-linux) is not installed"

# Run tcplab on a pseudo-terminal of COLS columns (script -e passes the exit status on); the terminal's bytes go to OUT.
on_tty() {
	local cols=$1 out=$2 scenario=$3
	script -qec "stty cols $cols rows 50; exec \"$TCPLAB\" run --results \"$RESULTS\" $scenario" /dev/null \
		>"$out" 2>&1 </dev/null
}

# The status updates: each one starts with \r and "erase to end of line" (ESC [ K).
updates() {
	tr '\r' '\n' <"$1" | sed 's/\x1b\[K//g' | grep -E "^$2  [0-9]+\.[0-9]s  "
}

# never-accept: 8 connects, 5 land in the accept queue at once, 3 time out (TcpAttemptFails).
on_tty 200 "$RESULTS/tty.out" never-accept
status=$?
[ "$status" -eq 0 ] || fail "tcplab run on a TTY exited $status: $(tail -n 5 "$RESULTS/tty.out" | cat -v)"
lines=$(updates "$RESULTS/tty.out" never-accept)
echo "$lines" | sed -n '1p;$p'
pattern='^never-accept  [0-9]+\.[0-9]s  done [0-8]/8  errors [0-3]  accept queue [0-5]/5 \(max [0-5]\)  '
[ "$(echo "$lines" | grep -cE "$pattern")" -ge 10 ] ||
	fail "fewer than 10 status updates with elapsed, done/total, errors and accept queue: $(head -c 400 "$RESULTS/tty.out" | cat -v)"
echo "$lines" | grep -vqE "$pattern" && fail "a status update lacks a field: $(echo "$lines" | grep -vE "$pattern" | head -n 1)"
echo "$lines" | grep -qE 'done 5/8  errors 0  accept queue 5/5 \(max 5\)' ||
	fail "no update shows the 5 queued connects done while the 3 others wait"
echo "$lines" | tail -n 1 | grep -q 'done 8/8  errors 3  accept queue 5/5 (max 5)' ||
	fail "the last update is not 'done 8/8  errors 3  accept queue 5/5 (max 5)': $(echo "$lines" | tail -n 1)"
# Rewritten in place: every update is on the one terminal line the final newline ends.
[ "$(grep -ac '  done [0-9]*/8  errors ' "$RESULTS/tty.out")" -eq 1 ] || fail "the status updates span several lines"
grep -aq 'PASS  client.outcome.timeout == 3' "$RESULTS/tty.out" || fail "the summary did not follow the status line"

# A narrow terminal: the line is cut to one column less than its width, so it never wraps.
on_tty 40 "$RESULTS/narrow.out" time-wait-linger-rst || fail "tcplab run on a 40-column TTY failed"
[ -n "$(updates "$RESULTS/narrow.out" time-wait-linger-rst)" ] || fail "no status line on the 40-column TTY"
long=$(tr '\r' '\n' <"$RESULTS/narrow.out" | sed 's/\x1b\[K//g' | grep -E '^time-wait-linger-rst  ' | awk 'length > 39')
[ -z "$long" ] || fail "a status update is wider than 39 columns: $long"

# No TTY: no status line, no carriage return, nothing on stderr.
"$TCPLAB" run --results "$RESULTS" accept-queue-capacity >"$RESULTS/plain.out" 2>"$RESULTS/plain.err" </dev/null
status=$?
[ "$status" -eq 0 ] || fail "tcplab run without a TTY exited $status: $(cat "$RESULTS/plain.err")"
[ -s "$RESULTS/plain.err" ] && fail "stderr is not empty without a TTY: $(head -c 300 "$RESULTS/plain.err" | cat -v)"
grep -q $'\r' "$RESULTS/plain.out" && fail "a carriage return on stdout without a TTY"
grep -qE '  done [0-9]+/[0-9]+  errors ' "$RESULTS/plain.out" && fail "a status line on stdout without a TTY"
grep -q 'PASS  server.acceptq.max == 2' "$RESULTS/plain.out" || fail "no summary without a TTY"
[ -z "$(lab_namespaces_orphaned)" ] || fail "namespaces left: $(lab_namespaces_orphaned)"
exit 0
