#!/bin/sh
# help2roff: a program's man page in roff on stdout, made from what `PROGRAM --help` and `PROGRAM --version` print,
# so the page lists the same commands and options as the program (make builds BUILD/man/PROGRAM.1 for each one).
# tcplab's page has its commands and exit status as sections; the other programs' pages have their usage as
# the synopsis and the rest of their help, as printed, as the description.
#
# Usage: lab/man/help2roff.sh PATH/TO/PROGRAM
set -eu
bin=${1:?usage: help2roff.sh PATH/TO/PROGRAM}
name=$(basename "$bin")
version=$("$bin" --version | awk '{ print $2 }')
help=$("$bin" --help)

# What each program is, for the NAME line (its options come from its help alone).
case $name in
tcplab-server) what="the server under test of the tcplab lab: a listen() backlog and an accept discipline" ;;
tcplab-client) what="the load client of the tcplab lab: HTTP requests or bare connects, a record per connection" ;;
tcplab-agent) what="one side of a tcplab lab served to a remote controller: profiles, programs, sockets, counters" ;;
tcplab-capture) what="record an interface's TCP packets for a tcplab run (pcap)" ;;
tcplab-delay) what="hold the packets of a netfilter queue for a delay: the link conditions of a tcplab run" ;;
tcplab) what="" ;;
*) echo "help2roff: no man page made for $name" >&2; exit 2 ;;
esac

if [ "$name" != tcplab ]; then
	printf '%s\n' "$help" | awk -v name="$name" -v version="$version" -v what="$what" '
function esc(s) {
	gsub(/\\/, "\\e", s)
	gsub(/-/, "\\-", s)
	if (s ~ /^[.\047]/)
		s = "\\&" s
	return s
}
BEGIN {
	print ".TH " esc(toupper(name)) " 1 \"\" \"tcplab " esc(version) "\" \"User Commands\""
	print ".SH NAME"
	print esc(name) " \\- " esc(what)
	print ".SH SYNOPSIS"
	print ".nf"
	part = "synopsis"
}
# The usage line, and the lines that continue it (indented deeper than a description line).
part == "synopsis" && (NR == 1 || /^        /) {
	line = $0
	sub(/^[Uu]sage: /, "", line)
	sub(/^ +/, "", line)
	print esc(line)
	next
}
part == "synopsis" {
	print ".fi"
	print ".SH DESCRIPTION"
	print ".nf"
	part = "description"
}
{ print esc($0) }
END {
	print ".fi"
	print ".SH SEE ALSO"
	print "tcplab(1); README.md and docs/ of the tcplab sources."
}
'
	exit 0
fi

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
