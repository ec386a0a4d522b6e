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
#   guest.sh scale ROUNDS SECS
#
# YARDSTICK names the clock (icount or wall) in the results; SECS is the
# length of each measurement.  BENCH_METRICS="M..." measures only those
# metrics; BENCH_PERF=1 profiles each measurement with perf (every CPU,
# call graphs) and prints the top of its report (BENCH_PERF_LINES lines,
# 40 by default), each line beginning with "PERF VARIANT METRIC";
# BENCH_COUNT="EVENT..." counts perf events instead (tracepoints such as
# net:netif_rx, or probe:FUNCTION for the calls of a kernel function),
# as lines "PERF VARIANT METRIC COUNT EVENT".
# "scale" measures the tables instead (on the wall clock, booted with
# slab_nomerge): the memory a session takes (metric mem), and the
# forwarding of a fixed set of flows with a small table and with a
# million sessions (metric table).
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
# Every neighbour permanent: a router that only forwards lets its entries
# go stale every half minute and sends by the slow path (a lookup and a
# new Ethernet header a packet, neigh_resolve_output()) until the next
# probe confirms them, in whichever measurement that falls.
# pin NS DEV ADDR PEER PEERDEV: NS's neighbour ADDR on DEV is PEER's PEERDEV.
pin() {
	local mac
	mac=$(ip -n "$4" -j link show "$5" | jq -r '.[0].address')
	ip -n "$1" neigh replace "$3" lladdr "$mac" dev "$2" nud permanent ||
		fail "the neighbour $3 of ${1%%-*}"
}
pin "$A" eth0 10.1.0.254 "$R1" eth1
pin "$R1" eth1 10.1.0.1 "$A" eth0
pin "$R1" eth0.100 192.0.2.254 "$W" eth0.100
pin "$W" eth0.100 192.0.2.1 "$R1" eth0.100
pin "$W" eth1 198.51.100.2 "$R2" eth0
pin "$R2" eth0 198.51.100.254 "$W" eth1
pin "$R2" eth1 10.2.0.1 "$B" eth0
pin "$B" eth0 10.2.0.254 "$R2" eth1
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

