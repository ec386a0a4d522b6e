#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Sessions through a service, end to end (setup_session_topology):
#  - R1's service "web" (B's site, round-robin over gt0 to an ngre peer
#    and gt1 to an ip_gre peer) carries ICMP, TCP (iperf3 both ways) and
#    UDP (echoed); every session has a forward and a reverse flow whose
#    counters grow, also for the sessions sent over gt1 whose replies all
#    come back over gt0 (counted as hits on another interface);
#  - R1's service "site" (A's site, next hop dev eth1) takes sessions
#    started from B's side, decapsulated first;
#  - the router's own address (ping, TCP), broadcast and multicast inside
#    a service's prefix stay with the stack, and so does a packet from
#    the router's own address (with accept_local too); a service limited
#    to another ingress device does not take the traffic; traffic matching no
#    service is untouched and makes no session;
#  - TTL 1 gets ICMP time exceeded and too big with DF gets ICMP
#    fragmentation needed, on the first packet and on the fast path, also
#    when it is the tunnel's path MTU that it exceeds;
#  - no usable next hop: ICMP unreachable, counted;
#  - idle timeouts expire sessions; max-sessions refuses new ones while
#    the existing ones forward; flush and del end sessions;
#  - a gateway's route made unreachable ends the sessions through it at
#    their next packet, and NAT flows too.
source "$(dirname "$0")/lib.sh"

require_cmd jq iperf3 socat python3 ss nstat nft
setup_session_test

ngre service add web prefix 10.2.0.0/24 lb round-robin \
	nexthop tunnel gt0 nexthop tunnel gt1 || fail "service add web"
ngre service add site prefix 10.1.0.0/24 nexthop dev eth1 ||
	fail "service add site"

# --- traffic both ways ----------------------------------------------------------
for i in 1 2 3 4; do
	ping_ok "$A" 10.2.0.1 3
done
# Two seconds of TCP each way: some bytes must arrive, however slow the
# machine (no rate is asserted).
iperf3_transfer "$A" "$B" 10.2.0.1 1 -t 2
iperf3_transfer "$A" "$B" 10.2.0.1 1 -t 2 -R
# A's TCP segments reach R1 as GSO packets.  Where the device under the
# tunnels cannot segment GRE, the stack does it in software, and needs the
# encapsulated packets' inner headers right: a packet it cannot segment is
# dropped and counted in eth0.100's tx_dropped.  The veth under it counts
# its own drops (the peer's backlog full, on a loaded machine) in its
# tx_dropped, and eth0.100 counts them again: only the difference is
# segmentation's.
seg_dropped() {
	echo $(($(dev_stat "$R1" eth0.100 tx_dropped) -
		$(dev_stat "$R1" eth0 tx_dropped)))
}
# Only eth0.100 may send on eth0 meanwhile: no IPv6 of eth0's own.
nsrun "$R1" sysctl -qw net.ipv6.conf.eth0.disable_ipv6=1 ||
	fail "disable IPv6 on R1's eth0"
nsrun "$R1" ethtool -K eth0.100 tx-gre-segmentation off \
	tx-gre-csum-segmentation off || fail "ethtool -K eth0.100"
d0=$(seg_dropped)
iperf3_transfer "$A" "$B" 10.2.0.1 1 -t 2
check_eq "GSO into the tunnels, segmented in software: dropped by eth0.100, not its veth" \
	"$(($(seg_dropped) - d0))" 0
nsrun "$R1" ethtool -K eth0.100 tx-gre-segmentation on \
	tx-gre-csum-segmentation on
nsrun "$B" /usr/bin/python3 -S "$TRAFFIC" echo-server 7 &
defer kill $!
nsrun "$A" /usr/bin/python3 -S "$TRAFFIC" echo-server 7 &
defer kill $!
sleep 0.5
nsrun "$A" /usr/bin/python3 -S "$TRAFFIC" echo 10.2.0.1 7 20 ||
	fail "UDP A to B"
