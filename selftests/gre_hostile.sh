#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Malformed and hostile GRE (gre_send.py's cases, sent from W as Ethernet
# frames to R1, exactly as built), each checked for its exact change of
# ngre's counters, the tunnel device's and the stack's header drops:
#  - at tk (key 42, checksums, sequence numbers), from its remote on its
#    link: every field present, missing or wrong; versions 1 to 7, the
#    routing bit, reserved bits; the GRE header cut at every length;
#    outer IPv4 cut short, with a wrong length, checksum or header length,
#    with options; inner IPv4 and IPv6 cut short or with a wrong header or
#    length, TTL 0 and 1, to the router, to broadcast and multicast,
#    nested GRE, keepalives; sequence numbers replayed and out of order;
#    fragments in order, reversed, overlapping, alone, and over 64 KiB;
#  - at tn (no key, no checksum, no sequence numbers): what each optional
#    field does to a tunnel that does not ask for it;
#  - the same cases at an address of R1 that no tunnel has: ngre counts
#    what reaches its hook and touches nothing;
#  - after all that, tk and tn still carry traffic;
#  - what a tunnel cannot send (another protocol than IPv4 and IPv6) is
#    dropped and counted.
source "$(dirname "$0")/lib.sh"

require_cmd jq python3 nstat
ngre_load
defer sh -c 'rmmod ngre 2>/dev/null'
setup_gre_topology
NS=$R1

ngre tunnel add tk dev eth0 vlan 100 remote 198.51.100.2 key 42 csum seq ||
	fail "add tk"
ngre tunnel add tn dev eth0 vlan 100 remote 198.51.100.3 || fail "add tn"
# gt0 carries what A and R1 answer back to B's side.
ngre tunnel add gt0 dev eth0 vlan 100 remote 198.51.100.2 key 1 ||
	fail "add gt0 on R1"
"$NGRE_CLI" -n "$R2" tunnel add gt0 dev eth0 remote 192.0.2.1 key 1 ||
	fail "add gt0 on R2"
ip -n "$R1" -b - <<EOF || fail "R1's tunnels up"
link set tk up
link set tn up
link set gt0 up
route add 10.2.0.0/24 dev gt0
addr add 192.0.2.5/24 dev eth0.100
EOF
ip -n "$R2" -b - <<EOF || fail "R2's tunnel up"
link set gt0 up
route add 10.1.0.0/24 dev gt0
EOF
nsrun "$R1" sysctl -qw net.ipv4.icmp_ratelimit=0
ping_ok "$A" 10.2.0.1 1
nsrun "$W" ping -q -c 1 -W 5 192.0.2.1 > /dev/null || fail "ping R1 from W"
r1_mac=$(ip -n "$R1" -j link show eth0 | jq -r '.[0].address')

# hostile WHAT DEV SRC DST: the cases on stdin from W, in frames to R1's
# MAC; R1's counters and those of its device DEV.
hostile() {
	gre_probe "$1" "$W" "$R1" "$2" "$3" "$4" --ether eth0.100 "$r1_mac"
}
ok="decap_success=+1 dev_rx=+1 encap_success=+1"
rx="decap_success=+1 dev_rx=+1"
err="dev_rx_err=+1"

# The GRE header.  Versions other than 0 are not ngre's (PPTP's is 1);
# the reserved bits are ignored, as by ip_gre (RFC 1701's strict source
# route and recursion fields, and flag bits 8 to 12).
hostile "tk: the GRE header" tk 198.51.100.2 192.0.2.1 <<EOF
ok:1: $ok
hdr-cks:2: $ok
hdr-ks:3: decap_fail_checksum=+1 $err
hdr-ck:4: decap_fail_sequence=+1 $err
hdr-cs:5: decap_fail_key=+1
hdr-:6: decap_fail_key=+1
key43:7: rx_key_mismatch=+1
badcsum:8: decap_fail_checksum=+1 $err
routing:9: decap_fail_malformed=+1 $err
version-1:10: rx_no_flow=+1
version-2:10: rx_no_flow=+1
version-3:10: rx_no_flow=+1
version-4:10: rx_no_flow=+1
version-5:10: rx_no_flow=+1
version-6:10: rx_no_flow=+1
version-7:10: rx_no_flow=+1
reserved-0800:10: $ok
reserved-0700:11: $ok
reserved-00f8:12: $ok
proto:13: decap_fail_protocol=+1 $err
keepalive:13: decap_keepalive=+1
ok:13: $ok
ok:13: decap_fail_sequence=+1 $err
ok:15: $ok
ok:14: decap_fail_sequence=+1 $err
EOF

# The GRE header cut short: up to the key, the hook cannot tell the
# tunnel and drops it as addressed to one; from the key on, tk's decap
# does.
cases=""
for n in $(seq 0 15); do
	if [ "$n" -lt 12 ]; then
		cases+="gretrunc-$n: decap_fail_malformed=+1"$'\n'
	else
		cases+="gretrunc-$n: decap_fail_malformed=+1 $err"$'\n'
	fi
done
hostile "tk: the GRE header cut short" tk 198.51.100.2 192.0.2.1 <<EOF
${cases}short: decap_fail_malformed=+1
EOF

# The outer IPv4 header: what IPv4 itself refuses never reaches the hook,
# and IPv4 counts it; a total length shorter than the packet cuts it (and
# the checksum fails).
trunc=IpExtInTruncatedPkts=+1
csum="IpExtInCsumErrors=+1 IpInHdrErrors=+1"
hostile "tk: the outer IPv4 header" tk 198.51.100.2 192.0.2.1 <<EOF
options:16: rx_ip_options=+1
iptrunc-30:16: $trunc
iplen-1000:16: $trunc
iplen-60:16: decap_fail_checksum=+1 $err
ipcsum:16: $csum
ihl4:16: IpInHdrErrors=+1
ok:16: $ok
EOF

