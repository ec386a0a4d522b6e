#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Objects that sessions use go away under traffic (setup_session_topology,
# a ping, a TCP stream and new UDP flows from A to B through R1's
# services):
#  - a tunnel deleted: its sessions end, its next hop is unusable, the
#    traffic moves to the other tunnel; a tunnel of that name again makes
#    the next hop usable;
#  - a service deleted: its sessions end;
#  - the VLAN device under both tunnels deleted, and made again;
#  - its address, the tunnels' inherited source, changed, and back (the
#    packets on the wire checked, but not on the debug kernel);
#  - the carrier of the LAN link lost (A's end down), and back;
#  - configuration churn on one CPU, the traffic on the other (where
#    there are two);
#  - rmmod with 2,000 sessions live (500 under the debug kernel), twice
#    (once); then the module again, and R1's namespace deleted with as
#    many.
# No command may hang (device unregistration must not wait for a
# session); the kernel log must show neither a splat (the harness checks)
# nor a device waiting for its references.
source "$(dirname "$0")/lib.sh"

require_cmd jq python3 socat taskset iperf3 tcpdump
# The traffic's senders on CPU 1 and the churn on CPU 0, where the kernel
# has two CPUs online (the debug kernel's suite runs on one).
on_cpu0=() on_cpu1=()
if [ "$(nproc)" -ge 2 ]; then
	on_cpu0=(taskset -c 0) on_cpu1=(taskset -c 1)
fi
setup_session_test
dmesg0=$(dmesg | wc -l)
sysctl -qw net.core.netdev_unregister_timeout_secs=1

# MANY: the sessions made before rmmod and the namespace's deletion;
# CHURN: the rounds of configuration churn (a count, not a time: as many
# on a loaded machine; 25 took 48 s on 6.12 alone, on a slow day).  The
# debug kernel, there for its checkers and many times slower, gets fewer
# of both (3 rounds took 27 s there).
MANY=2000 CHURN=20
debug_kernel && MANY=500 CHURN=3

# services: R1's two services; UDP sessions outlive the test's steps.
services() {
	ngre config set timeout-udp 600 || fail "config set timeout-udp"
	ngre service add web prefix 10.2.0.0/24 lb round-robin \
		nexthop tunnel gt0 nexthop tunnel gt1 || fail "service add web"
	ngre service add site prefix 10.1.0.0/24 nexthop dev eth1 ||
		fail "service add site"
}

# traffic_start: a ping, a TCP stream (started again whenever it ends) and
# new UDP flows from A to B, until the test ends, on CPU 1 where there are
# two.  The debug kernel's one CPU gets far less: the same traffic kept it
# busy, and each of the test's own commands took seconds.
traffic_start() {
	local rate=10M ping=0.05 flows=20
	debug_kernel && rate=200K ping=0.25 flows=4
	"${on_cpu1[@]}" nsrun "$A" ping -q -i "$ping" 10.2.0.1 >/dev/null 2>&1 &
	defer kill $!
	nsrun "$B" iperf3 -s -D -I "/tmp/iperf3-$$.pid" >/dev/null ||
		fail "iperf3 server on B"
	defer sh -c "kill \$(cat /tmp/iperf3-$$.pid); rm -f /tmp/iperf3-$$.pid"
	(trap 'kill $c 2>/dev/null; exit' TERM
	 while :; do
		"${on_cpu1[@]}" nsrun "$A" iperf3 -c 10.2.0.1 -t 3600 \
			-b "$rate" --connect-timeout 2000 &
		c=$!
		wait $c
		sleep 0.5
	done) >/dev/null 2>&1 &
	defer kill $!
	"${on_cpu1[@]}" nsrun "$A" /usr/bin/python3 -S "$TRAFFIC" stream \
		10.2.0.1 9 "$flows" 30000 10000 >/dev/null 2>&1 &
	defer kill $!
}

# busy: sessions are being made and used.
busy() {
	wait_for "sessions under traffic" 30 '[ "$(session_count)" -gt 5 ]'
}

# many BASE: MANY more sessions, one datagram from each of MANY source
# ports of A from BASE up (a socket each).
many() {
	(ulimit -n $((MANY + 100)) &&
	 nsrun "$A" /usr/bin/python3 -S "$TRAFFIC" flows 10.2.0.1 9 "$MANY" "$1") ||
		fail "$MANY flows from port $1"
	wait_for "$MANY sessions" 60 '[ "$(session_count)" -ge "$MANY" ]'
}