nsrun "$B" /usr/bin/python3 -S "$TRAFFIC" echo 10.1.0.1 7 20 ||
	fail "UDP B to A"

s=$(sessions "$R1")
log "$(ngre -d session show)"
jq_each "$s" \
	'[.[] | select(.fwd.packets == 0 or .rev.packets == 0)] | length' \
	'[.[] | select(.service == "web") | .nexthop] | group_by(.) | map(.[0])' \
	'[.[] | select(.nexthop == "gt1") |
	  select(.rev.wrong_iif != .rev.packets or .rev.iif != "gt1")] | length' \
	'[.[] | select(.nexthop == "gt0" and .rev.wrong_iif != 0)] | length' \
	'[.[] | .fwd.wrong_iif + .rev.wrong_iif] | add' \
	'[.[] | select(.service == "web") | [.fwd.actions, .rev.actions]] | unique' \
	'[.[] | select(.service == "web") | .fwd.proto] | unique' \
	'[.[] | select(.service == "site") | [.fwd.iif, .fwd.src, .fwd.dst,
	  .fwd.dport, .nexthop, .rev.oif, .fwd.actions[2], .rev.actions[2]]]' \
	'length'
check_eq "every session has both flows' packets" "${JQ[0]}" 0
check_eq "sessions of web by next hop" "${JQ[1]}" '["gt0","gt1"]'
check_eq "gt1's replies all came over gt0" "${JQ[2]}" 0
check_eq "gt0's replies came over gt0" "${JQ[3]}" 0
# Every one of them was counted (and those of sessions that ended since).
check_eq "flow_wrong_iif counts them" \
	"$(( JQ[4] > 0 && $(stat_of "$R1" flow_wrong_iif) >= JQ[4] ))" 1
check_eq "web's action lists" "${JQ[5]}" \
	'[[["ttl_dec","mtu_check","tunnel_add"],["ttl_dec","mtu_check","forward"]]]'
check_eq "protocols of web's sessions" "${JQ[6]}" '["icmp","tcp","udp"]'
check_eq "the session started from B's side" "${JQ[7]}" \
	'[["gt0","10.2.0.1","10.1.0.1",7,"eth1","gt0","forward","tunnel_add"]]'
check_eq "sessions created" "$(stat_of "$R1" session_created)" "${JQ[8]}"

# --- what stays with the stack ------------------------------------------------------
n0=$(n_sessions "$R1")
ping_ok "$A" 10.1.0.254 2
nsrun "$R1" socat -t 5 TCP-LISTEN:22,reuseaddr SYSTEM:'echo router' &
defer kill $!
wait_tcp_listen "$R1" 22
check_eq "TCP to the router's own address" \
	"$(nsrun "$A" socat -t 5 -T 5 - TCP:10.1.0.254:22 </dev/null)" "router"
# Broadcast and multicast destinations in unicast frames to R1 (frames
# to a broadcast or multicast address never get this far), each inside a
# service's prefix, and packets to web's prefix from R1's own addresses,
# that of the link they come in on and that of another (martians;
# rp_filter is off).
ngre service add bcast prefix 224.0.0.0/4 prefix 255.255.255.255/32 \
	nexthop dev eth0.100 || fail "service add bcast"
r1mac=$(ip -n "$R1" -j link show eth1 | jq -r '.[0].address')
rx0=$(dev_stat "$R1" eth1 rx_packets)
nsrun "$A" /usr/bin/python3 -S - "$r1mac" "$NGRE_ROOT/selftests" <<'EOF' ||
import socket, sys
sys.path.insert(0, sys.argv[2])
from gre_send import Sender, icmp_echo, ipv4
Sender("eth0", sys.argv[1]).send(
    [ipv4(src, dst, socket.IPPROTO_ICMP, icmp_echo()) for src, dst in
     (("10.1.0.1", "10.1.0.255"), ("10.1.0.1", "224.0.0.1"),
      ("10.1.0.1", "255.255.255.255"), ("10.1.0.254", "10.2.0.1"),
      ("192.0.2.1", "10.2.0.1"))])
