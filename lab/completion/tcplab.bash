# tcplab.bash: bash completion for tcplab. The commands and options are read from the program's own help
# (tcplab --help, tcplab help COMMAND), the scenario names from tcplab list, the profile names from
# tcplab list --profiles and the --set keys from tcplab list --keys, when completing: never a copy.
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

# Replies for the whole word; bash replaces only what follows its last '=' or ':' in it, so that part goes.
_tcplab_rejoin()
{
	local split=$1 cur=$2 head
	[[ $split == *=* || $split == *:* ]] || return 0
	head=${cur%"${cur##*[=:]}"}
	[[ -n $head ]] && COMPREPLY=("${COMPREPLY[@]#"$head"}")
	return 0
}

_tcplab()
{
	local prog=${COMP_WORDS[0]} cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
	local cmd=${COMP_WORDS[1]} split=""
	# bash splits "server=NAME" at '=' (COMP_WORDBREAKS), but an option's value is one word: take it whole from
	# the line, and give back only what follows bash's own word break (see _tcplab_rejoin).
	if [[ -n ${COMP_LINE-} && -n ${COMP_POINT-} ]]; then
		local line=${COMP_LINE:0:COMP_POINT} words
		read -ra words <<<"$line"
		if [[ $line == *[[:space:]] ]]; then
			cur="" prev=${words[${#words[@]} - 1]}
		else
			cur=${words[${#words[@]} - 1]} prev=${words[${#words[@]} - 2]-}
		fi
		split=${COMP_WORDBREAKS-}
	fi
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
	--profile)
		# NAME, server=NAME, client=NAME or server=NAME,client=NAME: the name after the last '=' or ','.
		local head=${cur%"${cur##*[=,]}"} profiles
		profiles=$("$prog" list --profiles 2>/dev/null | awk '{ print $1 }')
		if [[ -z $head ]]; then
			mapfile -t COMPREPLY < <(compgen -W "$profiles server= client=" -- "$cur")
		elif [[ $head == *, ]]; then
			mapfile -t COMPREPLY < <(compgen -P "$head" -W "server= client=" -- "${cur##*[=,]}")
		else
			mapfile -t COMPREPLY < <(compgen -P "$head" -W "$profiles" -- "${cur##*[=,]}")
		fi
		[[ ${COMPREPLY[0]-} == *= ]] && compopt -o nospace 2>/dev/null
		_tcplab_rejoin "$split" "$cur"
		return 0
		;;
	--set)
		# SECTION.KEY=V1,V2: the key, then the values are the user's.
		[[ $cur == *=* ]] && return 0
		mapfile -t COMPREPLY < <(compgen -S = -W "$("$prog" list --keys 2>/dev/null)" -- "$cur")
		compopt -o nospace 2>/dev/null
		return 0
		;;
	--repeat | --ladders | --port | --client | --server | --server-agent | --client-agent)
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
		# A scenario is a name tcplab list shows, or a .conf path (compare: also run folders).
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
