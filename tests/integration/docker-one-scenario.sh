#!/usr/bin/env bash
# docker-one-scenario: `docker-compose run --rm lab run NAME` replays one scenario in containers and writes its results on the host.
. "$(dirname "$0")/../../docker/testlib.sh"
docker_require
docker_images
docker_project
out=$(compose run --rm lab run accept-queue-capacity 2>&1)
status=$?
echo "$out"
[ "$status" -eq 0 ] || fail "docker-compose run --rm lab run accept-queue-capacity exited $status"
echo "$out" | grep -q 'PASS  server.acceptq.max == 2' || fail "the summary lacks the accept queue verdict"
run_json=$(ls "$TCPLAB_RESULTS"/*-accept-queue-capacity/run.json 2>/dev/null | head -n 1)
[ -s "$run_json" ] || fail "no run.json under $TCPLAB_RESULTS"
grep -q '"backend": "docker"' "$run_json" || fail "run.json does not say backend docker"
grep -q '"status": "complete"' "$run_json" || fail "the run is not complete"
dir=$(dirname "$run_json")
for f in connections.csv samples.csv summary.md raw/server.stdout raw/client-nstat-after.txt; do
	[ -s "$dir/$f" ] || fail "$f is missing or empty"
done
docker_down_checked
exit 0