EOF
	fail "sending the unicast frames"
wait_for "the 5 frames at R1" 30 \
	'[ $(($(dev_stat "$R1" eth1 rx_packets) - rx0)) -ge 5 ]'
check_eq "own address, broadcast, multicast, own sources: no session" \
	"$(n_sessions "$R1")" "$n0"
ngre service del bcast
# With accept_local the stack takes R1's own address as a source; ngre
# still does not (the replies would need a local route back).
nsrun "$R1" sysctl -qw net.ipv4.conf.all.accept_local=1 net.ipv4.conf.eth1.accept_local=1
rx0=$(dev_stat "$R1" eth1 rx_packets)
nsrun "$A" /usr/bin/python3 -S - "$r1mac" "$NGRE_ROOT/selftests" <<'EOF' ||
import socket, sys
sys.path.insert(0, sys.argv[2])
from gre_send import Sender, icmp_echo, ipv4
Sender("eth0", sys.argv[1]).send(
    [ipv4("10.1.0.254", "10.2.0.1", socket.IPPROTO_ICMP, icmp_echo())])
EOF
	fail "sending from R1's own address"
wait_for "the frame at R1" 30 '[ $(($(dev_stat "$R1" eth1 rx_packets) - rx0)) -ge 1 ]'
check_eq "accept_local: R1's own address as the source: no session" \
	"$(n_sessions "$R1")" "$n0"
nsrun "$R1" sysctl -qw net.ipv4.conf.all.accept_local=0 net.ipv4.conf.eth1.accept_local=0

# A service limited to another ingress device does not take A's pings.
ngre service add wanonly prefix 10.2.0.1/32 proto icmp from dev eth0.100 \
	nexthop tunnel gt1 || fail "service add wanonly"
ngre session flush
ping_ok "$A" 10.2.0.1 2
check_eq "from dev eth0.100: A's ping is web's" \
	"$(sessions "$R1" | jq -c '[.[].service]')" '["web"]'
ngre service set wanonly prefix 10.2.0.1/32 proto icmp from dev eth1 \
	nexthop tunnel gt1 || fail "service set wanonly"
ngre session flush
ping_ok "$A" 10.2.0.1 2
check_eq "from dev eth1: A's ping is wanonly's" \
	"$(sessions "$R1" | jq -c '[.[] | [.service, .nexthop]]')" '[["wanonly","gt1"]]'
ngre service del wanonly || fail "service del wanonly"

# The reverse-path filter.  A's second address 10.3.0.1 is not on A's
# link: R1's best way back to it is its default route (eth0.100), not
# the way in.  Strict filtering (1) leaves its packets to the stack, which
# drops them; loose filtering (2) lets them make a session, whose replies
# go back on-link through eth1.
ip -n "$A" addr add 10.3.0.1/32 dev eth0
ip -n "$R2" route add 10.3.0.0/24 dev gt0
from3() { sessions "$R1" | jq '[.[] | select(.fwd.src == "10.3.0.1")] | length'; }
nsrun "$R1" sysctl -qw net.ipv4.conf.all.rp_filter=1
ngre session flush
r0=$(nstat_of "$R1" TcpExtIPReversePathFilter)
nsrun "$A" ping -q -c 1 -W 2 -I 10.3.0.1 10.2.0.1 >/dev/null &&
	fail "rp_filter 1: a ping from 10.3.0.1 came back"
check_eq "rp_filter 1: no session from 10.3.0.1" "$(from3)" 0
check_eq "rp_filter 1: the stack's filter dropped the ping" \
	"$(($(nstat_of "$R1" TcpExtIPReversePathFilter) - r0))" 1
nsrun "$R1" sysctl -qw net.ipv4.conf.all.rp_filter=2
nsrun "$A" ping -q -c 2 -W 2 -I 10.3.0.1 10.2.0.1 >/dev/null ||
	fail "rp_filter 2: no answer to 10.3.0.1"
