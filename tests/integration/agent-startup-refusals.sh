#!/usr/bin/env bash
# agent-startup-refusals: tcplab-agent refuses, with one line and exit 2, a token file that is not its own secret
# (symlink, directory, another owner, readable by others, short), TCP in the machine's own network namespace, and
# a work folder that is not its own (another owner, mode 0777, a symlink); a link planted in a session folder
# does not redirect a program's output.
. "$(dirname "$0")/../lib/netns.sh"
bin=$(cd "$1" && pwd)/bin
netns_pair_up || fail "cannot create the namespaces"

good=$NETNS_TMP/token
printf 'token-%s\n' "$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')" >"$good"
chmod 600 "$good"
cp -p "$good" "$NETNS_TMP/open" && chmod 644 "$NETNS_TMP/open"
cp -p "$good" "$NETNS_TMP/group" && chmod 640 "$NETNS_TMP/group"
cp -p "$good" "$NETNS_TMP/other-owner" && chown 65534 "$NETNS_TMP/other-owner"
ln -s "$good" "$NETNS_TMP/link"
mkdir -m 700 "$NETNS_TMP/dir"
printf 'short\n' >"$NETNS_TMP/short" && chmod 600 "$NETNS_TMP/short"

# refused FILE WORD: the agent (in the lab namespace) exits 2 with one line that names FILE and says WORD.
refused() {
	local out status
	out=$(ip netns exec "$NS_SRV" timeout 5 "$bin/tcplab-agent" --role server --listen 198.18.0.1:7070 \
		--token-file "$1" --workdir "$NETNS_TMP/work" 2>&1)
	status=$?
	echo "$(basename "$1"): exit $status: $out"
	[ "$status" = 2 ] || fail "token file $1: exit $status, not 2: $out"
	[ "$(printf '%s\n' "$out" | wc -l)" = 1 ] || fail "token file $1: not one line: $out"
	[[ $out == *"$1"*"$2"* ]] || fail "token file $1: the line does not name it and say '$2': $out"
	[ -z "$(ip netns exec "$NS_SRV" ss -Hltn)" ] || fail "something listens after refusing $1"
}
refused "$NETNS_TMP/open" "mode 0644"
refused "$NETNS_TMP/group" "mode 0640"
refused "$NETNS_TMP/other-owner" "owned by uid 65534"
refused "$NETNS_TMP/link" "symlink"
refused "$NETNS_TMP/dir" "not a regular file"
refused "$NETNS_TMP/short" "at least 16 characters"
refused "$NETNS_TMP/missing" "No such file"

# The good file in the lab namespace: the agent serves.
ip netns exec "$NS_SRV" "$bin/tcplab-agent" --role server --listen 198.18.0.1:7070 --token-file "$good" \
	--workdir "$NETNS_TMP/work" 2>"$NETNS_TMP/agent.log" &
netns_track $!
netns_wait_listen "$NS_SRV" 7070 || fail "the agent with a good token file does not listen: $(cat "$NETNS_TMP/agent.log")"

# TCP in this machine's own namespace: refused before anything listens, unless explicitly allowed.
port=$((20000 + $$ % 20000))
out=$(timeout 5 "$bin/tcplab-agent" --role server --listen "127.0.0.1:$port" --token-file "$good" \
	--workdir "$NETNS_TMP/work-init" 2>&1)
status=$?
echo "init namespace: exit $status: $out"
[ "$status" = 2 ] || fail "a TCP agent started in the init namespace (exit $status): $out"
[[ $out == *"machine's own network namespace"*"--allow-init-netns"* ]] || fail "init namespace message: $out"
[ "$(printf '%s\n' "$out" | wc -l)" = 1 ] || fail "init namespace refusal is not one line: $out"
[ ! -e "$NETNS_TMP/work-init" ] || fail "the refused agent created its workdir"
# The explicit option lets it serve (loopback only); a unix-socket agent needs no option.
"$bin/tcplab-agent" --role server --listen "127.0.0.1:$port" --token-file "$good" --allow-init-netns \
	--workdir "$NETNS_TMP/work-init" 2>"$NETNS_TMP/agent-init.log" &
init_agent=$!
netns_track $init_agent
served() { grep -q 'serving the server side' "$NETNS_TMP/agent-init.log"; }
wait_until 5 served || fail "--allow-init-netns did not let the agent serve: $(cat "$NETNS_TMP/agent-init.log")"
kill -TERM "$init_agent"
wait "$init_agent" || fail "the init-namespace agent did not stop cleanly"

