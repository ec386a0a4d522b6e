#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The load balancers, judged on the wire at the far end: 1,000 new UDP
# flows (one datagram from each of 1,000 source ports) through a service
# over gt0 and gt1 (setup_session_topology), counted as they arrive on
# R2's two tunnel devices:
#  - hash: each tunnel within 15 % of half, and every flow on the same
#    tunnel again when the 1,000 flows are repeated after a flush;
#  - round-robin: exactly half each; one tunnel down ends exactly the
#    sessions through it; a burst whose first packet NFQUEUE holds in
#    the forward hook until the two after it came stays on one tunnel
#    as one session;
#  - proportional, weights 1 and 3: each within 15 % of its share;
#  - hunt, priorities 0 and 1 (200 flows a step): all on gt0; gt0 down
#    ends its sessions, and new flows as well as the old flows' next
#    packets go to gt1; back on gt0 when it is up.
# The debug kernel, several times slower, sends 300 flows where the others
# send 1,000, and the hash's spread is judged only on 1,000.
source "$(dirname "$0")/lib.sh"

require_cmd jq socat python3 nft
setup_session_test
N=1000 H=200
debug_kernel && N=300

# rx NS DEV: packets received by DEV in NS.
rx() {
	dev_stat "$1" "$2" rx_packets
}

# spread BASE [COUNT [reverse]]: send COUNT (N) new flows from source
# ports BASE..; print how many arrived on R2's gt0 and gt1, as "gt0 gt1",
# once all have.
spread() {
	local a0 a1 n=${2:-$N}
	a0=$(rx "$R2" gt0)
	a1=$(rx "$R2" gt1)
	nsrun "$A" /usr/bin/python3 -S "$TRAFFIC" flows 10.2.0.1 9 "$n" "$1" \
		${3:-} || fail "flows from $1"
	wait_for "$n datagrams at R2" 60 \
		'[ $(($(rx "$R2" gt0) - a0 + $(rx "$R2" gt1) - a1)) -ge $n ]'
	echo "$(($(rx "$R2" gt0) - a0)) $(($(rx "$R2" gt1) - a1))"
}

# within NAME GOT WANT PERCENT: GOT is within PERCENT % of WANT.
within() {
	local lo=$(($3 * (100 - $4) / 100)) hi=$(($3 * (100 + $4) / 100))
	[ "$2" -ge "$lo" ] && [ "$2" -le "$hi" ] ||
		fail "$1: $2 is not within $4 % of $3"
	pass "$1: $2 (within $4 % of $3)"
}

# nexthops: the sessions' next hops by source port, as JSON.
nexthops() {
	sessions "$R1" | jq -c 'map({(.fwd.sport | tostring): .nexthop}) | add'
}

svc() {
	ngre service "$1" lb prefix 10.2.0.0/24 proto udp port 9 lb "$2" \
		nexthop tunnel gt0 ${3:-} nexthop tunnel gt1 ${4:-} ||
		fail "service $1 lb $2"
}

# --- hash --------------------------------------------------------------------------------
svc add hash
# The neighbours on the way are known before the bursts.
spread 19999 1 >/dev/null
ngre session flush
read -r g0 g1 <<< "$(spread 20000)"
if [ "$N" = 1000 ]; then
	within "hash: gt0" "$g0" $((N / 2)) 15
	within "hash: gt1" "$g1" $((N / 2)) 15
else
	log "note: hash's spread over $N flows is not judged: $g0 $g1"
fi
check_eq "hash: a session per flow" "$(n_sessions "$R1")" "$N"
first=$(nexthops)
ngre session flush
# In reverse order: a balancer that goes by order would not repeat.
read -r h0 h1 <<< "$(spread 20000 "$N" reverse)"
check_eq "hash: the repeated flows' spread" "$h0 $h1" "$g0 $g1"
check_eq "hash: repeated flows on another tunnel than the first time" \
	"$(jq -n --argjson a "$first" --argjson b "$(nexthops)" \
		'[$a | keys[] | select($a[.] != $b[.])] | length')" 0

