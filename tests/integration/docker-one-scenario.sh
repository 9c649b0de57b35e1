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
json_file_true "$run_json" '.run.backend == "docker"' || fail "run.json does not say backend docker"
json_file_true "$run_json" '.run.status == "complete"' || fail "the run is not complete"
dir=$(dirname "$run_json")
for f in connections.csv samples.csv summary.md report.html raw/server.stdout raw/client-nstat-after.txt \
	raw/server.pcap raw/client.pcap; do
	[ -s "$dir/$f" ] || fail "$f is missing or empty"
done
# The lab container drew the report's charts (gnuplot in the image).
grep -q '<svg' "$dir/report.html" || fail "report.html has no chart"
# Each container's recorder ran beside its agent and its file came back: complete, and read back into ladders.
for side in server client; do
	[ "$(jq -r ".capture.$side.complete" "$run_json")" = true ] || fail "$side capture: $(jq -c ".capture.$side" "$run_json")"
	written=$(jq -r ".capture.$side.packets_written" "$run_json")
	[ "$(tcpdump -nr "$dir/raw/$side.pcap" 2>/dev/null | wc -l)" = "$written" ] || fail "$side.pcap does not hold $written packets"
done
[ "$(jq -r '.packets.connections' "$run_json")" = 4 ] || fail "the ladders do not show 4 connections: $(jq -c .packets "$run_json" | head -c 300)"
[ "$(jq -r '.packets.syn_retrans' "$run_json")" = "$(jq -r '.client.nstat.TcpExtTCPSynRetrans' "$run_json")" ] ||
	fail "SYN retransmissions on the wire differ from the client's TCPSynRetrans"
docker_down_checked
exit 0
