#!/bin/sh
# help2roff: the tcplab(1) man page in roff on stdout, made from what `tcplab --help` and `tcplab --version`
# print, so the page lists the same commands and options as the program (make builds it as BUILD/man/tcplab.1).
#
# Usage: lab/man/help2roff.sh PATH/TO/tcplab
set -eu
bin=${1:?usage: help2roff.sh PATH/TO/tcplab}
version=$("$bin" --version | awk '{ print $2 }')
help=$("$bin" --help)

printf '%s\n' "$help" | awk -v version="$version" '
# Text as roff reads it: backslashes and hyphens escaped, a leading dot or quote made inert.
function esc(s) {
	gsub(/\\/, "\\e", s)
	gsub(/-/, "\\-", s)
	if (s ~ /^[.\047]/)
		s = "\\&" s
	return s
}
BEGIN {
	print ".TH TCPLAB 1 \"\" \"tcplab " esc(version) "\" \"User Commands\""
	print ".SH NAME"
	print "tcplab \\- a lab for the Linux TCP connection queues: replay scenarios, compare profiles, read captures"
	print ".SH SYNOPSIS"
	print ".nf"
	part = "synopsis"
}
part == "synopsis" && /^commands:/ {
	print ".fi"
	print ".SH COMMANDS"
	part = "commands"
	next
}
part == "synopsis" {
	line = $0
	sub(/^usage: /, "", line)
	sub(/^ +/, "", line)
	print esc(line)
	next
}
part == "commands" && /^exit status:/ {
	status = $0
	sub(/^exit status: /, "", status)
	part = "status"
	next
}
part == "commands" {
	name = $1
	summary = $0
	sub(/^ +[^ ]+ +/, "", summary)
	print ".TP"
	print ".B " esc(name)
	print esc(summary)
	next
}
part == "status" && $0 != "" {
	status = status " " $0
	next
}
$0 == "" {
	if (part == "status") {
		print ".SH EXIT STATUS"
		print esc(status)
		print ".SH OPTIONS"
		print "Each command as \\fBtcplab help\\fR \\fICOMMAND\\fR prints it."
	} else {
		print ".fi"
	}
	part = "section"
	started = 0
	next
}
part == "section" && !started {
	name = $2 " " $3
	print ".SS " esc(name)
	print ".nf"
	started = 1
}
part == "section" {
	print esc($0)
}
END {
	if (part == "section")
		print ".fi"
	print ".SH SEE ALSO"
	print "README.md and docs/ of the tcplab sources: one page per lab (docs/labs/), and docs/packets.md,"
	print "docs/compare.md, docs/docker.md, docs/drops.md."
}
'
