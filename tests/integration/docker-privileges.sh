#!/usr/bin/env bash
# docker-privileges: an agent container runs as uid 10001 with CAP_NET_ADMIN only (CAP_NET_RAW is only lent, to a SYN flood and to the packet recorder), writes its own net.* sysctls and nothing of the host's;
# its programs run as uid 10002 without its capabilities, and neither they nor the other side's container can reach its socket.
. "$(dirname "$0")/../../docker/testlib.sh"
docker_require
docker_images
docker_project
host_before=$(cat /proc/sys/net/core/somaxconn /proc/sys/vm/swappiness)

compose up -d server >/dev/null 2>&1 || fail "docker-compose up -d server failed"
container=$(compose ps -q server)
[ -n "$container" ] || fail "no server container"
sock=$(docker volume inspect --format '{{.Mountpoint}}' "${PROJECT}_server-socket")/server.sock
for _ in $(seq 1 100); do [ -S "$sock" ] && break; sleep 0.05; done
[ -S "$sock" ] || fail "the agent did not listen: $(compose logs server | tail -n 5)"
call() {
	curl -s --unix-socket "$sock" -o "$DOCKER_TMP/body" -w '%{http_code}\n' -X "$1" ${3:+-d "$3"} "http://agent$2"
	cat "$DOCKER_TMP/body"
}
in_container() { docker exec "$container" sh -c "$1"; }

# The agent process: uid 10001, effective capabilities CAP_NET_ADMIN (bit 12) and CAP_KILL (bit 5, to stop its
# programs, which run as another user), nothing else.
agent_status() {
	docker exec "$1" sh -c 'for p in /proc/[0-9]*; do [ "$(cat $p/comm)" = tcplab-agent ] && cat $p/status; done; true'
}
status=$(agent_status "$container")
echo "$status" | grep -qE '^Uid:\s+10001\s' || fail "the agent is not uid 10001: $(echo "$status" | grep Uid)"
echo "$status" | grep -qE '^CapEff:\s+0000000000001020$' || fail "agent capabilities: $(echo "$status" | grep CapEff)"
# Each agent may hold CAP_NET_RAW (bit 13) too, to lend it to its packet recorder (and the client's to a SYN
# flood), and CAP_SETGID and CAP_SETUID (bits 6, 7) to become the programs' user in a forked child, but uses
# none of them itself.
echo "$status" | grep -qE '^CapPrm:\s+00000000000030e0$' || fail "server agent may hold: $(echo "$status" | grep CapPrm)"
echo "$status" | grep -qE '^Groups:.*\b10002\b' || fail "the agent is not in the programs' group: $(echo "$status" | grep Groups)"
compose up -d client >/dev/null 2>&1 || fail "docker-compose up -d client failed"
client_container=$(compose ps -q client)
for _ in $(seq 1 100); do status=$(agent_status "$client_container") && [ -n "$status" ] && break; sleep 0.05; done
echo "$status" | grep -qE '^CapEff:\s+0000000000001020$' || fail "client agent uses: $(echo "$status" | grep CapEff)"
echo "$status" | grep -qE '^CapPrm:\s+00000000000030e0$' || fail "client agent may hold: $(echo "$status" | grep CapPrm)"
# The other side's socket is not in this container at all: one volume per agent.
docker exec "$client_container" sh -c 'ls /run/tcplab' | grep -qx client.sock || fail "no client.sock in the client container"
docker exec "$client_container" sh -c 'ls /run/tcplab' | grep -q server.sock && fail "the client container sees the server's socket"
# Anything else in the container has no capability, and /proc/sys stays read-only.
in_container 'grep -qE "^CapEff:\s+0+$" /proc/self/status' || fail "a shell in the container has capabilities"
in_container 'echo 1 > /proc/sys/vm/swappiness' 2>/dev/null && fail "vm.swappiness is writable in the container"
in_container 'echo 1 > /proc/sys/net/core/somaxconn' 2>/dev/null && fail "/proc/sys/net is writable without the agent"
in_container 'echo 1 > /run/tcplab-sysctl/net/core/somaxconn' 2>/dev/null &&
	fail "the net view is writable without CAP_NET_ADMIN"

