#!/usr/bin/env bash
# lab-bad-input: malformed scenarios and usage errors exit 2 with file:line and create nothing.
. "$(dirname "$0")/../lib/lab.sh" "$1"

before=$(ip netns list | sort)
bad_dir=$(mktemp -d /tmp/tcplab-bad.XXXXXX)
trap 'rm -rf "$RESULTS" "$bad_dir"' EXIT
name=misspelt-key
bad="$bad_dir/$name.conf"
printf '[scenario]\nname = %s\ndescription = d\nduration = 5s\n[server]\nprofile = classroom\nbacklg = 1\n[client]\nprofile = classroom\n' \
	"$name" >"$bad"
err=$("$TCPLAB" run --results "$RESULTS" "$bad" 2>&1 >/dev/null)
status=$?
[ "$status" -eq 2 ] || fail "unknown key: exit $status, want 2"
echo "$err" | grep -q "$bad:7: \[server\] unknown key 'backlg'" || fail "unknown key: message '$err'"

"$TCPLAB" run --results "$RESULTS" no-such-scenario 2>/dev/null
[ $? -eq 2 ] || fail "unknown scenario should exit 2"
# Bad commands and options: exit 2 and one line on stderr.
one_line() {
	local out status
	out=$("$@" 2>&1 >/dev/null)
	status=$?
	[ "$status" -eq 2 ] || fail "$*: exit $status, want 2"
	[ "$(echo "$out" | wc -l)" = 1 ] || fail "$*: more than one line on stderr: $out"
}
one_line "$TCPLAB" frobnicate
one_line "$TCPLAB" --bogus
one_line "$TCPLAB" cleanup --bogus
one_line "$LAB_BUILD/bin/tcplab-agent" --bogus
one_line "$LAB_BUILD/bin/tcplab-agent" --role
[ -z "$(ls -A "$RESULTS")" ] || fail "results were written for bad input"
[ "$(ip netns list | sort)" = "$before" ] || fail "namespaces changed on bad input"
exit 0
