#!/usr/bin/env bash
# build-base.sh: build the Debian base image locally (debootstrap minbase + docker import), for machines that cannot pull.
#
# Usage: docker/build-base.sh [--force] [IMAGE]        (default image: tcplab-base:bookworm)
# The mirror is TCPLAB_DEBIAN_MIRROR if set, else the one this machine's apt uses for bookworm
# (/etc/apt/sources.list and sources.list.d, one-line or deb822), else http://deb.debian.org/debian.
# An existing image is kept unless --force. Needs root (debootstrap); installs debootstrap if missing.
set -euo pipefail

force=0
if [ "${1:-}" = "--force" ]; then
	force=1
	shift
fi
image=${1:-tcplab-base:bookworm}
suite=bookworm

die() {
	echo "build-base: $*" >&2
	exit 1
}

command -v docker >/dev/null || die "docker is not installed (Debian: apt-get install docker.io)"
docker info >/dev/null 2>&1 || die "the docker daemon is not reachable (is it running? are you root or in the docker group?)"
if [ "$force" = 0 ] && docker image inspect "$image" >/dev/null 2>&1; then
	echo "build-base: $image exists (--force rebuilds it)"
	exit 0
fi
[ "$(id -u)" = 0 ] || die "debootstrap needs root"
if ! command -v debootstrap >/dev/null; then
	echo "build-base: installing debootstrap"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null ||
		die "could not install debootstrap"
fi

# The first URI this machine's apt uses for the suite itself (not -updates or -security).
host_mirror() {
	local f
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		awk -v s="$suite" '$1 == "deb" { i = 2; if ($2 ~ /^\[/) while ($i !~ /\]$/) i++; if ($2 ~ /^\[/) i++;
			if ($(i + 1) == s) { print $i; exit } }' "$f"
	done
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		# deb822: stanzas separated by blank lines; take URIs of a stanza whose Suites list the suite.
		awk -v s="$suite" 'BEGIN { RS = ""; FS = "\n" }
			{ uri = ""; hit = 0; deb = 0
			  for (i = 1; i <= NF; i++) {
				if ($i ~ /^Types:/ && $i ~ /[[:space:]]deb([[:space:]]|$)/) deb = 1
				if ($i ~ /^URIs:/) { split($i, u, /[[:space:]]+/); uri = u[2] }
				if ($i ~ /^Suites:/) { n = split($i, w, /[[:space:]]+/); for (j = 2; j <= n; j++) if (w[j] == s) hit = 1 }
			  }
			  if (deb && hit && uri != "") { print uri; exit } }' "$f"
	done
}

mirror=${TCPLAB_DEBIAN_MIRROR:-$(host_mirror | head -n 1)}
mirror=${mirror:-http://deb.debian.org/debian}

work=$(mktemp -d /tmp/tcplab-base.XXXXXX)
cleanup() {
	# debootstrap mounts proc and sys inside the target; an interrupted run may leave them mounted.
	local m
	for m in $(awk -v w="$work/" 'index($2, w) == 1 { print $2 }' /proc/mounts | sort -r); do
		umount -l "$m" 2>/dev/null || true
	done
	rm -rf --one-file-system "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "build-base: debootstrap --variant=minbase $suite from $mirror"
start=$(date +%s)
debootstrap --variant=minbase "$suite" "$work/root" "$mirror" >"$work/debootstrap.log" 2>&1 || {
	tail -n 20 "$work/debootstrap.log" >&2
	die "debootstrap failed (log above)"
}
# Downloaded packages and package lists are not part of an image: apt-get update fetches them again.
rm -rf "$work/root/var/cache/apt/archives/"*.deb "$work/root/var/lib/apt/lists/"*
tar -C "$work/root" --numeric-owner -c . | docker import \
	--change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
	--change 'CMD ["/bin/bash"]' \
	--message "debootstrap --variant=minbase $suite $mirror" - "$image" >/dev/null
echo "build-base: $image built in $(( $(date +%s) - start ))s"
