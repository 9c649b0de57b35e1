#!/usr/bin/env bash
# docs-check-rules: docs/check.sh runs a page's marked commands, checks their status, output and quoted figures, and refuses unmarked blocks.
set -u
: "${1:?usage: $0 BUILD_DIR}"
src=${TCPLAB_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
check="$src/docs/check.sh"
tmp=$(mktemp -d /tmp/tcplab-test.XXXXXX)
fake="99999999-000000-docs-check-$$"
trap 'rm -rf "$tmp" "$src/results/$fake"' EXIT

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# expect STATUS PAGE [OPTIONS]: docs/check.sh on PAGE exits STATUS; its output is left in $tmp/out.
expect() {
	local want=$1 page=$2
	shift 2
	"$check" "$@" "$page" >"$tmp/out" 2>&1
	local got=$?
	[ "$got" -eq "$want" ] || fail "docs/check.sh $* $page exited $got, expected $want: $(tail -n 8 "$tmp/out")"
}

# A page whose commands, output and figure all hold; the figure is read from the results folder its block makes.
page() { # page OUTPUT_LINE EXIT_OF_FALSE RANGE
	cat >"$tmp/page.md" <<EOF
# A page

\`\`\`sh run quick
true
echo one \\
  two
\`\`\`

\`\`\`sh run exit=$2
false
\`\`\`

\`\`\`console run exit=2
\$ bash -c 'echo hi; exit 2'
$1
\`\`\`

\`\`\`sh run id=fake
mkdir -p results/$fake && echo '{"client":{"outcome":{"ok":5}}}' >results/$fake/run.json
\`\`\`

The page says 4 to 6.
<!-- check fake: - client.outcome.ok $3 -->

\`\`\`sh example: shown, never run
exit 3
\`\`\`

\`\`\`text
plain text, not a command
\`\`\`
EOF
}

page hi 1 4..6
expect 0 "$tmp/page.md"
grep -q '^ok .* client.outcome.ok = 5, in 4..6' "$tmp/out" || fail "the figure was not checked: $(cat "$tmp/out")"
[ ! -e "$src/results/$fake" ] || fail "the results folder a block made was left behind"
grep -q 'exit 3' "$tmp/out" && fail "an example block was run"
# The quick part runs the quick block alone.
expect 0 "$tmp/page.md" --quick
grep -q 'echo one' "$tmp/out" || fail "the quick block did not run"
grep -q 'false' "$tmp/out" && fail "a block not marked quick ran in the quick part"

# Each way a page can be wrong fails: a status, an output, a figure out of its range.
page hi 0 4..6
expect 1 "$tmp/page.md"
grep -q 'exit 1, the page says 0' "$tmp/out" || fail "a wrong status is not named: $(cat "$tmp/out")"
page bye 1 4..6
expect 1 "$tmp/page.md"
grep -q 'output differs' "$tmp/out" || fail "a wrong output is not named"
page hi 1 6..9
expect 1 "$tmp/page.md"
grep -q 'client.outcome.ok = 5, the page says 6..9' "$tmp/out" || fail "a figure out of range is not named"

# A command block that says neither run nor example, a page without a quick block, a check of no block: refused.
printf '# p\n\n```sh\ntrue\n```\n' >"$tmp/bad.md"
expect 2 "$tmp/bad.md"
grep -q "must say 'run' or 'example: REASON'" "$tmp/out" || fail "an unmarked block is not named"
printf '# p\n\n```sh run\ntrue\n```\n' >"$tmp/bad.md"
expect 2 "$tmp/bad.md"
grep -q 'no run block is marked quick' "$tmp/out" || fail "a page without a quick block passed"
printf '# p\n\n```sh run quick\ntrue\n```\n<!-- check nosuch: - a.b 1..2 -->\n' >"$tmp/bad.md"
expect 2 "$tmp/bad.md"
exit 0
