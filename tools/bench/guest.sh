#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The benchmark's guest side (tools/bench/run boots it): one topology,
# the variants of the routers R1 and R2 in interleaved rounds, each
# measurement a line "BENCH {json}" on standard output, each variant's
# start a line "BENCH-PROGRESS ROUND ROUNDS VARIANT".
# Documentation/performance.rst says what each variant and each metric
# is.
#
#   guest.sh YARDSTICK ROUNDS SECS [VARIANT...]
#
# YARDSTICK names the clock (icount or wall) in the results; SECS is the
# length of each measurement.  BENCH_METRICS="M..." measures only those
# metrics; BENCH_PERF=1 profiles each pktgen measurement with perf (every
# CPU, call graphs) and prints the top of its report, each line beginning
# with "PERF VARIANT METRIC".
source "$(dirname "${BASH_SOURCE[0]}")/../../selftests/lib.sh"

yardstick=$1 rounds=$2 secs=$3
shift 3
variants=("$@")
[ ${#variants[@]} -gt 0 ] || variants=(fwd idle other gre ft ct ngre sess)

require_cmd iperf3 jq nft socat conntrack
modprobe -q pktgen || fail "no pktgen"
modprobe -q ip_gre
modprobe -q nft_flow_offload 2>/dev/null
setup_gre_topology
# W routes the plain traffic too (the variant fwd).
ip -n "$W" -b - <<EOF || fail "W's routes"
route add 10.1.0.0/24 via 192.0.2.1
route add 10.2.0.0/24 via 198.51.100.2
EOF
# B drops what pktgen sends it (after counting it), so that no answer
# (ICMP port unreachable) comes back through the routers.
ip netns exec "$B" nft -f - <<'EOF' || fail "B's sink"
table ip sink {
	chain in {
		type filter hook prerouting priority -500; policy accept;
		udp dport 9 drop
	}
}
EOF
ip netns exec "$B" iperf3 -s -D -I /tmp/bench-iperf3.pid >/dev/null || fail "iperf3 server"
defer sh -c 'kill $(cat /tmp/bench-iperf3.pid)'
wait_tcp_listen "$B" 5201
r1_mac=$(ip -n "$R1" -j link show eth1 | jq -r '.[0].address')

# --- the variants ---------------------------------------------------------------
# up_VARIANT / down_VARIANT: R1 and R2 made into what VARIANT measures, and
# back to plain forwarding.  ngre is loaded only for the variants that
# use it.

gre_up() {
	ip -n "$R1" -b - <<EOF || fail "R1's ip_gre"
link add gre1 type gre local 192.0.2.1 remote 198.51.100.2 key 1
link set gre1 up
route add 10.2.0.0/24 dev gre1
EOF
	ip -n "$R2" -b - <<EOF || fail "R2's ip_gre"
link add gre1 type gre local 198.51.100.2 remote 192.0.2.1 key 1
link set gre1 up
route add 10.1.0.0/24 dev gre1
EOF
}

gre_down() {
	ip -n "$R1" link del gre1
	ip -n "$R2" link del gre1
}

# nft_both RULESET: RULESET (table inet bench) on R1 and R2; "-" deletes it.
nft_both() {
	local ns
	for ns in "$R1" "$R2"; do
		if [ "$1" = - ]; then
			ip netns exec "$ns" nft delete table inet bench
		else
			ip netns exec "$ns" nft -f - <<< "$1" || fail "nft in $ns"
		fi
	done
}

up_fwd() { :; }
down_fwd() { :; }

up_idle() { ngre_load; }
down_idle() { ngre_unload; }

# Plain forwarding through R1, which has an up tunnel elsewhere: what
# ngre's hooks cost the traffic they are not for.
up_other() {
	ngre_load
	"$NGRE_CLI" -n "$R1" tunnel add gt9 dev eth0 vlan 100 remote 203.0.113.9 key 9 ||
		fail "R1's gt9"
	ip -n "$R1" link set gt9 up
}
down_other() { ngre_unload; }

up_gre() { gre_up; }
down_gre() { gre_down; }

# The forwarded flows offloaded to a flowtable of the LAN device and the
# tunnel (the software fast path: after the first packets, neither the
# FIB nor the forwarding hooks).
up_ft() {
	gre_up
	nft_both "table inet bench {
	flowtable ft { hook ingress priority 0; devices = { eth1, gre1 }; }
	chain forward {
		type filter hook forward priority 0; policy accept;
		meta l4proto { tcp, udp } flow add @ft
	}
}"
}
down_ft() { nft_both -; gre_down; }

# conntrack and a stateful ruleset, the session table's peer.
up_ct() {
	gre_up
	nft_both "table inet bench {
	chain forward {
		type filter hook forward priority 0; policy drop;
		ct state established,related accept
		ct state new accept
	}
}"
}
down_ct() { nft_both -; gre_down; }

