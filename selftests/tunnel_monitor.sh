#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `ngre monitor` prints the events of a scripted sequence of changes, in
# order: creation, a change of options, oper state going up, the VLAN
# device going away (oper state down), deletion (one event: taking the
# device down on the way out is not announced).
source "$(dirname "$0")/lib.sh"

require_cmd jq
ngre_load
defer sh -c 'rmmod ngre 2>/dev/null'
setup_vlan_router 7 192.0.2.1/24

ev=/tmp/monitor-$$
defer rm -f "$ev"
# The CLI itself, not the ngre() function: $! must be its pid.
"$NGRE_CLI" -n "$NS" -j monitor > "$ev" &
defer kill $!

# The monitor has joined the group once it reports a probe tunnel.
for i in $(seq 1 50); do
	ngre tunnel add probe$i dev eth0 remote 203.0.113.$i >/dev/null || fail "probe"
	ngre tunnel del probe$i
	sleep 0.1
	grep -q "probe$i" "$ev" && break
done
grep -q '"probe' "$ev" || fail "the monitor reported nothing"
start=$(wc -l < "$ev")

ngre tunnel add gtm dev eth0 vlan 7 remote 198.51.100.1 || fail "add"
ngre tunnel set gtm ttl 9 || fail "set"
ip -n "$R" link set gtm up
ip -n "$R" link del eth0.7
ngre tunnel del gtm || fail "del"

# Wait for the deletion to be printed.
for i in $(seq 1 50); do
	tail -n +$((start + 1)) "$ev" | grep -q '"event":"del"' && break
	sleep 0.1
done
got=$(tail -n +$((start + 1)) "$ev" |
	jq -r '[.event, .ifname, (.ttl | tostring), .operstate, (.down_reason // "-")] | join(" ")')
want="new gtm 64 down admin-down
change gtm 9 down admin-down
change gtm 9 up -
change gtm 9 down no-vlan-device
del gtm 9 down no-vlan-device"
check_eq "events" "$got" "$want"
exit $KSFT_PASS