# Through the agent: a profile reaches the container's namespace only; a host-wide key is refused.
[ "$(call POST /v1/session '{}' | head -n 1)" = 200 ] || fail "no session"
out=$(call POST /v1/profile '{"name":"t","settings":[{"key":"net.core.somaxconn","value":"77"}]}')
[ "$(echo "$out" | head -n 1)" = 200 ] || fail "the profile was refused: $out"
[ "$(in_container 'cat /proc/sys/net/core/somaxconn')" = 77 ] || fail "the container's somaxconn was not set"
out=$(call POST /v1/profile '{"name":"t","settings":[{"key":"vm.swappiness","value":"1"}]}')
[ "$(echo "$out" | head -n 1)" = 400 ] || fail "vm.swappiness was not refused: $out"
[ "$(cat /proc/sys/net/core/somaxconn /proc/sys/vm/swappiness)" = "$host_before" ] || fail "a host sysctl changed"

# The client's agent lends CAP_NET_RAW to a SYN flood and to nothing else: not to itself, not to the next client.
client_sock=$(docker volume inspect --format '{{.Mountpoint}}' "${PROJECT}_client-socket")/client.sock
ccall() {
	curl -s --unix-socket "$client_sock" -o "$DOCKER_TMP/body" -w '%{http_code}\n' -X "$1" ${3:+-d "$3"} "http://agent$2"
	cat "$DOCKER_TMP/body"
}
# The status of the one running tcplab-client in the client container.
client_status() {
	docker exec "$client_container" sh -c 'for p in /proc/[0-9]*; do [ "$(cat $p/comm)" = tcplab-client ] &&
		grep -E "^(State|Uid|Groups|NoNewPrivs|Cap(Inh|Prm|Eff|Amb)):" $p/status; done; true' | grep -v '^State:.*Z'
}
[ "$(ccall POST /v1/session '{}' | head -n 1)" = 200 ] || fail "no client session"
out=$(ccall POST /v1/programs '{"name":"flood","program":"tcplab-client","args":["--json","--mode","synflood",
	"--spoof","198.19.0.0/16","--rate","10","--duration","3s","198.18.0.1:8080"]}')
[ "$(echo "$out" | head -n 1)" = 201 ] || fail "the flood did not start: $out"
caps=$(client_status)
echo "$caps" | grep -qE '^CapEff:\s+0000000000002000$' || fail "the flood's capabilities: $caps"
# The programs' user: not the agent's, no group of the agent's; its socket refuses that user.
echo "$caps" | grep -qE '^Uid:\s+10002\s+10002\s+10002\s+10002$' || fail "the flood's uids: $caps"
echo "$caps" | grep -qE '^Groups:\s*$' || fail "the flood kept supplementary groups: $caps"
echo "$caps" | grep -qE '^NoNewPrivs:\s+1$' || fail "the flood may gain privileges: $caps"
docker exec --user 10002:10002 "$client_container" sh -c '[ -w /run/tcplab/client.sock ]' &&
	fail "the programs' user may write to the agent's socket"
status=$(agent_status "$client_container")
echo "$status" | grep -qE '^CapAmb:\s+0+$' && echo "$status" | grep -qE '^CapInh:\s+0+$' ||
	fail "the agent kept a capability to lend: $(echo "$status" | grep -E 'Cap(Inh|Amb)')"
[ "$(ccall POST /v1/programs/0/signal '{"signal":"KILL"}' | head -n 1)" = 200 ] || fail "could not stop the flood"
for _ in $(seq 1 100); do [ -z "$(client_status)" ] && break; sleep 0.05; done
out=$(ccall POST /v1/programs '{"name":"connects","program":"tcplab-client","args":["--json","--mode","connect",
	"--rate","1","--duration","3s","198.18.0.1:9"]}')
