#!/usr/bin/env bash
# agent-refusals: tcplab-agent refuses an unknown operation, a sysctl outside the allowlist, a route outside the lab, an option outside the program's set, a client aimed outside the lab's hosts and a missing or wrong token, and nothing changes.
. "$(dirname "$0")/../lib/netns.sh"
bin=$(cd "$1" && pwd)/bin
netns_pair_up || fail "cannot create the namespaces"

sock=$NETNS_TMP/server.sock
ip netns exec "$NS_SRV" "$bin/tcplab-agent" --role server --socket "$sock" --workdir "$NETNS_TMP/work" \
	2>"$NETNS_TMP/agent.log" &
netns_track $!
for _ in $(seq 1 100); do [ -S "$sock" ] && break; sleep 0.02; done
[ -S "$sock" ] || fail "the agent did not listen: $(cat "$NETNS_TMP/agent.log")"

# call METHOD PATH [BODY]: prints the HTTP status, then the body.
call() {
	curl -s --unix-socket "$sock" -o "$NETNS_TMP/body" -w '%{http_code}\n' -X "$1" ${3:+-d "$3"} "http://agent$2"
	cat "$NETNS_TMP/body"
}
somaxconn() { ip netns exec "$NS_SRV" cat /proc/sys/net/core/somaxconn; }

[ "$(call POST /v1/session '{}' | head -n 1)" = 200 ] || fail "no session"
before=$(somaxconn)

out=$(call GET /v1/exec)
[ "$(echo "$out" | head -n 1)" = 404 ] || fail "unknown operation: $out"
json_true "$(echo "$out" | sed 1d)" '.error == "unknown operation GET /v1/exec"' || fail "unknown operation message: $out"

# One allowlisted key beside a refused one: the whole profile is refused, the allowed key not written.
for key in net.core.rmem_max kernel.pid_max vm.swappiness net.ipv4.tcp_mem net.core.somaxconnn; do
	out=$(call POST /v1/profile "{\"name\":\"bad\",\"settings\":[{\"key\":\"net.core.somaxconn\",\"value\":\"77\"},{\"key\":\"$key\",\"value\":\"1\"}]}")
	[ "$(echo "$out" | head -n 1)" = 400 ] || fail "$key was not refused: $out"
	echo "$out" | grep -q "$key" || fail "the refusal does not name $key: $out"
done
[ "$(somaxconn)" = "$before" ] || fail "a refused profile changed net.core.somaxconn to $(somaxconn)"

# Options: not in the server's set, a client option, a value the program itself refuses, another program.
for args in '"--listen","198.18.0.1:8080","--exec","/bin/sh"' '"--listen","198.18.0.1:8080","--records","/tmp/x"' \
	'"--listen","198.18.0.1:8080","--discipline","teleport"' '"--listen","198.18.0.1:8080","--backlog","-5"'; do
	out=$(call POST /v1/programs "{\"name\":\"server\",\"program\":\"tcplab-server\",\"args\":[$args]}")
	[ "$(echo "$out" | head -n 1)" = 400 ] || fail "options [$args] were not refused: $out"
done
out=$(call POST /v1/programs '{"name":"client","program":"tcplab-client","args":["198.18.0.1:8080"]}')
[ "$(echo "$out" | head -n 1)" = 400 ] || fail "the server agent started tcplab-client: $out"
out=$(call POST /v1/programs '{"name":"sh","program":"/bin/sh","args":["-c","id"]}')
[ "$(echo "$out" | head -n 1)" = 400 ] || fail "the agent started /bin/sh: $out"
# Nothing was started: no program 0, no listener, no process beside the agent in the namespace.
[ "$(call GET /v1/programs/0 | head -n 1)" = 404 ] || fail "a refused program has an index"
[ -z "$(ip netns exec "$NS_SRV" ss -Hltn)" ] || fail "something listens after refusals"
[ "$(ip netns pids "$NS_SRV" | wc -l)" = 1 ] || fail "processes beside the agent: $(ip netns pids "$NS_SRV")"

