#!/bin/bash
# client-syn-band: a SYN dropped on a full accept queue is retransmitted after ~1 s; once the server has drained
# the queue by then, exactly one connect lands in the ~1 s band of the summary, with a SYN retransmission.
. "$(dirname "$0")/../lib/netns.sh"
BIN="$1/bin"
netns_pair_up || fail "could not create the namespaces"

# Serial, 400 ms per connection, backlog 1: the queue holds 2 and drains within ~800 ms.
ip netns exec "$NS_SRV" "$BIN/tcplab-server" -l "$SRV_ADDR:8080" -d serial -t 400ms --raw close -b 1 -q >/dev/null &
netns_track $!
netns_wait_listen "$NS_SRV" 8080 || fail "server did not listen"

# One connect is in service, two fill the queue, the next SYN is dropped and its retransmission at ~1 s gets
# in. Which connect that is depends on whether the server's first accept() ran before the second SYN arrived.
out=$(ip netns exec "$NS_CLI" "$BIN/tcplab-client" -m connect --json -c 1 -n 4 --connect-timeout 5s \
	--records "$NETNS_TMP/r.jsonl" "$SRV_ADDR:8080") || fail "run exited $?"
json_true "$out" '.outcome.ok == 4' || fail "expected 4 completed connects: $out"
json_true "$out" '.bands["0"] == 3 and .bands["1s"] == 1' || fail "expected 3 connects in band 0 and 1 in ~1s: $out"
[ "$(wc -l < "$NETNS_TMP/r.jsonl")" = 4 ] || fail "expected 4 records: $(cat "$NETNS_TMP/r.jsonl")"
delayed=0
while read -r line; do
	connect_us=$(echo "$line" | sed -n 's/.*"connect_us":\([0-9-]*\).*/\1/p')
	retrans=$(echo "$line" | sed -n 's/.*"syn_retrans":\([0-9]*\).*/\1/p')
	[ -n "$connect_us" ] && [ -n "$retrans" ] || fail "record without connect_us or syn_retrans: $line"
	if [ "$connect_us" -ge 900000 ]; then
		[ "$connect_us" -lt 2000000 ] || fail "a connect took ${connect_us}us, expected ~1 s: $line"
		[ "$retrans" -ge 1 ] || fail "the delayed connect has syn_retrans $retrans, expected >= 1: $line"
		delayed=$((delayed + 1))
	else
		[ "$connect_us" -lt 100000 ] || fail "a connect took ${connect_us}us, expected at once or ~1 s: $line"
		[ "$retrans" = 0 ] || fail "a prompt connect has syn_retrans $retrans: $line"
	fi
done < "$NETNS_TMP/r.jsonl"
[ "$delayed" = 1 ] || fail "$delayed connects waited ~1 s, expected exactly 1: $(cat "$NETNS_TMP/r.jsonl")"
exit 0
