# testlib.sh: what the Docker integration tests share (sourced): docker present or a failure that says so,
# the two images, and a compose project of the test's own that is taken down on exit and checked.
#
# Usage: . "$(dirname "$0")/../../docker/testlib.sh"
# Nothing is skipped: without docker, a daemon or compose, every Docker test fails with the reason.

DOCKER_SRC=${TCPLAB_SRCDIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
# JSON is read with jq: json_true, json_file_true, json_get.
. "$DOCKER_SRC/tests/lib/json.sh"
DOCKER_BASE=${TCPLAB_BASE:-tcplab-base:bookworm}
DOCKER_IMAGE=tcplab:latest
COMPOSE=()
PROJECT=
DOCKER_TMP=

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

docker_require() {
	command -v docker >/dev/null || fail "docker is not installed (make docker-deps installs docker.io)"
	docker info >/dev/null 2>&1 || fail "the docker daemon is not reachable: start it, or run as root or in the docker group"
	if command -v docker-compose >/dev/null; then
		COMPOSE=(docker-compose)
	elif docker compose version >/dev/null 2>&1; then
		COMPOSE=(docker compose)
	else
		fail "neither docker-compose nor docker compose is installed (make docker-deps)"
	fi
}

# The base image: built here when missing (docker/build-base.sh), never pulled.
docker_base_image() {
	local log
	log=$(mktemp /tmp/tcplab-docker-build.XXXXXX)
	if ! "$DOCKER_SRC/docker/build-base.sh" "$DOCKER_BASE" >"$log" 2>&1; then
		tail -n 20 "$log" >&2
		rm -f "$log"
		fail "docker/build-base.sh failed"
	fi
	rm -f "$log"
}

# Both images; docker's cache keeps a rebuild of the lab image short when the sources did not change.
docker_images() {
	local log
	docker_base_image
	log=$(mktemp /tmp/tcplab-docker-build.XXXXXX)
	if ! docker build --network=host --build-arg BASE="$DOCKER_BASE" -t "$DOCKER_IMAGE" "$DOCKER_SRC" >"$log" 2>&1; then
		tail -n 30 "$log" >&2
		rm -f "$log"
		fail "docker build of $DOCKER_IMAGE failed"
	fi
	rm -f "$log"
}

compose() {
	"${COMPOSE[@]}" -p "$PROJECT" -f "$DOCKER_SRC/compose.yaml" "$@"
}

# Containers, networks and volumes of the project that still exist, one per line.
docker_leftovers() {
	local filter="label=com.docker.compose.project=$PROJECT"
	docker ps -aq --filter "$filter" | sed 's/^/container /'
	docker network ls -q --filter "$filter" | sed 's/^/network /'
	docker volume ls -q --filter "$filter" | sed 's/^/volume /'
}

# Take the project down and fail if anything of it is left.
docker_down_checked() {
	local left
	compose down -v --remove-orphans >/dev/null 2>&1
	left=$(docker_leftovers)
	[ -z "$left" ] || fail "left after docker-compose down: $(echo "$left" | tr '\n' ' ')"
}

docker_cleanup() {
	[ -n "$PROJECT" ] && compose down -v --remove-orphans >/dev/null 2>&1
	[ -n "$DOCKER_TMP" ] && rm -rf "$DOCKER_TMP"
	return 0
}

# True when PROJECT_NAME is a test project (tcplabt<pid>) whose test script is no longer running:
# a test killed with SIGKILL (a timeout, a machine stopped) could not take its project down.
docker_stale_test_project() {
	local pid=${1#tcplabt}
	case "$1" in tcplabt[0-9]*) ;; *) return 1 ;; esac
	case "$pid" in *[!0-9]*) return 1 ;; esac
	[ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q 'docker-' && return 1
	return 0
}

# Take down what is left of a stale test project: its containers, networks and volumes, by label.
docker_reap_project() {
	local filter="label=com.docker.compose.project=$1" ids
	ids=$(docker ps -aq --filter "$filter")
	[ -z "$ids" ] || docker rm -f $ids >/dev/null
	ids=$(docker network ls -q --filter "$filter")
	[ -z "$ids" ] || docker network rm $ids >/dev/null
	ids=$(docker volume ls -q --filter "$filter")
	[ -z "$ids" ] || docker volume rm $ids >/dev/null
}

# A project named for this test, its results folder, cleanup on exit.
docker_project() {
	local net name owner
	# compose.yaml fixes the lab subnet (198.18.0.0/15): a lab that is up elsewhere would make ours fail to start.
	# What an earlier test run left (its script is gone) is taken down; anything else is named and stops the test.
	for net in $(docker network ls -q); do
		if docker network inspect --format '{{range .IPAM.Config}}{{.Subnet}} {{end}}' "$net" | grep -qE "198\.1[89]\."; then
			name=$(docker network inspect --format '{{.Name}}' "$net")
			owner=$(docker network inspect --format '{{index .Labels "com.docker.compose.project"}}' "$net")
			if docker_stale_test_project "$owner"; then
				echo "taking down $owner, left by an earlier test run" >&2
				docker_reap_project "$owner" || fail "could not take down $owner (network $name)"
				continue
			fi
			fail "network $name already uses part of 198.18.0.0/15 (a lab still up? docker-compose -p PROJECT down -v)"
		fi
	done
	PROJECT="tcplabt$$"
	DOCKER_TMP=$(mktemp -d /tmp/tcplab-docker.XXXXXX)
	mkdir "$DOCKER_TMP/results"
	export TCPLAB_BASE=$DOCKER_BASE TCPLAB_RESULTS=$DOCKER_TMP/results
	trap docker_cleanup EXIT
	trap 'exit 130' INT TERM
}
