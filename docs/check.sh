#!/usr/bin/env bash
# check.sh: run every command the README, docs/ and docs/labs/ show, and check the figures they quote against their ranges.
#
# Usage: docs/check.sh [--quick] [--record] [--list] [PAGE...]
#
# Run from anywhere; the commands run from the top of the source tree, as a
# reader types them there (build/bin/..., make ...), with build/bin on PATH
# for the bare `tcplab` of docs/compare.md and `sudo` running the command
# directly when already root. Commands that need a lab make their own
# (tcplab run, compare and sweep each build fresh network namespaces).
#
# What a page marks, in the info string of a fenced block:
#   ```sh run [quick[=N]] [exit=N|N|...] [id=NAME] [timeout=SECONDS]
#       every command line (backslash continuations joined) must exit with one
#       of the statuses given (default 0)
#   ```console run [quick] [exit=...]
#       "$ " lines are commands; the lines after each, up to the next "$ ",
#       are its exact output (stdout and stderr)
#   ```sh example: REASON
#       shown, not run; the reason says why (every sh or console block is
#       either run or an example with a reason, or the check fails)
# and anywhere in the page, on a line of its own, the ranges a figure it
# quotes must fall in:
#   <!-- check NAME: COLUMN PATH LO..HI; COLUMN PATH LO..HI ... -->
#       NAME is the id of a run block; its newest results folder is read:
#       run.json (COLUMN "-", PATH a run.json path) or compare.json (COLUMN
#       a column label or #N, PATH a row path; the column's median).
# Results folders the commands create are removed afterwards.
#
# --quick runs only the blocks marked quick, or their first N commands with
# quick=N (at least one per page that has run blocks: the part CI runs); --record writes the table of pages into
# docs/labs/README.md between the docs-check markers (the rows of the pages
# run, the others kept); --list prints the commands and checks it would run,
# and runs nothing. Exit status 0 when every command exited as the page
# says and every figure fell in its range, 1 otherwise, 2 bad usage or a page
# that breaks the rules above. TCPLAB_REPLAY_PREFIX, when set, is a command
# each of the pages' commands runs under (split into words), as in
# lab/stability.sh.
set -u
quick=0
record=0
list=0
while [ $# -gt 0 ]; do
	case "$1" in
	--quick) quick=1 ;;
	--record) record=1 ;;
	--list) list=1 ;;
	-*) echo "usage: docs/check.sh [--quick] [--record] [--list] [PAGE...]" >&2; exit 2 ;;
	*) break ;;
	esac
	shift
done
cd "$(dirname "$0")/.." || exit 2
top=$PWD
[ -x build/bin/tcplab ] || { echo "docs-check: build/bin/tcplab is missing (make all first)" >&2; exit 2; }
command -v jq >/dev/null || { echo "docs-check: jq is missing (make deps)" >&2; exit 2; }
# A machine without a registry builds the base image here (make docker-base, as make test's Docker suites do);
# the compose commands of docs/docker.md then use it, as that page says for offline machines.
if [ -z "${TCPLAB_BASE:-}" ] && command -v docker >/dev/null && docker image inspect tcplab-base:bookworm >/dev/null 2>&1; then
	export TCPLAB_BASE=tcplab-base:bookworm
fi

