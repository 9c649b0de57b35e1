#!/usr/bin/env bash
# scenario-profile-netns: every sysctl a profile may set belongs to one network namespace on the running kernel.
#
# The keys come from tests/profiles/good/all-keys.conf, which sets each
# allowlisted key once (test_scenario_good checks it covers the allowlist).
# Step 1 writes every value as the root of an unprivileged user namespace
# that owns a new network namespace: the kernel lets it write only sysctls
# of its own network namespace, so a host-wide key is refused there and
# never changed. Step 2, for keys that passed step 1 only, writes each value
# in one lab namespace and checks that a second, fresh namespace still shows
# the kernel's default and the host its own value.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/netns.sh"
profile="$here/../profiles/good/all-keys.conf"

squeeze() { tr -s ' \t' ' ' | sed 's/^ //; s/ $//'; }

paths=()
values=()
while IFS= read -r line; do
	case "$line" in '' | '#'* | ';'*) continue ;; esac
	key=$(printf '%s' "${line%%=*}" | squeeze)
	paths+=("${key//.//}")
	values+=("$(printf '%s' "${line#*=}" | squeeze)")
done <"$profile"
[ "${#paths[@]}" -ge 10 ] || fail "read only ${#paths[@]} keys from $profile"

userns() {
	setpriv --reuid=65534 --regid=65534 --clear-groups unshare --user --map-root-user --net "$@"
}
if ! userns true 2>/dev/null; then
	# Without step 1 nothing proves a key is per namespace, and step 2 would be unsafe.
	echo "SKIP: unprivileged user namespaces are not available, nothing checked"
	exit 0
fi

host_before=()
for p in "${paths[@]}"; do
	host_before+=("$(squeeze </proc/sys/"$p" 2>/dev/null)")
done

# Step 1: one user+net namespace, every key written and read back inside it.
input=""
for i in "${!paths[@]}"; do
	input+="${paths[$i]} ${values[$i]}"$'\n'
done
step1=$(userns bash -c '
	while read -r path value; do
		if [ -z "$path" ]; then
			continue
		elif [ ! -e "/proc/sys/$path" ]; then
			echo "missing $path"
		elif ! { printf "%s\n" "$value" >"/proc/sys/$path"; } 2>/dev/null; then
			echo "refused $path"
		else
			got=$(tr -s " \t" " " <"/proc/sys/$path")
			[ "$got" = "$value" ] || echo "readback $path $got"
		fi
	done' <<<"$input")

skip=" "
while read -r what path rest; do
	case "$what" in
	missing)
		echo "note: $path does not exist on $(uname -r); not checked"
		skip+="$path "
		;;
	refused) fail "${path//\//.} is not per network namespace: a namespace's own root may not write it" ;;
	readback) fail "${path//\//.} read back '$rest' inside the user namespace" ;;
	esac
done <<<"$step1"

for i in "${!paths[@]}"; do
	[ "$(squeeze </proc/sys/"${paths[$i]}" 2>/dev/null)" = "${host_before[$i]}" ] ||
		fail "the host's ${paths[$i]//\//.} changed during step 1"
done

# Step 2: write in one lab namespace; the other one and the host keep their values.
netns_pair_up || fail "cannot create the lab namespaces"
for i in "${!paths[@]}"; do
	p=${paths[$i]}
	v=${values[$i]}
	case "$skip" in *" $p "*) continue ;; esac
	fresh=$(ip netns exec "$NS_CLI" cat "/proc/sys/$p" | squeeze)
	[ "$fresh" != "$v" ] || fail "all-keys.conf sets ${p//\//.} to its kernel default $v: pick another value"
	ip netns exec "$NS_SRV" sh -c "printf '%s\n' '$v' > /proc/sys/$p" || fail "cannot write $p in $NS_SRV"
	[ "$(ip netns exec "$NS_SRV" cat "/proc/sys/$p" | squeeze)" = "$v" ] || fail "$p did not read back in $NS_SRV"
	[ "$(ip netns exec "$NS_CLI" cat "/proc/sys/$p" | squeeze)" = "$fresh" ] ||
		fail "${p//\//.} written in one namespace showed up in another"
	[ "$(squeeze </proc/sys/"$p")" = "${host_before[$i]}" ] || fail "the host's ${p//\//.} changed"
	echo "ok ${p//\//.}: host ${host_before[$i]}, fresh namespace $fresh, lab namespace $v"
done
exit 0
