#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Loading ngre must never change traffic that matches nothing, and a
# router without tunnels or services pays nothing for it.  Topology:
#
#   A (10.0.1.1) --- R (10.0.1.254 | 10.0.2.254, forwarding) --- B (10.0.2.1)
#
# With ngre loaded and nothing configured in R, R has no hook of ngre's;
# ping works both ways with the expected TTL, an iperf3 TCP transfer
# completes with every byte received, and a file sent from A to B arrives
# with the same checksum.  GRE between A and B (Linux's ip_gre) crosses R:
# without a tunnel in R nothing of ngre's sees it; with one (to elsewhere)
# R's GRE hooks are in, see each packet (counted rx_no_flow, which shows
# the hooks at work on kernels that cannot list them) and leave it to be
# forwarded; a service brings the session hooks.  The tunnel and the
# service deleted, the hooks go (NGRE_HOOKS_LINGER, 10 s, later) and
# transit GRE is unseen again.
source "$(dirname "$0")/lib.sh"

require_cmd nft iperf3 socat ping sha256sum jq
ngre_load
defer rmmod ngre

setup_ns A R B
ns_link "$A" eth0 10.0.1.1/24 "$R" eth0 10.0.1.254/24
ns_link "$B" eth0 10.0.2.1/24 "$R" eth1 10.0.2.254/24
ip -n "$A" route add default via 10.0.1.254
ip -n "$B" route add default via 10.0.2.254
nsrun "$R" sysctl -qw net.ipv4.ip_forward=1

check_hook "$R" ""

out=$(nsrun "$A" ping -c 5 -i 0.2 -W 2 10.0.2.1) || fail "ping A->B: $out"
check_eq "A->B replies" "$(echo "$out" | sed -n 's/.* \([0-9]*\) received.*/\1/p')" 5
check_eq "A->B reply TTL" "$(echo "$out" | sed -n 's/.*ttl=\([0-9]*\).*/\1/p' | sort -u)" 63
out=$(nsrun "$B" ping -c 5 -i 0.2 -W 2 10.0.1.1) || fail "ping B->A: $out"
check_eq "B->A replies" "$(echo "$out" | sed -n 's/.* \([0-9]*\) received.*/\1/p')" 5

# iperf3 TCP completes and moves data.
iperf3_transfer "$A" "$B" 10.0.2.1 262144 -n 2M

# A file of random bytes crosses R unchanged.
head -c 4194304 /dev/urandom > /tmp/payload-$$
defer rm -f /tmp/payload-$$ /tmp/received-$$
nsrun "$B" socat -u TCP-LISTEN:5001,reuseaddr OPEN:/tmp/received-$$,creat,trunc &
defer kill $!
wait_tcp_listen "$B" 5001
nsrun "$A" socat -u OPEN:/tmp/payload-$$ TCP:10.0.2.1:5001 || fail "socat send"
wait $! || fail "socat receive"
check_eq "payload sha256" "$(sha256sum < /tmp/received-$$)" "$(sha256sum < /tmp/payload-$$)"

# Transit GRE: 5 pings over an ip_gre tunnel from A to B are 10 GRE
# packets through R, each seen by the hook and forwarded.
modprobe -q ip_gre 2>/dev/null
# No IPv6 link-local address on gre1: Linux would send MLD reports and
# router solicitations through it, GRE packets the count below must not see.
for ns in "$A" "$B"; do
	nsrun "$ns" sysctl -qw net.ipv6.conf.default.addr_gen_mode=1
done
ip -n "$A" link add gre1 type gre local 10.0.1.1 remote 10.0.2.1 key 3 ||
	fail "ip_gre on A"
ip -n "$B" link add gre1 type gre local 10.0.2.1 remote 10.0.1.1 key 3 ||
	fail "ip_gre on B"
ip -n "$A" addr add 172.16.0.1/30 dev gre1
ip -n "$B" addr add 172.16.0.2/30 dev gre1
ip -n "$A" link set gre1 up
ip -n "$B" link set gre1 up
# transit N: N pings over gre1 from A; prints how many of their GRE
# packets R's hooks saw (a lost ping shows as a count too low).
transit() {
	local n0
	n0=$(stat_of "$R" rx_no_flow)
	nsrun "$A" ping -q -c "$1" -i 0.2 -W 2 172.16.0.2 >/dev/null 2>&1
	echo $(( $(stat_of "$R" rx_no_flow) - n0 ))
}
check_eq "transit GRE through R without tunnels: unseen" "$(transit 5)" 0
"$NGRE_CLI" -n "$R" tunnel add gt0 dev eth1 remote 192.0.2.99 ||
	fail "a tunnel in R"
check_hook "$R"
check_eq "transit GRE through R with a tunnel: each packet seen, untouched" \
	"$(transit 5)" 10
check_eq "no other ngre counter moved" \
	"$("$NGRE_CLI" -n "$R" -j stats show |
	   jq -c 'with_entries(select(.value != 0 and .key != "rx_no_flow"))')" "{}"
"$NGRE_CLI" -n "$R" service add other prefix 192.0.2.0/24 nexthop dev eth1 ||
	fail "a service in R"
check_hook "$R" "$NGRE_HOOKS
$NGRE_SESSION_HOOKS"
"$NGRE_CLI" -n "$R" service del other || fail "service del"
"$NGRE_CLI" -n "$R" tunnel del gt0 || fail "tunnel del"
wait_for "transit GRE unseen again" 60 '[ "$(transit 1)" = 0 ]'
check_hook "$R" ""
check_eq "transit GRE through R after the last tunnel: unseen" "$(transit 5)" 0
"$NGRE_CLI" -n "$R" tunnel add gt0 dev eth1 remote 192.0.2.99 ||
	fail "a tunnel in R again"
check_eq "transit GRE through R with a tunnel again: seen" "$(transit 5)" 10
exit $KSFT_PASS
