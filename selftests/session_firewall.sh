#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Sessions under a stateful firewall (setup_session_topology; on R1 an
# nftables forward chain: established and related accepted, new only
# from the LAN (eth1), UDP to port 9 from the LAN dropped):
#  - sessions work both ways through it, and conntrack's entries of their
#    TCP connections become assured; the tunnels' outer GRE has no entry
#    (ngre's packets are untracked), on the session and netdev paths;
#  - a flush in the middle of a ping and of a TCP transfer: the next
#    packets still pass the ruleset (as established) and new sessions
#    form;
#  - conntrack flushed under a session: its next packet goes through
#    the hooks, where conntrack confirms its new entry, and the session
#    stays;
#  - first packets the firewall drops (new from B's side; UDP to port 9)
#    make no session and are counted; the rest works;
#  - a connection that conntrack NATs (a masquerade rule) makes no
#    session, is counted once, and all its packets reach B, from the
#    router's address (they keep the next hop the first one had, which
#    the masquerading was made for), also after a TCP connection's idle
#    time longer than the TCP opening timeout;
#  - so does one that conntrack DNATs before ngre's hook, and its pings
#    are answered; a one-way DNAT flow is counted once too.
source "$(dirname "$0")/lib.sh"

require_cmd jq socat python3 ss nft conntrack tcpdump
setup_session_test

ngre service add web prefix 10.2.0.0/24 nexthop tunnel gt0 nexthop tunnel gt1 ||
	fail "service add web"
ngre service add site prefix 10.1.0.0/24 nexthop dev eth1 || fail "service add site"
nsrun "$R1" nft -f - <<'EOF' || fail "nft ruleset"
table inet fw {
	chain forward {
		type filter hook forward priority filter; policy drop;
		ct state established,related accept
		iifname "eth1" udp dport 9 counter drop
		iifname "eth1" ct state new accept
	}
}
EOF
conntrack_keep "$R1"

# --- sessions through the ruleset, conntrack sees them -------------------------------
ping_ok "$A" 10.2.0.1 3
tcp_transfer "$A" "$B" 10.2.0.1
s=$(sessions "$R1")
check_eq "sessions of the ping and the transfer" \
	"$(echo "$s" | jq -c '[.[].fwd.proto] | sort')" '["icmp","tcp"]'
check_eq "their reverse flows hit" \
	"$(echo "$s" | jq '[.[] | select(.rev.packets == 0)] | length')" 0
check_eq "the transfer's conntrack entry is assured" \
	"$(nsrun "$R1" conntrack -L -p tcp --dport 5001 2>/dev/null | grep -c ASSURED)" 1

# --- the tunnels' outer GRE is untracked ----------------------------------------------
# The ping and the transfer went through both tunnels as sessions; a ping
# from R1 bound to gt0 takes the netdev path.  conntrack, loaded for the
# ruleset, has entries for the inner connections and none for the outer
# packets, either way.
tx0=$(dev_stat "$R1" gt0 tx_packets)
nsrun "$R1" ping -q -c 2 -i 0.2 -W 1 -I gt0 10.2.0.1 > /dev/null
check_eq "a ping bound to gt0 was sent through it" \
	"$(( $(dev_stat "$R1" gt0 tx_packets) - tx0 ))" 2
ct=$(nsrun "$R1" conntrack -L 2>/dev/null)
log "R1's conntrack entries: $(echo "$ct" | wc -l)"
echo "$ct" | grep -q 'dst=10\.2\.0\.1 ' ||
	fail "conntrack has no entry for the inner connections: $ct"
check_eq "conntrack: no entry for the outer GRE" \
	"$(echo "$ct" | grep -cE '(src|dst)=198\.51\.100\.2 ')" 0

# --- flush under traffic: the ruleset still passes the next packets --------------------
ngre session flush
b=$(ngre_stats "$R1")
out=/tmp/ping-$$
nsrun "$A" ping -c 20 -i 0.2 -W 2 10.2.0.1 > "$out" &
pid=$!
wait_for "the ping's session" 30 '[ "$(n_sessions "$R1")" = 1 ]'
ngre session flush
wait $pid
grep -q " 20 received" "$out" || fail "ping across a flush: $(tail -2 "$out")"
rm -f "$out"
check_eq "ping across a flush: one session before it, one after" \
	"$(stat_delta "$b" "$R1" session_created)" 2

# A TCP transfer of 3 s (at 20 Mbit/s at most) with a flush every 0.4 s
# while it runs: it completes, and its packets form new sessions after
# each.  Some bytes must arrive, however slow the machine: no rate is
# asserted.
b=$(ngre_stats "$R1")
(for i in 1 2 3 4 5 6; do sleep 0.4; "$NGRE_CLI" -n "$R1" session flush; done) &
flusher=$!
iperf3_transfer "$A" "$B" 10.2.0.1 1 -t 3 -b 20M
wait $flusher
c=$(stat_delta "$b" "$R1" session_created)
check_eq "TCP across six flushes: sessions formed again" "$((c >= 3))" 1

# --- conntrack loses a session's connection (conntrack -F) ------------------------------
# The session's next packet carries a new, unconfirmed conntrack entry:
# it takes the first packet's way through FORWARD and POST_ROUTING, where
# conntrack confirms its entry (flow_ct_lost), and the session stays.
ngre session flush
nsrun "$A" /usr/bin/python3 -S "$TRAFFIC" burst 10.2.0.1 7 1 27000 ||
	fail "burst from 27000"
