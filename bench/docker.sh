#!/usr/bin/env bash
# docker.sh: how long a lab takes to be ready in containers (docker-compose up) and in network namespaces, to the first connect of the first scenario.
#
# Usage: bench/docker.sh BUILD_DIR [RUNS]     (root; the tcplab image built: make docker-image)
# Each measure runs from the command's start to the first connection's start_wall_us in that
# scenario's connections.csv, so both include the same steps (profiles, server start, counters,
# ss/nstat snapshots) and differ by what the backend does first: containers and agents, or
# namespaces and a veth pair. Writes bench/RESULTS-docker.md.
set -u
build=$(cd "${1:?usage: bench/docker.sh BUILD_DIR [RUNS]}" && pwd)
runs=${2:-5}
cd "$(dirname "$0")/.." || exit 2
src=$PWD
scenario=accept-queue-capacity
project=tcplabbench
work=$(mktemp -d /tmp/tcplab-bench-docker.XXXXXX)
export TCPLAB_BASE=${TCPLAB_BASE:-tcplab-base:bookworm} TCPLAB_RESULTS=$work/docker
compose() { docker-compose -p "$project" -f "$src/compose.yaml" "$@"; }
cleanup() {
	compose down -v --remove-orphans >/dev/null 2>&1
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

now_us() { date +%s%6N; }

# The first connection's start in the newest connections.csv under $1, or nothing yet.
first_connect_us() {
	local csv
	csv=$(ls -t "$1"/*-"$scenario"/connections.csv 2>/dev/null | head -n 1)
	[ -n "$csv" ] && awk -F, 'NR == 2 { print $3 }' "$csv"
}

docker image inspect tcplab:latest >/dev/null 2>&1 || { echo "build the image first: make docker-image" >&2; exit 2; }
compose down -v --remove-orphans >/dev/null 2>&1
docker_ms=()
agents_ms=()
netns_ms=()
for i in $(seq 1 "$runs"); do
	rm -rf "$TCPLAB_RESULTS"
	mkdir -p "$TCPLAB_RESULTS"
	# The suite starts with accept-queue-capacity (lab 1); the bench stops it once that scenario is written.
	t0=$(now_us)
	compose up --no-build --no-color --exit-code-from lab >"$work/up.log" 2>&1 &
	up=$!
	first=
	for _ in $(seq 1 600); do
		first=$(first_connect_us "$TCPLAB_RESULTS")
		[ -n "$first" ] && break
		sleep 0.1
	done
	# A background job of a script ignores SIGINT: TERM stops compose, which then stops the containers.
	kill -TERM "$up" 2>/dev/null
	wait "$up" 2>/dev/null
	compose down -v --remove-orphans >/dev/null 2>&1
	[ -n "$first" ] || { echo "run $i: no result from docker-compose up" >&2; tail -n 20 "$work/up.log" >&2; exit 1; }
	docker_ms+=("$(( (first - t0) / 1000 ))")

	# The containers alone: created and both agents answering.
	t0=$(now_us)
	compose up -d --no-build server client >/dev/null 2>&1
	svol=$(docker volume inspect --format '{{.Mountpoint}}' "${project}_server-socket")
	cvol=$(docker volume inspect --format '{{.Mountpoint}}' "${project}_client-socket")
	for _ in $(seq 1 2000); do
		curl -sf --unix-socket "$svol/server.sock" http://agent/v1/info >/dev/null 2>&1 &&
			curl -sf --unix-socket "$cvol/client.sock" http://agent/v1/info >/dev/null 2>&1 && break
		sleep 0.005
	done
	agents_ms+=("$(( ($(now_us) - t0) / 1000 ))")
	compose down -v --remove-orphans >/dev/null 2>&1

	mkdir -p "$work/netns"
	t0=$(now_us)
	TCPLAB_HOME=$src "$build/bin/tcplab" run --backend netns --results "$work/netns" "$scenario" >/dev/null 2>&1
	first=$(first_connect_us "$work/netns")
	[ -n "$first" ] || { echo "run $i: no result from the netns backend" >&2; exit 1; }
	netns_ms+=("$(( (first - t0) / 1000 ))")
	echo "run $i: docker-compose up -> first connect ${docker_ms[-1]} ms; containers + agents ready ${agents_ms[-1]} ms; netns run -> first connect ${netns_ms[-1]} ms"
done

stats() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { printf "%d | %d | %d", v[1], v[int((NR + 1) / 2)], v[NR] }'; }
{
	echo "# Docker lab set-up time"
	echo
	echo "\`bench/docker.sh\` on $(date -u +%Y-%m-%d), kernel $(uname -r), $(nproc) cores, docker $(docker version --format '{{.Server.Version}}'),"
	echo "$(docker-compose version --short 2>/dev/null | sed 's/^/docker-compose /'), storage driver $(docker info --format '{{.Driver}}'); $runs runs, image already built."
	echo "Each time runs from the command's start to the first connection of \`$scenario\` (its"
	echo "connections.csv \`start_wall_us\`): profiles, server start, counters and snapshots are in both."
	echo
	echo "| measure (ms) | min | median | max |"
	echo "| --- | --- | --- | --- |"
	echo "| \`docker-compose up\` -> first connect of the first scenario | $(stats "${docker_ms[@]}") |"
	echo "| containers created and both agents answering (\`up -d server client\`) | $(stats "${agents_ms[@]}") |"
	echo "| \`tcplab run --backend netns\` -> first connect | $(stats "${netns_ms[@]}") |"
} >"$work/RESULTS-docker.md"
cp "$work/RESULTS-docker.md" bench/RESULTS-docker.md
cat bench/RESULTS-docker.md
