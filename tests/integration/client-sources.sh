#!/usr/bin/env bash
# client-sources: [client] sources at its maximum (64 extra addresses) gives the client all 65 addresses, each one
# used: port-exhaustion's 1 000 ports per address then last, where one address runs out after 2 s. One more
# extra address is refused before anything starts.
. "$(dirname "$0")/../lib/lab.sh" "$1"
command -v tcpdump >/dev/null || fail "tcpdump is needed (make deps)"
command -v jq >/dev/null || fail "jq is needed (make deps)"

# port-exhaustion with [client] sources = N, as a scenario named after its file.
scenario() {
	local name=$1 n=$2
	sed -e "s/^name = port-exhaustion$/name = $name/" -e "s/^\[client\]$/[client]\nsources = $n/" \
		"$TCPLAB_HOME/lab/scenarios/port-exhaustion.conf" >"$RESULTS/$name.conf"
	grep -q "^sources = $n" "$RESULTS/$name.conf" || fail "could not write $RESULTS/$name.conf"
}

scenario sources-64 64
mkdir "$RESULTS/run"
"$TCPLAB" run --capture --results "$RESULTS/run" "$RESULTS/sources-64.conf" >"$RESULTS/out" 2>&1
status=$?
dir=$(ls -d "$RESULTS"/run/*/ 2>/dev/null | head -n 1)
[ -n "$dir" ] && [ -f "$dir/run.json" ] || fail "no run.json (exit $status): $(tail -n 5 "$RESULTS/out")"
[ "$(jq -r '.run.status' "$dir/run.json")" = complete ] || fail "run status $(jq -r '.run.status' "$dir/run.json")"
ok=$(jq -r '.client.outcome.ok' "$dir/run.json")
none=$(jq -r '.client.outcome.addrnotavail // 0' "$dir/run.json")
[ "$none" = 0 ] || fail "$none connects found no free port with 65 source addresses"
[ "$ok" -ge 1900 ] || fail "only $ok connections completed, want about 2000"
# The server saw the handshakes of every address: 198.18.0.2 and 198.18.0.3 ... 198.18.0.66.
addrs=$(tcpdump -nr "$dir/raw/server.pcap" 'tcp[tcpflags] == tcp-syn' 2>/dev/null |
	awk '{ split($3, a, "."); print a[1] "." a[2] "." a[3] "." a[4] }' | sort -u)
count=$(echo "$addrs" | grep -c '^198\.18\.0\.')
[ "$count" = 65 ] || fail "SYNs came from $count addresses, want 65: $(echo "$addrs" | tr '\n' ' ' | cut -c1-200)"
echo "$addrs" | grep -qx '198.18.0.66' || fail "no SYN from the last extra address 198.18.0.66"
# One more than the maximum is refused before anything starts.
scenario sources-65 65
"$TCPLAB" run --results "$RESULTS/over" "$RESULTS/sources-65.conf" >"$RESULTS/over.out" 2>&1
[ $? = 2 ] || fail "sources = 65 was not refused with exit 2: $(tail -n 3 "$RESULTS/over.out")"
grep -q 'sources-65.conf:[0-9]*: \[client\] sources' "$RESULTS/over.out" || fail "the refusal does not name the key: $(cat "$RESULTS/over.out")"
exit 0
