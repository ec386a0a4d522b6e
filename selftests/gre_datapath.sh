#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The GRE datapath beyond interoperability:
#  - exact counters: a ping is counted once in each direction, in the
#    tunnel device's stats and in ngre's; ngre -s shows the device's;
#  - the outer header on the wire: fixed and inherited TOS, RFC 6040 ECN,
#    inherited TTL, DF with and without pmtudisc (not captured on the
#    debug kernel);
#  - hand-made packets (gre_send.py, sent from W as if from R2, each
#    checked for its exact counter delta): valid ones are delivered (also
#    with CE outside and ECT inside); bad checksum, missing checksum,
#    routing bit, unknown inner protocol, keepalive, missing key,
#    out-of-order or missing sequence number, truncated GRE and CE
#    outside a not-ECT packet (RFC 6040) are dropped and counted by
#    reason; a sequence number far ahead or behind is refused unless the
#    next packet continues from it, and a packet refused for another
#    reason does not move the expected number; another key, another
#    source, another GRE version and IP options are left to the stack
#    and counted, and so is GRE to a tunnel's custom local address the
#    router does not have (it is routed on), GRE from another device
#    than the tunnel's link (spoofed from A's side, whatever rp_filter
#    says) and GRE nested in the tunnel itself; a blocking IPsec inbound
#    policy drops and counts them, and a prerouting chain at -450 drops
#    them before ngre sees them;
#  - ICMP "fragmentation needed" about a tunnel's outer packets sets the
#    path MTU to its remote as net.ipv4.ip_no_pmtu_disc says (0: the
#    ICMP's MTU; 1: min_pmtu, locked; 2 and 3: ignored), for the route
#    through the tunnel's link even when the ICMP comes from elsewhere;
#  - a fragmented GRE packet is reassembled and delivered;
#  - path MTU: with a 1400-byte link between W and R2, TCP completes and an
#    oversized DF ping gets ICMP "fragmentation needed" with the tunnel's
#    learnt MTU;
#  - the VLAN device down: the tunnel is oper-down and sends nothing; no
#    route to the remote: counted drops;
#  - an inherited source address changed during a ping: traffic resumes
#    on the new address and the static flow follows;
#  - ngre and ip_gre tunnels side by side in one namespace each get their
#    own traffic.
source "$(dirname "$0")/lib.sh"

require_cmd jq iperf3 socat python3 ss nstat nft
ngre_load
defer sh -c 'rmmod ngre 2>/dev/null'
# Built into the debug kernel; a module on Debian's.
modprobe -q ip_gre 2>/dev/null
setup_gre_topology

GRE_OPTS="key 1 csum seq"
"$NGRE_CLI" -n "$R1" tunnel add gt0 dev eth0 vlan 100 remote 198.51.100.2 \
	$GRE_OPTS || fail "add gt0 on R1"
"$NGRE_CLI" -n "$R2" tunnel add gt0 dev eth0 remote 192.0.2.1 \
	$GRE_OPTS || fail "add gt0 on R2"
for ns in "$R1" "$R2"; do
	ip -n "$ns" link set gt0 up
done
ip -n "$R1" route add 10.2.0.0/24 dev gt0
ip -n "$R2" route add 10.1.0.0/24 dev gt0

# stats_json NS [DEV]: ngre's counters and those of tunnel DEV (gt0), as
# one JSON object.
stats_json() {
	local n d
	n=$("$NGRE_CLI" -n "$1" -j stats show)
	read -r -a d <<< "$(dev_stat "$1" "${2:-gt0}" rx_packets tx_packets rx_errors tx_dropped)"
	echo "${n%\}},\"dev_rx\":${d[0]},\"dev_tx\":${d[1]},\"dev_rx_err\":${d[2]},\"dev_tx_drop\":${d[3]}}"
}

# --- exact counters --------------------------------------------------------
ping_ok "$A" 10.2.0.1 1	# warm up neighbours on the way
b1=$(stats_json "$R1"); b2=$(stats_json "$R2")
ping_ok "$A" 10.2.0.1 5
check_eq "R1 counters after 5 pings" "$(delta "$b1" "$(stats_json "$R1")")" \
	"decap_success=+5 dev_rx=+5 dev_tx=+5 encap_success=+5"
check_eq "R2 counters after 5 pings" "$(delta "$b2" "$(stats_json "$R2")")" \
	"decap_success=+5 dev_rx=+5 dev_tx=+5 encap_success=+5"