# Routes: only inside 198.18.0.0/15, at most a /16, never on the lab's own link (its sides, the gateway), a lab gateway.
routes() { ip -n "$NS_SRV" route show | sort; }
routes_before=$(routes)
for body in '{"prefix":"10.0.0.0/8","blackhole":true}' '{"prefix":"198.18.0.0/15","blackhole":true}' \
	'{"prefix":"198.18.0.0/24","blackhole":true}' '{"prefix":"198.19.0.0/16","via":"10.0.0.1"}' \
	'{"prefix":"198.19.0.0/16","via":"198.18.0.1"}' '{"prefix":"198.19.0.1/16","blackhole":true}' \
	'{"prefix":"198.19.0.0/16","blackhole":false}' '{"prefix":"198.19.0.0/16"}' \
	'{"prefix":"198.19.0.0/16","via":"198.18.0.2","blackhole":true}' '{"prefix":"198.19.0.0/16","dev":"lo"}' \
	'{"prefix":"198.18.0.2/32","blackhole":true}' '{"prefix":"198.18.0.254/32","via":"198.18.0.2"}'; do
	out=$(call POST /v1/routes "$body")
	[ "$(echo "$out" | head -n 1)" = 400 ] || fail "route $body was not refused: $out"
done
[ "$(routes)" = "$routes_before" ] || fail "a refused route changed the routing table: $(routes)"
out=$(call POST /v1/routes '{"prefix":"198.19.0.0/16","via":"198.18.0.2"}')
[ "$(echo "$out" | head -n 1)" = 201 ] || fail "a valid route was refused: $out"
ip -n "$NS_SRV" route show 198.19.0.0/16 | grep -q 'via 198.18.0.2' || fail "the route is not there: $(routes)"
[ "$(call DELETE /v1/session | head -n 1)" = 200 ] || fail "the session did not close"
[ "$(routes)" = "$routes_before" ] || fail "closing the session left a route: $(routes)"
[ "$(call POST /v1/session '{}' | head -n 1)" = 200 ] || fail "no session after the routes"

# A valid profile and program do work (so the refusals above were not a broken agent).
out=$(call POST /v1/profile '{"name":"ok","settings":[{"key":"net.core.somaxconn","value":"77"}]}')
[ "$(echo "$out" | head -n 1)" = 200 ] && [ "$(somaxconn)" = 77 ] || fail "a valid profile was not applied: $out"
out=$(call POST /v1/programs '{"name":"server","program":"tcplab-server","args":["--listen","198.18.0.1:8080","--backlog","4"]}')
[ "$(echo "$out" | head -n 1)" = 201 ] || fail "a valid program did not start: $out"
netns_wait_listen "$NS_SRV" 8080 || fail "the started server does not listen"

# A new session puts the namespace back: program stopped, profile value restored.
[ "$(call POST /v1/session '{}' | head -n 1)" = 200 ] || fail "no second session"
[ "$(somaxconn)" = "$before" ] || fail "a new session left net.core.somaxconn at $(somaxconn)"
[ -z "$(ip netns exec "$NS_SRV" ss -Hltn)" ] || fail "the first session's server still listens"

# TCP with a token: missing and wrong tokens are refused before anything happens.
printf 'token-%s\n' "$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')" >"$NETNS_TMP/token"
chmod 600 "$NETNS_TMP/token"
ip netns exec "$NS_SRV" "$bin/tcplab-agent" --role server --listen 198.18.0.1:7070 --token-file "$NETNS_TMP/token" \
	--workdir "$NETNS_TMP/work-tcp" 2>"$NETNS_TMP/agent-tcp.log" &
netns_track $!
netns_wait_listen "$NS_SRV" 7070 || fail "the TCP agent does not listen: $(cat "$NETNS_TMP/agent-tcp.log")"
tcp() {
	ip netns exec "$NS_CLI" curl -s -o "$NETNS_TMP/body" -w '%{http_code}\n' -X "$1" "${@:3}" "http://198.18.0.1:7070$2"
	cat "$NETNS_TMP/body"
}
out=$(tcp POST /v1/session -d '{}')
[ "$(echo "$out" | head -n 1)" = 401 ] || fail "no token was accepted: $out"
out=$(tcp POST /v1/session -d '{}' -H 'Authorization: Bearer not-the-token')
[ "$(echo "$out" | head -n 1)" = 401 ] || fail "a wrong token was accepted: $out"
echo "$out" | grep -q 'wrong bearer token' || fail "wrong token message: $out"
out=$(tcp GET /v1/info -H "Authorization: Bearer $(cat "$NETNS_TMP/token")")
[ "$(echo "$out" | head -n 1)" = 200 ] || fail "the right token was refused: $out"
json_true "$(echo "$out" | sed 1d)" '.session_open == false' || fail "a refused request opened a session: $out"
[ ! -e "$NETNS_TMP/work-tcp/session-1" ] || fail "a refused request created a session folder"
"$bin/tcplab-agent" --role server --listen 127.0.0.1:7071 2>/dev/null
[ $? = 2 ] || fail "an agent on TCP without a token file started"

