#!/usr/bin/env bash
# agent-program-user: tcplab-agent --program-user runs the lab programs as another user than itself: a whole run
# passes over two such agents (the client writes its records, the recorders their captures, into session
# folders of the programs' group), each program runs as that user with no capability (the recorder with
# CAP_NET_RAW alone), and that user can neither connect to the agent's socket nor list its work folder.
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/wait.sh"
build=$(cd "$1" && pwd)
export TCPLAB_HOME=${TCPLAB_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
command -v setpriv >/dev/null || fail "setpriv (util-linux) is needed"
user=65534:65534
netns_pair_up || fail "cannot create the namespaces"
chmod 755 "$NETNS_TMP"

for role in server client; do
	ns=$NS_SRV
	[ "$role" = client ] && ns=$NS_CLI
	ip netns exec "$ns" "$build/bin/tcplab-agent" --role "$role" --socket "$NETNS_TMP/$role.sock" \
		--workdir "$NETNS_TMP/work-$role" --program-user "$user" 2>"$NETNS_TMP/$role.log" &
	netns_track $!
done
socks_up() { [ -S "$NETNS_TMP/server.sock" ] && [ -S "$NETNS_TMP/client.sock" ]; }
wait_until 5 socks_up || fail "the agents did not listen: $(cat "$NETNS_TMP"/*.log)"
[ "$(stat -c %a "$NETNS_TMP/work-server")" = 711 ] || fail "work folder mode $(stat -c %a "$NETNS_TMP/work-server")"

mkdir "$NETNS_TMP/results"
out=$("$build/bin/tcplab" run --capture --backend docker --server-agent "unix:$NETNS_TMP/server.sock" \
	--client-agent "unix:$NETNS_TMP/client.sock" --results "$NETNS_TMP/results" accept-queue-capacity 2>&1)
status=$?
echo "$out"
[ "$status" -eq 0 ] || fail "tcplab run over agents with --program-user exited $status"
dir=$(echo "$out" | sed -n 's/^results: //p')
[ "$(wc -l <"$dir/connections.csv")" -eq 5 ] || fail "connections.csv should hold a header and 4 records"
for side in server client; do
	[ -s "$dir/raw/$side.pcap" ] || fail "no $side.pcap: the recorder could not write as $user"
done

# A program of a new session: its user, its capabilities, its folder.
call() {
	curl -s --unix-socket "$NETNS_TMP/server.sock" -o "$NETNS_TMP/body" -w '%{http_code}\n' -X "$1" ${3:+-d "$3"} \
		"http://agent$2"
	cat "$NETNS_TMP/body"
}
[ "$(call POST /v1/session '{}' | head -n 1)" = 200 ] || fail "no session"
out=$(call POST /v1/programs '{"name":"server","program":"tcplab-server","args":["--listen","198.18.0.1:8080"]}')
[ "$(echo "$out" | head -n 1)" = 201 ] || fail "the server did not start: $out"
# The status of the tcplab-server running in the server namespace.
server_status() {
	local pid
	for pid in $(ip netns pids "$NS_SRV"); do
		[ "$(cat "/proc/$pid/comm" 2>/dev/null)" = tcplab-server ] && cat "/proc/$pid/status"
	done
	true
}
have_server() { [ -n "$(server_status)" ]; }
wait_until 5 have_server || fail "no tcplab-server process in $NS_SRV"
status=$(server_status)
echo "$status" | grep -qE '^Uid:\s+65534\s+65534\s+65534\s+65534$' || fail "the program's uids: $(echo "$status" | grep Uid)"
echo "$status" | grep -qE '^Gid:\s+65534\s+65534\s+65534\s+65534$' || fail "the program's gids: $(echo "$status" | grep Gid)"
echo "$status" | grep -qE '^Groups:\s*$' || fail "the program kept supplementary groups: $(echo "$status" | grep Groups)"
echo "$status" | grep -qE '^CapEff:\s+0+$' && echo "$status" | grep -qE '^CapPrm:\s+0+$' ||
	fail "the program has capabilities: $(echo "$status" | grep Cap)"
# Nor can it gain any: no file capability (the agent's own binary has some) or set-user-ID bit works for it.
echo "$status" | grep -qE '^NoNewPrivs:\s+1$' || fail "the program may gain privileges: $(echo "$status" | grep NoNewPrivs)"
[ "$(stat -c '%a %g' "$NETNS_TMP/work-server/session-2")" = "1770 65534" ] ||
	fail "session folder: $(stat -c '%a %U:%G' "$NETNS_TMP/work-server/session-2")"
# The programs' user cannot drive the agent nor list its work folder.
setpriv --reuid 65534 --regid 65534 --clear-groups curl -s -m 2 --unix-socket "$NETNS_TMP/server.sock" \
	http://agent/v1/info >/dev/null 2>&1 && fail "the programs' user reached the agent's socket"
setpriv --reuid 65534 --regid 65534 --clear-groups ls "$NETNS_TMP/work-server" >/dev/null 2>&1 &&
	fail "the programs' user can list the agent's work folder"
call DELETE /v1/session >/dev/null

# Refused at start: root, the agent's own uid, or no capability to become another user.
"$build/bin/tcplab-agent" --role server --socket "$NETNS_TMP/x.sock" --program-user 0:0 2>"$NETNS_TMP/r.err"
[ $? = 2 ] && grep -q -- '--program-user UID' "$NETNS_TMP/r.err" || fail "uid 0 was not refused: $(cat "$NETNS_TMP/r.err")"
setpriv --reuid 65534 --regid 65534 --clear-groups "$build/bin/tcplab-agent" --role server \
	--socket "$NETNS_TMP/x.sock" --program-user 1234:1234 2>"$NETNS_TMP/r.err"
[ $? = 2 ] && grep -q 'needs CAP_SETUID and CAP_SETGID' "$NETNS_TMP/r.err" || fail "no capability was not refused: $(cat "$NETNS_TMP/r.err")"
setpriv --reuid 65534 --regid 65534 --clear-groups "$build/bin/tcplab-agent" --role server \
	--socket "$NETNS_TMP/x.sock" --program-user 65534:65534 2>"$NETNS_TMP/r.err"
[ $? = 2 ] && grep -q "agent's own uid" "$NETNS_TMP/r.err" || fail "the agent's own uid was not refused: $(cat "$NETNS_TMP/r.err")"
setpriv --reuid 65534 --regid 65534 --clear-groups "$build/bin/tcplab-agent" --role server \
	--socket "$NETNS_TMP/x.sock" --program-user 1234:65534 2>"$NETNS_TMP/r.err"
[ $? = 2 ] && grep -q "agent's own group" "$NETNS_TMP/r.err" || fail "the agent's own group was not refused: $(cat "$NETNS_TMP/r.err")"
"$build/bin/tcplab-agent" --role server --socket "$NETNS_TMP/x.sock" --program-user 65534:0 2>"$NETNS_TMP/r.err"
[ $? = 2 ] && grep -q -- '--program-user GID' "$NETNS_TMP/r.err" || fail "group 0 was not refused: $(cat "$NETNS_TMP/r.err")"
[ ! -e "$NETNS_TMP/x.sock" ] || fail "a refused agent made its socket"
exit 0
