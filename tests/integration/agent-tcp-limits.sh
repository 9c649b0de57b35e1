#!/usr/bin/env bash
# agent-tcp-limits: 2 000 idle connections without the token cannot lock a controller out of a TCP agent, idle
# strangers are closed after 10 s, strangers trickling a header (8 addresses x 8, one byte a second) 10 s after
# their accept, and a request with a wrong token or too large a body is refused before its body is read.
. "$(dirname "$0")/../lib/netns.sh"
bin=$(cd "$1" && pwd)/bin
lib=$(cd "$(dirname "$0")/../lib" && pwd)
netns_pair_up || fail "cannot create the namespaces"

printf 'token-%s\n' "$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')" >"$NETNS_TMP/token"
chmod 600 "$NETNS_TMP/token"
token=$(head -n 1 "$NETNS_TMP/token")
ip netns exec "$NS_SRV" "$bin/tcplab-agent" --role server --listen 198.18.0.1:7070 --token-file "$NETNS_TMP/token" \
	--workdir "$NETNS_TMP/work" 2>"$NETNS_TMP/agent.log" &
agent=$!
netns_track $agent
netns_wait_listen "$NS_SRV" 7070 || fail "the TCP agent does not listen: $(cat "$NETNS_TMP/agent.log")"

# authed METHOD PATH [curl args]: status and seconds taken, from the controller's side (198.18.0.2).
authed() {
	ip netns exec "$NS_CLI" curl -s -m 10 -o "$NETNS_TMP/body" -w '%{http_code} %{time_total}\n' -X "$1" \
		-H "Authorization: Bearer $token" "${@:3}" "http://198.18.0.1:7070$2"
}

# 2 000 idle connections from three more addresses of the client's namespace (not the controller's 198.18.0.2),
# held 13 s. Not from the agent's own namespace: a new session resets every connection there.
cli_dev=$(ip -n "$NS_CLI" -o -4 addr show | awk '$4 == "198.18.0.2/30" { print $2 }')
srv_dev=$(ip -n "$NS_SRV" -o -4 addr show | awk '$4 == "198.18.0.1/30" { print $2 }')
for a in 198.18.0.5 198.18.0.6 198.18.0.7; do
	ip -n "$NS_CLI" addr add "$a/32" dev "$cli_dev" || fail "cannot add $a"
done
ip -n "$NS_SRV" route add 198.18.0.4/30 dev "$srv_dev" || fail "cannot route the extra addresses"
ip netns exec "$NS_CLI" timeout 40 python3 "$lib/idle_conns.py" 198.18.0.1 7070 2000 13 "$NETNS_TMP/ready" \
	198.18.0.5,198.18.0.6,198.18.0.7 >"$NETNS_TMP/idle.json" &
idle=$!
netns_track $idle
ready() { [ -s "$NETNS_TMP/ready" ]; }
wait_until 20 ready || fail "the idle connections were not opened in 20 s"
echo "idle connections opened: $(cat "$NETNS_TMP/ready")"

# A whole controller session while they are held: every request answered, each in under 2 s.
for step in "POST /v1/session -d {}" "GET /v1/info" "GET /v1/counters" "GET /v1/sample" "DELETE /v1/session"; do
	set -- $step
	out=$(authed "$@")
	echo "under 2000 idle connections: $step -> $out"
	[ "${out%% *}" = 200 ] || fail "$step was not answered 200 under the idle connections: $out $(cat "$NETNS_TMP/body")"
	awk -v t="${out#* }" 'BEGIN { exit !(t < 2.0) }' || fail "$step took ${out#* } s under the idle connections"
done
wait "$idle" || fail "the idle connections' holder failed"
summary=$(cat "$NETNS_TMP/idle.json")
echo "idle connections: $summary"
# 3 addresses x 8 per address are kept, then closed for idling 10 s; every other one is closed as it is accepted.
json_true "$summary" '.opened + .failed == 2000 and .still_open == 0' || fail "connections outlived 13 s: $summary"
json_true "$summary" '.closed_later == 24 and .closed_within_1s == 1976' || fail "not the per-address limit: $summary"
json_true "$summary" '.earliest_late_close_s >= 9 and .latest_close_s <= 12.5' || fail "not closed after 10 s idle: $summary"
kill -0 "$agent" || fail "the agent died under the idle connections"