services
traffic_start
busy
log "step: traffic flows"

# --- a tunnel ------------------------------------------------------------------------------------
log "step: a tunnel deleted"
b=$(ngre_stats "$R1")
timeout 30 "$NGRE_CLI" -n "$R1" tunnel del gt1 || fail "tunnel del gt1"
check_eq "gt1 deleted: its next hop unusable" \
	"$(ngre -j service show web | jq -c '[.[0].nexthops[] | [.dev, .usable]]')" \
	'[["gt0",true],["gt1",false]]'
check_eq "gt1 deleted: none of its sessions left" \
	"$(sessions "$R1" | jq '[.[] | select(.nexthop == "gt1")] | length')" 0
[ "$(stat_delta "$b" "$R1" session_ended)" -gt 0 ] ||
	fail "gt1 deleted: no session counted ended"
ping_ok "$A" 10.2.0.1 3
"$NGRE_CLI" -n "$R1" tunnel add gt1 dev eth0 vlan 100 remote 198.51.100.2 key 2 ||
	fail "add gt1 again"
ip -n "$R1" link set gt1 up
wait_for "gt1 usable again" 30 \
	'[ "$(ngre -j service show web | jq -c "[.[0].nexthops[].usable]")" = "[true,true]" ]'
pass "a tunnel of that name again: usable"

# --- a service ---------------------------------------------------------------------------------------
log "step: a service deleted"
busy
timeout 30 "$NGRE_CLI" -n "$R1" service del web || fail "service del web"
check_eq "web deleted: none of its sessions left" \
	"$(sessions "$R1" service web 2>/dev/null | jq length)" 0
ngre service add web prefix 10.2.0.0/24 lb round-robin \
	nexthop tunnel gt0 nexthop tunnel gt1 || fail "service add web again"

# --- the VLAN device -----------------------------------------------------------------------------------
log "step: the VLAN device deleted"
busy
timeout 30 ip -n "$R1" link del eth0.100 || fail "VLAN device deleted"
wait_for "no session through the tunnels" 30 '[ "$(session_count)" = 0 ]'
ip -n "$R1" link add link eth0 name eth0.100 type vlan id 100
ip -n "$R1" addr add 192.0.2.1/24 dev eth0.100
ip -n "$R1" link set eth0.100 up
ip -n "$R1" route add default via 192.0.2.254
wait_for "sessions again" 30 '[ "$(session_count)" -gt 5 ]'
ping_ok "$A" 10.2.0.1 3

# --- the parent's address ---------------------------------------------------------------------------
# R1's tunnels take their source from eth0.100.  Its address moves to
# 192.0.2.3 (added as a secondary, then the primary deleted: the secondary
# takes its place) and R2's tunnels are pointed at it: the sessions'
# packets leave from the new address and their answers come back to it.
# Then all back.
nsrun "$R1" sysctl -qw net.ipv4.conf.eth0/100.promote_secondaries=1
# readdress OLD NEW: R1's source from OLD to NEW, under traffic.
readdress() {
	local w
	log "step: source $1 to $2"
	busy
	timeout 30 ip -n "$R1" -b - <<EOF || fail "R1: $1 to $2"
addr add $2/24 dev eth0.100
addr del $1/24 dev eth0.100
route replace default via 192.0.2.254
EOF
	check_eq "source $2: the tunnels' local" \
		"$(ngre -j tunnel show | jq -c '[.[].local]')" "[\"$2\",\"$2\"]"
	"$NGRE_CLI" -n "$R2" tunnel set gt0 remote "$2" || fail "R2: gt0 to $2"
	ip -n "$R2" link set gt1 type gre local 198.51.100.2 remote "$2" key 2 ||
		fail "R2: gt1 to $2"
	wait_for "sessions again" 30 '[ "$(session_count)" -gt 5 ]'
	# The debug kernel, there for its checkers, has taken the move's
	# paths by now; the packets on the wire are the same on every kernel.
	debug_kernel && return
	# Answered once before the capture: the first packets to and from
	# the new address may wait for neighbours or be lost to the move
	# (a ping of three once lost one, under the debug kernel).
	wait_for "a ping answered at $2" 30 \
		'nsrun "$A" ping -q -c 1 -W 2 10.2.0.1 >/dev/null'
	w=$(gre_wire "$W" eth0 ping_ok "$A" 10.2.0.1 3) || fail "ping from $2: $w"
	check_eq "source $2: on the wire" \
		"$(echo "$w" | cut -d' ' -f1 | sort)" \
		"$(printf '%s\n' "198.51.100.2>$2" "$2>198.51.100.2" | sort)"
}
readdress 192.0.2.1 192.0.2.3
readdress 192.0.2.3 192.0.2.1

