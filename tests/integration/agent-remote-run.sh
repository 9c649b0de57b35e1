#!/usr/bin/env bash
# agent-remote-run: tcplab drives two tcplab-agents (one per namespace) through the remote side: same verdicts, same files, run.backend "docker".
. "$(dirname "$0")/../lib/netns.sh"
build=$(cd "$1" && pwd)
export TCPLAB_HOME=${TCPLAB_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
netns_pair_up || fail "cannot create the namespaces"

for role in server client; do
	ns=$NS_SRV
	[ "$role" = client ] && ns=$NS_CLI
	ip netns exec "$ns" "$build/bin/tcplab-agent" --role "$role" --socket "$NETNS_TMP/$role.sock" \
		--workdir "$NETNS_TMP/work-$role" 2>"$NETNS_TMP/$role.log" &
	netns_track $!
done
mkdir "$NETNS_TMP/results"
somaxconn_before=$(ip netns exec "$NS_SRV" cat /proc/sys/net/core/somaxconn)
out=$("$build/bin/tcplab" run --backend docker --server-agent "unix:$NETNS_TMP/server.sock" \
	--client-agent "$NETNS_TMP/client.sock" --results "$NETNS_TMP/results" accept-queue-capacity 2>&1)
status=$?
echo "$out"
[ "$status" -eq 0 ] || fail "tcplab run over the agents exited $status"
dir=$(echo "$out" | sed -n 's/^results: //p')
for f in run.json samples.csv connections.csv summary.md raw/server.stdout raw/client.stdout raw/server-ss-ltn-before.txt \
	raw/client-nstat-after.txt; do
	[ -s "$dir/$f" ] || fail "$f is missing or empty"
done
json_file_true "$dir/run.json" '.run.backend == "docker"' || fail "run.json does not say backend docker"
[ "$(wc -l <"$dir/connections.csv")" -eq 5 ] || fail "connections.csv should hold a header and 4 records"
echo "$out" | grep -q 'PASS  server.acceptq.max == 2' || fail "the accept queue verdict is missing"
# The profile went to the agents' namespaces, and only there.
json_file_true "$dir/run.json" '.server.sysctl["net.core.somaxconn"] == "64"' || fail "the classroom profile was not read back"
[ "$(ip netns exec "$NS_SRV" cat /proc/sys/net/core/somaxconn)" = 64 ] || fail "the server namespace lacks the profile"
# The run left TIME-WAIT on the server side; the next session removes it and restores the defaults.
[ -n "$(ip netns exec "$NS_SRV" ss -Htan state time-wait)" ] || fail "no TIME-WAIT to reset (the scenario changed?)"
reply=$(curl -s --unix-socket "$NETNS_TMP/server.sock" -X POST -d '{}' http://agent/v1/session)
json_true "$reply" '.sockets_left == 0' || fail "the session reset left sockets: $reply"
[ -z "$(ip netns exec "$NS_SRV" ss -Htan state time-wait)" ] || fail "TIME-WAIT survived a new session"
[ "$(ip netns exec "$NS_SRV" cat /proc/sys/net/core/somaxconn)" = "$somaxconn_before" ] || fail "somaxconn was not restored"
# Sessions leave no files behind once closed.
curl -s --unix-socket "$NETNS_TMP/server.sock" -X DELETE http://agent/v1/session >/dev/null
[ -z "$(ls "$NETNS_TMP/work-server")" ] || fail "a closed session left files: $(ls "$NETNS_TMP/work-server")"
exit 0
