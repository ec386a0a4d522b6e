# SPDX-License-Identifier: GPL-2.0
# bash completion for ngre(8): options, objects, commands and their
# keywords, tunnel and service names from `ngre -j ... show` and device
# names (in the namespace of -n NETNS when one is given).  Objects and
# commands may be abbreviated, as the CLI takes them.

# _ngre_words WORD...: complete the current word from fixed WORDs.
_ngre_words()
{
	COMPREPLY=($(compgen -W "$*" -- "$cur"))
}

# _ngre_lines: complete the current word from the names on standard
# input, one a line, taken as they are (quoted for the shell: a name may
# hold anything a device or service name may).
_ngre_lines()
{
	local n
	COMPREPLY=()
	while IFS= read -r n; do
		[[ -n $n && $n == "$cur"* ]] && COMPREPLY+=("$(printf '%q' "$n")")
	done
}

# _ngre_names OBJECT FIELD: the names of OBJECT's entries.
_ngre_names()
{
	ngre ${_ngre_netns:+-n "$_ngre_netns"} -j "$1" show 2>/dev/null |
		grep -o "\"$2\":\"[^\"]*\"" | cut -d'"' -f4
}

# _ngre_devs: the network devices.
_ngre_devs()
{
	ip ${_ngre_netns:+-n "$_ngre_netns"} -o link show 2>/dev/null |
		awk -F': ' '{ sub(/@.*/, "", $2); print $2 }'
}

# _ngre_canon WORD FULL...: the first FULL that WORD abbreviates.
_ngre_canon()
{
	local w=$1 f
	shift
	for f; do
		[[ $f == "$w"* ]] && { echo "$f"; return; }
	done
}

# _ngre_tunnel_args: after `ngre tunnel add|set NAME`.
_ngre_tunnel_args()
{
	case $prev in
	dev) _ngre_lines < <(_ngre_devs) ;;
	local | ttl | tos) _ngre_words inherit ;;
	mtu) _ngre_words auto ;;
	vlan | remote | key | ikey | okey | keepalive | probe | interval | retries) ;;
	*)
		# keepalive takes two numbers.
		[ "${words[cword - 2]}" = keepalive ] && return
		_ngre_words dev vlan remote local key ikey okey nokey csum icsum ocsum \
			nocsum seq iseq oseq noseq ttl tos pmtudisc nopmtudisc mtu \
			keepalive nokeepalive probe interval retries noprobe
		;;
	esac
}

# _ngre_service_args: after `ngre service add|set NAME`.
_ngre_service_args()
{
	case $prev in
	proto) _ngre_words tcp udp icmp ;;
	lb) _ngre_words hash round-robin proportional hunt ;;
	from) _ngre_words dev ;;
	nexthop) _ngre_words tunnel via dev ;;
	tunnel) _ngre_lines < <(_ngre_names tunnel ifname) ;;
	dev) _ngre_lines < <(_ngre_devs) ;;
	prefix | port | via | weight | priority) ;;
	*) _ngre_words prefix proto port lb from nexthop weight priority ;;
	esac
}

# _ngre_session_args: the filter of `ngre session show|flush`.
_ngre_session_args()
{
	case $prev in
	service) _ngre_lines < <(_ngre_names service name) ;;
	tunnel) _ngre_lines < <(_ngre_names tunnel ifname) ;;
	proto) _ngre_words tcp udp icmp ;;
	src | dst) ;;
	*) _ngre_words service tunnel src dst proto ;;
	esac
}

_ngre()
{
	local cur prev words cword i obj= cmd= pos=0 _ngre_netns=
	_init_completion || return

	# The object, its command and the words after them; -n's namespace.
	for ((i = 1; i < cword; i++)); do
		case ${words[i]} in
		-n | -ne | -net | -netn | -netns)
			_ngre_netns=${words[i + 1]}
			((i++))
			continue
			;;
		-b | -ba | -bat | -batc | -batch)
			((i++))
			continue
			;;
		-*) [ -z "$obj" ] && continue ;;
		esac
		if [ -z "$obj" ]; then
			obj=$(_ngre_canon "${words[i]}" tunnel stats service session \
				config monitor help)
			[ -n "$obj" ] || return
		elif [ -z "$cmd" ]; then
			case $obj in
			tunnel | service)
				cmd=$(_ngre_canon "${words[i]}" add set change delete show list) ;;
			session) cmd=$(_ngre_canon "${words[i]}" show list flush delete) ;;
			config) cmd=$(_ngre_canon "${words[i]}" show set) ;;
			*) cmd=$(_ngre_canon "${words[i]}" show) ;;
			esac
			[ -n "$cmd" ] || return
		else
			((pos++))
		fi
	done

	if [ -z "$obj" ]; then
		case $prev in
		-n | -ne | -net | -netn | -netns)
			_ngre_lines < <(ip netns list 2>/dev/null | cut -d' ' -f1) ;;
		-b | -ba | -bat | -batc | -batch) _filedir ;;
		*)
			if [[ $cur == -* ]]; then
				_ngre_words -json -pretty -stats -details -netns -batch -force -V
			else
				_ngre_words tunnel service session stats config monitor help
			fi
			;;
		esac
		return
	fi

	if [ -z "$cmd" ]; then
		case $obj in
		tunnel | service) _ngre_words add set del show help ;;
		session) _ngre_words show flush del help ;;
		config) _ngre_words show set help ;;
		stats) _ngre_words show help ;;
		esac
		return
	fi

	case $obj:$cmd in
	tunnel:set | tunnel:change | tunnel:delete | tunnel:show | tunnel:list)
		[ $pos = 0 ] && { _ngre_lines < <(_ngre_names tunnel ifname); return; } ;;
	service:set | service:change | service:delete | service:show | service:list)
		[ $pos = 0 ] && { _ngre_lines < <(_ngre_names service name); return; } ;;
	esac

	case $obj:$cmd in
	tunnel:add | tunnel:set | tunnel:change) [ $pos -ge 1 ] && _ngre_tunnel_args ;;
	service:add | service:set | service:change) [ $pos -ge 1 ] && _ngre_service_args ;;
	session:show | session:list | session:flush) _ngre_session_args ;;
	config:set)
		[ $((pos % 2)) = 0 ] &&
			_ngre_words max-tunnels max-sessions timeout-tcp-opening \
				timeout-tcp-established timeout-tcp-closing timeout-udp \
				timeout-icmp timeout-other
		;;
	esac
} && complete -F _ngre ngre
