# tcplab.bash: bash completion for tcplab. The commands and options are read from the program's own help
# (tcplab --help, tcplab help COMMAND) and the scenario names from tcplab list, when completing: never a copy.
# Load it with `source lab/completion/tcplab.bash`; make install puts it where bash-completion finds it.

# The commands: the first word of each line of the "commands:" block of tcplab --help.
_tcplab_commands()
{
	"$1" --help 2>/dev/null | awk '/^commands:/ { listing = 1; next } listing && /^  [a-z]/ { print $1; next } listing { exit }'
}

# A command's options: every --word its usage names.
_tcplab_options()
{
	"$1" help "$2" 2>/dev/null | grep -oE -- '--[a-z][a-z0-9-]*' | sort -u
}

_tcplab()
{
	local prog=${COMP_WORDS[0]} cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
	local cmd=${COMP_WORDS[1]}
	COMPREPLY=()
	if [ "$COMP_CWORD" -eq 1 ]; then
		mapfile -t COMPREPLY < <(compgen -W "$(_tcplab_commands "$prog") help --help --version" -- "$cur")
		return 0
	fi
	case $prev in
	--results)
		mapfile -t COMPREPLY < <(compgen -d -- "$cur")
		return 0
		;;
	--backend)
		mapfile -t COMPREPLY < <(compgen -W "netns docker" -- "$cur")
		return 0
		;;
	--profile | --set | --repeat | --ladders | --port | --client | --server | --server-agent | --client-agent)
		return 0
		;;
	--agent-token-file | --junit | --output)
		mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		return 0
		;;
	esac
	if [[ $cur == -* ]]; then
		mapfile -t COMPREPLY < <(compgen -W "$(_tcplab_options "$prog" "$cmd")" -- "$cur")
		return 0
	fi
	case $cmd in
	help)
		mapfile -t COMPREPLY < <(compgen -W "$(_tcplab_commands "$prog")" -- "$cur")
		;;
	run | compare | sweep | show)
		# A scenario is a name tcplab list shows, or a .conf path.
		if [[ $cur == */* || $cur == .* ]]; then
			mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		else
			mapfile -t COMPREPLY < <(compgen -W "$("$prog" list 2>/dev/null | awk '{ print $1 }')" -- "$cur")
		fi
		;;
	report | packets | junit-merge)
		mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		;;
	esac
	return 0
}

complete -F _tcplab tcplab