# --- carrier lost -------------------------------------------------------------------------------------
# A's end of the link down: R1's eth1, where every session comes in, is
# up without carrier (the link watcher tells the notifier).
log "step: carrier lost"
busy
b=$(ngre_stats "$R1")
ip -n "$A" link set eth0 down
wait_for "eth1 without carrier" 30 \
	'ip -n "$R1" -j link show eth1 | jq -e ".[0].flags | index(\"NO-CARRIER\")" >/dev/null'
wait_for "no session through eth1" 30 '[ "$(session_count)" = 0 ]'
[ "$(stat_delta "$b" "$R1" session_ended)" -gt 0 ] ||
	fail "carrier lost: no session counted ended"
ip -n "$A" link set eth0 up
ip -n "$A" route replace default via 10.1.0.254
wait_for "sessions again" 30 '[ "$(session_count)" -gt 5 ]'

# --- configuration churn ------------------------------------------------------------------------------
# CHURN times, on CPU 0, a tunnel gt9 and a service for half of B's
# prefix through it (more specific than web: the traffic's new flows take
# it) made, brought up and deleted again, while the traffic's senders run
# on CPU 1.  Then the configuration is what it was, and traffic flows.
log "step: configuration churn"
busy
before=$(ngre -j tunnel show | jq -c '[.[].ifname]')$(ngre -j service show | jq -c '[.[].name]')
t0=$SECONDS
for ((rounds = 0; rounds < CHURN; rounds++)); do
	timeout 30 "${on_cpu0[@]}" "$NGRE_CLI" -n "$R1" -b - <<EOF || fail "churn round $rounds: add"
tunnel add gt9 dev eth0 vlan 100 remote 198.51.100.2 key 9
service add churn prefix 10.2.0.0/25 nexthop tunnel gt9
EOF
	timeout 30 "${on_cpu0[@]}" ip -n "$R1" link set gt9 up || fail "churn round $rounds: gt9 up"
	timeout 30 "${on_cpu0[@]}" "$NGRE_CLI" -n "$R1" -b - <<EOF || fail "churn round $rounds: del"
service del churn
tunnel del gt9
EOF
done
log "churn: $rounds rounds in $((SECONDS - t0)) s on $(nproc) CPUs"
check_eq "after the churn: the configuration" \
	"$(ngre -j tunnel show | jq -c '[.[].ifname]')$(ngre -j service show | jq -c '[.[].name]')" \
	"$before"
busy
ping_ok "$A" 10.2.0.1 3

# --- rmmod, then R1's namespace ---------------------------------------------------------------------------
# MANY sessions more than the traffic's, then rmmod under that traffic;
# the module and R1's configuration again; twice (once on the debug
# kernel, where a round takes a minute).
log "step: rmmod"
rounds=2
debug_kernel && rounds=1
for ((i = 1; i <= rounds; i++)); do
	busy
	many $((10000 + i * MANY))
	log "rmmod $i: $(session_count) sessions"
	timeout 60 rmmod ngre || fail "rmmod $i with $MANY sessions live"
	ngre_load
	for dev in gt0 gt1; do
		ip -n "$R2" link del "$dev" 2>/dev/null
	done
	setup_session_tunnels
	services
done
pass "rmmod under traffic with $MANY sessions live, $rounds times"
busy
many 40000
timeout 60 ip netns del "$R1" || fail "netns del with $MANY sessions live"
# The namespace is cleaned up in the background; unloading the module
# waits for that (its pernet exit), and a device that waited for its
# references would say so within a second.
timeout 120 rmmod ngre || fail "rmmod after the namespace's deletion"
pass "netns deleted with $MANY sessions live, then rmmod"
check_eq "no device waited for its references" \
	"$(dmesg | tail -n +$((dmesg0 + 1)) | grep -c 'unregister_netdevice: waiting')" 0
exit 0
