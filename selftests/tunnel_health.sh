#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Keepalives (setup_session_topology: R1's gt0 and gt1 to R2's ngre gt0
# and ip_gre gt1):
#  - a keepalive in Cisco's format from W to a tunnel of R1's is sent back
#    to W, byte for byte the inner packet W made but for its TTL, one less;
#    GRE of protocol 0 on that tunnel, which has no keepalives, counts one
#    keepalive reply and leaves the last reply's age null;
#  - R1's tunnels with keepalive 1 3: R2's ngre sends gt0's back, R2's
#    ip_gre gt1's once its sysctls let Linux forward them (ip_forward,
#    accept_local, rp_filter 0 or 2); gt0's last reply at most 4 s ago;
#  - R2 drops gt0's GRE (tc ingress; the link stays up): gt0 goes
#    down within 5 s (the kernel log's clock), with the monitor's event,
#    its sessions end and the hunt service's new flows take gt1; the
#    drop lifted, gt0 is up within 2 s;
#  - gt1 down when R2 refuses its keepalives (accept_local 0), up again;
#  - gt1 with probes instead, pings to R2's address on its gt1: its
#    keepalive replies do not count the probes answered; down
#    within 5 s of a cut, up within 2 s of its end;
#  - no probe of a deleted tunnel leaves; a namespace with keepalives
#    running deleted, then rmmod with keepalives running (no work may run
#    after: the harness checks the kernel log).
source "$(dirname "$0")/lib.sh"

require_cmd jq tc tcpdump python3
setup_session_test

# state DEV: R1's tunnel DEV "up", or "down:REASON".
state() {
	ngre -j tunnel show "$1" |
		jq -r '.[0] | if .operstate == "up" then "up" else "down:" + .down_reason end'
}

# health DEV FIELD: a keepalive counter of R1's tunnel DEV.
health() {
	ngre -s -j tunnel show "$1" | jq ".[0].health.$2"
}

# mark WHAT: a line in the kernel log, whose time since_mark measures from
# (the test's own: its pid in it).
mark() {
	echo "ngre-test $$: $1" > /dev/kmsg
}

# since_mark WHAT PATTERN: seconds from the mark WHAT to the first kernel
# log line after it matching PATTERN, by the kernel log's clock.
since_mark() {
	dmesg | awk -v m="ngre-test $$: $1" -v p="$2" '
		{ t = substr($0, 2, index($0, "]") - 2) + 0 }
		index($0, m) { t0 = t; seen = 1; next }
		seen && $0 ~ p { printf "%.1f\n", t - t0; exit }'
}

# within_secs WHAT GOT MAX: GOT seconds is at most MAX.
within_secs() {
	[ -n "$2" ] || fail "$1: not in the kernel log"
	awk -v g="$2" -v m="$3" 'BEGIN { exit !(g <= m) }' ||
		fail "$1: after $2 s, more than $3"
	pass "$1: after $2 s (at most $3)"
}

# cut_key KEY: R2 drops R1's GRE packets with KEY as they arrive on its
# eth0 (tc, before IP and before ngre: the link stays up, so only
# keepalives or probes can tell).  The key is at offset 24: a 20-byte IPv4
# header, then GRE's flags and protocol (R1's tunnels have no checksum).
cut_key() {
	tc -n "$R2" filter add dev eth0 ingress pref 1 protocol ip u32 \
		match ip src 192.0.2.1/32 match ip protocol 47 0xff \
		match u32 "$1" 0xffffffff at 24 action drop ||
		fail "R2's drop of key $1"
}

# uncut: the drop of cut_key lifted, by the tc that reads commands from
# fd 8 in R2 (one started now would take most of a second on the debug
# kernel, which the 2 s budget would count).
uncut() {
	echo "filter del dev eth0 ingress pref 1" >&8
	wait_for "the drop lifted" 30 \
		'[ -z "$(tc -n "$R2" filter show dev eth0 ingress)" ]'
}

# --- a keepalive in Cisco's format -------------------------------------------------------------
# W (192.0.2.254) plays a peer with a tunnel to R1 (key 42, checksums and
# sequence numbers, as gre_send.py's packets have them); R1 sends its
# keepalive back, the inner packet as W made it but for its TTL, one
# less (and so its checksum).  Before R1 has keepalives of its own: the
# probe wants its counters to move by the case alone.
"$NGRE_CLI" -n "$R1" tunnel add gtw dev eth0 vlan 100 remote 192.0.2.254 key 42 csum seq ||
	fail "gtw"
