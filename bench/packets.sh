#!/usr/bin/env bash
# packets.sh: how fast `tcplab packets` reads captures: 1 M packets in one file, then a client and a server file of
# 1 M packets each, written by bench/gen_pcap.c (pcap_open_dead + pcap_dump); writes bench/RESULTS-packets.md.
#
# Usage: bench/packets.sh BUILD_DIR [PACKETS]     (after `make BUILD=BUILD_DIR all`; no root needed)
set -u
build=$(cd "${1:?usage: bench/packets.sh BUILD_DIR [PACKETS]}" && pwd) || exit 2
packets=${2:-1000000}
cd "$(dirname "$0")/.." || exit 2
tcplab="$build/bin/tcplab"
[ -x "$tcplab" ] || { echo "bench-packets: $tcplab is missing: make BUILD=$build all" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench-packets: /usr/bin/time is missing (apt-get install time)" >&2; exit 2; }
work=$(mktemp -d /tmp/tcplab-bench-packets.XXXXXX) || exit 2
trap 'rm -rf "$work"' EXIT

# shellcheck disable=SC2046 # pkg-config prints several words on purpose
gcc -O2 -std=c11 -Wall -Wextra -Werror -D_GNU_SOURCE -Itests/unit bench/gen_pcap.c -o "$work/gen_pcap" \
	$(pkg-config --cflags --libs libpcap) || exit 2
# Others share the machine: their load goes into the results beside the times.
load=$(cut -d' ' -f1 /proc/loadavg)
gen=$("$work/gen_pcap" "$work/client.pcap" "$work/server.pcap" "$packets") || exit 1
echo "bench-packets: $gen" >&2
file_mb=$(($(stat -c %s "$work/client.pcap") / 1024 / 1024))

# The best of three runs of one command line: "seconds max_rss_kb".
best_of_3() {
	local best="" i line
	for i in 1 2 3; do
		line=$(/usr/bin/time -f '%e %M' "$@" 2>&1 >/dev/null | tail -n 1) || return 1
		if [ -z "$best" ] || awk -v a="${line%% *}" -v b="${best%% *}" 'BEGIN { exit !(a < b) }'; then
			best=$line
		fi
	done
	echo "$best"
}
one=$(best_of_3 "$tcplab" packets --server 198.18.0.1:8080 "$work/client.pcap") || exit 1
both=$(best_of_3 "$tcplab" packets --server 198.18.0.1:8080 "$work/client.pcap" "$work/server.pcap") || exit 1
json=$(best_of_3 "$tcplab" packets --json --server 198.18.0.1:8080 "$work/client.pcap" "$work/server.pcap") || exit 1
connections=$("$tcplab" packets --json --ladders 0 --server 198.18.0.1:8080 "$work/client.pcap" "$work/server.pcap" |
	sed -n 's/^    "connections": \([0-9]*\),*$/\1/p')
verdict=$(awk -v s="${one%% *}" 'BEGIN { print (s <= 2.0 ? "within" : "OVER") }')

cat >bench/RESULTS-packets.md <<EOR
# The packet analyser on 1 M packets

\`bench/packets.sh BUILD_DIR $packets\` (\`make bench-packets\`) on $(date -u +%Y-%m-%d), $(nproc) cores, kernel $(uname -r),
libpcap $(pkg-config --modversion libpcap); load average $load when it started (the machine is shared).

The files: bench/gen_pcap.c writes a client and a server capture of $packets packets each (Ethernet, snaplen
128, ${file_mb} MB each): short HTTP-like connections from 4 addresses, 8 under way at a time, 10 packets each
(handshake, request, response, both FINs), one in ten with a retransmitted SYN; 10 000 ports per address, so
each address and port carries a new connection (a new ISN) every 40 000; $connections connections in all.

| command | packets read | time (best of 3) | max RSS |
| --- | --- | --- | --- |
| \`tcplab packets --server 198.18.0.1:8080 client.pcap\` | $packets | ${one%% *} s | ${one##* } KB |
| \`tcplab packets --server ... client.pcap server.pcap\` | $((packets * 2)) | ${both%% *} s | ${both##* } KB |
| the same with \`--json\` | $((packets * 2)) | ${json%% *} s | ${json##* } KB |

1 M packets in ${one%% *} s: $verdict the 2 s budget. Memory follows the number of connections, not of packets:
the packets stream through, each connection keeps its counts and its stored ladder events (at most 64).
EOR
cat bench/RESULTS-packets.md
awk -v s="${one%% *}" 'BEGIN { exit !(s <= 2.0) }'
