#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# GRE interoperability: R1 runs ngre, R2 Linux's own ip_gre for every
# combination of key, checksum and sequence numbers (and their split into
# receive and transmit), then ngre for three of them.  For each: ping
# both ways, TCP both ways (GSO through the tunnel: 2 MB checked byte for
# byte one way, iperf3 the other), a UDP transfer with every payload
# checked, and IPv6 inside.  For some, the packets on the wire (on the
# 802.1Q trunk between R1 and W) are checked field by field.
#
#   A --- R1 (ngre) ==VLAN 100== W --- R2 (ip_gre | ngre) --- B
source "$(dirname "$0")/lib.sh"

require_cmd jq socat tcpdump python3 ss ethtool iperf3
ngre_load
defer sh -c 'rmmod ngre 2>/dev/null'
# Built into the debug kernel; a module on Debian's.
modprobe -q ip_gre 2>/dev/null
setup_gre_topology
# veth leaves checksums to the receiver (CHECKSUM_PARTIAL): have the GRE
# checksums computed before the packets leave R1 and R2, so the capture
# on W sees them as they would be on a wire.
nsrun "$R1" ethtool -K eth0 tx off >/dev/null
nsrun "$R2" ethtool -K eth0 tx off >/dev/null

# mirror OPTS: the peer's options for OPTS (receive and transmit swapped).
mirror() {
	local w out=()
	for w in "$@"; do
		case $w in
		i*) out+=("o${w#i}") ;;
		o*) out+=("i${w#o}") ;;
		*) out+=("$w") ;;
		esac
	done
	echo "${out[*]}"
}

# peer_up KIND OPTS...: the R2 end, Linux ip_gre or ngre.
peer_up() {
	local kind=$1
	shift
	if [ "$kind" = ip_gre ]; then
		ip -n "$R2" link add gre1 type gre local 198.51.100.2 \
			remote 192.0.2.1 ttl 64 $(mirror "$@") || fail "ip_gre $*"
	else
		"$NGRE_CLI" -n "$R2" tunnel add gre1 dev eth0 remote 192.0.2.1 \
			$(mirror "$@") || fail "ngre peer $*"
	fi
	ip -n "$R2" link set gre1 up
	ip -n "$R2" route add 10.1.0.0/24 dev gre1
	ip -n "$R2" -6 route add fd01::/64 dev gre1
}

local_up() {
	"$NGRE_CLI" -n "$R1" tunnel add gt0 dev eth0 vlan 100 \
		remote 198.51.100.2 "$@" || fail "ngre $*"
	ip -n "$R1" link set gt0 up
	ip -n "$R1" route add 10.2.0.0/24 dev gt0
	ip -n "$R1" -6 route add fd02::/64 dev gt0
}

down_all() {
	"$NGRE_CLI" -n "$R1" tunnel del gt0
	ip -n "$R2" link del gre1
}

# wire_check OPTS...: capture a ping on the trunk and check each GRE
# packet: 802.1Q VID 100, outer addresses, TTL and DF (both ends send
# TTL 64 with DF; the capture is on R1's side of W, so R2's packets have
# been forwarded once and arrive with 63), GRE flags, key, checksum,
# sequence numbers increasing per direction.
wire_check() {
	local got want

	got=$(gre_wire "$W" eth0 ping_ok "$A" 10.2.0.1 4) || fail "ping: $got"
	want="$(/usr/bin/python3 -S - "$@" <<'PY'
import sys
w = sys.argv[1:]
def side(d, ttl):
    f = {"C": 0, "K": 0, "S": 0, "key": "-", "ttl": ttl}
    i = 0
    while i < len(w):
        x = w[i]
        if x in ("key", d + "key"):
            f["K"], f["key"] = 1, w[i + 1]
            i += 1
        elif x in ("csum", d + "csum"):
            f["C"] = 1
        elif x in ("seq", d + "seq"):
            f["S"] = 1
        i += 1
    return "vid=100 tos=0x00 ttl=%(ttl)d df=1 C=%(C)d K=%(K)d key=%(key)s S=%(S)d" % f
print("192.0.2.1>198.51.100.2 %s csum_ok=1 seq_up=1" % side("o", 64))
print("198.51.100.2>192.0.2.1 %s csum_ok=1 seq_up=1" % side("i", 63))
PY
)"
	check_eq "wire format ($*)" "$got" "$want"
}

# Every combination against ip_gre, which proves each direction of each
# on its own; ngre at both ends adds nothing per combination beyond that,
# so it gets the plain one and two with every flag set on one side at
# least.  The debug kernel, there for its checkers and many times slower,
# runs only ngre's two.
all=("" "key 42" "csum" "seq" "key 42 csum" "key 42 seq" "csum seq"
	"key 42 csum seq" "ikey 7 okey 9" "icsum" "ocsum" "iseq" "oseq"
	"ikey 5 okey 6 icsum oseq")
few=("key 42 csum seq" "ikey 5 okey 6 icsum oseq")
runs=()
if debug_kernel; then
	for opts in "${few[@]}"; do runs+=("ngre:$opts"); done
else
	for opts in "${all[@]}"; do runs+=("ip_gre:$opts"); done
	for opts in "" "${few[@]}"; do runs+=("ngre:$opts"); done
fi

for run in "${runs[@]}"; do
	kind=${run%%:*} opts=${run#*:}
	log "--- R2 $kind, options: ${opts:-none}"
	# shellcheck disable=SC2086
	local_up $opts
	# shellcheck disable=SC2086
	peer_up "$kind" $opts
	ping_ok "$A" 10.2.0.1 2
	ping_ok "$B" 10.1.0.1 2
	ping_ok "$A" fd02::1 1
	concurrently 'tcp_transfer "$A" "$B" 10.2.0.1' \
		'iperf3_transfer "$B" "$A" 10.1.0.1 262144 -n 2M'
	udp_transfer "$B" "$A" 10.1.0.1 50
	if [ "$kind" = ip_gre ] && { [ -z "$opts" ] ||
	   [ "$opts" = "key 42 csum seq" ] ||
	   [ "$opts" = "ikey 5 okey 6 icsum oseq" ]; }; then
		# shellcheck disable=SC2086
		wire_check $opts
	fi
	down_all
done
log "ngre stats on R1: $("$NGRE_CLI" -n "$R1" -j stats show)"
exit $KSFT_PASS
