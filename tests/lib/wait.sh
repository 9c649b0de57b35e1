# wait.sh: wait for a condition, bounded, instead of sleeping a fixed time.
#
# Usage: . "$(dirname "$0")/../lib/wait.sh"   (lab.sh and netns.sh source it)

# wait_until SECONDS COMMAND...: run COMMAND every 10 ms until it succeeds (0) or SECONDS pass (1).
# COMMAND is run anew each time: give it a function, not "test $(...)", which the shell expands once.
wait_until() {
	local limit_s=$1 deadline
	shift
	deadline=$(($(date +%s%N) + limit_s * 1000000000))
	until "$@"; do
		[ "$(date +%s%N)" -lt "$deadline" ] || return 1
		sleep 0.01
	done
}