# ngre_tunnels: gt0 on R1 and R2 (key 1, as gre1), and R2's route to A's
# LAN through it.
ngre_tunnels() {
	ngre_load
	"$NGRE_CLI" -n "$R1" tunnel add gt0 dev eth0 vlan 100 remote 198.51.100.2 key 1 ||
		fail "R1's gt0"
	"$NGRE_CLI" -n "$R2" tunnel add gt0 dev eth0 remote 192.0.2.1 key 1 ||
		fail "R2's gt0"
	ip -n "$R1" link set gt0 up
	ip -n "$R2" link set gt0 up
	ip -n "$R2" route add 10.1.0.0/24 dev gt0
}

up_ngre() {
	ngre_tunnels
	ip -n "$R1" route add 10.2.0.0/24 dev gt0
}
down_ngre() { ngre_unload; }

# Sessions: R1's service sends B's LAN into gt0 (TUNNEL_ADD); R2's takes
# what comes out of it to B.  The replies follow each session's reverse
# flow (R2's through its route into gt0).
up_sess() {
	ngre_tunnels
	"$NGRE_CLI" -n "$R1" service add toB prefix 10.2.0.0/24 nexthop tunnel gt0 ||
		fail "R1's service"
	"$NGRE_CLI" -n "$R2" service add toB prefix 10.2.0.0/24 nexthop dev eth1 ||
		fail "R2's service"
}
down_sess() { ngre_unload; }

# --- the metrics ----------------------------------------------------------------
# Each prints its value.

# tcp N: iperf3 from A to B, N streams, Mbit/s received.
tcp() {
	local json
	json=$(timeout $((secs * 20 + 60)) ip netns exec "$A" iperf3 -c 10.2.0.1 \
		-t "$secs" -P "$1" -J) || fail "iperf3 -P $1: $(echo "$json" | jq -r .error)"
	echo "$json" | jq '.end.sum_received.bits_per_second / 1e6 | . * 1000 | round / 1000'
}

