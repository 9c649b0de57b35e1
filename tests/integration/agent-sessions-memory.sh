#!/usr/bin/env bash
# agent-sessions-memory: 100 sessions opened and closed in a row, each with a profile, a program and its output
# fetched, then 8 clients asking at once: the agent's memory stays flat (VmRSS after the first 20 sessions
# against after all 100, and after the concurrent requests), its open files do not pile up, and its work
# folder and namespace are left clean.
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/wait.sh"
bin=$(cd "$1" && pwd)/bin
netns_pair_up || fail "cannot create the namespaces"

sock=$NETNS_TMP/server.sock
ip netns exec "$NS_SRV" "$bin/tcplab-agent" --role server --socket "$sock" --workdir "$NETNS_TMP/work" \
	2>"$NETNS_TMP/agent.log" &
agent=$!
netns_track "$agent"
sock_up() { [ -S "$sock" ]; }
wait_until 5 sock_up || fail "the agent did not listen: $(cat "$NETNS_TMP/agent.log")"
call() {
	curl -s --unix-socket "$sock" -o "$NETNS_TMP/body" -w '%{http_code}' -X "$1" ${3:+-d "$3"} "http://agent$2"
}
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$agent/status"; }
fds() { ls "/proc/$agent/fd" | wc -l; }

session() {
	[ "$(call POST /v1/session '{}')" = 200 ] || fail "session $1: POST /v1/session"
	[ "$(call POST /v1/profile '{"name":"p","settings":[{"key":"net.core.somaxconn","value":"77"}]}')" = 200 ] ||
		fail "session $1: profile"
	[ "$(call POST /v1/programs '{"name":"server","program":"tcplab-server","args":["--listen","198.18.0.1:8080"]}')" = 201 ] ||
		fail "session $1: program"
	[ "$(call POST /v1/programs/0/signal '{"signal":"TERM"}')" = 200 ] || fail "session $1: signal"
	ended() { curl -s --unix-socket "$sock" http://agent/v1/programs/0 | grep -q '"running":false'; }
	wait_until 5 ended || fail "session $1: the program did not end"
	[ "$(call GET /v1/files/server.stderr)" = 200 ] || fail "session $1: fetch"
	[ "$(call DELETE /v1/session)" = 200 ] || fail "session $1: DELETE /v1/session"
}

for i in $(seq 1 20); do session "$i"; done
rss20=$(rss_kb)
fds20=$(fds)
for i in $(seq 21 100); do session "$i"; done
rss100=$(rss_kb)
fds100=$(fds)
# 8 clients at once, 50 requests each.
for c in $(seq 1 8); do
	(for _ in $(seq 1 50); do curl -s --unix-socket "$sock" -o /dev/null http://agent/v1/info; done) &
done
for job in $(jobs -rp); do [ "$job" = "$agent" ] || wait "$job"; done
rss_after=$(rss_kb)
echo "agent VmRSS: ${rss20} kB after 20 sessions, ${rss100} kB after 100, ${rss_after} kB after 400 concurrent requests;" \
	"open files ${fds20} then ${fds100}"
# Flat: at most 1 MiB more after 80 further sessions, and after the concurrent requests. Under AddressSanitizer
# (make test-sanitize) freed memory waits in its quarantine and RSS grows by design: there LeakSanitizer, at the
# agent's exit below, is the judge.
if [ -z "${ASAN_OPTIONS:-}" ]; then
	[ "$rss100" -le $((rss20 + 1024)) ] || fail "memory grew from ${rss20} kB to ${rss100} kB over 80 sessions"
	[ "$rss_after" -le $((rss100 + 1024)) ] ||
		fail "memory grew from ${rss100} kB to ${rss_after} kB under concurrent requests"
fi
[ "$fds100" -le "$fds20" ] || fail "open files grew from $fds20 to $fds100 over 80 sessions"
[ -z "$(ls -A "$NETNS_TMP/work")" ] || fail "closed sessions left files: $(ls -A "$NETNS_TMP/work")"
[ -z "$(ip netns pids "$NS_SRV" | grep -vx "$agent")" ] || fail "a program outlived its session"
kill -TERM "$agent"
wait "$agent" || fail "the agent exited $? on SIGTERM: $(tail -n 5 "$NETNS_TMP/agent.log")"
exit 0
