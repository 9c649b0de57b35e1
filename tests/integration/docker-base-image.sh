#!/usr/bin/env bash
# docker-base-image: the Debian base image exists and was made here by docker/build-base.sh (debootstrap + import), not pulled.
. "$(dirname "$0")/../../docker/testlib.sh"
docker_require
docker_base_image
docker history --no-trunc --format '{{.Comment}}' "$DOCKER_BASE" | grep -q 'debootstrap --variant=minbase bookworm' ||
	fail "$DOCKER_BASE was not made by docker/build-base.sh"
version=$(docker run --rm --network none "$DOCKER_BASE" cat /etc/debian_version) || fail "$DOCKER_BASE does not run"
case "$version" in 12.*) ;; *) fail "$DOCKER_BASE is Debian $version, not 12" ;; esac
exit 0