# ct_flush: R1's and R2's conntrack entries gone.  The ft and ct variants
# leave over 100,000 of them after newflows, which would otherwise expire
# during the next variants' measurements, their freeing counted in those.
ct_flush() {
	local ns
	for ns in "$R1" "$R2"; do
		ip netns exec "$ns" conntrack -F 2>/dev/null ||
			fail "conntrack -F in ${ns%%-*}"
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

# Plain forwarding through R1 with one nftables rule in PRE_ROUTING that
# matches nothing, where ngre's hook sits: what any netfilter hook costs
# the traffic, to compare "other" with.
up_hook() {
	ip netns exec "$R1" nft -f - <<'EOF' || fail "R1's hook"
table ip benchhook {
	chain pre {
		type filter hook prerouting priority -399; policy accept;
		ip protocol gre ip saddr 203.0.113.9 accept
	}
}
EOF
}
down_hook() { ip netns exec "$R1" nft delete table ip benchhook; }

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
down_ft() { nft_both -; ct_flush; gre_down; }

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
down_ct() { nft_both -; ct_flush; gre_down; }

# room_for_newflows: R1's and R2's session tables take every new flow of
# a measurement (with 2 GiB ngre allows about 122,000 sessions, and three
# seconds of newflows make more).
room_for_newflows() {
	local ns
	for ns in "$R1" "$R2"; do
		"$NGRE_CLI" -n "$ns" config set max-sessions 2000000 ||
			fail "max-sessions in ${ns%%-*}"
	done
}

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
# what comes out of it for B to B.  The replies follow each session's
# reverse flow (R2's through its route into gt0).
up_sess() {
	ngre_tunnels
	room_for_newflows
	"$NGRE_CLI" -n "$R1" service add toB prefix 10.2.0.0/24 nexthop tunnel gt0 ||
		fail "R1's service"
	"$NGRE_CLI" -n "$R2" service add toB prefix 10.2.0.1/32 nexthop dev eth1 ||
		fail "R2's service"
}
down_sess() { ngre_unload; }

# --- the metrics ----------------------------------------------------------------
# Each prints its value.

# tcp N: iperf3 from A to B, N streams, Mbit/s received.
tcp() {
	local json
	# The profiler sees the whole of iperf3's run (perf's own start
	# takes longer than a measurement under icount).
	json=$(timeout $((secs * 20 + 60)) "${profiler[@]}" ip netns exec "$A" \
		iperf3 -c 10.2.0.1 -t "$secs" -P "$1" -J) ||
		fail "iperf3 -P $1: $(echo "$json" | jq -r .error)"
	[ ${#profiler[@]} -eq 0 ] || perf_report
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
	[ ${#profiler[@]} -eq 0 ] || perf_start
	rate=$(ip netns exec "$B" sh -c "
		f=/sys/class/net/eth0/statistics/rx_packets
		sleep 0.5
		read c0 < \$f; t0=\$(date +%s%N)
		sleep $secs
		read c1 < \$f; t1=\$(date +%s%N)
		echo \$(( (c1 - c0) * 1000000000 / (t1 - t0) ))")
	[ ${#profiler[@]} -eq 0 ] || perf_stop
	ip netns exec "$A" sh -c "echo stop > $pg/pgctrl"
	wait
	echo "$rate"
}

# profiler: the command that samples (BENCH_PERF) or counts
# (BENCH_COUNT) on every CPU while the command after it runs; empty for
# neither.
profiler=()
if [ -n "${BENCH_COUNT:-}" ]; then
	for e in $BENCH_COUNT; do
		[ "${e#probe:}" = "$e" ] || perf probe -q -a "${e#probe:}" ||
			fail "perf probe ${e#probe:}"
	done
	defer perf probe -q -d 'probe:*'
	profiler=(perf stat -a -x, -o /tmp/bench-perf.stat -e "${BENCH_COUNT// /,}" --)
elif [ "${BENCH_PERF:-0}" = 1 ]; then
	profiler=(perf record -q -a -g -o /tmp/bench-perf.data --)
fi

# perf_start, perf_stop: the profiler for SECS, as long as a
# measurement; perf_stop waits for it and reports.
perf_start() {
	"${profiler[@]}" sleep "$secs" >/dev/null &
	perf_pid=$!
}
perf_stop() {
	wait "$perf_pid"
	perf_report
}

# perf_report: the counts, or the top of perf's report (symbols by their
# own samples, then with their callees), to standard error as PERF lines.
perf_report() {
	local c
	if [ -n "${BENCH_COUNT:-}" ]; then
		awk -F, 'NF > 2 && !/^#/ { print $1, $3 }' /tmp/bench-perf.stat |
			sed "s/^/PERF $bench_variant $bench_metric /" >&2
		return
	fi
	for c in --no-children --children; do
		perf report -i /tmp/bench-perf.data --stdio "$c" --sort sym \
			-g none 2>/dev/null | grep -v "^#" | grep . |
			head -n "${BENCH_PERF_LINES:-40}"
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

# room VARIANT: every new flow found room in R1's and R2's table: neither
# conntrack (ct, ft) dropped a packet for want of it, nor ngre (sess)
# refused a session.  Else newflows measured a full table.
room() {
	local ns d
	for ns in "$R1" "$R2"; do
		case $1 in
		ct|ft) d=$(ip netns exec "$ns" conntrack -S | awk '
			{ for (i = 1; i <= NF; i++)
				if ($i ~ /^(drop|early_drop)=/) {
					split($i, f, "="); n += f[2]; seen = 1
				} }
			END { print seen ? n + 0 : "no count" }') ;;
		sess) d=$(stat_of "$ns" session_refused) ;;
		*) return 0 ;;
		esac
		[ "$d" = 0 ] ||
			fail "$1 newflows: ${ns%%-*}'s table full? dropped or refused: $d"
	done
}

# --- the tables' scale ------------------------------------------------------------

# pg NS FILE CMD...: pktgen commands to /proc/net/pktgen/FILE in NS.
pg() {
	local ns=$1 f=$2 c
	shift 2
	for c in "$@"; do
		ip netns exec "$ns" sh -c "echo '$c' > /proc/net/pktgen/$f" ||
			fail "pktgen $f in ${ns%%-*}: $c"
	done
}

# inject_setup NS DEV COUNT CMD...: pktgen in NS ready to inject COUNT
# (0: until stopped) 64-byte UDP datagrams, as CMDs make them, received
# on NS's DEV (pktgen's netif_receive mode: each runs NS's receive path
# in pktgen's thread, on CPU 0, so none is lost to a full backlog).
inject_setup() {
	local ns=$1 dev=$2 count=$3 mac
	shift 3
	mac=$(ip -n "$ns" -j link show "$dev" | jq -r '.[0].address')
	pg "$ns" kpktgend_0 rem_device_all "add_device $dev"
	pg "$ns" "$dev" "xmit_mode netif_receive" "count $count" "pkt_size 64" \
		"delay 0" "dst_mac $mac" "$@"
}

# inject NS DEV COUNT CMD...: inject_setup's datagrams; returns when all
# are in.
inject() {
	inject_setup "$@"
	pg "$1" pgctrl start
}

# many_flows NS DEV COUNT FIRST: COUNT flows into NS's DEV towards B's
# port 9, from 16 source addresses FIRST.0 to FIRST.15 (the last octet
# FIRST's) and 65,533 source ports, both stepping by one a packet: the
# periods are coprime, so the first 1,048,528 are all distinct flows.
many_flows() {
	local last=${4##*.}
	inject "$1" "$2" "$3" "dst 10.2.0.1" "src_min $4" \
		"src_max ${4%.*}.$((last + 15))" "udp_src_min 1" "udp_src_max 65534" \
		"udp_dst_min 9" "udp_dst_max 9"
}

# replies COUNT FIRST: B's answers to many_flows' first COUNT flows from
# FIRST, into R2's eth1 (destinations and ports stepping alike).
replies() {
	local last=${2##*.}
	inject "$R2" eth1 "$1" "src_min 10.2.0.1" "src_max 10.2.0.1" "dst_min $2" \
		"dst_max ${2%.*}.$((last + 15))" "udp_src_min 9" "udp_src_max 9" \
		"udp_dst_min 1" "udp_dst_max 65534"
}

# steady TOL CMD...: CMD's number once it changes by at most TOL from one
# second to the next.
steady() {
	local tol=$1 a b
	shift
	b=$("$@")
	while :; do
		sleep 1
		a=$b
		b=$("$@")
		[ $((a > b ? a - b : b - a)) -le "$tol" ] && break
	done
	echo "$b"
}

# slab_total: the bytes of the objects of every slab cache (objects in use
# times the object size; slab_nomerge keeps each cache to itself).
slab_total() {
	awk 'NR > 2 { b += $2 * $4 } END { print b }' /proc/slabinfo
}

# slab_bytes: slab_total once it holds still (what the variant before
# freed, after a grace period).
slab_bytes() {
	steady 65535 slab_total
}

# entries VARIANT: the sessions of R1 and R2 (sess), or their conntrack
# entries (ct, and ft, whose flows each have one).
entries() {
	local ns n=0
	for ns in "$R1" "$R2"; do
		case $1 in
		sess) n=$((n + $("$NGRE_CLI" -n "$ns" -j config show | jq .sessions))) ;;
		*) n=$((n + $(ip netns exec "$ns" conntrack -C))) ;;
		esac
	done
	echo "$n"
}

# settle VARIANT: how many entries VARIANT has once they stop changing.
settle() {
	steady 0 entries "$1"
}

# mem VARIANT: the slab bytes that VARIANT's entries take, each, with
# 100,000 flows through R1 (and R2), answered for the flowtable (which
# offloads a flow once it has seen its reply).
mem() {
	local n=100000 b0 b1 e
	b0=$(slab_bytes)
	many_flows "$R1" eth1 $n 10.1.0.16
	[ "$1" = ft ] && { settle ct >/dev/null; replies $n 10.1.0.16; }
	e=$(settle "$1")
	b1=$(slab_bytes)
	[ "$e" -ge $n ] || fail "mem $1: only $e entries for $n flows"
	# On stderr: stdout is the value.
	log "mem $1: $e entries, $((b1 - b0)) bytes" >&2
	[ "$1" = ft ] && log "mem ft: offloaded on R1: $(ip netns exec "$R1" \
		conntrack -L 2>/dev/null | grep -c OFFLOAD)" >&2
	echo $(((b1 - b0) / e))
}

# quiet: returns once the CPUs were at least 90 % idle over a second, or
# after five minutes (a line on standard error says so): work that a
# million new sessions left behind (the hash table's growth, deferred to
# a worker) is done before a measurement.
# cpu_times: the CPUs' jiffies in all, and idle (with I/O wait).
cpu_times() {
	awk '/^cpu / { print $2+$3+$4+$5+$6+$7+$8, $5+$6 }' /proc/stat
}
quiet() {
	local i t0 i0 t1 i1
	read -r t0 i0 < <(cpu_times)
	for ((i = 0; i < 300; i++)); do
		sleep 1
		read -r t1 i1 < <(cpu_times)
		[ $(((i1 - i0) * 10)) -ge $(((t1 - t0) * 9)) ] && return
		t0=$t1 i0=$i1
	done
	log "table: the CPUs still busy after 300 s" >&2
}

# table_routers: S1 and S2, two routers alike beside the topology, for
# the table: pktgen injects into their eth1 (a veth from SRC), and a
# service sends what is for 10.2.0.0/16 out of dummy0, which drops it.
table_routers() {
	local ns
	setup_ns S1 S2 SRC
	ip -b - <<EOF || fail "table: the veth pairs"
link add eth1 netns $S1 type veth peer name s1 netns $SRC
link add eth1 netns $S2 type veth peer name s2 netns $SRC
EOF
	ip -n "$SRC" link set s1 up && ip -n "$SRC" link set s2 up ||
		fail "table: SRC's links"
	for ns in "$S1" "$S2"; do
		# No IPv6: dummy0 sends only what the routers forward.
		nsrun "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
			net.ipv6.conf.default.disable_ipv6=1 || fail "disable_ipv6"
		ip -n "$ns" -b - <<EOF || fail "table: ${ns%%-*}'s links"
addr add 10.1.0.254/24 dev eth1
link set eth1 up
link add dummy0 type dummy
addr add 10.9.0.1/24 dev dummy0
link set dummy0 up
route add 10.2.0.0/16 dev dummy0
EOF
		nsrun "$ns" sysctl -qw net.ipv4.ip_forward=1 || fail "ip_forward"
		"$NGRE_CLI" -n "$ns" config set max-sessions 2000000 timeout-udp 3600 &&
		"$NGRE_CLI" -n "$ns" service add toB prefix 10.2.0.0/16 nexthop dev dummy0 ||
			fail "table: ${ns%%-*}'s service"
	done
}

# FIXED: the 1,000 fixed flows, from 10.1.0.1's ports 1 to 1,000 to
# 10.2.0.1's port 9.
FIXED=("dst 10.2.0.1" "src_min 10.1.0.1" "src_max 10.1.0.1" "udp_src_min 1"
       "udp_src_max 1001" "udp_dst_min 9" "udp_dst_max 9")

# sofar NS: the datagrams pktgen has injected into NS's eth1 so far, read
# on CPU 1 (the injection runs on CPU 0).
sofar() {
	taskset -c 1 nsrun "$1" \
		sed -n 's/.*pkts-sofar: \([0-9]*\).*/\1/p' /proc/net/pktgen/eth1
}

# forwarded NS: the datagrams NS has sent out of dummy0, and the sessions
# it has made, as "PACKETS SESSIONS".
forwarded() {
	echo "$(dev_stat "$1" dummy0 tx_packets) $(stat_of "$1" session_created)"
}

# table_sessions NS: how many sessions NS's table holds.
table_sessions() { "$NGRE_CLI" -n "$1" -j config show | jq .sessions; }

# table ROUND: the fixed flows' rate through S1, which has only their
# 1,000 sessions, and through S2, which has a million more.  pktgen
# injects into both at once, each in its namespace's thread on CPU 0, so
# that the two share that CPU, and whatever slows the machine slows both
# alike; each router's packets over the same SECS, ten times, are a line
# each, with their ratio.  Every datagram injected must have been
# forwarded by its session (pktgen counts those the router drops too).
table() {
	local n=1000000 i ns s1 s2 a b f1 f2 pids=()
	ngre_load
	table_routers
	inject "$S1" eth1 1000 "${FIXED[@]}"
	inject "$S2" eth1 1000 "${FIXED[@]}"
	many_flows "$S2" eth1 $n 10.1.0.32
	[ "$(steady 0 table_sessions "$S2")" -ge $((n + 1000)) ] ||
		fail "table: S2 has $(table_sessions "$S2") sessions"
	[ "$(table_sessions "$S1")" = 1000 ] ||
		fail "table: S1 has $(table_sessions "$S1") sessions"
	quiet
	inject_setup "$S1" eth1 0 "${FIXED[@]}"
	inject_setup "$S2" eth1 0 "${FIXED[@]}"
	f1=$(forwarded "$S1") f2=$(forwarded "$S2")
	# Each start returns when the stop below ends the injection.
	for ns in "$S1" "$S2"; do
		defer ip netns exec "$ns" sh -c 'echo stop > /proc/net/pktgen/pgctrl'
		ip netns exec "$ns" sh -c 'echo start > /proc/net/pktgen/pgctrl' &
		pids+=($!)
	done
	sleep 2
	for ((i = 0; i < 10; i++)); do
		# Both read in the same order at both ends (alternating from one
		# pair to the next): the two spans are equally long.
		if ((i % 2)); then
			s2=$(sofar "$S2") s1=$(sofar "$S1")
			sleep "$secs"
			b=$(($(sofar "$S2") - s2)) a=$(($(sofar "$S1") - s1))
		else
			s1=$(sofar "$S1") s2=$(sofar "$S2")
			sleep "$secs"
			a=$(($(sofar "$S1") - s1)) b=$(($(sofar "$S2") - s2))
		fi
		[ "$a" -gt 0 ] && [ "$b" -gt 0 ] || fail "table: $a and $b datagrams"
		bench_line "$1" sess fixed1k $((a / secs)) pps
		bench_line "$1" sess fixed1m $((b / secs)) pps
		bench_line "$1" sess fixedx "$(awk "BEGIN { printf \"%.4f\", $b / $a }")" x
	done
	pg "$S1" pgctrl stop
	pg "$S2" pgctrl stop
	wait "${pids[@]}"
	[ "$(forwarded "$S1")" = "$((${f1% *} + $(sofar "$S1"))) ${f1#* }" ] &&
	[ "$(forwarded "$S2")" = "$((${f2% *} + $(sofar "$S2"))) ${f2#* }" ] ||
		fail "table: injected $(sofar "$S1") and $(sofar "$S2"), but forwarded" \
			"(packets, sessions made) $f1 to $(forwarded "$S1") and" \
			"$f2 to $(forwarded "$S2")"
	ip netns del "$S1" && ip netns del "$S2" && ip netns del "$SRC"
	ngre_unload
}

# bench_line ROUND VARIANT METRIC VALUE UNIT: a BENCH line (lib.sh has
# result(), for a test's result lines, which fail() prints).
bench_line() {
	# None, or 0: a broken variant (a metric's failure in a command
	# substitution ends only that subshell), not a result.
	[[ $4 =~ ^(0|[1-9][0-9]*)(\.[0-9]+)?$ && $4 =~ [1-9] ]] ||
		fail "$2 $3: no value (\"$4\")"
	printf 'BENCH {"yardstick":"%s","round":%d,"variant":"%s","metric":"%s","value":%s,"unit":"%s"}\n' \
		"$yardstick" "$1" "$2" "$3" "$4" "$5"
}

# scale: mem of sess, ct and ft, then table, ROUNDS times.
scale() {
	local round v ns
	# Nothing expires while it is counted.
	modprobe -q nf_conntrack
	sysctl -qw net.netfilter.nf_conntrack_max=1000000 || fail "nf_conntrack_max"
	for ns in "$R1" "$R2"; do
		ip netns exec "$ns" sysctl -qw net.netfilter.nf_conntrack_udp_timeout=3600 \
			net.netfilter.nf_conntrack_udp_timeout_stream=3600 || fail "timeouts"
		# Since 5.17.
		ip netns exec "$ns" sysctl -qw net.netfilter.nf_flowtable_udp_timeout=3600 2>/dev/null
	done
	for ((round = 1; round <= rounds; round++)); do
		for v in sess ct ft; do
			[[ " ${metrics[*]} " == *" mem "* ]] || break
			echo "BENCH-PROGRESS $round $rounds mem-$v"
			"up_$v"
			if [ "$v" = sess ]; then
				"$NGRE_CLI" -n "$R1" config set max-sessions 2000000 timeout-udp 3600 &&
				"$NGRE_CLI" -n "$R2" config set max-sessions 2000000 timeout-udp 3600 ||
					fail "config set"
			fi
			bench_line "$round" "$v" mem "$(mem "$v")" B
			"down_$v"
			ct_flush
		done
		[[ " ${metrics[*]} " == *" table "* ]] || continue
		echo "BENCH-PROGRESS $round $rounds table"
		table "$round"
	done
}

# --- the rounds -----------------------------------------------------------------
defaults="tcp1 tcp4 udp newflows"
[ "$yardstick" = scale ] && defaults="mem table"
read -ra metrics <<< "${BENCH_METRICS:-$defaults}"
# conntrack takes every new flow of a measurement too (in 2 GiB its table
# holds 65,536 entries by default); room() checks it did.
if [ "$yardstick" != scale ]; then
	modprobe -q nf_conntrack
	sysctl -qw net.netfilter.nf_conntrack_max=1000000 || fail "nf_conntrack_max"
fi
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
		newflows) v=$(newflows) unit=pps
			  room "$1" ;;
		esac
		bench_line "$2" "$1" "$m" "$v" "$unit"
	done
}

# The host (tools/bench/run) turns these lines into progress with the
# time left: under icount the guest's clock is not the host's.
if [ "$yardstick" = scale ]; then
	scale
	echo "BENCH-DONE"
	exit 0
fi
for ((round = 1; round <= rounds; round++)); do
	for v in "${variants[@]}"; do
		echo "BENCH-PROGRESS $round $rounds $v"
		"up_$v"
		measure "$v" "$round"
		"down_$v"
	done
done
echo "BENCH-DONE"
