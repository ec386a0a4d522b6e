#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `ngre monitor` prints the events of a scripted sequence of changes, in
# order: creation, a change of options, oper state going up, the VLAN
# device going away (oper state down), deletion (one event: taking the
# device down on the way out is not announced).  Then four batches of
# requests run at once (tunnels and services added, changed, deleted): the
# monitor's events, replayed, give the state ngre shows.
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

# --- concurrent requests while the monitor listens --------------------------------
# Four batches at once, each adding 25 tunnels and a service through each,
# changing the tunnels and deleting every other pair: the events the
# monitor printed, replayed, give what ngre then shows.
start=$(wc -l < "$ev")
pids=()
for k in 1 2 3 4; do
	for i in $(seq 1 25); do
		echo "tunnel add c${k}x$i dev eth0 remote 203.0.$k.$i"
		echo "service add s${k}x$i prefix 10.$k.$i.0/24 nexthop tunnel c${k}x$i"
		echo "tunnel set c${k}x$i ttl 9"
		if [ $((i % 2)) = 0 ]; then
			echo "service del s${k}x$i"
			echo "tunnel del c${k}x$i"
		fi
	done > "$ev.$k"
	defer rm -f "$ev.$k"
	"$NGRE_CLI" -n "$NS" -batch "$ev.$k" &
	pids+=($!)
done
for p in "${pids[@]}"; do
	wait "$p" || fail "a batch failed"
done
ngre tunnel add cdone dev eth0 remote 203.0.9.9 || fail "add cdone"
wait_for "the monitor's last event" 60 'grep -q "\"cdone\"" "$ev"'
# The last event of each object, in the order printed, unless "del".
got=$(tail -n +$((start + 1)) "$ev" | jq -rs '
	group_by((.object // "tunnel") + " " + (.name // .ifname)) |
	map(last | select(.event != "del") |
	    (.object // "tunnel") + " " + (.name // .ifname)) | .[]' | sort)
want=$( {
	ngre -j tunnel show | jq -r '.[] | "tunnel " + .ifname'
	ngre -j service show | jq -r '.[] | "service " + .name'
} | sort)
check_eq "concurrent batches: the replayed events give the state" "$got" "$want"
check_eq "... 52 tunnels and cdone, 52 services" \
	"$(echo "$want" | grep -c '^tunnel'),$(echo "$want" | grep -c '^service')" "53,52"
exit $KSFT_PASS