check_eq "rp_filter 2: a session from 10.3.0.1" "$(from3)" 1
nsrun "$R1" sysctl -qw net.ipv4.conf.all.rp_filter=0
ip -n "$A" addr del 10.3.0.1/32 dev eth0
ip -n "$R2" route del 10.3.0.0/24 dev gt0

# No service: untouched, no session (W knows the way back to A; "site"
# goes, as it would take W's replies to A).
ip -n "$W" route add 10.1.0.0/24 via 192.0.2.1
ngre service del site || fail "service del site"
ngre session flush
b=$(ngre_stats "$R1")
ping_ok "$A" 192.0.2.254 3
check_eq "no service: no session" "$(n_sessions "$R1")" 0
check_eq "no service: no ngre counter moved" "$(delta "$b" "$(ngre_stats "$R1")")" ""

# --- fragments, IP options ------------------------------------------------------------------
# Datagrams of 3000 bytes leave A in fragments; R1 reassembles them (the
# defragmentation that services enable), so each is one hit of its flow,
# and sends it on in fragments that fit the tunnel; the answers likewise.
ngre session flush
nsrun "$A" /usr/bin/python3 -S "$TRAFFIC" echo 10.2.0.1 7 5 3000 ||
	fail "UDP in fragments"
check_eq "fragments: each datagram one hit, both ways" \
	"$(sessions "$R1" | jq -c '[.[] | .fwd.packets >= 5 and .rev.packets >= 5 and
		.fwd.bytes == 3028 * .fwd.packets and .rev.bytes == 3028 * .rev.packets]')" \
	'[true]'
# A packet with IP options is the stack's (R1 routes it by its table).
ngre session flush
ip -n "$R1" route add 10.2.0.0/24 dev gt0
ping_ok "$A" 10.2.0.1 2 -R
check_eq "IP options: no session" "$(n_sessions "$R1")" 0
ip -n "$R1" route del 10.2.0.0/24 dev gt0

# --- router behaviour on the session's path -------------------------------------------
# hits COUNTERS BEFORE: the deltas of flow_hit and of COUNTERS (a
# regular expression) since BEFORE.
hits() {
	delta "$2" "$(ngre_stats "$R1")" | tr ' ' '\n' |
		grep -E "^(flow_hit|$1)=" | tr '\n' ' ' | sed 's/ $//'
}
b=$(ngre_stats "$R1")
t0=$(nstat_of "$A" IcmpInTimeExcds)
out=$(nsrun "$A" ping -c 1 -W 2 -t 1 10.2.0.1)
echo "$out" | grep -q "Time to live exceeded" || fail "TTL 1 on a first packet: $out"
check_eq "TTL 1 on a first packet: counted" "$(hits ttl_expired "$b")" "ttl_expired=+1"
b=$(ngre_stats "$R1")
nsrun "$A" /usr/bin/python3 -S "$TRAFFIC" ttl 10.2.0.1 9 || fail "ttl"
check_eq "TTL 1 on the fast path: counted" "$(hits ttl_expired "$b")" \
	"flow_hit=+1 ttl_expired=+1"
check_eq "TTL 1, first packet and fast path: time exceeded" \
	"$(($(nstat_of "$A" IcmpInTimeExcds) - t0))" 2