# Slow headers: 8 more addresses each hold 8 connections (the per-address limit) that send one byte of a
# header that never ends every second, for 25 s, opening a new one whenever one is closed. Every connection
# that has not carried the token is closed 10 s after its accept whatever it sends, and they are too few
# to fill the connection limit: the controller's requests are answered throughout.
slow=()
for i in $(seq 16 23); do
	ip -n "$NS_CLI" addr add "198.18.0.$i/32" dev "$cli_dev" || fail "cannot add 198.18.0.$i"
	slow+=("198.18.0.$i")
done
ip -n "$NS_SRV" route add 198.18.0.16/29 dev "$srv_dev" || fail "cannot route the slow addresses"
rm -f "$NETNS_TMP/ready"
ip netns exec "$NS_CLI" timeout 45 python3 "$lib/slow_headers.py" 198.18.0.1 7070 8 25 1 "$NETNS_TMP/ready" \
	"$(IFS=,; echo "${slow[*]}")" >"$NETNS_TMP/slow.json" &
slowpid=$!
netns_track $slowpid
wait_until 10 ready || fail "the slow connections were not opened in 10 s"
echo "slow-header connections opened: $(cat "$NETNS_TMP/ready")"
asked=0
worst=0
start=$SECONDS
while [ $((SECONDS - start)) -lt 24 ]; do
	out=$(authed GET /v1/info)
	asked=$((asked + 1))
	[ "${out%% *}" = 200 ] || fail "under slow headers, request $asked ($((SECONDS - start)) s in) was not answered 200: $out"
	awk -v t="${out#* }" 'BEGIN { exit !(t < 2.0) }' || fail "under slow headers, request $asked took ${out#* } s"
	worst=$(awk -v t="${out#* }" -v w="$worst" 'BEGIN { print (t > w ? t : w) }')
	sleep 0.5
done
echo "under slow headers: $asked requests in 24 s, all 200, the slowest ${worst} s"
wait "$slowpid" || fail "the slow-header holder failed"
summary=$(cat "$NETNS_TMP/slow.json")
echo "slow-header connections: $summary"
json_true "$summary" '.closed_after_1s >= 64' || fail "the slow connections were not closed at their deadline: $summary"
json_true "$summary" '.earliest_late_close_s >= 9.5 and .longest_life_s <= 12' ||
	fail "a slow connection was not closed 10-12 s after its accept: $summary"
kill -0 "$agent" || fail "the agent died under the slow headers"