ip -n "$R1" link set gtw up
w=$(WIRE_HEX=1 gre_wire "$W" eth0 gre_probe "Cisco keepalive" "$W" "$R1" gtw \
	192.0.2.254 192.0.2.1 <<'EOF'
ciscoka:1: keepalive_reflected=+1
EOF
) || fail "Cisco keepalive: $w"
want=$(cd "$NGRE_ROOT/selftests" && /usr/bin/python3 -S -c '
import gre_send as g
print(g.ipv4("192.0.2.1", "192.0.2.254", 47, g.gre(b"", proto=0, csum=False),
             ttl=254, ident=0).hex())')
check_eq "Cisco keepalive: sent back, on the wire" \
	"$(echo "$w" | sed -n 's/^192.0.2.1>192.0.2.254 //p')" "$want"

# GRE of protocol 0 on gtw, which has no keepalives of its own: counted
# as a keepalive come back, but no answer, so no age of the last one.
gre_probe "protocol 0 without keepalives" "$W" "$R1" gtw 192.0.2.254 192.0.2.1 <<'EOF'
keepalive:2: decap_keepalive=+1
EOF
check_eq "protocol 0 without keepalives: health" \
	"$(ngre -s -j tunnel show gtw | jq -c '.[0].health | [.keepalive_replies, .last_reply_ms, .probe_replies]')" \
	'[1,null,0]'
"$NGRE_CLI" -n "$R1" tunnel del gtw || fail "del gtw"

# --- both tunnels up on keepalives ---------------------------------------------------------
# Linux forwards the inner packet of R1's keepalives on R2's ip_gre gt1:
# it must forward (ip_forward), accept its own address as a source
# (accept_local) and not filter strictly (rp_filter 0 or 2).
nsrun "$R2" sysctl -qw net.ipv4.conf.all.accept_local=1 \
	net.ipv4.conf.gt1.accept_local=1 net.ipv4.conf.all.rp_filter=0 \
	net.ipv4.conf.gt1.rp_filter=0 || fail "R2's sysctls"
for t in gt0 gt1; do
	"$NGRE_CLI" -n "$R1" tunnel set $t keepalive 1 3 || fail "keepalive on $t"
done
check_eq "keepalive shown" "$(ngre -j tunnel show gt0 | jq -c '.[0].keepalive')" \
	'{"period":1,"retries":3}'
wait_for "keepalives back on gt0 and gt1" 30 \
	'[ "$(health gt0 keepalive_replies)" -ge 2 ] && [ "$(health gt1 keepalive_replies)" -ge 2 ]'
check_eq "both up" "$(state gt0) $(state gt1)" "up up"
# Up: a keepalive came back a few periods (1 s each) ago; a slow guest
# may run the periods late, so allow 30 s, far from the age since boot
# that an unset time would give.
ms=$(health gt0 last_reply_ms)
[ "$ms" != null ] && [ "$ms" -le 30000 ] ||
	fail "gt0's last reply: $ms ms ago, not at most 30000"
pass "gt0's last reply: $ms ms ago"
tc -n "$R2" qdisc add dev eth0 clsact || fail "R2's clsact"
mkfifo /tmp/tc-$$ || fail "mkfifo"
defer rm -f /tmp/tc-$$
# Background commands started later inherit fd 8 too, so this tc sees no
# end of its input before the test's end: it is killed then.
nsrun "$R2" tc -force -batch /tmp/tc-$$ &
defer kill $!
exec 8> /tmp/tc-$$
[ "$(stat_of "$R2" keepalive_reflected)" -ge 2 ] ||
	fail "R2's ngre sent back none of gt0's keepalives"
pass "R2's ngre sends gt0's keepalives back"

# --- gt0 cut beyond its link -----------------------------------------------------------------
ngre service add web prefix 10.2.0.0/24 proto udp port 9 lb hunt \
	nexthop tunnel gt0 priority 0 nexthop tunnel gt1 priority 1 ||
	fail "service web"
nsrun "$A" /usr/bin/python3 -S "$TRAFFIC" flows 10.2.0.1 9 10 20000 ||
	fail "flows before the cut"
wait_for "10 sessions through gt0" 30 \
	'[ "$(sessions "$R1" | jq "[.[] | select(.nexthop == \"gt0\")] | length")" = 10 ]'
# The CLI itself, not the ngre() function: $! must be its pid.
"$NGRE_CLI" -n "$R1" -j monitor > /tmp/monitor-$$ 2>&1 &
defer kill $!
defer rm -f /tmp/monitor-$$
nap 1
b=$(ngre_stats "$R1")
cut_key 1
mark cut
wait_for "gt0 down" 30 '[ "$(state gt0)" = down:keepalive ]'
within_secs "cut: gt0 down" "$(since_mark cut 'gt0: keepalive: down')" 5
check_eq "cut: gt1 still up" "$(state gt1)" up
wait_for "the monitor's event" 10 \
	'jq -s -e "any(.[]; .ifname == \"gt0\" and .down_reason == \"keepalive\")" /tmp/monitor-$$ >/dev/null'
pass "cut: the monitor showed gt0 down (keepalive)"
wait_for "gt0's sessions ended" 30 \
	'[ "$(sessions "$R1" | jq "[.[] | select(.nexthop == \"gt0\")] | length")" = 0 ]'
[ "$(stat_delta "$b" "$R1" session_ended)" -ge 10 ] ||
	fail "cut: gt0's sessions not counted ended"
nsrun "$A" /usr/bin/python3 -S "$TRAFFIC" flows 10.2.0.1 9 10 21000 ||
	fail "flows after the cut"
wait_for "10 new sessions" 30 \
	'[ "$(sessions "$R1" | jq "[.[] | select(.fwd.sport >= 21000)] | length")" = 10 ]'
check_eq "cut: the new flows' next hop" \
	"$(sessions "$R1" | jq -c '[.[] | select(.fwd.sport >= 21000) | .nexthop] | unique')" \
	'["gt1"]'

# The mark before the drop is lifted: the tunnel comes up as soon as an
# answer comes, maybe before a mark after it.
mark restore
uncut
wait_for "gt0 up" 30 '[ "$(state gt0)" = up ]'
within_secs "restored: gt0 up" "$(since_mark restore 'gt0: keepalive: up')" 2
check_eq "gt0's state changes" "$(health gt0 changes)" 2

# --- the ip_gre peer refuses -----------------------------------------------------------------
nsrun "$R2" sysctl -qw net.ipv4.conf.all.accept_local=0 \
	net.ipv4.conf.gt1.accept_local=0 || fail "accept_local 0"
mark refuse
wait_for "gt1 down" 30 '[ "$(state gt1)" = down:keepalive ]'
within_secs "accept_local 0: gt1 down" "$(since_mark refuse 'gt1: keepalive: down')" 5
nsrun "$R2" sysctl -qw net.ipv4.conf.gt1.accept_local=1 || fail "accept_local 1"
wait_for "gt1 up" 30 '[ "$(state gt1)" = up ]'
pass "accept_local 1 again: gt1 up"

# --- probes, against the ip_gre peer ------------------------------------------------------------
# gt1 pings R2's address on its ip_gre gt1 through the tunnel, which
# answers as any host does.
ip -n "$R1" addr add 10.9.1.1/30 dev gt1 || fail "R1's gt1 address"
ip -n "$R2" addr add 10.9.1.2/30 dev gt1 || fail "R2's gt1 address"
"$NGRE_CLI" -n "$R1" tunnel set gt1 nokeepalive probe 10.9.1.2 interval 1 retries 3 ||
	fail "probe on gt1"
check_eq "probe shown" "$(ngre -j tunnel show gt1 | jq -c '[.[0].keepalive, .[0].probe]')" \
	'[null,{"address":"10.9.1.2","interval":1,"retries":3}]'
wait_for "probes answered on gt1" 30 '[ "$(health gt1 probe_replies)" -ge 2 ]'
check_eq "probes: gt1 up" "$(state gt1)" up
# Keepalive replies are the keepalives' alone: two more probes answered
# leave them as they were (a keepalive sent before the change had 2 s to
# come back).
h=$(ngre -s -j tunnel show gt1 | jq -c '.[0].health')
wait_for "two more probes answered on gt1" 30 \
	"[ \"\$(health gt1 probe_replies)\" -ge $(($(echo "$h" | jq .probe_replies) + 2)) ]"
check_eq "probes: gt1's keepalive replies unchanged" \
	"$(health gt1 keepalive_replies)" "$(echo "$h" | jq .keepalive_replies)"
cut_key 2
mark probecut
wait_for "gt1 down" 30 '[ "$(state gt1)" = down:probe ]'
within_secs "probes cut: gt1 down" "$(since_mark probecut 'gt1: probe: down')" 5
mark proberestore
uncut
wait_for "gt1 up" 30 '[ "$(state gt1)" = up ]'
within_secs "probes restored: gt1 up" "$(since_mark proberestore 'gt1: probe: up')" 2

# --- no probe after the tunnel's deletion -----------------------------------------------
"$NGRE_CLI" -n "$R1" tunnel del gt1 || fail "del gt1"
# A probe of gt1's on its way may still pass.
nap 1
# On the wire, R1's packets to R2 (no other traffic now) are gt0's
# keepalives alone, key 1: none of gt1's probes (key 2).
w=$(gre_wire "$W" eth0 sleep 3) || fail "capture: $w"
check_eq "gt1 deleted: the key of R1's packets to R2" \
	"$(echo "$w" | sed -n 's/^192.0.2.1>198.51.100.2 .* key=\([^ ]*\) .*/\1/p')" 1

# --- a namespace deleted, and rmmod, with keepalives running ------------------------------
# N: a tunnel with keepalives every second, up, to nowhere.  After its
# namespace's deletion and after rmmod no work of theirs may run (KASAN,
# the debug objects and the harness's splat check on the debug kernel).
setup_ns N
ip -n "$N" -b - <<EOF || fail "N"
link add eth0 type veth peer name eth1
link set eth0 up
link set eth1 up
addr add 203.0.113.1/24 dev eth0
EOF
"$NGRE_CLI" -n "$N" tunnel add gtn dev eth0 remote 203.0.113.2 keepalive 1 1 ||
	fail "gtn"
ip -n "$N" link set gtn up
wait_for "gtn's keepalives sent" 30 \
	'[ "$("$NGRE_CLI" -n "$N" -s -j tunnel show gtn | jq .[0].health.keepalive_sent)" -ge 2 ]'
ip netns del "$N" || fail "netns del N"
nap 3
ngre_unload || fail "rmmod with gt0's keepalives running"
nap 3
pass "namespace deleted, then rmmod, with keepalives running"
exit 0