# The client's agent aims only at lab hosts: not the gateway, not outside the lab link, not itself; spoofed
# prefixes stay off the lab link and off its own address.
csock=$NETNS_TMP/client.sock
ip netns exec "$NS_CLI" "$bin/tcplab-agent" --role client --socket "$csock" --workdir "$NETNS_TMP/work-cli" \
	2>"$NETNS_TMP/agent-cli.log" &
netns_track $!
for _ in $(seq 1 100); do [ -S "$csock" ] && break; sleep 0.02; done
[ -S "$csock" ] || fail "the client agent did not listen: $(cat "$NETNS_TMP/agent-cli.log")"
ccall() {
	curl -s --unix-socket "$csock" -o "$NETNS_TMP/body" -w '%{http_code}\n' -X "$1" ${3:+-d "$3"} "http://agent$2"
	cat "$NETNS_TMP/body"
}
[ "$(ccall POST /v1/session '{}' | head -n 1)" = 200 ] || fail "no client session"
for args in '"198.18.0.254:80"' '"10.0.0.1:80"' '"8.8.8.8:53"' '"127.0.0.1:80"' '"198.19.0.1:80"' \
	'"198.18.0.0:80"' '"198.18.0.255:80"' '"198.18.0.2:80"' '"--mode","connect","198.18.0.254:80"' \
	'"--mode","synflood","--spoof","198.18.0.0/24","198.18.0.1:8080"' \
	'"--mode","synflood","--spoof","198.18.0.0/16","198.18.0.1:8080"' \
	'"--mode","synflood","--spoof","198.18.0.0/15","198.18.0.1:8080"'; do
	out=$(ccall POST /v1/programs "{\"name\":\"client\",\"program\":\"tcplab-client\",\"args\":[$args]}")
	echo "client [$args]: $(echo "$out" | tr '\n' ' ')"
	[ "$(echo "$out" | head -n 1)" = 400 ] || fail "client options [$args] were not refused: $out"
	echo "$out" | grep -Eq 'lab host|own address|overlaps the lab' || fail "client [$args]: no clear reason: $out"
done
[ "$(ip netns pids "$NS_CLI" | wc -l)" = 1 ] || fail "a refused client started: $(ip netns pids "$NS_CLI")"
out=$(ccall POST /v1/programs '{"name":"client","program":"tcplab-client","args":["--mode","connect","198.18.0.1:9"]}')
[ "$(echo "$out" | head -n 1)" = 201 ] || fail "a client aimed at the lab server was refused: $out"
# A link planted where the client's records go: the client refuses to write through it.
echo "keep me" >"$NETNS_TMP/victim"
ln -s "$NETNS_TMP/victim" "$NETNS_TMP/work-cli/session-1/records.csv"
out=$(ccall POST /v1/programs "{\"name\":\"linked\",\"program\":\"tcplab-client\",\"args\":[\"--mode\",\"connect\",\"--records\",\"$NETNS_TMP/work-cli/session-1/records.csv\",\"198.18.0.1:9\"]}")
[ "$(echo "$out" | head -n 1)" = 201 ] || fail "the client with --records in its folder did not start: $out"
ended() { ccall GET /v1/programs/1 | sed 1d | grep -q '"running":false'; }
wait_until 10 ended || fail "the client writing through a planted link ran on"
[ "$(cat "$NETNS_TMP/victim")" = "keep me" ] || fail "the planted link redirected the records: $(cat "$NETNS_TMP/victim")"
grep -q "records: cannot open" "$NETNS_TMP/work-cli/session-1/linked.stderr" ||
	fail "the client does not say why: $(cat "$NETNS_TMP/work-cli/session-1/linked.stderr")"
exit 0