# --- round-robin --------------------------------------------------------------------------
svc set round-robin
check_eq "service set ends the sessions" "$(n_sessions "$R1")" 0
check_eq "round-robin: exactly half each" "$(spread 21000)" "$((N / 2)) $((N / 2))"
# The walk that ends gt1's sessions is done when `ip link set` returns
# (the notifier runs under the RTNL): exactly gt0's half is left.  (A
# walk that resumed after a break at an entry it had just ended used to
# skip an entry now and then.)
ip -n "$R1" link set gt1 down
check_eq "gt1 down: gt0's sessions left, all of them" \
	"$(sessions "$R1" | jq -c 'group_by(.nexthop) | map([.[0].nexthop, length])')" \
	"[[\"gt0\",$((N / 2))]]"
ip -n "$R1" link set gt1 up
wait_for "gt1 usable again" 30 \
	'[ "$(ngre -j service show lb | jq -c "[.[0].nexthops[].usable]")" = "[true,true]" ]'

# A burst held before its first packet leaves: NFQUEUE in R1's forward
# hook holds the first packet of a flow until its two followers have come
# too (they arrive while the session is unconfirmed).  All three take the
# first one's tunnel through the firewall, as one session; the next flow's
# burst goes to the other tunnel.
# held_burst SPORT: prints "gt0 gt1" as R2 counted the burst's packets.
held_burst() {
	local out=/tmp/hold-$$ a0 a1 hold
	a0=$(rx "$R2" gt0)
	a1=$(rx "$R2" gt1)
	nsrun "$R1" /usr/bin/python3 -S "$NGRE_ROOT/selftests/nfq_hold.py" 0 3 \
		> "$out" &
	hold=$!
	wait_for "the queue bound" 30 'grep -q bound "$out"'
	nsrun "$A" /usr/bin/python3 -S "$TRAFFIC" burst 10.2.0.1 9 3 "$1" ||
		fail "burst from $1"
	wait $hold || fail "burst from $1: $(tail -1 "$out")"
	rm -f "$out"
	wait_for "the burst at R2" 30 \
		'[ $(($(rx "$R2" gt0) - a0 + $(rx "$R2" gt1) - a1)) -ge 3 ]'
	echo "$(($(rx "$R2" gt0) - a0)) $(($(rx "$R2" gt1) - a1))"
}
ngre session flush
nsrun "$R1" nft -f - <<'EOF' || fail "nft queue"
table ip hold {
	chain forward {
		type filter hook forward priority filter - 10;
		udp sport { 26000, 26001 } queue num 0
	}
}
EOF
first=$(held_burst 26000)
case $first in
"3 0") other="0 3" ;;
"0 3") other="3 0" ;;
*) fail "held burst: its packets on gt0 and gt1: $first, not 3 on one" ;;
esac
pass "held burst: all 3 on one tunnel ($first)"
check_eq "held burst: one session, its forward flow counted 3" \
	"$(sessions "$R1" | jq -c '[.[] | [.fwd.sport, .fwd.packets]]')" '[[26000,3]]'
check_eq "the next held burst: all on the other tunnel" "$(held_burst 26001)" "$other"
nsrun "$R1" nft delete table ip hold

# --- proportional ------------------------------------------------------------------------------
svc set proportional "weight 1" "weight 3"
read -r p0 p1 <<< "$(spread 22000)"
within "proportional: gt0 (weight 1)" "$p0" $((N / 4)) 15
within "proportional: gt1 (weight 3)" "$p1" $((N * 3 / 4)) 15

# --- hunt ------------------------------------------------------------------------------------------
svc set hunt "priority 0" "priority 1"
check_eq "hunt: all on the first priority" "$(spread 23000 $H)" "$H 0"
b=$(ngre_stats "$R1")
ip -n "$R1" link set gt0 down
wait_for "gt0's sessions ended" 30 '[ "$(n_sessions "$R1")" = 0 ]'
check_eq "hunt: gt0 down ended its sessions" \
	"$(stat_delta "$b" "$R1" session_ended)" "$H"
check_eq "hunt: gt0 shown unusable" \
	"$(ngre -j service show lb | jq -c '[.[0].nexthops[].usable]')" '[false,true]'
check_eq "hunt: new flows fail over to gt1" "$(spread 24000 $H)" "0 $H"
check_eq "hunt: the old flows' next packets too" "$(spread 23000 $H)" "0 $H"
ip -n "$R1" link set gt0 up
wait_for "gt0 usable again" 30 \
	'[ "$(ngre -j service show lb | jq -c "[.[0].nexthops[].usable]")" = "[true,true]" ]'
ngre session flush
check_eq "hunt: back on gt0 when it is up" "$(spread 25000 $H)" "$H 0"
exit 0
