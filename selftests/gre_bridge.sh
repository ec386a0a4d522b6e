#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A tunnel on a bridge's VLAN device, with br_netfilter running the IPv4
# hooks for bridged frames (R: br0, VLAN filtering, ports p to P and o to
# O, VID 100 tagged; gt1 on br0.100 to P):
#  - GRE from P to R's MAC is taken as from br0.100, the bridge's VLAN
#    device of the frame's tag (br_netfilter shows the hooks br0);
#  - the same GRE in a frame for O's MAC, which br_netfilter shows the
#    hooks as for the host (PACKET_HOST, pkt_otherhost), is left to the
#    bridge (rx_not_local) and reaches O; so are its fragments, which ngre
#    must not reassemble;
#  - without br_netfilter's call into the IPv4 hooks, GRE to R's MAC
#    is taken on br0.100 itself.
source "$(dirname "$0")/lib.sh"

require_cmd jq python3 bridge nstat
ngre_load
defer sh -c 'rmmod ngre 2>/dev/null'
modprobe -q br_netfilter 2>/dev/null
[ -e /proc/sys/net/bridge/bridge-nf-call-iptables ] || skip "no br_netfilter"
modprobe -q 8021q
setup_ns R P O
ip -b - <<EOF || fail "the veth pairs"
link add p netns $R type veth peer name eth0 netns $P
link add o netns $R type veth peer name eth0 netns $O
EOF
ip -n "$R" -b - <<EOF || fail "R's bridge"
link add br0 type bridge vlan_filtering 1
link set p master br0
link set o master br0
link set p up
link set o up
link set br0 up
link add link br0 name br0.100 type vlan id 100
addr add 192.0.2.1/24 dev br0.100
link set br0.100 up
EOF
bridge -n "$R" -b - <<EOF || fail "R's bridge VLANs"
vlan add vid 100 dev p
vlan add vid 100 dev o
vlan add vid 100 dev br0 self
EOF
for i in P:2 O:3; do
	ns=${i%:*}
	ip -n "${!ns}" -b - <<EOF || fail "$ns's addresses"
link set eth0 up
link add link eth0 name eth0.100 type vlan id 100
addr add 192.0.2.${i#*:}/24 dev eth0.100
link set eth0.100 up
EOF
done
# No IPv6 link-local address on the tunnel (made after this): it carries
# only the test's packets.
nsrun "$R" sysctl -qw net.bridge.bridge-nf-call-iptables=1 \
	net.bridge.bridge-nf-filter-vlan-tagged=1 \
	net.ipv6.conf.default.addr_gen_mode=1 ||
	fail "R's sysctls"
NS=$R
ngre tunnel add gt1 dev br0 vlan 100 remote 192.0.2.2 key 42 csum seq ||
	fail "tunnel add gt1"
ip -n "$R" link set gt1 up
nsrun "$P" ping -q -c 1 -W 5 192.0.2.1 > /dev/null || fail "ping R from P"
nsrun "$P" ping -q -c 1 -W 5 192.0.2.3 > /dev/null || fail "ping O from P"
o_mac=$(ip -n "$O" -j link show eth0 | jq -r '.[0].address')

# from_p WHAT [OPTION...]: the cases on stdin from P to R's 192.0.2.1.
from_p() {
	gre_probe "$1" "$P" "$R" gt1 192.0.2.2 192.0.2.1 "${@:2}"
}
# o_got: the IPv4 packets O received that were not for it.
o_got() { nstat_of "$O" IpInAddrErrors; }

# A decapsulated packet is for 10.1.0.1, which R, no router, does not
# route: IPv4 counts it.
drop=IpInAddrErrors=+1
from_p "br_netfilter, to R's MAC: taken as from br0.100" <<< \
	"ok:1: $drop decap_success=+1 dev_rx=+1"
o0=$(o_got)
from_p "br_netfilter, for O's MAC: left to the bridge" \
	--ether eth0.100 "$o_mac" <<< "ok:2: rx_not_local=+1"
wait_for "... which took it to O" 30 '[ $(($(o_got) - o0)) = 1 ]'
# A 2044-byte GRE packet in three fragments.
o0=$(o_got)
from_p "br_netfilter, fragments for O's MAC: not reassembled by R" \
	--ether eth0.100 "$o_mac" <<< "frag:3:"
wait_for "... but taken to O" 30 '[ $(($(o_got) - o0)) = 3 ]'
nsrun "$R" sysctl -qw net.bridge.bridge-nf-call-iptables=0
from_p "without br_netfilter's hooks: taken on br0.100" <<< \
	"ok:4: $drop decap_success=+1 dev_rx=+1"
exit 0