wait_for "the session of port 27000" 30 '[ "$(n_sessions "$R1")" = 1 ]'
b=$(ngre_stats "$R1")
nsrun "$R1" conntrack -F 2>/dev/null
nsrun "$A" /usr/bin/python3 -S "$TRAFFIC" burst 10.2.0.1 7 1 27000 ||
	fail "burst from 27000 again"
wait_for "conntrack has the connection again" 30 \
	'[ "$(nsrun "$R1" conntrack -L -p udp --sport 27000 2>/dev/null | wc -l)" = 1 ]'
check_eq "conntrack lost it: counted, the session kept" \
	"$(stat_delta "$b" "$R1" flow_ct_lost session_created session_ended)" "1 0 0"
check_eq "the session counted both packets" \
	"$(sessions "$R1" | jq -c '[.[] | [.fwd.sport, .fwd.packets]]')" '[[27000,2]]'

# --- what the firewall drops makes no session --------------------------------------------
ngre session flush
b=$(ngre_stats "$R1")
out=$(nsrun "$B" ping -c 2 -i 0.2 -W 1 10.1.0.1)
echo "$out" | grep -q " 0 received" || fail "new from B's side passed: $out"
nsrun "$A" /usr/bin/python3 -S "$TRAFFIC" flows 10.2.0.1 9 3 43000 || fail "flows"
check_eq "dropped first packets: counted, no session" \
	"$(delta "$b" "$(ngre_stats "$R1")"),$(n_sessions "$R1")" \
	"decap_success=+2 session_fw_dropped=+5,0"
ping_ok "$A" 10.2.0.1 2
check_eq "the rest works" "$(sessions "$R1" | jq -c '[.[].fwd.proto]')" '["icmp"]'

# --- NAT: no session, counted, and every packet goes through the NAT -------------------------
ngre session flush
nsrun "$R1" nft -f - <<'EOF' || fail "nft nat"
table ip nat {
	chain post {
		type nat hook postrouting priority srcnat;
		oifname { "gt0", "gt1" } masquerade
	}
}
EOF
b=$(ngre_stats "$R1")
cap=/tmp/nat-$$.txt
nsrun "$B" tcpdump --immediate-mode -l -n -i eth0 icmp > "$cap" 2> "$cap.err" &
tpid=$!
wait_for "tcpdump on B" 30 'grep -q "listening on" "$cap.err"'
ping_ok "$A" 10.2.0.1 3
sleep 0.5
kill $tpid
wait $tpid
check_eq "masqueraded: no session" "$(n_sessions "$R1")" 0
check_eq "masqueraded: the connection counted once" \
	"$(stat_delta "$b" "$R1" session_nat_skipped)" 1
check_eq "B saw the router's address, not A's" \
	"$(grep -c 'ICMP echo request' "$cap"),$(grep -c '10.1.0.1 >' "$cap")" "3,0"
rm -f "$cap" "$cap.err"

# A masqueraded TCP connection idle for longer than the TCP opening
# timeout keeps its flow (conntrack has seen a reply: it is established),
# so its later packets still go through the tunnel (R1's own default
# route leads to W, which has no route to B).
ngre config set timeout-tcp-opening 2 || fail "config set timeout-tcp-opening"
got=/tmp/nat-tcp-$$
nsrun "$B" timeout 30 socat -u TCP-LISTEN:5002,reuseaddr \
	OPEN:"$got",creat,trunc &
rx=$!
wait_tcp_listen "$B" 5002
(echo one; sleep 5; echo two) |
	timeout 30 nsrun "$A" socat -u - TCP:10.2.0.1:5002 ||
	fail "masqueraded TCP: the client failed"
wait $rx
check_eq "masqueraded TCP idle for 5 s: both lines arrived" "$(tr '\n' ' ' < "$got")" "one two "
rm -f "$got"
ngre config set timeout-tcp-opening 120

# DNAT, before ngre's hook: A pings 10.2.0.99, which R1 translates to
# B's address and routes itself (through gt0, a route of its own).  No
# session, counted once; the replies come back translated.
nsrun "$R1" nft delete table ip nat
nsrun "$R1" nft -f - <<'EOF' || fail "nft dnat"
table ip dn {
	chain pre {
		type nat hook prerouting priority dstnat;
		ip daddr 10.2.0.99 dnat to 10.2.0.1
	}
}
EOF
ip -n "$R1" route add 10.2.0.0/24 dev gt0
b=$(ngre_stats "$R1")
ping_ok "$A" 10.2.0.99 3
check_eq "DNAT: no session" "$(n_sessions "$R1")" 0
check_eq "DNAT: the connection counted once" \
	"$(stat_delta "$b" "$R1" session_nat_skipped)" 1
# A one-way UDP flow (nothing listens on B's port 5099), so that every packet
# is of a connection conntrack has seen no reply of: still counted once.
b=$(ngre_stats "$R1")
u0=$(nstat_of "$B" UdpNoPorts)
nsrun "$A" /usr/bin/python3 -S "$TRAFFIC" burst 10.2.0.99 5099 3 44000 ||
	fail "a burst to 10.2.0.99"
wait_for "DNAT: the one-way flow reached B" 30 \
	'[ $(($(nstat_of "$B" UdpNoPorts) - u0)) = 3 ]'
check_eq "DNAT, one way: counted once" "$(stat_delta "$b" "$R1" session_nat_skipped)" 1
exit 0