# pktgen_run FLOWS: pktgen on A sends 64-byte UDP datagrams to B's port 9
# (through R1's eth1), FLOWS=one from one source port, FLOWS=new from a
# new random source (address and port) each; prints B's packets a second
# over SECS after a warm-up.
pktgen_run() {
	local pg=/proc/net/pktgen rate
	ip netns exec "$A" sh -c "
		echo rem_device_all > $pg/kpktgend_0
		echo add_device eth0 > $pg/kpktgend_0
		d=$pg/eth0
		for c in 'count 0' 'pkt_size 60' 'delay 0' 'dst 10.2.0.1' \
			'dst_mac $r1_mac' 'udp_dst_min 9' 'udp_dst_max 9'; do
			echo \"\$c\" > \$d
		done
		if [ $1 = new ]; then
			for c in 'src_min 10.1.0.2' 'src_max 10.1.0.250' \
				'udp_src_min 1024' 'udp_src_max 65000' \
				'flag IPSRC_RND' 'flag UDPSRC_RND'; do
				echo \"\$c\" > \$d
			done
		else
			for c in 'src_min 10.1.0.1' 'src_max 10.1.0.1' \
				'udp_src_min 9' 'udp_src_max 9'; do
				echo \"\$c\" > \$d
			done
		fi" || fail "pktgen setup"
	ip netns exec "$A" sh -c "echo start > $pg/pgctrl" &
	[ "${BENCH_PERF:-0}" = 1 ] && perf_start
	rate=$(ip netns exec "$B" sh -c "
		f=/sys/class/net/eth0/statistics/rx_packets
		sleep 0.5
		read c0 < \$f; t0=\$(date +%s%N)
		sleep $secs
		read c1 < \$f; t1=\$(date +%s%N)
		echo \$(( (c1 - c0) * 1000000000 / (t1 - t0) ))")
	[ "${BENCH_PERF:-0}" = 1 ] && perf_stop
	ip netns exec "$A" sh -c "echo stop > $pg/pgctrl"
	wait
	echo "$rate"
}

# perf_start, perf_stop: perf samples every CPU for SECS, as long as a
# measurement; perf_stop waits for it and prints the top of its report
# (symbols by their own samples, then with their callees) to standard
# error, as PERF lines.
perf_start() {
	perf record -q -a -g -o /tmp/bench-perf.data -- sleep "$secs" >/dev/null &
	perf_pid=$!
}
perf_stop() {
	local c
	wait "$perf_pid"
	for c in --no-children --children; do
		perf report -i /tmp/bench-perf.data --stdio "$c" --sort sym \
			-g none 2>/dev/null | grep -v '^#' | grep . | head -n 40
	done | sed "s/^/PERF $bench_variant $bench_metric /" >&2
}

# udp: one flow's packets a second.  The flow's first datagram goes each
# way before pktgen starts, so that it is a connection (conntrack's and a
# flowtable's established entry, a confirmed session) by then.  B's sink
# drops the one from A after the routers have seen it.
udp() {
	ip netns exec "$A" socat -u - UDP:10.2.0.1:9,sourceport=9 <<< one ||
		fail "udp: A's first datagram"
	ip netns exec "$B" socat -u - UDP:10.1.0.1:9,sourceport=9 <<< back ||
		fail "udp: B's answer"
	pktgen_run one
}

# offloaded: the flowtable took the one flow of udp on R1 and R2 (else the
# variant measures something else).
offloaded() {
	local ns
	for ns in "$R1" "$R2"; do
		ip netns exec "$ns" conntrack -L -p udp --sport 9 --dport 9 2>/dev/null |
			grep -q OFFLOAD || fail "ft: the flow not offloaded in ${ns%%-*}"
	done
}

# newflows: packets a second, each of a new flow (a new session, a new
# conntrack entry).
newflows() { pktgen_run new; }

# --- the rounds -----------------------------------------------------------------
read -ra metrics <<< "${BENCH_METRICS:-tcp1 tcp4 udp newflows}"
# measure VARIANT ROUND: each metric of VARIANT, a line each.
measure() {
	local m v unit
	for m in "${metrics[@]}"; do
		bench_variant=$1 bench_metric=$m
		case $m in
		tcp1) v=$(tcp 1) unit=Mbit/s ;;
		tcp4) v=$(tcp 4) unit=Mbit/s ;;
		udp) v=$(udp) unit=pps
		     [ "$1" = ft ] && offloaded ;;
		newflows) v=$(newflows) unit=pps ;;
		esac
		[ -n "$v" ] || fail "$1 $m: no value"
		printf 'BENCH {"yardstick":"%s","round":%d,"variant":"%s","metric":"%s","value":%s,"unit":"%s"}\n' \
			"$yardstick" "$2" "$1" "$m" "$v" "$unit"
	done
}

# The host (tools/bench/run) turns these lines into progress with the
# time left: under icount the guest's clock is not the host's.
for ((round = 1; round <= rounds; round++)); do
	for v in "${variants[@]}"; do
		echo "BENCH-PROGRESS $round $rounds $v"
		"up_$v"
		measure "$v" "$round"
		"down_$v"
	done
done
echo "BENCH-DONE"
