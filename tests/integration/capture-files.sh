#!/usr/bin/env bash
# capture-files: each side's packets land in raw/server.pcap and raw/client.pcap that tcpdump and tshark read,
# with run.json's counts; --no-capture records none; a capped capture stops cleanly at its cap and says so;
# a recorder without CAP_NET_RAW says why in one line and exits 3.
. "$(dirname "$0")/../lib/lab.sh" "$1"
command -v tcpdump >/dev/null && command -v tshark >/dev/null || fail "tcpdump and tshark are needed (make deps)"
command -v jq >/dev/null || fail "jq is needed (make deps)"

# tcpdump's and tshark's packet counts of a file must both equal the recorder's.
check_file() {
	local dir=$1 side=$2 written by_tcpdump by_tshark
	[ -s "$dir/raw/$side.pcap" ] || fail "$side: no raw/$side.pcap"
	written=$(jq -r ".capture.$side.packets_written" "$dir/run.json")
	by_tcpdump=$(tcpdump -nr "$dir/raw/$side.pcap" 2>/dev/null | wc -l)
	by_tshark=$(tshark -r "$dir/raw/$side.pcap" 2>/dev/null | wc -l)
	[ "$written" -gt 0 ] || fail "$side: the recorder wrote no packet"
	[ "$by_tcpdump" = "$written" ] || fail "$side: tcpdump reads $by_tcpdump packets, run.json says $written"
	[ "$by_tshark" = "$written" ] || fail "$side: tshark reads $by_tshark packets, run.json says $written"
	tcpdump -nr "$dir/raw/$side.pcap" 2>&1 >/dev/null | grep -qi 'truncated' && fail "$side: tcpdump finds the file truncated"
	[ "$(jq -r ".capture.$side.file" "$dir/run.json")" = "raw/$side.pcap" ] || fail "$side: run.json names no file"
}

"$TCPLAB" run --results "$RESULTS/on" accept-queue-capacity >"$RESULTS/on.out" 2>&1 ||
	fail "the run failed: $(tail -n 5 "$RESULTS/on.out")"
dir=$(ls -d "$RESULTS"/on/*/ | head -n 1)
for side in server client; do
	check_file "$dir" "$side"
	[ "$(jq -r ".capture.$side.complete" "$dir/run.json")" = true ] || fail "$side: capture not complete"
	[ "$(jq -r ".capture.$side.kernel_dropped" "$dir/run.json")" = 0 ] || fail "$side: the kernel dropped packets"
done
# The four handshakes on the wire: the client's SYNs, and a retransmission for each one dropped.
syns=$(tcpdump -nr "$dir/raw/client.pcap" 'tcp[tcpflags] == tcp-syn' 2>/dev/null | wc -l)
retrans=$(jq -r '.client.nstat.TcpExtTCPSynRetrans' "$dir/run.json")
[ "$retrans" -ge 1 ] && [ "$syns" = $((4 + retrans)) ] ||
	fail "client.pcap holds $syns SYNs, want 4 and the client's $retrans retransmissions"

"$TCPLAB" run --no-capture --results "$RESULTS/off" accept-queue-capacity >"$RESULTS/off.out" 2>&1 ||
	fail "the run without capture failed: $(tail -n 5 "$RESULTS/off.out")"
dir=$(ls -d "$RESULTS"/off/*/ | head -n 1)
ls "$dir/raw/"*.pcap >/dev/null 2>&1 && fail "--no-capture wrote pcap files"
[ "$(jq -r '.capture.packets' "$dir/run.json")" = false ] || fail "--no-capture: run.json capture.packets is not false"

# 20 000 SYNs against 1 MB files: each file stops at its cap between two records, and says how much it missed.
"$TCPLAB" run --results "$RESULTS/cap" "$TCPLAB_HOME/tests/scenarios/good/capture-capped.conf" >"$RESULTS/cap.out" 2>&1
status=$?
dir=$(ls -d "$RESULTS"/cap/*/ | head -n 1)
[ -f "$dir/run.json" ] || fail "the capped run wrote no run.json (exit $status): $(tail -n 5 "$RESULTS/cap.out")"
[ "$(jq -r '.client.synflood.sent' "$dir/run.json")" = 20000 ] || fail "the flood did not send its 20000 SYNs"
for side in server client; do
	check_file "$dir" "$side"
	[ "$(jq -r ".capture.$side.capped" "$dir/run.json")" = true ] || fail "$side: the capture did not reach its cap"
	[ "$(jq -r ".capture.$side.complete" "$dir/run.json")" = false ] || fail "$side: a capped capture is complete"
	[ "$(jq -r ".capture.$side.packets_after_cap" "$dir/run.json")" -gt 0 ] || fail "$side: nothing counted after the cap"
	size=$(stat -c %s "$dir/raw/$side.pcap")
	[ "$size" -le 1048576 ] || fail "$side: the file grew to $size bytes past its 1 MB cap"
	[ "$size" = "$(jq -r ".capture.$side.bytes_written" "$dir/run.json")" ] || fail "$side: run.json's size is wrong"
done
# A verdict that rests on packets cannot be judged on a capped capture: UNKNOWN, not a number.
[ "$(jq -r '.expectations[] | select(.path == "packets.syn") | .status' "$dir/run.json")" = unknown ] ||
	fail "packets.syn on a capped capture: $(jq -c '.expectations[0]' "$dir/run.json")"
grep -q 'UNKNOWN' "$RESULTS/cap.out" || fail "the summary does not say UNKNOWN"

# Without CAP_NET_RAW the recorder says so in one line and exits 3 (in a folder that user may write).
chmod 0711 "$RESULTS"
mkdir -m 0777 "$RESULTS/nobody"
out=$(setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
	"$LAB_BUILD/bin/tcplab-capture" --interface lo --output "$RESULTS/nobody/denied.pcap" 2>&1)
status=$?
[ "$status" = 3 ] || fail "an unprivileged recorder exited $status, want 3: $out"
[ "$(echo "$out" | wc -l)" = 1 ] && echo "$out" | grep -q 'no permission to capture on lo' || fail "unprivileged recorder: $out"
[ -e "$RESULTS/nobody/denied.pcap" ] && fail "the refused recorder left its file"
exit 0