# The inner packet: what GRE carries is taken as long as its network
# header is there; the stack then judges it as from any device (and
# counts what it refuses; IPv4 counts an expired TTL as a header error).
# Replies (time exceeded, the router's echo reply) go back through gt0.
hostile "tk: the inner packet" tk 198.51.100.2 192.0.2.1 <<EOF
in4trunc:17: decap_fail_malformed=+1 $err
in4csum:17: $csum $rx
in4len:18: $trunc $rx
in6trunc:19: decap_fail_malformed=+1 $err
in6len:19: Ip6InTruncatedPkts=+1 $rx
ttl0:20: IpInHdrErrors=+1 $ok
ttl1:21: IpInHdrErrors=+1 $ok
toself:22: $ok
bcast:23: $rx
mcast:24: $rx
nested:25: $rx rx_wrong_link=+1
cenotect:27: decap_fail_ecn=+1 $err
EOF

# Fragments: reassembled in order or not; overlapping ones, lone ones and
# a packet over 64 KiB never make a packet, and IPv4 counts the overlap
# and both failures (the lone ones wait out ipfrag_time).  (A's 2028-byte
# reply goes through gt0 in three packets.)
nsrun "$R1" sysctl -qw net.ipv4.ipfrag_time=600
fails0=$(nstat_of "$R1" IpReasmFails)
overlaps0=$(nstat_of "$R1" IpExtReasmOverlaps)
hostile "tk: fragments" tk 198.51.100.2 192.0.2.1 <<EOF
frag:27: decap_success=+1 dev_rx=+1 encap_success=+3 frag_reassembled=+1
fragrev:28: decap_success=+1 dev_rx=+1 encap_success=+3 frag_reassembled=+1
fragover:29:
fragfirst:29:
fraglast:29:
fragbig:29:
ok:29: $ok
EOF
check_eq "... the overlap and the oversized packet: counted by IPv4" \
	"$(( $(nstat_of "$R1" IpExtReasmOverlaps) - overlaps0 )),$(( $(nstat_of "$R1" IpReasmFails) - fails0 ))" \
	"1,2"

# tn asks for no field: a checksum is checked if present, a sequence
# number ignored; a key makes it another tunnel's packet.
hostile "tn: optional fields" tn 198.51.100.3 192.0.2.1 <<EOF
hdr-:1: $ok
hdr-c:2: $ok
hdr-s:3: $ok
hdr-cs:1: $ok
hdr-k:4: rx_key_mismatch=+1
badcsum-c:5: decap_fail_checksum=+1 $err
hdr-:5: $ok
EOF

# At 192.0.2.5, which no tunnel has: GRE whose header the hook can read
# is counted as no tunnel's; what IPv4 refuses is counted by IPv4; the
# rest passes uncounted (fragments are reassembled by local delivery,
# after the hook).
nothing="short frag:1 fragrev:1 fragover:1 fragfirst:1 fraglast:1 fragbig:1"
no_flow="ok:1 hdr-cks:1 hdr-ks:1 hdr-ck:1 hdr-cs:1 hdr-:1 key43:1 badcsum:1
routing:1 reserved-0800:1 proto:1 keepalive:1 iplen-60:1 in4trunc:1
in4csum:1 in4len:1 in6trunc:1 in6len:1 ttl0:1 ttl1:1 toself:1 bcast:1
mcast:1 nested:1 cenotect:1 options:1"
for n in $(seq 0 15); do
	if [ "$n" -lt 12 ]; then nothing+=" gretrunc-$n"; else no_flow+=" gretrunc-$n"; fi
done
for v in $(seq 1 7); do no_flow+=" version-$v:1"; done
{
	for c in $no_flow; do echo "$c: rx_no_flow=+1"; done
	for c in $nothing; do echo "$c:"; done
	echo "iptrunc-30:1: $trunc"
	echo "iplen-1000:1: $trunc"
	echo "ipcsum:1: $csum"
	echo "ihl4:1: IpInHdrErrors=+1"
} | hostile "an address no tunnel has" tk 198.51.100.2 192.0.2.5 || exit $KSFT_FAIL

# After all that, both tunnels still take their packets.
hostile "tk and tn afterwards" tk 198.51.100.2 192.0.2.1 <<< "ok:30: $ok"
hostile "... tn" tn 198.51.100.3 192.0.2.1 <<< "hdr-:6: $ok"

# --- what a tunnel cannot send -------------------------------------------------------
# tx DEV PROTO: 28 bytes of protocol PROTO sent on DEV in R1 by a packet
# socket.
tx() {
	nsrun "$R1" /usr/bin/python3 -S -c '
import socket, sys
s = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM)
s.sendto(b"\x45" + bytes(27), (sys.argv[1], int(sys.argv[2], 0)))
' "$1" "$2" || fail "packet socket on $1"
}
tx_drops() { dev_stat "$R1" "$1" tx_dropped; }
b=$(ngre_stats "$R1") d0=$(tx_drops tk)
tx tk 0x0806
check_eq "an ARP frame on tk: not sent, counted" \
	"$(delta "$b" "$(ngre_stats "$R1")"),$(( $(tx_drops tk) - d0 ))" \
	"encap_fail_protocol=+1,1"
exit 0
