#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The bash completion (tools/ngre/completion.bash) against a stand-in
# `ngre` whose -j show lists tunnels gt0 and gt1 and service web (in
# namespace x: tunnel gx only; in y, services whose names a shell would
# expand) and a stand-in `ip` for devices and namespaces.  Each case: a command line, and the words
# the completion must offer for its last word.  Exits 1 on a mismatch.
set -u

[ -r /usr/share/bash-completion/bash_completion ] ||
	{ echo "completion-check: bash-completion is not installed" >&2; exit 1; }
# shellcheck disable=SC1091
source /usr/share/bash-completion/bash_completion
# shellcheck disable=SC1091
source "$(dirname "$0")/ngre/completion.bash"

ngre() {
	case "$*" in
	"-n x -j tunnel show") echo '[{"ifname":"gx","vlan":0}]' ;;
	"-n y -j service show")
		# Names a shell would expand: offered quoted, never run.
		echo '[{"name":"$(touch /tmp/ngre-completion-ran)"},{"name":"my web"}]' ;;
	"-j tunnel show") echo '[{"ifname":"gt0","remote":"192.0.2.2"},{"ifname":"gt1"}]' ;;
	"-j service show") echo '[{"name":"web","nexthops":[{"tunnel":"gt0"}]}]' ;;
	esac
}
ip() {
	case "$*" in
	"-n x -o link show") echo '1: lo: <LOOPBACK,UP>'; echo '2: eth7@if3: <UP>' ;;
	"-o link show") echo '1: lo: <LOOPBACK,UP>'; echo '2: eth0: <UP>' ;;
	"netns list") echo 'x (id: 0)'; echo 'y' ;;
	esac
}
rm -f /tmp/ngre-completion-ran

failed=0
# expect LINE WORDS: completing LINE (ending at its last word, or after
# a space) offers WORDS.
expect() {
	local line=$1 want=$2 got
	read -ra COMP_WORDS <<< "$line"
	[ "${line: -1}" = " " ] && COMP_WORDS+=("")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMP_LINE=$line COMP_POINT=${#line}
	COMPREPLY=()
	_ngre
	got=${COMPREPLY[*]}
	if [ "$got" = "$want" ]; then
		echo "ok - '$line' -> $want"
	else
		echo "not ok - '$line' -> '$got', not '$want'"
		failed=1
	fi
}

expect "ngre " "tunnel service session stats config monitor help"
expect "ngre se" "service session"
expect "ngre -" "-json -pretty -stats -details -netns -batch -force -V"
expect "ngre -j tunnel " "add set del show help"
expect "ngre tunnel set " "gt0 gt1"
expect "ngre tunnel del gt" "gt0 gt1"
expect "ngre -n x tunnel show " "gx"
expect "ngre tunnel add gt9 " "dev vlan remote local key ikey okey nokey csum icsum ocsum nocsum seq iseq oseq noseq ttl tos pmtudisc nopmtudisc mtu keepalive nokeepalive probe interval retries noprobe"
expect "ngre tunnel add gt9 remote " ""
expect "ngre tunnel set gt0 local " "inherit"
expect "ngre tunnel set gt0 mtu " "auto"
expect "ngre tunnel set gt0 keepalive 1 " ""
expect "ngre tunnel set gt0 keepalive 1 3 no" "nokey nocsum noseq nopmtudisc nokeepalive noprobe"
expect "ngre service show " "web"
expect "ngre service add s proto " "tcp udp icmp"
expect "ngre service add s lb " "hash round-robin proportional hunt"
expect "ngre service add s nexthop " "tunnel via dev"
expect "ngre service add s nexthop tunnel " "gt0 gt1"
expect "ngre session " "show flush del help"
expect "ngre session show service " "web"
expect "ngre session flush tunnel " "gt0 gt1"
expect "ngre config set " "max-tunnels max-sessions timeout-tcp-opening timeout-tcp-established timeout-tcp-closing timeout-udp timeout-icmp timeout-other"
expect "ngre config set max-tunnels 9 timeout-u" "timeout-udp"
expect "ngre config set max-tunnels " ""
expect "ngre stats " "show help"
expect "ngre tun del " "gt0 gt1"
expect "ngre t delete g" "gt0 gt1"
expect "ngre se " "add set del show help"
expect "ngre ses sh tunnel " "gt0 gt1"
expect "ngre session show proto " "tcp udp icmp"
expect "ngre -n " "x y"
expect "ngre tunnel add gt9 dev " "lo eth0"
expect "ngre -n x tunnel add gt9 dev " "lo eth7"
expect "ngre -n y service del " '\$\(touch\ /tmp/ngre-completion-ran\) my\ web'
expect "ngre frob " ""
if [ -e /tmp/ngre-completion-ran ]; then
	echo "not ok - a name from ngre's output was run"
	failed=1
fi
exit $failed
