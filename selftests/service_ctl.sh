#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Services, the control plane and the lookup (setup_session_topology):
#  - the most specific service takes a new session: the longest prefix
#    first, then protocol and port over protocol over neither;
#  - 10,000 services (1,000 on the debug kernel; added in one batch,
#    dumped in pieces), the right one still found for each session;
#  - bad requests fail with a message naming the argument and change
#    nothing; events on the events group (ngre monitor);
#  - a next hop naming a device that does not exist yet is unusable, and
#    usable once the device is there and up.
source "$(dirname "$0")/lib.sh"

require_cmd jq python3
setup_session_test
nsrun "$B" /usr/bin/python3 -S "$TRAFFIC" echo-server 7 &
defer kill $!
nsrun "$B" /usr/bin/python3 -S "$TRAFFIC" echo-server 8 &
defer kill $!

mon=/tmp/monitor-$$
"$NGRE_CLI" -n "$R1" monitor > "$mon" &
defer kill $!
sleep 0.5

# service_of WHAT CMD...: after a flush, run CMD in A and print the
# service of the one session it made.
service_of() {
	ngre session flush
	shift
	nsrun "$A" "$@" >/dev/null || fail "traffic: $*"
	sessions "$R1" | jq -r '[.[].service] | unique | join(",")'
}

ngre service add wide prefix 10.2.0.0/16 nexthop tunnel gt0 || fail "add wide"
ngre service add net prefix 10.2.0.0/24 nexthop tunnel gt1 || fail "add net"
ngre service add udp prefix 10.2.0.0/24 proto udp nexthop tunnel gt0 || fail "add udp"
ngre service add udp7 prefix 10.2.0.0/24 proto udp port 7 nexthop tunnel gt1 ||
	fail "add udp7"
check_eq "ICMP: the longest prefix" \
	"$(service_of icmp ping -c 1 -W 2 10.2.0.1)" net
check_eq "UDP to port 8: protocol over none" \
	"$(service_of udp8 /usr/bin/python3 -S "$TRAFFIC" echo 10.2.0.1 8 1)" udp
check_eq "UDP to port 7: protocol and port over protocol" \
	"$(service_of udp7 /usr/bin/python3 -S "$TRAFFIC" echo 10.2.0.1 7 1)" udp7
ngre service add host prefix 10.2.0.1/32 nexthop tunnel gt0 || fail "add host"
check_eq "UDP to port 7 of a /32: the longest prefix first" \
	"$(service_of host /usr/bin/python3 -S "$TRAFFIC" echo 10.2.0.1 7 1)" host
ngre service del host

# --- 10,000 services -------------------------------------------------------------------------
# A thousand on the debug kernel: the same code under its checkers, where
# each request costs some twenty times as much.
n=10000
debug_kernel && n=1000
batch=/tmp/services-$$
awk -v n=$n 'BEGIN { for (i = 0; i < n; i++)
	printf "service add s%d prefix 10.%d.%d.0/24 nexthop tunnel gt%d\n",
		i, 100 + int(i / 256), i % 256, i % 2 }' > "$batch"
echo "service add s$n prefix 10.2.0.1/32 proto icmp nexthop tunnel gt1" >> "$batch"
t0=$SECONDS
ngre -batch "$batch" || fail "batch of $((n + 1)) services"
log "$((n + 1)) services added in $((SECONDS - t0))s"
rm -f "$batch"
check_eq "services counted" "$(ngre -j config show | jq .services)" $((n + 5))
check_eq "services dumped" "$(ngre -j service show | jq length)" $((n + 5))
check_eq "ICMP to B among $n services" \
	"$(service_of icmp ping -c 1 -W 2 10.2.0.1)" s$n
check_eq "UDP to B among $n services" \
	"$(service_of udp7 /usr/bin/python3 -S "$TRAFFIC" echo 10.2.0.1 7 1)" udp7

# --- bad requests change nothing ---------------------------------------------------------------
before=$(ngre -j service show net)
expect_fail "a name taken" 2 "a service with this name exists" \
	ngre service add net prefix 10.9.0.0/24 nexthop tunnel gt0
expect_fail "set of a missing service" 2 "no such service" \
	ngre service set nosuch prefix 10.9.0.0/24 nexthop tunnel gt0
expect_fail "del of a missing service" 2 "no such service" ngre service del nosuch
expect_fail "host bits" 255 '"prefix".*host bits' \
	ngre service set net prefix 10.2.0.1/24 nexthop tunnel gt0
expect_fail "port without protocol" 255 '"port" needs a "proto"' \
	ngre service set net prefix 10.2.0.0/24 port 80 nexthop tunnel gt0
expect_fail "weight 0" 255 '"0" for "weight"' \
	ngre service set net prefix 10.2.0.0/24 nexthop tunnel gt0 weight 0
expect_fail "no next hop" 255 '"nexthop" is required' ngre service set net prefix 10.2.0.0/24
expect_fail "a gateway without its device" 255 '"nexthop via" needs "dev' \
	ngre service set net prefix 10.2.0.0/24 nexthop via 10.1.0.1
check_eq "bad requests changed nothing" "$(ngre -j service show net)" "$before"

# --- next hops by name -------------------------------------------------------------------------
ngre service add later prefix 10.8.0.0/24 nexthop dev eth9 nexthop via 10.1.0.1 dev eth9 ||
	fail "add later"
check_eq "a device not there yet: unusable" \
	"$(ngre -j service show later | jq -c '[.[0].nexthops[].usable]')" '[false,false]'
ip -n "$R1" link add eth9 type veth peer name eth9p
ip -n "$R1" link set eth9 up
ip -n "$R1" link set eth9p up
ip -n "$R1" addr add 10.1.9.1/24 dev eth9
ip -n "$R1" route add 10.1.0.1/32 dev eth9
check_eq "the device there and up: usable (the gateway routed through it)" \
	"$(ngre -j service show later | jq -c '[.[0].nexthops[].usable]')" '[true,true]'
ip -n "$R1" link set eth9 down
ip -n "$R1" link set eth9 name eth10
ip -n "$R1" link set eth10 up
check_eq "the device renamed: unusable" \
	"$(ngre -j service show later | jq -c '[.[0].nexthops[].usable]')" '[false,false]'

# --- events ----------------------------------------------------------------------------------------
ngre service set later prefix 10.8.0.0/24 nexthop dev eth10 || fail "set later"
ngre service del later || fail "del later"
for ev in "service later: new" "service later: changed" "service later: deleted"; do
	wait_for "monitor: '$ev'" 10 'grep -q "$ev" "$mon"'
done
pass "monitor: new, changed, deleted"
rm -f "$mon"
exit 0
