#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The demo's network, run as root where ngre may be loaded (the VM of
# tools/demo/run.sh):
#
#   A 10.1.0.1 -- R1 ==eth0.100== W ==eth0== R2 -- B 10.2.0.1
#                 gt0 (key 1), gt1 (key 2): GRE tunnels R1 <-> R2
#
# R1's service "site-b" sends sessions for 10.2.0.0/24 over gt0 and gt1
# (hash), R2's service "site-a" those for 10.1.0.0/24 (round-robin).
# TCP, UDP and ICMP go both ways; then each router shows its tunnels,
# services, sessions and counters.
source "$(dirname "$0")/../../selftests/lib.sh"

step() { printf '\n=== %s\n' "$*"; }
on() { local ns=$1; shift; printf '\n--- %s: ngre %s\n' "${ns%%-*}" "$*"; "$NGRE_CLI" -n "$ns" "$@"; }

ngre_load
defer sh -c 'rmmod ngre 2>/dev/null'
setup_gre_topology
step "tunnels and services"
for i in 0 1; do
	on "$R1" tunnel add gt$i dev eth0 vlan 100 remote 198.51.100.2 key $((i + 1)) || exit 1
	on "$R2" tunnel add gt$i dev eth0 remote 192.0.2.1 key $((i + 1)) || exit 1
	ip -n "$R1" link set gt$i up
	ip -n "$R2" link set gt$i up
done
on "$R1" service add site-b prefix 10.2.0.0/24 nexthop tunnel gt0 nexthop tunnel gt1 || exit 1
on "$R2" service add site-a prefix 10.1.0.0/24 lb round-robin \
	nexthop tunnel gt0 nexthop tunnel gt1 || exit 1

step "traffic: ICMP, UDP and TCP, both ways"
ping_ok "$A" 10.2.0.1 3 && echo "ping A -> B: 3 of 3 answered"
ping_ok "$B" 10.1.0.1 3 && echo "ping B -> A: 3 of 3 answered"
udp_transfer "$A" "$B" 10.2.0.1 100
udp_transfer "$B" "$A" 10.1.0.1 100
iperf3_transfer "$A" "$B" 10.2.0.1 100000 -t 2
iperf3_transfer "$A" "$B" 10.2.0.1 100000 -t 2 -R

step "what R1 and R2 show"
for ns in "$R1" "$R2"; do
	on "$ns" tunnel show
	on "$ns" -s service show
	on "$ns" -d session show
	on "$ns" stats show
done
exit 0