# Work folders: another owner, open to all, a symlink to a good folder, a file. One line, exit 2, nothing listens.
mkdir -m 700 "$NETNS_TMP/wd-other" && chown 65534 "$NETNS_TMP/wd-other"
mkdir -m 777 "$NETNS_TMP/wd-open"
mkdir -m 700 "$NETNS_TMP/wd-real" && ln -s "$NETNS_TMP/wd-real" "$NETNS_TMP/wd-link"
touch "$NETNS_TMP/wd-file"
wd_refused() {
	local out status
	out=$(ip netns exec "$NS_SRV" timeout 5 "$bin/tcplab-agent" --role server --socket "$NETNS_TMP/wd.sock" \
		--workdir "$1" 2>&1)
	status=$?
	echo "workdir $(basename "$1"): exit $status: $out"
	[ "$status" = 2 ] || fail "workdir $1: exit $status, not 2: $out"
	[ "$(printf '%s\n' "$out" | wc -l)" = 1 ] || fail "workdir $1: not one line: $out"
	[[ $out == *"--workdir $1"*"$2"* ]] || fail "workdir $1: the line does not name it and say '$2': $out"
	[ ! -e "$NETNS_TMP/wd.sock" ] || fail "the agent made its socket before refusing workdir $1"
}
wd_refused "$NETNS_TMP/wd-other" "owned by uid 65534"
wd_refused "$NETNS_TMP/wd-open" "mode 0777"
wd_refused "$NETNS_TMP/wd-link" "symlink"
wd_refused "$NETNS_TMP/wd-file" "not a directory"

# A link planted in the session folder where a program's output goes: the write does not follow it.
sock=$NETNS_TMP/server.sock
ip netns exec "$NS_SRV" "$bin/tcplab-agent" --role server --socket "$sock" --workdir "$NETNS_TMP/wd-real" \
	2>"$NETNS_TMP/agent-unix.log" &
netns_track $!
sock_up() { [ -S "$sock" ]; }
wait_until 5 sock_up || fail "the unix agent did not listen: $(cat "$NETNS_TMP/agent-unix.log")"
call() {
	curl -s --unix-socket "$sock" -o "$NETNS_TMP/body" -w '%{http_code}\n' -X "$1" ${3:+-d "$3"} "http://agent$2"
	cat "$NETNS_TMP/body"
}
[ "$(call POST /v1/session '{}' | head -n 1)" = 200 ] || fail "no session"
echo "keep me" >"$NETNS_TMP/victim"
ln -s "$NETNS_TMP/victim" "$NETNS_TMP/wd-real/session-1/server.stdout"
out=$(call POST /v1/programs '{"name":"server","program":"tcplab-server","args":["--listen","198.18.0.1:8080","--backlog","4"]}')
echo "program with a planted link for its stdout: $(echo "$out" | head -n 1)"
ended() { call GET /v1/programs/0 | sed 1d | grep -q '"running":false'; }
wait_until 5 ended || fail "the program whose output was a planted link ran on: $(call GET /v1/programs/0)"
[ "$(cat "$NETNS_TMP/victim")" = "keep me" ] || fail "the planted link redirected the write: $(cat "$NETNS_TMP/victim")"
[ -L "$NETNS_TMP/wd-real/session-1/server.stdout" ] || fail "the planted link was replaced"
grep -q "cannot open .*server.stdout" "$NETNS_TMP/wd-real/session-1/server.stderr" ||
	fail "the program's stderr does not say why: $(cat "$NETNS_TMP/wd-real/session-1/server.stderr")"
# Closing the session removes its folder, links included, without following them.
mkdir -m 700 "$NETNS_TMP/outside" && echo "keep me" >"$NETNS_TMP/outside/file"
ln -s "$NETNS_TMP/outside" "$NETNS_TMP/wd-real/session-1/dirlink"
mkdir "$NETNS_TMP/wd-real/session-1/sub" && ln -s "$NETNS_TMP/outside/file" "$NETNS_TMP/wd-real/session-1/sub/filelink"
[ "$(call DELETE /v1/session | head -n 1)" = 200 ] || fail "the session did not close"
[ ! -e "$NETNS_TMP/wd-real/session-1" ] && [ ! -L "$NETNS_TMP/wd-real/session-1" ] || fail "the session folder is left"
[ "$(cat "$NETNS_TMP/outside/file")" = "keep me" ] || fail "removing the session followed a planted link"
exit 0
