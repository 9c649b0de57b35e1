#!/usr/bin/env bash
# server-mhd: --engine mhd listens with the requested backlog, serves a request and counts it in the JSON summary.
set -u
. "$(dirname "$0")/../lib/netns.sh"
bin="${1:?usage: $0 BUILD_DIR}/bin"
port=8080

netns_pair_up || fail "cannot create the namespaces"
ip netns exec "$NS_SRV" "$bin/tcplab-server" -q --engine mhd -l "$SRV_ADDR:$port" -b 7 -s 10 --json --duration 15s \
	>"$NETNS_TMP/out" 2>"$NETNS_TMP/err" &
pid=$!
netns_track "$pid"
netns_wait_listen "$NS_SRV" "$port" || fail "mhd server did not listen: $(head -n 1 "$NETNS_TMP/err")"

sendq=$(ip netns exec "$NS_SRV" ss -Hltn "sport = :$port" | awk '{print $3}')
[ "$sendq" = 7 ] || fail "LISTEN Send-Q is '$sendq', expected 7 (MHD_OPTION_LISTEN_BACKLOG_SIZE)"

got=$(ip netns exec "$NS_CLI" curl -s -m 5 -o "$NETNS_TMP/body" -w '%{http_code} %{size_download}' "http://$SRV_ADDR:$port/")
[ "$got" = "200 10" ] || fail "curl got '$got', expected '200 10'"
[ "$(cat "$NETNS_TMP/body")" = xxxxxxxxxx ] || fail "body is '$(head -c 40 "$NETNS_TMP/body")', expected 10 x"

kill -TERM "$pid"
wait "$pid"
rc=$?
[ "$rc" = 0 ] || fail "server exited $rc after SIGTERM, expected 0"
summary=$(cat "$NETNS_TMP/out")
for want in '"engine":"mhd"' '"accepted":1,' '"requests":1,' '"responses":1,' '"backlog":7,'; do
	case "$summary" in
	*"$want"*) ;;
	*) fail "summary lacks $want: $summary" ;;
	esac
done
echo "ok: mhd backlog 7, one request served and counted"