# Raw requests whose body is never sent: the reply must come without it.
# early BODYLEN AUTH: the status line the agent answers with after the headers only, within 3 s.
early() {
	ip netns exec "$NS_CLI" python3 - "$1" "$2" <<'PY'
import socket, sys
s = socket.create_connection(("198.18.0.1", 7070), timeout=3)
s.sendall(("POST /v1/session HTTP/1.1\r\nHost: agent\r\nAuthorization: %s\r\nContent-Type: application/json\r\n"
           "Content-Length: %s\r\n\r\n" % (sys.argv[2], sys.argv[1])).encode())
try:
    print(s.recv(4096).decode(errors="replace").split("\r\n")[0])
except socket.timeout:
    print("no reply in 3 s")
PY
}
out=$(early 100000000 "Bearer wrong-token-of-some-length")
echo "wrong token, 100 MB declared, no body sent: $out"
[[ $out == "HTTP/1.1 401"* ]] || fail "a wrong token with a large body was not refused before the body: $out"
out=$(early 100000000 "")
[[ $out == "HTTP/1.1 401"* ]] || fail "a missing token with a large body was not refused before the body: $out"
out=$(early 100000000 "Bearer $token")
echo "right token, 100 MB declared, no body sent: $out"
[[ $out == "HTTP/1.1 413"* ]] || fail "a body over the limit was not refused before it was read: $out"
# A chunked body has no declared length: the connection is closed once 64 KiB are passed, not read to its end.
head -c 20000000 /dev/zero >"$NETNS_TMP/huge"
out=$(ip netns exec "$NS_CLI" curl -s -m 10 -o /dev/null -w '%{http_code} %{size_upload}\n' -X POST \
	-H "Authorization: Bearer $token" -H 'Transfer-Encoding: chunked' -H 'Expect:' --data-binary @"$NETNS_TMP/huge" \
	http://198.18.0.1:7070/v1/session)
echo "right token, chunked 20 MB body: status and bytes uploaded: $out"
[ "${out%% *}" = 000 ] || fail "a chunked body over the limit was answered: $out"
[ "${out#* }" -lt 10000000 ] || fail "the agent read a 20 MB chunked body to its end: $out"
grep -q 'the request body passed 65536 bytes: connection closed' "$NETNS_TMP/agent.log" || fail "no log line for the chunked body"
# curl sending a 20 MB body with a wrong token: refused, and most of the body never left curl. The agent
# answers 401 and closes with the body's start unread, so the kernel resets the connection: a curl still
# sending may meet the reset before it reads the 401 (000; seen under the sanitizers). Either way it stopped.
out=$(ip netns exec "$NS_CLI" curl -s -m 10 -o /dev/null -w '%{http_code} %{size_upload}\n' -X POST \
	-H 'Authorization: Bearer wrong-token-of-some-length' -H 'Expect:' --data-binary @"$NETNS_TMP/huge" \
	http://198.18.0.1:7070/v1/session)
echo "wrong token, 20 MB body sent by curl: status and bytes uploaded: $out"
case "${out%% *}" in 401 | 000) ;; *) fail "a wrong token with a 20 MB body was answered ${out%% *}: $out" ;; esac
[ "${out#* }" -lt 10000000 ] || fail "the agent read the 20 MB body of a refused request: $out"
[ "$(authed GET /v1/info | cut -d' ' -f1)" = 200 ] || fail "the agent does not answer after the refusals"
# Refusals are logged a few per 10 s, with a count of the rest: a burst of 1 000 requests without the token.
before=$(wc -l <"$NETNS_TMP/agent.log")
burst_start_ms=$(($(date +%s%N) / 1000000))
refused=$(ip netns exec "$NS_CLI" python3 - <<'PY'
import socket
n = 0
for i in range(1000):
    s = socket.create_connection(("198.18.0.1", 7070), timeout=3)
    s.sendall(b"GET /v1/info HTTP/1.1\r\nHost: agent\r\n\r\n")
    n += s.recv(4096).startswith(b"HTTP/1.1 401")
    s.close()
print(n)
PY
)
[ "$refused" = 1000 ] || fail "only $refused of 1000 requests without the token were refused 401"
burst_ms=$(($(date +%s%N) / 1000000 - burst_start_ms))
sleep 11
burst_lines=$(($(wc -l <"$NETNS_TMP/agent.log") - before))
# 5 lines and a count per 10 s window the burst touched (a window opened by the refusals above may end during
# it; more when the machine is slow or sanitized), and the last count.
allowed=$((6 * (burst_ms / 10000 + 2) + 1))
echo "1000 refused requests in $burst_ms ms: $burst_lines log lines (at most $allowed):" \
	"$(tail -n "$burst_lines" "$NETNS_TMP/agent.log" | tail -n 1)"
[ "$burst_lines" -le "$allowed" ] || fail "1000 refusals in $burst_ms ms gave $burst_lines log lines"
grep -q 'more refusals not shown' "$NETNS_TMP/agent.log" || fail "no summary of the refusals not shown"
# A URL with an encoded newline cannot print a line of its own: it is escaped.
ip netns exec "$NS_CLI" curl -s -m 5 -o /dev/null 'http://198.18.0.1:7070/x%0atcplab-agent:%20serving%20FAKE'
sleep 0.3
grep -F 'x\x0atcplab-agent: serving FAKE' "$NETNS_TMP/agent.log" || fail "the refused URL was not logged escaped"
! grep -q '^tcplab-agent: serving FAKE' "$NETNS_TMP/agent.log" || fail "a URL forged a log line"
[ "$(grep -c 'libmicrohttpd' "$NETNS_TMP/agent.log")" -le 20 ] || fail "the agent's log was flooded: $(grep -c libmicrohttpd "$NETNS_TMP/agent.log") lines"
exit 0