[ "$(echo "$out" | head -n 1)" = 201 ] || fail "the connect client did not start: $out"
caps=$(client_status)
echo "$caps" | grep -qE '^CapEff:\s+0+$' && echo "$caps" | grep -qE '^CapAmb:\s+0+$' ||
	fail "a connect client after the flood has capabilities: $caps"
ccall DELETE /v1/session >/dev/null

# The server's agent lends CAP_NET_RAW to its packet recorder alone: not to itself, not to tcplab-server.
program_status() {
	docker exec "$container" sh -c "for p in /proc/[0-9]*; do [ \"\$(cat \$p/comm)\" = $1 ] &&
		grep -E '^(State|Uid|Cap(Inh|Prm|Eff|Amb)):' \$p/status; done; true" | grep -v '^State:.*Z'
}
out=$(call POST /v1/session '{}')
[ "$(echo "$out" | head -n 1)" = 200 ] || fail "no second server session"
session_dir=$(echo "$out" | sed 1d | jq -r .workdir)
out=$(call POST /v1/capture '{"snaplen":128,"max_bytes":1048576}')
[ "$(echo "$out" | head -n 1)" = 201 ] || fail "the recorder did not start: $out"
caps=$(program_status tcplab-capture)
echo "$caps" | grep -qE '^CapEff:\s+0000000000002000$' || fail "the recorder's capabilities: $caps"
echo "$caps" | grep -qE '^Uid:\s+10002\s' || fail "the recorder's uid: $caps"
out=$(call POST /v1/programs '{"name":"server","program":"tcplab-server","args":["--json","--listen","198.18.0.1:8080"]}')
[ "$(echo "$out" | head -n 1)" = 201 ] || fail "the server did not start: $out"
for _ in $(seq 1 100); do caps=$(program_status tcplab-server) && [ -n "$caps" ] && break; sleep 0.05; done
echo "$caps" | grep -qE '^CapEff:\s+0+$' && echo "$caps" | grep -qE '^CapAmb:\s+0+$' ||
	fail "tcplab-server after the recorder has capabilities: $caps"
echo "$caps" | grep -qE '^Uid:\s+10002\s' || fail "tcplab-server's uid: $caps"
status=$(agent_status "$container")
echo "$status" | grep -qE '^CapAmb:\s+0+$' && echo "$status" | grep -qE '^CapInh:\s+0+$' ||
	fail "the server's agent kept a capability to lend: $(echo "$status" | grep -E 'Cap(Inh|Amb)')"
out=$(call POST /v1/capture '{"snaplen":128,"max_bytes":1048576}')
[ "$(echo "$out" | head -n 1)" = 409 ] || fail "a second recorder in one session was not refused: $out"
out=$(call POST /v1/capture '{"snaplen":128,"max_bytes":1048576,"interface":"eth0"}')
[ "$(echo "$out" | head -n 1)" = 400 ] || fail "a recorder with an interface of the controller's choice was not refused: $out"
# The programs' user can write its session folder, and may leave a folder closed to the agent: closing the
# session still removes everything.
docker exec --user 10002:10002 "$container" sh -c "mkdir '$session_dir/closed' && touch '$session_dir/closed/f' &&
	chmod 000 '$session_dir/closed'" || fail "the programs' user cannot write its session folder"
docker exec --user 10002:10002 "$container" sh -c "rm -f '$session_dir/server.stdout'" 2>/dev/null
docker exec "$container" sh -c "[ -e '$session_dir/server.stdout' ]" || fail "the programs' user removed the agent's file"
call DELETE /v1/session >/dev/null
left=$(docker exec "$container" sh -c "ls -A '$(dirname "$session_dir")'")
[ -z "$left" ] || fail "a closed session left $left behind"
docker_down_checked
exit 0
