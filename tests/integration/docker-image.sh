#!/usr/bin/env bash
# docker-image: the lab image builds offline from the local base and holds the programs, iproute2, no compiler, runs as uid 10001, and only the agent has file capabilities.
. "$(dirname "$0")/../../docker/testlib.sh"
docker_require
docker_images
run() { docker run --rm --network none --entrypoint "$1" "$DOCKER_IMAGE" "${@:2}"; }
for p in tcplab tcplab-server tcplab-client tcplab-agent tcplab-lab; do
	run sh -c "test -x /usr/local/bin/$p" || fail "/usr/local/bin/$p is missing"
done
run sh -c 'command -v ss && command -v nstat' >/dev/null || fail "ss or nstat is missing"
run sh -c 'command -v gcc || command -v make' >/dev/null && fail "the runtime image holds a compiler"
caps=$(run getcap /usr/local/bin/tcplab-agent)
echo "$caps" | grep -q 'cap_net_admin,cap_net_raw=p$' || fail "tcplab-agent capabilities: '$caps'"
for p in tcplab tcplab-server tcplab-client; do
	[ -z "$(run getcap "/usr/local/bin/$p")" ] || fail "$p has file capabilities"
done
[ "$(run id -u tcplab)" = 10001 ] || fail "no tcplab user with uid 10001"
[ "$(docker run --rm --network none --entrypoint id "$DOCKER_IMAGE" -u)" = 10001 ] || fail "the image runs as root by default"
run tcplab list >/dev/null || fail "tcplab list fails in the image"
for f in "$DOCKER_SRC"/lab/scenarios/*.conf; do
	run test -f "/usr/local/share/tcplab/lab/scenarios/$(basename "$f")" || fail "$(basename "$f") is not in the image"
done
exit 0