if [ $# -gt 0 ]; then
	pages=("$@")
else
	pages=(README.md docs/*.md docs/labs/*.md)
fi
for p in "${pages[@]}"; do
	[ -f "$p" ] || { echo "docs-check: no page $p" >&2; exit 2; }
done

work=$(mktemp -d /tmp/tcplab-docs-check.XXXXXX)
trap 'rm -rf "$work"' EXIT
sep=$'\037'

# One record per line, fields separated by \037:
#   blk PAGE LINE BLOCK MODE ATTRS      a command block (MODE run, example or bad)
#   cmd PAGE LINE BLOCK - COMMAND        a command of a run block
#   out PAGE LINE BLOCK - TEXT           an expected output line of a console command
#   chk PAGE LINE - - SPEC               a <!-- check ... --> comment
extract() {
	awk -v page="$1" -v S="$sep" '
		function emit(type, line, block, mode, rest) { print type S page S line S block S mode S rest }
		function flush() { if (cmd != "") emit("cmd", cmdline, block, "-", cmd); cmd = "" }
		/^```/ && !inb {
			inb = 1; info = substr($0, 4); lang = info; sub(/[ \t].*$/, "", lang)
			rest = (index(info, " ") ? substr(info, index(info, " ") + 1) : "")
			iscmd = (lang == "sh" || lang == "bash" || lang == "console")
			if (!iscmd) next
			block++; cmd = ""; mode = "bad"
			if (rest ~ /^run( |$)/) mode = "run"
			else if (rest ~ /^example: *[^ ]/) mode = "example"
			emit("blk", NR, block, mode, lang " " rest)
			next
		}
		/^```/ && inb { if (iscmd && mode == "run") flush(); inb = 0; iscmd = 0; next }
		inb && iscmd && mode == "run" && lang == "console" {
			if (substr($0, 1, 2) == "$ ") { emit("cmd", NR, block, "-", substr($0, 3)) }
			else { emit("out", NR, block, "-", $0) }
			next
		}
		inb && iscmd && mode == "run" {
			line = $0
			if (cmd == "") { if (line ~ /^[ \t]*(#|$)/) next; cmdline = NR }
			if (line ~ /\\$/) { cmd = cmd substr(line, 1, length(line) - 1) " "; next }
			cmd = cmd line; flush(); next
		}
		!inb && /^[ \t]*<!-- check [^ ]+:/ {
			spec = $0; sub(/^.*<!-- check /, "", spec); sub(/ *-->.*$/, "", spec)
			emit("chk", NR, "-", "-", spec)
		}
	' "$1"
}

attr() { # attr NAME ATTRS: the value of NAME=... in ATTRS, or nothing
	local a
	for a in $2; do
		case "$a" in "$1="*) printf '%s\n' "${a#*=}"; return ;; esac
	done
}
quick_count() { # quick_count ATTRS: how many commands of the block the quick part runs: all, N or 0
	local a
	for a in $1; do
		case "$a" in
		quick) echo all; return ;;
		quick=[0-9]*) echo "${a#quick=}"; return ;;
		esac
	done
	echo 0
}

# The value of PATH in a results folder: run.json for COLUMN "-", else the median of COLUMN in compare.json.
figure() {
	local dir=$1 column=$2 path=$3
	if [ "$column" = "-" ]; then
		[ -f "$dir/run.json" ] || return 1
		jq -r --arg p "$path" 'getpath($p | split(".") | map(if test("^[0-9]+$") then tonumber else . end))
			// "missing"' "$dir/run.json"
	else
		[ -f "$dir/compare.json" ] || return 1
		jq -r --arg c "$column" --arg p "$path" '
			(if ($c | startswith("#")) then .columns[($c[1:] | tonumber) - 1]
			 else (.columns[] | select(.label == $c)) end) | .values[$p] // "missing"' "$dir/compare.json"
	fi
}

in_range() { # in_range VALUE LO..HI
	awk -v v="$1" -v r="$2" 'BEGIN {
		n = split(r, b, /\.\./); if (n != 2 || v !~ /^-?[0-9.]+([eE][-+]?[0-9]+)?$/) exit 1
		exit !(v + 0 >= b[1] + 0 && v + 0 <= b[2] + 0) }'
}

read -ra prefix <<<"${TCPLAB_REPLAY_PREFIX:-}"
sudo_shim='sudo() { if [ "$(id -u)" = 0 ]; then "$@"; else command sudo "$@"; fi; }'
export PATH="$top/build/bin:$PATH"

bad=0
failed_total=0
rows="$work/rows"
: >"$rows"
for page in "${pages[@]}"; do
	extract "$page" >"$work/records" || exit 2
	page_cmds=0 page_ok=0 page_fail="" page_t0=$(date +%s) page_quick=0 page_run=0
	# Blocks first: the rules, and which blocks run.
	declare -A mode_of=() attrs_of=() lang_of=() quick_of=() done_in=() id_block=() newest=()
	while IFS="$sep" read -r type _ line block mode rest; do
		[ "$type" = blk ] || continue
		mode_of[$block]=$mode
		lang_of[$block]=${rest%% *}
		attrs_of[$block]=${rest#"${lang_of[$block]}"}
		if [ "$mode" = bad ]; then
			echo "docs-check: $page:$line: a command block must say 'run' or 'example: REASON' after its language" >&2
			bad=1
		fi
		if [ "$mode" = run ]; then
			page_run=1
			quick_of[$block]=$(quick_count "${attrs_of[$block]}")
			[ "${quick_of[$block]}" != 0 ] && page_quick=1
			id=$(attr id "${attrs_of[$block]}")
			[ -n "$id" ] && id_block[$id]=$block
		fi
	done <"$work/records"
	if [ "$page_run" = 1 ] && [ "$page_quick" = 0 ]; then
		echo "docs-check: $page: no run block is marked quick (CI runs at least one command per page)" >&2
		bad=1
	fi
	while IFS="$sep" read -r type _ line _ _ spec; do
		[ "$type" = chk ] || continue
		id=${spec%%:*}
		[ -n "${id_block[$id]:-}" ] || { echo "docs-check: $page:$line: check names no run block with id=$id" >&2; bad=1; }
	done <"$work/records"
	[ "$bad" = 0 ] || exit 2

	# Run the commands, block by block, in page order.
	current=""
	run_block_end() { # after block $1: remember its newest results folder, list the ones to remove
		local b=$1
		[ -n "$b" ] || return 0
		ls -1 results 2>/dev/null | sort >"$work/after"
		comm -13 "$work/before" "$work/after" >"$work/new"
		if [ -s "$work/new" ]; then
			newest[$b]="results/$(tail -n 1 "$work/new")"
			sed 's|^|results/|' "$work/new" >>"$work/created"
		fi
	}
	: >"$work/created"
	expect_out=""
	pending_cmd=""
	pending_line=""
	pending_block=""
	run_pending() { # run the pending command of block $pending_block; compare its output when console
		[ -n "$pending_cmd" ] || return 0
		if [ "$list" = 1 ]; then
			printf 'run   %-34s exit %s  %s\n' "$page:$pending_line" "$(attr exit "${attrs_of[$pending_block]}")" \
				"$pending_cmd"
			pending_cmd=""
			return 0
		fi
		local b=$pending_block attrs=${attrs_of[$pending_block]} want status t0 took to
		want=$(attr exit "$attrs")
		want=${want:-0}
		to=$(attr timeout "$attrs")
		to=${to:-1200}
		t0=$(date +%s)
		(cd "$top" && "${prefix[@]}" timeout --kill-after=10 "$to" bash -c "$sudo_shim
$pending_cmd") >"$work/out" 2>&1 </dev/null
		status=$?
		took=$(( $(date +%s) - t0 ))
		page_cmds=$((page_cmds + 1))
		local ok=1 why=""
		case "|$want|" in *"|$status|"*) ;; *) ok=0; why="exit $status, the page says $want" ;; esac
		if [ "$ok" = 1 ] && [ "${lang_of[$b]}" = console ]; then
			if [ "$(cat "$work/out")" != "$expect_out" ]; then
				ok=0
				why="output differs from the page:$(diff <(printf '%s\n' "$expect_out") "$work/out" | head -n 6 | sed 's/^/\n      /' | tr -d '\n')"
			fi
		fi
		if [ "$ok" = 1 ]; then
			page_ok=$((page_ok + 1))
			printf 'ok    %-34s %4ss  %s\n' "$page:$pending_line" "$took" "$pending_cmd"
		else
			page_fail+="$page:$pending_line; "
			printf 'FAIL  %-34s %4ss  %s\n      %s\n' "$page:$pending_line" "$took" "$pending_cmd" "$why"
			# The failed expectations first (they say why), then the end of the output.
			{ grep -E '^ *FAIL ' "$work/out" | head -n 5; tail -n 5 "$work/out"; } | sed 's/^/      | /'
		fi
		pending_cmd=""
		expect_out=""
	}
	while IFS="$sep" read -r type _ line block _ text; do
		case "$type" in
		cmd)
			[ "${mode_of[$block]}" = run ] || continue
			done_in[$block]=$(( ${done_in[$block]:-0} + 1 ))
			if [ "$quick" = 1 ] && [ "${quick_of[$block]}" != all ] &&
				[ "${done_in[$block]}" -gt "${quick_of[$block]}" ]; then continue; fi
			run_pending
			if [ "$block" != "$current" ]; then
				run_block_end "$current"
				current=$block
				ls -1 results 2>/dev/null | sort >"$work/before"
			fi
			pending_cmd=$text pending_line=$line pending_block=$block expect_out=""
			;;
		out)
			[ "$block" = "$pending_block" ] && [ -n "$pending_cmd" ] || continue
			if [ -z "$expect_out" ]; then expect_out=$text; else expect_out+=$'\n'"$text"; fi
			;;
		esac
	done <"$work/records"
	run_pending
	run_block_end "$current"

	# The figures the page quotes, in the ranges it states.
	while IFS="$sep" read -r type _ line _ _ spec; do
		[ "$type" = chk ] || continue
		id=${spec%%:*}
		b=${id_block[$id]}
		# A figure needs its whole block: in the quick part only a block marked quick (all of it) qualifies.
		if [ "$quick" = 1 ] && [ "${quick_of[$b]}" != all ]; then continue; fi
		dir=${newest[$b]:-}
		IFS=';' read -ra parts <<<"${spec#*:}"
		for part in "${parts[@]}"; do
			read -r column path range <<<"$part"
			[ -n "$path" ] || continue
			if [ "$list" = 1 ]; then
				printf 'check %-34s %s: %s %s in %s\n' "$page:$line" "$id" "$column" "$path" "$range"
				continue
			fi
			page_cmds=$((page_cmds + 1))
			value=$( [ -n "$dir" ] && figure "$dir" "$column" "$path" )
			if [ -n "$dir" ] && in_range "$value" "$range"; then
				page_ok=$((page_ok + 1))
				printf 'ok    %-34s        %s %s = %s, in %s\n' "$page:$line" "$column" "$path" "$value" "$range"
			else
				page_fail+="$page:$line $path; "
				printf 'FAIL  %-34s        %s %s = %s, the page says %s\n' "$page:$line" "$column" "$path" \
					"${value:-no result}" "$range"
			fi
		done
	done <"$work/records"
	while read -r d; do rm -rf "${d:?}"; done <"$work/created"
	unset mode_of attrs_of lang_of quick_of done_in id_block newest

	if [ "$page_cmds" -gt 0 ]; then
		failed_total=$((failed_total + page_cmds - page_ok))
		printf '| %-36s | %3d/%-3d | %-7s | %s\n' "$page" "$page_ok" "$page_cmds" "$(( $(date +%s) - page_t0 ))" \
			"${page_fail%; }" >>"$rows"
	fi
done

[ "$list" = 1 ] && exit 0
echo
{
	echo "docs-check: $([ "$quick" = 1 ] && echo "quick part" || echo "every command and figure"), kernel $(uname -r), $(date -u +%Y-%m-%d)"
	printf '| %-36s | %-7s | %-7s | %s\n' page passed seconds failed
	cat "$rows"
} | tee "$work/table"

if [ "$record" = 1 ]; then
	readme=docs/labs/README.md
	grep -q '^<!-- docs-check: begin' "$readme" && grep -q '^<!-- docs-check: end' "$readme" || {
		echo "docs-check: $readme has no docs-check markers" >&2
		exit 2
	}
	# Keep the rows of pages not run this time; the header line names this run.
	awk -v table="$work/table" -v S="$sep" '
		BEGIN { while ((getline l < table) > 0) { n++; t[n] = l; if (l ~ /^\| /) { split(l, f, " "); mine[f[2]] = 1 } } }
		/^<!-- docs-check: begin/ { print; inblock = 1; next }
		/^<!-- docs-check: end/ {
			print ""; print "```text"; print t[1]; print t[2]
			for (i = 3; i <= n; i++) print t[i]
			for (i = 1; i <= kept; i++) print k[i]
			print "```"; print ""; inblock = 0; print; next
		}
		inblock { if ($0 ~ /^\| / && $2 != "page") { split($0, f, " "); if (!(f[2] in mine)) k[++kept] = $0 } next }
		{ print }
	' "$readme" >"$work/readme.new" && cat "$work/readme.new" >"$readme"
fi
[ "$failed_total" = 0 ]
