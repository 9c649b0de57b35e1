#!/usr/bin/env bash
# docker-suite-1-compose-up: `docker-compose up --build --exit-code-from lab` replays every scenario in containers; every one
# must pass (only one docker/known-differences.txt marks "refused" may be refused), and compose exits 0; nothing is left.
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
# The scenario lines, "LAB  NAME  PASS|FAIL  key figure ...", come before the labs' table ("lab  page ...").
failing=()
for name in $(awk '/^lab +page/ { exit } $3 == "FAIL" { print $2 }' "$DOCKER_TMP/suite.log"); do
	[ -f "$DOCKER_SRC/lab/scenarios/$name.conf" ] || continue
	awk -F'\t' -v s="$name" '$1 == s && $2 == "refused" { found = 1 } END { exit !found }' \
		"$DOCKER_SRC/docker/known-differences.txt" && continue
	failing+=("$name")
done
[ "${#failing[@]}" -eq 0 ] || fail "scenarios failed in containers: ${failing[*]} (docker-compose exited $status)"
if [ "$failed" = 0 ]; then
	[ "$status" -eq 0 ] || fail "every scenario passed but docker-compose exited $status"
else
	# Only documented refusals failed: the suite still says 1.
	[ "$status" -eq 1 ] || fail "$failed scenarios refused but docker-compose exited $status, not the suite's 1"
fi
for f in "$DOCKER_SRC"/lab/scenarios/*.conf; do
	grep -qw -- "$(basename "$f" .conf)" "$DOCKER_TMP/suite.log" || fail "$(basename "$f" .conf) was not replayed"
done
mkdir -p "$keep"
cp -r "$TCPLAB_RESULTS" "$keep/results"
cp "$DOCKER_TMP/suite.log" "$keep/suite.log"
exit 0