# --- the outer header on the wire: TOS, ECN, TTL, DF ---------------------------
# outer OPTS -- PING_ARGS...: R1's gt0 set to OPTS, the outer header of
# its packets to R2 while A pings B with PING_ARGS, as "tos ttl df".  The
# debug kernel, there for its checkers, pings without the capture (the
# headers on the wire are the same on every kernel) and prints nothing.
outer() {
	local opts=() w
	while [ "$1" != -- ]; do opts+=("$1"); shift; done
	shift
	if [ ${#opts[@]} -gt 0 ]; then
		"$NGRE_CLI" -n "$R1" tunnel set gt0 "${opts[@]}" ||
			fail "set gt0 ${opts[*]}"
	fi
	if debug_kernel; then
		ping_ok "$A" 10.2.0.1 3 "$@"
		return
	fi
	w=$(gre_wire "$W" eth0 ping_ok "$A" 10.2.0.1 3 "$@") ||
		fail "ping $* lost replies; R1: $(stats_json "$R1" | jq -c .); R2: $(stats_json "$R2" | jq -c .)"
	echo "$w" | sed 's/^/wire: /' >&2
	echo "$w" | sed -n 's/^192.0.2.1>198.51.100.2 .*\(tos=[^ ]*\) \(ttl=[^ ]*\) \(df=[^ ]*\) .*/\1 \2 \3/p'
}
# wire_eq WHAT WANT OPTS -- PING_ARGS...: outer's answer is WANT (on the
# debug kernel only the pings, and no check).
wire_eq() {
	local what=$1 want=$2 got
	shift 2
	got=$(outer "$@") || exit 1
	debug_kernel || check_eq "$what" "$got" "$want"
}
wire_eq "tos 0x28" "tos=0x28 ttl=64 df=1" tos 0x28 --
# RFC 6040: ECT(1) inside is copied out; CE inside is ECT(0) outside.
wire_eq "tos 0x28, ECT(1) inside" "tos=0x29 ttl=64 df=1" -- -Q 0x01
wire_eq "tos 0x28, CE inside" "tos=0x2a ttl=64 df=1" -- -Q 0x03
# Inherited TOS and TTL (A sends TTL 20, R1 forwards it as 19); without
# pmtudisc, DF is the inner packet's.
wire_eq "tos/ttl inherit, nopmtudisc, inner DF clear" "tos=0xb8 ttl=19 df=0" \
	tos inherit ttl inherit nopmtudisc -- -Q 0xb8 -t 20 -M dont
wire_eq "tos/ttl inherit, nopmtudisc, inner DF set" "tos=0x48 ttl=19 df=1" \
	-- -Q 0x48 -t 20 -M do
wire_eq "back to tos 0 ttl 64 pmtudisc" "tos=0x00 ttl=64 df=1" \
	ttl 64 pmtudisc tos 0 -- -M dont

# --- hand-made packets, as if from R2 ---------------------------------------
# They go to gti, a tunnel of their own (key 42, checksums, sequence
# numbers) with no peer, so that its sequence numbers are the test's alone.
# A delivered echo request is answered through gt0.
"$NGRE_CLI" -n "$R1" tunnel add gti dev eth0 vlan 100 remote 198.51.100.2 \
	key 42 csum seq || fail "add gti on R1"
ip -n "$R1" link set gti up
# probe WHAT [DEV [SRC [DST [OPTION...]]]]: the cases on stdin sent from W,
# as SRC (R2's address) to DST (192.0.2.1): R1's counters and DEV's (gti).
probe() {
	gre_probe "$1" "$W" "$R1" "${2:-gti}" "${3:-198.51.100.2}" \
		"${4:-192.0.2.1}" "${@:5}"
}
echos() { nstat_of "$A" IcmpInEchos; }

# A delivered echo request is answered by A: its encap_success comes
# after the echo, so A has it by the time the probe has seen the counters.
e0=$(echos)
probe "valid packet" <<< "ok:100: decap_success=+1 dev_rx=+1 encap_success=+1"
check_eq "valid packet reached A" "$(( $(echos) - e0 ))" 1
ce0=$(nstat_of "$A" IpExtInCEPkts)
probe "bad packets, counted by reason" <<'EOF'
ok:50: decap_fail_sequence=+1 dev_rx_err=+1
noseq: decap_fail_sequence=+1 dev_rx_err=+1
badcsum:200: decap_fail_checksum=+1 dev_rx_err=+1
nocsum:201: decap_fail_checksum=+1 dev_rx_err=+1
routing:202: decap_fail_malformed=+1 dev_rx_err=+1
version1:203: rx_no_flow=+1
proto:204: decap_fail_protocol=+1 dev_rx_err=+1
keepalive:205: decap_keepalive=+1
nokey:206: decap_fail_key=+1
key43:207: rx_key_mismatch=+1
short: decap_fail_malformed=+1
cenotect:208: decap_fail_ecn=+1 dev_rx_err=+1
ce:209: decap_success=+1 dev_rx=+1 encap_success=+1
nested:210: decap_success=+1 dev_rx=+1 rx_wrong_link=+1
options:211: rx_ip_options=+1
EOF
check_eq "CE outside marked the ECT packet A got" \
	"$(( $(nstat_of "$A" IpExtInCEPkts) - ce0 ))" 1

# Sequence numbers (gti expects 211 now).  The expected number moves only
# for a packet that passed every other check: 220 refused for its
# protocol leaves 220 to the next.  A number 65536 or more away is a jump,
# refused: alone (100000, 100001, each followed by a packet in the
# window) it moves nothing; continued by the next packet (200000, then
# 200001) it is taken; so is a restart far behind (5, then 6).
ok="decap_success=+1 dev_rx=+1 encap_success=+1"
jump="decap_fail_seq_jump=+1 dev_rx_err=+1"
probe "sequence numbers: jumps and the other checks" <<EOF
proto:220: decap_fail_protocol=+1 dev_rx_err=+1
ok:220: $ok
ok:100000: $jump
ok:221: $ok
ok:100001: $jump
ok:222: $ok
ok:200000: $jump
ok:200001: $ok
ok:200002: $ok
ok:5: $jump
ok:6: $ok
EOF
probe "another source: untouched" gti 198.51.100.99 <<< "ok:300: rx_no_flow=+1"
# ngre -s shows the device's own counters (here rx errors and packets
# differ from the tx ones), field by field as "ip -s link" does.
check_eq "ngre -s = ip -s link" \
	"$("$NGRE_CLI" -n "$R1" -s -j tunnel show gti | jq -c '.[0].stats |
		[.rx_packets, .rx_bytes, .rx_errors, .rx_dropped,
		 .tx_packets, .tx_bytes, .tx_errors, .tx_dropped]')" \
	"$(ip -n "$R1" -s -j link show gti | jq -c '.[0].stats64 |
		[.rx.packets, .rx.bytes, .rx.errors, .rx.dropped,
		 .tx.packets, .tx.bytes, .tx.errors, .tx.dropped]')"

# A tunnel whose custom local address R1 does not have: GRE to that
# address is R1's to route on, not ngre's to decapsulate.
"$NGRE_CLI" -n "$R1" tunnel add gtn dev eth0 vlan 100 local 192.0.2.77 \
	remote 198.51.100.2 key 42 csum seq || fail "add gtn on R1"
ip -n "$R1" link set gtn up
ip -n "$W" route add 192.0.2.77/32 via 192.0.2.1
fw0=$(nstat_of "$R1" IpForwDatagrams)
probe "GRE to a local address R1 does not have" gtn 198.51.100.2 192.0.2.77 \
	--barrier 192.0.2.1 <<< "ok:1: rx_not_local=+1"
check_eq "... was routed on by R1" "$(( $(nstat_of "$R1" IpForwDatagrams) - fw0 ))" 1
"$NGRE_CLI" -n "$R1" tunnel del gtn
ip -n "$W" route del 192.0.2.77/32

# The IPsec inbound policy that R1's local delivery would apply to GRE
# applies to ngre's tunnels too.
ip -n "$R1" xfrm policy add src 198.51.100.2/32 dst 192.0.2.1/32 proto gre \
	dir in action block || fail "xfrm policy on R1"
probe "GRE refused by a blocking IPsec inbound policy" <<< \
	"ok:400: decap_fail_policy=+1"
# ... except where the receiving device has disable_policy.
nsrun "$R1" sysctl -qw net.ipv4.conf.eth0/100.disable_policy=1
probe "... not on a device with disable_policy" <<< "ok:401: $ok"
nsrun "$R1" sysctl -qw net.ipv4.conf.eth0/100.disable_policy=0
ip -n "$R1" xfrm policy del src 198.51.100.2/32 dst 192.0.2.1/32 proto gre dir in
probe "... and taken again without the policy" <<< "ok:402: $ok"

# --- GRE spoofing R2's address from A's side ---------------------------------
# A valid packet of gti "from" R2 arriving from A came in on eth1, not on
# gti's link (eth0.100): ngre leaves it to the stack, whatever rp_filter
# says.  R1 routes 198.51.100.2 through eth0.100, so strict rp_filter
# drops it as it would have for ip_gre.
spoof() {
	gre_probe "$1" "$A" "$R1" gti 198.51.100.2 192.0.2.1
}
nsrun "$R1" sysctl -qw net.ipv4.conf.all.rp_filter=1
r0=$(nstat_of "$R1" TcpExtIPReversePathFilter)
spoof "spoofed source, rp_filter 1: not taken" <<< "ok:403: rx_wrong_link=+1"
check_eq "... and dropped by the stack's rp_filter" \
	"$(( $(nstat_of "$R1" TcpExtIPReversePathFilter) - r0 ))" 1
for rpf in 2 0; do
	nsrun "$R1" sysctl -qw net.ipv4.conf.all.rp_filter=$rpf
	spoof "spoofed source, rp_filter $rpf: not taken" <<< \
		"ok:404: rx_wrong_link=+1"
done
# The same packet from W, on the link, is taken.
probe "... from W: taken" <<< "ok:405: $ok"

# --- an operator's GRE filter: a prerouting chain before ngre's hook ----------
# It drops the packet before ngre sees it: no counter of ngre's moves, the
# rule's does.
nsrun "$R1" nft -f - <<'EOF' || fail "nft gre_guard"
table ip gre_guard {
	chain pre {
		type filter hook prerouting priority -450;
		ip protocol gre ip saddr 198.51.100.2 counter drop
	}
}
EOF
probe "GRE dropped by a prerouting chain at -450" <<< "ok:406:"
check_eq "... by the chain's rule" \
	"$(nsrun "$R1" nft list table ip gre_guard | grep -o 'packets [0-9]*')" \
	"packets 1"
nsrun "$R1" nft delete table ip gre_guard
probe "... and taken without it" <<< "ok:407: $ok"

# --- ICMP about the outer packets, and net.ipv4.ip_no_pmtu_disc ----------------
# A tunnel of its own to a remote nothing else uses, so that the path MTU
# of the route to 198.51.100.9 is the test's alone.
"$NGRE_CLI" -n "$R1" tunnel add gtp dev eth0 vlan 100 remote 198.51.100.9 \
	key 9 || fail "add gtp on R1"
ip -n "$R1" link set gtp up
route_mtu() {
	ip -n "$R1" route get 198.51.100.9 | grep -oE 'mtu (lock )?[0-9]+'
}
# pmtu_case NO_PMTU_DISC MTU DELTA ROUTE_MTU: an ICMP "fragmentation
# needed" (next-hop MTU MTU) about gtp's outer packets, as sent by W.
pmtu_case() {
	nsrun "$R1" sysctl -qw net.ipv4.ip_no_pmtu_disc="$1"
	probe "ip_no_pmtu_disc=$1, ICMP with MTU $2: counters" gtp \
		198.51.100.254 <<< "fragneeded:$2:198.51.100.9:${3:+ $3}"
	check_eq "ip_no_pmtu_disc=$1, ICMP with MTU $2: path MTU" "$(route_mtu)" "$4"
}
pmtu_case 0 1300 "pmtu_update=+1" "mtu 1300"
pmtu_case 2 1200 "" "mtu 1300"
pmtu_case 3 1200 "" "mtu 1300"
pmtu_case 1 1200 "pmtu_update=+1" "mtu lock 552"
nsrun "$R1" sysctl -qw net.ipv4.ip_no_pmtu_disc=0
"$NGRE_CLI" -n "$R1" tunnel del gtp
# An ICMP about gtq's outer packets from A's side (from W's address,
# which R1 routes through eth0.100).  With rp_filter 1 local delivery
# would drop it (the stack counts it), so it changes nothing; with
# rp_filter 0 the path MTU is learnt for the route gtq's packets take,
# through its link.
"$NGRE_CLI" -n "$R1" tunnel add gtq dev eth0 vlan 100 remote 198.51.100.10 \
	key 10 || fail "add gtq on R1"
ip -n "$R1" link set gtq up
icmp_from_a() {
	gre_probe "$1" "$A" "$R1" gtq 198.51.100.254 192.0.2.1
}
gtq_mtu() {
	ip -n "$R1" route get 198.51.100.10 | grep -oE 'mtu [0-9]+'
}
nsrun "$R1" sysctl -qw net.ipv4.conf.all.rp_filter=1
r0=$(nstat_of "$R1" TcpExtIPReversePathFilter)
icmp_from_a "ICMP from A's side, rp_filter 1: ignored by ngre" <<< \
	"fragneeded:1280:198.51.100.10:"
check_eq "... dropped by the stack, no path MTU" \
	"$(( $(nstat_of "$R1" TcpExtIPReversePathFilter) - r0 )),$(gtq_mtu)" "1,"
nsrun "$R1" sysctl -qw net.ipv4.conf.all.rp_filter=0
icmp_from_a "ICMP from A's side, rp_filter 0: counted" <<< \
	"fragneeded:1280:198.51.100.10: pmtu_update=+1"
check_eq "... the path MTU of gtq's route" "$(gtq_mtu)" "mtu 1280"
"$NGRE_CLI" -n "$R1" tunnel del gtq

# --- a fragmented GRE packet -------------------------------------------------
# A's 2028-byte reply leaves A in two fragments, the first of which R1
# splits again for gt0's MTU: three packets through the tunnel.
e0=$(echos)
probe "fragmented GRE" <<< \
	"frag:1000: decap_success=+1 dev_rx=+1 encap_success=+3 frag_reassembled=+1"
check_eq "reassembled packet reached A" "$(( $(echos) - e0 ))" 1

# --- path MTU ------------------------------------------------------------------
ip -n "$W" link set eth1 mtu 1400
ip -n "$R2" link set eth0 mtu 1400
size=1048576
debug_kernel && size=262144
head -c $size /dev/urandom > /tmp/payload-$$
defer rm -f /tmp/payload-$$ /tmp/received-$$
nsrun "$B" socat -u TCP-LISTEN:5001,reuseaddr OPEN:/tmp/received-$$,creat,trunc &
rx=$!
defer kill $rx
wait_tcp_listen "$B" 5001
timeout 60 nsrun "$A" socat -u OPEN:/tmp/payload-$$ TCP:10.2.0.1:5001 ||
	fail "TCP over the 1400-byte path"
wait $rx || fail "socat receive"
check_eq "TCP payload over a 1400-byte path" "$(sha256sum < /tmp/received-$$)" \
	"$(sha256sum < /tmp/payload-$$)"
[ "$(stat_of "$R1" pmtu_update)" -ge 1 ] || fail "no path MTU learnt from ICMP"
pass "R1 learnt the path MTU from ICMP ($(stat_of "$R1" pmtu_update) updates)"
# 1400 - 20 (IPv4) - 16 (GRE with key, checksum, sequence number)
out=$(nsrun "$A" ping -c 2 -i 0.3 -W 1 -M do -s 1400 10.2.0.1 2>&1)
# A learnt it from R1's ICMP during the TCP transfer, so ping may say
# "local error: message too long, mtu=1364" rather than quote the ICMP.
echo "$out" | grep -qE "mtu ?= ?1364" || fail "no ICMP frag-needed with mtu 1364: $out"
pass "oversized DF ping: $(echo "$out" | grep -m1 -E "mtu ?=")"
[ "$(stat_of "$R1" encap_fail_too_big)" -ge 1 ] || fail "encap_fail_too_big not counted"
ip -n "$W" link set eth1 mtu 1500
ip -n "$R2" link set eth0 mtu 1500

# --- the VLAN device down: the tunnel is oper-down ---------------------------
# Carrier off: its routes are "linkdown" and the stack drops what is routed
# into it before ngre sees it (the noop qdisc); nothing is sent.
ip -n "$R1" link set eth0.100 down
check_eq "link down: reason" "$("$NGRE_CLI" -n "$R1" -j tunnel show gt0 |
	jq -r '.[0].down_reason')" link-down
check_eq "link down: carrier" "$(ip -n "$R1" -j link show gt0 | jq -r '.[0].operstate')" DOWN
ip -n "$R1" route show 10.2.0.0/24 | grep -q linkdown || fail "route not linkdown"
before=$(stats_json "$R1")
nsrun "$A" ping -q -c 3 -i 0.2 -W 1 10.2.0.1 >/dev/null && fail "ping with the link down"
# (6.12 counts the stack's drops in the device's tx_dropped, 6.1 does not.)
check_eq "link down: nothing sent" \
	"$(delta "$before" "$(stats_json "$R1")" | sed 's/ *dev_tx_drop=+3//')" ""
ip -n "$R1" link set eth0.100 up
ip -n "$R1" route replace default via 192.0.2.254
ping_ok "$A" 10.2.0.1 2

# --- no route to the remote: counted drops, ICMP to the sender ---------------
# The route is looked up on the VLAN device, where Linux takes a remote
# without a route for on-link; what fails is a source address the router
# does not have.
"$NGRE_CLI" -n "$R1" tunnel set gt0 local 192.0.2.99 || fail "set local"
before=$(stats_json "$R1")
u0=$(nstat_of "$A" IcmpInDestUnreachs)
nsrun "$A" ping -q -c 3 -i 0.2 -W 1 10.2.0.1 >/dev/null && fail "ping without a route"
check_eq "no route: drops" "$(delta "$before" "$(stats_json "$R1")")" \
	"dev_tx_drop=+3 encap_fail_no_route=+3"
check_eq "no route: A told host unreachable" \
	"$(( $(nstat_of "$A" IcmpInDestUnreachs) - u0 ))" 3
"$NGRE_CLI" -n "$R1" tunnel set gt0 local inherit || fail "set local inherit"
ping_ok "$A" 10.2.0.1 2

# --- inherited source changes during a ping -----------------------------------
"$NGRE_CLI" -n "$R1" tunnel del gti
# A ping every 0.1 s; the change once five were answered, and the ping
# stopped once five more were answered after it (the time each step takes
# depends on the machine's load, so no step has a fixed time).
nsrun "$A" ping -i 0.1 -W 1 10.2.0.1 > /tmp/ping-$$ 2>&1 &
pinger=$!
defer rm -f /tmp/ping-$$
answered() { grep -c icmp_seq= /tmp/ping-$$; }
wait_for "five pings answered before the change" 30 '[ "$(answered)" -ge 5 ]'
ip -n "$R1" addr del 192.0.2.1/24 dev eth0.100
ip -n "$R1" addr add 192.0.2.11/24 dev eth0.100
ip -n "$R1" route replace default via 192.0.2.254
"$NGRE_CLI" -n "$R2" tunnel set gt0 remote 192.0.2.11 || fail "set remote on R2"
check_eq "R1 source followed" "$("$NGRE_CLI" -n "$R1" -j tunnel show gt0 |
	jq -r '.[0].local')" 192.0.2.11