b=$(ngre_stats "$R1")
ip -n "$A" route flush cache	# A learnt the path MTU from TCP
out=$(nsrun "$A" ping -c 1 -W 2 -M do -s 1460 10.2.0.1)
echo "$out" | grep -q "mtu = 1472" || fail "too big, first packet: $out"
check_eq "too big on a first packet: counted" "$(hits too_big "$b")" "too_big=+1"
# fast_path_too_big WHAT SIZE COUNTER EXPECTED: a new flow's second
# datagram, SIZE bytes with DF, gets fragmentation needed at A, and R1
# counts it: the deltas of flow_hit and COUNTER are EXPECTED.
fast_path_too_big() {
	local u0 b
	ip -n "$A" route flush cache
	u0=$(nstat_of "$A" IcmpInDestUnreachs)
	b=$(ngre_stats "$R1")
	nsrun "$A" /usr/bin/python3 -S "$TRAFFIC" big 10.2.0.1 9 "$2" ||
		fail "big $2"
	check_eq "$1: fragmentation needed" \
		"$(($(nstat_of "$A" IcmpInDestUnreachs) - u0))" 1
	check_eq "$1: counted" "$(hits "$3" "$b")" "$4"
}
fast_path_too_big "too big on the fast path" 1460 too_big "flow_hit=+1 too_big=+1"
# The tunnels' path MTU below their devices' (a route to the remote with
# mtu 1300, 1272 inside): the encapsulation refuses a DF datagram of 1428
# bytes with fragmentation needed, on the fast path as on a first packet.
read -r gw dev <<< "$(ip -n "$R1" -j route get 198.51.100.2 |
	jq -r '.[0] | "\(.gateway) \(.dev)"')"
ip -n "$R1" route add 198.51.100.2/32 via "$gw" dev "$dev" mtu 1300 ||
	fail "a route to the remote with mtu 1300"
fast_path_too_big "over the tunnel's path MTU on the fast path" 1400 \
	encap_fail_too_big "encap_fail_too_big=+1 flow_hit=+1"
ip -n "$R1" route del 198.51.100.2/32
ip -n "$A" route flush cache

# --- no usable next hop --------------------------------------------------------------
ngre service add dead prefix 10.9.0.0/24 nexthop tunnel nosuch nexthop dev nosuch0 ||
	fail "service add dead"
check_eq "next hops of a missing tunnel and device: unusable" \
	"$(ngre -j service show dead | jq -c '[.[0].nexthops[].usable]')" '[false,false]'
b=$(ngre_stats "$R1")
out=$(nsrun "$A" ping -c 1 -W 2 10.9.0.1)
echo "$out" | grep -q "Destination Host Unreachable" ||
	fail "no usable next hop: $out"
check_eq "no usable next hop: counted" "$(delta "$b" "$(ngre_stats "$R1")")" \
	"service_no_nexthop=+1"
ngre service del dead

# --- timeouts, max-sessions, flush, del ---------------------------------------------------
# Each protocol's own timeout: UDP, ICMP, and TCP once it closed (its
# established timeout stays long).  Every session made expires.
ngre session flush
ngre config set timeout-udp 4 timeout-icmp 4 timeout-tcp-closing 4 ||
	fail "config set timeouts"
b=$(ngre_stats "$R1")
nsrun "$A" /usr/bin/python3 -S "$TRAFFIC" echo 10.2.0.1 7 3 || fail "echo"
ping_ok "$A" 10.2.0.1 2
tcp_transfer "$A" "$B" 10.2.0.1
wait_for "the sessions expired" 60 '[ "$(n_sessions "$R1")" = 0 ]'
read -r e c <<< "$(stat_delta "$b" "$R1" session_expired session_created)"
check_eq "expiry: counted, each session" "$e $((c >= 3))" "$c 1"
ngre config set timeout-udp 180 timeout-icmp 600 timeout-tcp-closing 120

ngre config set max-sessions 1 || fail "config set max-sessions"
nsrun "$A" /usr/bin/python3 -S "$TRAFFIC" flows 10.2.0.1 9 1 41000 || fail "flow X"
b=$(ngre_stats "$R1")
nsrun "$A" /usr/bin/python3 -S "$TRAFFIC" flows 10.2.0.1 9 1 41001 || fail "flow Y"
check_eq "max-sessions 1: the second flow refused" "$(delta "$b" "$(ngre_stats "$R1")")" \
	"session_refused=+1"
b=$(ngre_stats "$R1")
nsrun "$A" /usr/bin/python3 -S "$TRAFFIC" flows 10.2.0.1 9 1 41000 || fail "flow X"
check_eq "max-sessions 1: the first still forwards" \
	"$(delta "$b" "$(ngre_stats "$R1")")" "encap_success=+1 flow_hit=+1"
