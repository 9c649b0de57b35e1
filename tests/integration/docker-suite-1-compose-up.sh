#!/usr/bin/env bash
# docker-suite-1-compose-up: `docker-compose up --build --exit-code-from lab` replays every scenario in containers and exits with the suite's status; nothing is left.
# Its results are kept in /tmp/tcplab-docker-suite for docker-suite-2-matches-netns, which removes them.
. "$(dirname "$0")/../../docker/testlib.sh"
keep=/tmp/tcplab-docker-suite
rm -rf "$keep"
docker_require
docker_images
docker_project
compose up --build --no-color --exit-code-from lab >"$DOCKER_TMP/up.log" 2>&1
status=$?
# compose v1 prefixes the service's lines "lab_1  | ", v2 "lab-1  | ".
sed -n 's/^lab[-_]1 *| \{0,1\}//p' "$DOCKER_TMP/up.log" >"$DOCKER_TMP/suite.log"
cat "$DOCKER_TMP/suite.log"
docker_down_checked
total=$(grep -E '^labs: ' "$DOCKER_TMP/suite.log")
[ -n "$total" ] || fail "the lab service printed no total (exit $status): $(tail -n 5 "$DOCKER_TMP/up.log")"
failed=$(echo "$total" | sed -n 's/.* \([0-9][0-9]*\) failed.*/\1/p')
if [ "$failed" = 0 ]; then
	[ "$status" -eq 0 ] || fail "every scenario passed but docker-compose exited $status"
else
	[ "$status" -eq 1 ] || fail "$failed scenarios failed but docker-compose exited $status, not the suite's 1"
fi
for f in "$DOCKER_SRC"/lab/scenarios/*.conf; do
	grep -qw -- "$(basename "$f" .conf)" "$DOCKER_TMP/suite.log" || fail "$(basename "$f" .conf) was not replayed"
done
mkdir -p "$keep"
cp -r "$TCPLAB_RESULTS" "$keep/results"
cp "$DOCKER_TMP/suite.log" "$keep/suite.log"
exit 0
