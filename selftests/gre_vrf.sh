#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Tunnels with the same local address, remote address and key in two
# VRFs (namespaces R, P1 and P2):
#
#   P1 eth0.100 ==== R eth0.100 (vrf-1)   gt1: dev eth0 vlan 100
#   P2 eth0.100 ==== R eth1.100 (vrf-2)   gt2: dev eth1 vlan 100
#
# Both VLAN devices of R have 192.0.2.1, both peers 192.0.2.254 and
# 198.51.100.2 (the tunnels' remote).
#  - both tunnels are accepted and up; a third on gt1's link with the same
#    addresses and key is refused, naming gt1;
#  - GRE from P1 is gt1's, GRE from P2 is gt2's (gre_send.py's packets,
#    counted on each device);
#  - each tunnel sends by its own link, in its link's VRF, and conntrack
#    (loaded for a stateful output chain) has no entry for what it sends;
#  - an ICMP fragmentation-needed from P1 lowers the path MTU to the
#    remote in vrf-1 only.
source "$(dirname "$0")/lib.sh"

require_cmd jq python3 tcpdump nft conntrack
modprobe -q vrf 2>/dev/null
modprobe -q 8021q
ngre_load
defer sh -c 'rmmod ngre 2>/dev/null'
setup_ns R P1 P2
NS=$R
# No IPv6 link-local addresses on the tunnels: they carry only the test's
# packets.
nsrun "$R" sysctl -qw net.ipv6.conf.default.addr_gen_mode=1

for i in 1 2; do
	peer=P$i
	peer=${!peer}
	dev=eth$((i - 1))
	ip link add "$dev" netns "$R" type veth peer name eth0 netns "$peer" ||
		fail "veth to P$i"
	ip -n "$R" link add "vrf-$i" type vrf table "$((10 * i))" ||
		skip "no VRF support"
	ip -n "$R" link set "vrf-$i" up
	ip -n "$R" link set "$dev" up
	ip -n "$R" link add link "$dev" name "$dev.100" type vlan id 100
	ip -n "$R" link set "$dev.100" master "vrf-$i"
	ip -n "$R" addr add 192.0.2.1/24 dev "$dev.100"
	ip -n "$R" link set "$dev.100" up
	ip -n "$R" route add 198.51.100.2/32 via 192.0.2.254 vrf "vrf-$i"
	ip -n "$peer" link set eth0 up
	ip -n "$peer" link add link eth0 name eth0.100 type vlan id 100
	ip -n "$peer" addr add 192.0.2.254/24 dev eth0.100
	ip -n "$peer" link set eth0.100 up
	ip -n "$peer" addr add 198.51.100.2/32 dev lo
	ngre tunnel add "gt$i" dev "$dev" vlan 100 remote 198.51.100.2 \
		key 42 csum seq || fail "tunnel add gt$i"
	ip -n "$R" link set "gt$i" up
	ip -n "$R" addr add "10.9.$i.1/30" dev "gt$i"
done

for i in 1 2; do
	check_tunnel "gt$i" "gt$i" local=192.0.2.1 remote=198.51.100.2 \
		down_reason=null operstate=up
done
expect_fail "the same addresses and key on gt1's link" 2 \
	'already receives.*held by gt1' \
	ngre tunnel add gt3 dev eth0 vlan 100 local 192.0.2.1 \
	remote 198.51.100.2 key 42

# --- receive: each tunnel takes what comes in on its link --------------------------
# ARP first, so that the probes' packets are not held for it.
for i in 1 2; do
	peer=P$i
	nsrun "${!peer}" ping -q -c 1 -W 5 192.0.2.1 > /dev/null ||
		fail "ping R from P$i"
done
# send WHAT PEER DEV: gre_send.py's cases from PEER, R's counters and DEV's.
send() {
	gre_probe "$1" "$2" "$R" "$3" 198.51.100.2 192.0.2.1
}
# The inner packet is for 10.1.0.1, which R, no router, does not route:
# IPv4 counts it.
drop=IpInAddrErrors=+1
send "from P1: gt1's" "$P1" gt1 <<< "ok:1: $drop decap_success=+1 dev_rx=+1"
send "from P1: not gt2's" "$P1" gt2 <<< "ok:2: $drop decap_success=+1"
send "from P2: gt2's" "$P2" gt2 <<< "ok:1: $drop decap_success=+1 dev_rx=+1"
send "from P2: not gt1's" "$P2" gt1 <<< "ok:2: $drop decap_success=+1"

# --- transmit: each tunnel by its link, untracked ---------------------------------------
# A stateful output chain on R loads conntrack: the outer packets, which
# leave in the links' VRFs, must have no entry.
nsrun "$R" nft -f - <<'EOF' || fail "nft ruleset on R"
table inet fw {
	chain output {
		type filter hook output priority filter;
		ct state new,established,related,untracked accept
	}
}
EOF
conntrack_keep "$R"

# wire I PEER: the GRE that PEER sees while R pings through gt I (nothing
# answers the pings).
wire() {
	gre_wire "$2" eth0 sh -c \
		"nsrun $R ping -q -c 2 -i 0.2 -W 1 10.9.$1.2 >/dev/null; true" |
		cut -d' ' -f1,2
}
check_eq "gt1 sends to P1" "$(wire 1 "$P1")" "192.0.2.1>198.51.100.2 vid=100"
check_eq "... and not to P2" "$(wire 1 "$P2")" ""
check_eq "gt2 sends to P2" "$(wire 2 "$P2")" "192.0.2.1>198.51.100.2 vid=100"
check_eq "... and not to P1" "$(wire 2 "$P1")" ""
ct=$(nsrun "$R" conntrack -L 2>/dev/null)
echo "$ct" | grep -q 'dst=10\.9\.1\.2 ' ||
	fail "conntrack has no entry for R's ping through gt1: $ct"
check_eq "conntrack: no entry for the outer GRE in the VRFs" \
	"$(echo "$ct" | grep -cE '(src|dst)=198\.51\.100\.2 ')" 0

# --- path MTU: learnt in the VRF the ICMP came in -------------------------------------
vrf_mtu() {
	ip -n "$R" route get 198.51.100.2 vrf "vrf-$1" | grep -oE 'mtu [0-9]+'
}
before=$(ngre -j stats show)
nsrun "$P1" /usr/bin/python3 -S "$NGRE_ROOT/selftests/gre_send.py" \
	192.0.2.254 192.0.2.1 fragneeded:1280:198.51.100.2 ||
	fail "gre_send.py in P1 fragneeded"
wait_for "ICMP from P1: vrf-1's path MTU" 30 '[ "$(vrf_mtu 1)" = "mtu 1280" ]'
check_eq "... counted once" "$(delta "$before" "$(ngre -j stats show)")" "pmtu_update=+1"
check_eq "... not vrf-2's" "$(vrf_mtu 2)" ""
exit 0