check_eq "max-sessions 1: one session" "$(sessions "$R1" | jq -c '[.[].fwd.sport]')" '[41000]'
ngre config set max-sessions 100000

nsrun "$A" /usr/bin/python3 -S "$TRAFFIC" flows 10.2.0.1 9 5 42000 || fail "flows"
check_eq "six sessions" "$(n_sessions "$R1")" 6
id=$(sessions "$R1" | jq '.[0].id')
ngre session del "$id" || fail "session del $id"
check_eq "del: five left, not $id" "$(sessions "$R1" | jq "[.[] | select(.id == $id)] | length"),$(n_sessions "$R1")" "0,5"
expect_fail "del of a missing id" 2 "no session with this id" ngre session del "$id"
check_eq "flush src 10.9.9.9 matches none" \
	"$(ngre session flush src 10.9.9.9; n_sessions "$R1")" 5
b=$(ngre_stats "$R1")
ngre session flush service web || fail "flush"
check_eq "flush: empty" "$(n_sessions "$R1"),$(session_count)" "0,0"
check_eq "flush: counted" "$(delta "$b" "$(ngre_stats "$R1")")" "session_deleted=+5"

# --- a gateway's route goes -------------------------------------------------------------------
# Service "gw" hunts: gateway 203.0.113.1 (routed through W) first, gt0
# if it is not usable.  Its route made unreachable, the session's route
# cannot be rebuilt: the session ends at its next packet (flow_stale),
# which makes a session through gt0.
ip -n "$R1" route add 203.0.113.1/32 via 192.0.2.254
ngre service add gw prefix 10.2.0.1/32 proto udp port 9 lb hunt \
	nexthop via 203.0.113.1 dev eth0.100 priority 1 \
	nexthop tunnel gt0 priority 2 || fail "service add gw"
nsrun "$A" /usr/bin/python3 -S "$TRAFFIC" flows 10.2.0.1 9 1 43000 || fail "flow"
check_eq "gw: the session through the gateway" \
	"$(sessions "$R1" | jq -c '[.[] | [.nexthop, .fwd.packets]]')" '[["203.0.113.1@eth0.100",1]]'
ip -n "$R1" route replace unreachable 203.0.113.1/32
b=$(ngre_stats "$R1")
nsrun "$A" /usr/bin/python3 -S "$TRAFFIC" flows 10.2.0.1 9 1 43000 || fail "flow"
check_eq "gw: its route unreachable, the next packet through gt0" \
	"$(sessions "$R1" | jq -c '[.[] | [.nexthop, .fwd.packets]]')" '[["gt0",1]]'
check_eq "gw: counted" "$(stat_delta "$b" "$R1" flow_stale session_created)" "1 1"

# The same for a NAT flow (masqueraded): its packets take the first one's
# way through the NAT hooks, by a route that is still valid; its route
# unreachable, the NAT flow ends and the packet is the stack's.
ngre session flush
nsrun "$R1" nft -f - <<'EOF' || fail "nft nat"
table ip nat {
	chain post {
		type nat hook postrouting priority srcnat;
		oifname "eth0.100" masquerade
	}
}
EOF
ip -n "$R1" route replace 203.0.113.1/32 via 192.0.2.254
nsrun "$A" /usr/bin/python3 -S "$TRAFFIC" flows 10.2.0.1 9 1 43001 || fail "flow"
check_eq "gw, NAT: a NAT flow, no session" \
	"$(n_sessions "$R1"),$(session_count)" "0,1"
ip -n "$R1" route replace unreachable 203.0.113.1/32
nsrun "$A" /usr/bin/python3 -S "$TRAFFIC" flows 10.2.0.1 9 1 43001 || fail "flow"
check_eq "gw, NAT: its route unreachable, the NAT flow ends" \
	"$(n_sessions "$R1"),$(session_count)" "0,0"
nsrun "$R1" nft delete table ip nat
ip -n "$R1" route del unreachable 203.0.113.1/32
ngre service del gw || fail "service del gw"
exit 0
