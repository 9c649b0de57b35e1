#!/usr/bin/env bash
# docker-compare: `docker-compose run --rm lab compare` replays a scenario under two profiles in containers:
# kernel-defaults vs abort-on-overflow on the server side, resets only under the second, as in namespaces.
. "$(dirname "$0")/../../docker/testlib.sh"
docker_require
docker_images
docker_project
command -v jq >/dev/null || fail "jq is not installed (make docker-deps)"
out=$(compose run --rm lab compare --profile server=kernel-defaults --profile server=abort-on-overflow \
	abort-on-overflow 2>&1)
status=$?
echo "$out"
[ "$status" -eq 0 ] || fail "docker-compose run --rm lab compare exited $status"
doc=$(ls "$TCPLAB_RESULTS"/*-compare-abort-on-overflow/compare.json 2>/dev/null | head -n 1)
[ -s "$doc" ] || fail "no compare.json under $TCPLAB_RESULTS"
value() { jq -r --argjson i "$1" --arg p "$2" '.columns[$i].values[$p] // "missing"' "$doc"; }
jq -e '.status == "complete" and (.columns | length) == 2' "$doc" >/dev/null || fail "not two complete columns"
for i in 0 1; do
	run=$(jq -r --argjson i "$i" '.columns[$i].runs[0].dir' "$doc")
	json_file_true "$(dirname "$doc")/$run/run.json" '.run.backend == "docker"' || fail "column $i did not run on docker"
done
[ "$(value 0 client.outcome.reset)" = 0 ] || fail "kernel-defaults: $(value 0 client.outcome.reset) resets, expected 0"
awk -v r="$(value 1 client.outcome.reset)" 'BEGIN { exit !(r >= 1) }' || fail "abort-on-overflow: no reset"
awk -v r="$(value 1 server.nstat.TcpOutRsts)" 'BEGIN { exit !(r >= 1) }' || fail "abort-on-overflow: no TcpOutRsts"
docker_down_checked
exit 0