n=$(answered)
wait_for "five pings answered after the change" 30 '[ "$(answered)" -ge $((n + 5)) ]'
kill -INT $pinger
wait $pinger || fail "ping during the change: $(cat /tmp/ping-$$)"
pass "during the change: $(grep received /tmp/ping-$$)"
ping_ok "$A" 10.2.0.1 3

# --- ngre and ip_gre side by side ----------------------------------------------
# R1: ngre gt0 (key 1...) to R2's ngre, and ip_gre gre9 (key 9) to R2's
# ip_gre, between the same addresses.  A's second address 10.1.9.1 talks
# to B's second address 10.2.9.1 through gre9 (routes only, no policy
# routing: the debug kernel has none).
ip -n "$A" addr add 10.1.9.1/24 dev eth0
ip -n "$B" addr add 10.2.9.1/24 dev eth0
ip -n "$R1" route add 10.1.9.0/24 via 10.1.0.1
ip -n "$R2" route add 10.2.9.0/24 via 10.2.0.1
ip -n "$R1" link add gre9 type gre local 192.0.2.11 remote 198.51.100.2 key 9 ||
	fail "ip_gre gre9 on R1"
ip -n "$R2" link add gre9 type gre local 198.51.100.2 remote 192.0.2.11 key 9 ||
	fail "ip_gre gre9 on R2"
for ns in "$R1" "$R2"; do ip -n "$ns" link set gre9 up; done
ip -n "$R1" route add 10.2.9.0/24 dev gre9
ip -n "$R2" route add 10.1.9.0/24 dev gre9
b1=$(stats_json "$R1")
g0=$(dev_stat "$R1" gre9 rx_packets)
ping_ok "$A" 10.2.9.1 4 -I 10.1.9.1
ping_ok "$A" 10.2.0.1 2
check_eq "side by side: ngre counted only its own" \
	"$(delta "$b1" "$(stats_json "$R1")")" \
	"decap_success=+2 dev_rx=+2 dev_tx=+2 encap_success=+2 rx_key_mismatch=+4"
check_eq "side by side: ip_gre got its own" \
	"$(( $(dev_stat "$R1" gre9 rx_packets) - g0 ))" 4

log "ngre stats on R1: $("$NGRE_CLI" -n "$R1" -j stats show)"
exit $KSFT_PASS
