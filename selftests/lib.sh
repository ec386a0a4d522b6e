#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Shared helpers for ngre's selftests, sourced by each test.
#
# In the manner of the kernel's tools/testing/selftests/net/lib.sh: network
# namespaces get unique names, and everything a test sets up is torn down
# when it exits, whether it passed, failed or was interrupted.  A test
# registers teardown steps with defer(); they run last-in first-out.
#
# Exit codes follow kselftest: 0 pass, 1 fail, 4 skip.  Each check is a
# result line of its own, "ok - WHAT" or "not ok - WHAT", which run.sh
# numbers and nests under the script's result (KTAP); anything else a
# test prints is a diagnostic.

set -u

KSFT_PASS=0
KSFT_FAIL=1
KSFT_SKIP=4

NGRE_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
NGRE_KO=${NGRE_KO:-$NGRE_ROOT/kmod/ngre.ko}
NGRE_CLI=${NGRE_CLI:-$NGRE_ROOT/tools/ngre/ngre}

__deferred=()
__ns_list=()

# NGRE_TRACE=FILE: each command the test runs is appended to FILE after
# the seconds since the test started, its file and its line (where a test
# spends its time).
if [ -n "${NGRE_TRACE:-}" ]; then
	exec {__trace_fd}>>"$NGRE_TRACE"
	BASH_XTRACEFD=$__trace_fd
	PS4='+ $SECONDS ${BASH_SOURCE[0]##*/}:$LINENO '
	set -x
fi

# Under TCG a process is dear (under the debug kernel half a second, a
# Python two seconds), so the helpers start as few as they can: nap
# instead of sleep, bash's own tests instead of grep, Python with -S
# (the tests' scripts use only the standard library), and:
#
# jq: gojq, jq's language with a tenth of jq 1.6's start-up (jq compiles
# its library at each start: half a second under TCG).  gojq prints an
# object's keys sorted.
jq() { gojq "$@"; }
#
# nsrun NS CMD: CMD in namespace NS (selftests/nsrun.c, `make selftests`),
# half the cost of "ip netns exec", which also mounts a sysfs of NS for
# each call.  What reads NS's /sys/class/net uses "ip netns exec".
PATH=$NGRE_ROOT/selftests/bin:$PATH

# nap SECS: sleep without a process: a read that times out on a FIFO that
# nobody writes to.
if mkfifo "/tmp/ngre-nap-$$" && exec {__nap_fd}<>"/tmp/ngre-nap-$$"; then
	nap() { read -r -t "$1" -u "$__nap_fd" _ || :; }
else
	nap() { sleep "$1"; }
fi
rm -f "/tmp/ngre-nap-$$"

log() { echo "$*"; }

# defer CMD...: run CMD when the test exits.
defer() {
	local cmd
	printf -v cmd '%q ' "$@"
	__deferred+=("$cmd")
}

__run_deferred() {
	local i
	for ((i = ${#__deferred[@]} - 1; i >= 0; i--)); do
		eval "${__deferred[i]}" >/dev/null 2>&1
	done
	__deferred=()
}
trap __run_deferred EXIT

# Result lines go to the test's standard output as it was when lib.sh
# was sourced, so that a check inside $(...) is not captured as a value.
exec {__ktap}>&1

# result STATUS WHAT [DIRECTIVE]: a result line.  KTAP allows neither '#'
# nor a newline in a description: the first line stands for it, '#'
# written as "no.", and a WHAT of several lines is printed before it,
# indented.
result() {
	local d=${2%%$'\n'*} line
	if [ "$d" != "$2" ]; then
		while IFS= read -r line; do
			echo "  $line"
		done <<< "$2" >&$__ktap
	fi
	echo "$1 - ${d//#/no.}${3:+ # $3}" >&$__ktap
}

# pass WHAT: a check passed.
pass() {
	result ok "$*"
}

fail() {
	result "not ok" "$*"
	exit $KSFT_FAIL
}

skip() {
	result ok "$*" SKIP
	exit $KSFT_SKIP
}

# check_eq WHAT ACTUAL EXPECTED: fail unless equal.
check_eq() {
	[ "$2" = "$3" ] || fail "$1: got '$2', expected '$3'"
	if [[ $3 == *$'\n'* ]]; then
		log "$1 = '$3'"
		pass "$1"
	else
		pass "$1 = '$3'"
	fi
}

[ -x "$NGRE_ROOT/selftests/bin/nsrun" ] ||
	fail "selftests/bin/nsrun is missing: run make selftests"

require_cmd() {
	local c
	for c in "$@"; do
		[ "$c" = jq ] && c=gojq		# the jq above
		type -P "$c" >/dev/null || skip "$c is not installed"
	done
}

# setup_ns VAR...: create a namespace for each VAR, with lo up, and store
# its unique name in VAR.  The namespaces are deleted when the test exits.
setup_ns() {
	local var ns
	for var in "$@"; do
		printf -v ns '%s-%04x%04x' "$var" $RANDOM $RANDOM
		ip netns add "$ns" || fail "ip netns add $ns"
		__ns_list+=("$ns")
		defer ip netns del "$ns"
		ip -n "$ns" link set lo up
		nsrun "$ns" sysctl -qw net.ipv4.conf.all.rp_filter=0 \
			net.ipv4.conf.default.rp_filter=0
		eval "$var=\$ns"
	done
}

# ns_link NS1 IF1 ADDR1 NS2 IF2 ADDR2: a veth pair between two
# namespaces, both ends up and addressed (ADDR as prefix/len).
ns_link() {
	ip link add "$2" netns "$1" type veth peer name "$5" netns "$4" ||
		fail "veth $1/$2 - $4/$5"
	ip -n "$1" addr add "$3" dev "$2"
	ip -n "$4" addr add "$6" dev "$5"
	ip -n "$1" link set "$2" up
	ip -n "$4" link set "$5" up
}

ngre_loaded() {
	[ -d /sys/module/ngre ]
}

# ngre_load: insert the freshly built module, after the modules it needs
# (a debug kernel has them built in, and lists none).
ngre_load() {
	local deps
	[ -r "$NGRE_KO" ] || fail "no module at $NGRE_KO (run make)"
	deps=$(modinfo -F depends "$NGRE_KO") || fail "modinfo $NGRE_KO"
	if [ -n "$deps" ]; then
		# shellcheck disable=SC2086
		modprobe -a ${deps//,/ } || fail "modprobe -a $deps"
	fi
	insmod "$NGRE_KO" || fail "insmod $NGRE_KO"
}

ngre_unload() {
	rmmod ngre || fail "rmmod ngre"
}

# hooks_listable: the kernel can list netfilter hooks (nfnetlink_hook;
# Debian's 6.1 does not build it, 6.12 and the debug kernel do).
hooks_listable() {
	modprobe -q nfnetlink_hook 2>/dev/null
	grep -qw nfnl_hook_dump /proc/kallsyms
}

# The hooks ngre registers in a namespace while it has a tunnel, and those
# while it has a service, as ngre_hooks lists them.
NGRE_HOOKS="prerouting -399 ngre_hook_prerouting
output -299 ngre_hook_local_out"
NGRE_SESSION_HOOKS="prerouting -99 ngre_session_hook
postrouting 2147483647 ngre_confirm_hook"

# check_hook NS [HOOKS]: ngre's hooks in NS are HOOKS (default
# $NGRE_HOOKS; "" for none), where the kernel can tell; the test log says
# when it cannot.
check_hook() {
	local want=${2-$NGRE_HOOKS}
	if hooks_listable; then
		check_eq "ngre hooks in ${1%%-*}" "$(ngre_hooks "$1" | sort)" \
			"$(echo "$want" | sed '/^$/d' | sort)"
	else
		log "note: this kernel cannot list netfilter hooks; hooks of ${1%%-*} not checked"
	fi
}

# ngre_hooks NS: the ngre entries of the IPv4 netfilter hooks of NS, as
# "hook priority function" lines (nftables' "list hooks").
# Fails the test if nft cannot list them.
ngre_hooks() {
	local out
	out=$(nsrun "$1" nft list hooks ip 2>&1) ||
		fail "nft list hooks in $1: $out"
	echo "$out" | awk '
		$1 == "hook" { hook = $2 }
		/ngre/ { print hook, $1 + 0, $2 }'
}

# genl_has_family NAME: the generic netlink family NAME is registered
# (looked up without autoloading a module).
genl_has_family() {
	genl ctrl list 2>/dev/null | grep -q "^Name: $1\$"
}

# wait_tcp_listen NS PORT: wait (up to 10 s) until something in NS listens
# on TCP PORT.
wait_tcp_listen() {
	local i
	for i in {1..100}; do
		[ -n "$(nsrun "$1" ss -Hltn "sport = :$2")" ] && return 0
		nap 0.1
	done
	fail "nothing listens on TCP port $2 in $1"
}

# ngre ARGS...: the CLI, in the namespace $NS if set.
ngre() {
	if [ -n "${NS:-}" ]; then
		"$NGRE_CLI" -n "$NS" "$@"
	else
		"$NGRE_CLI" "$@"
	fi
}

# tfield NAME FIELD: one field of a tunnel's JSON (jq path, e.g. .ttl).
tfield() {
	ngre -j tunnel show "$1" | jq -r ".[0]$2"
}

# jq_each JSON FILTER...: each FILTER, which gives one value, applied to
# JSON, the values (compact) in the array JQ, in order: one jq for all.
jq_each() {
	local json=$1 prog= f
	shift
	for f in "$@"; do
		prog+="${prog:+, }($f)"
	done
	mapfile -t JQ < <(jq -c "$prog" <<< "$json")
	[ ${#JQ[@]} = $# ] || fail "jq_each: ${#JQ[@]} values for $# filters"
}

# check_tunnel NAME LABEL FIELD=WANT...: top-level fields of tunnel
# NAME's JSON, as tfield prints them, each checked as "LABEL: FIELD"
# (one show and one jq for all: a process costs a second on the debug
# kernel).
check_tunnel() {
	local name=$1 label=$2 got kv i=0
	shift 2
	mapfile -t got < <(ngre -j tunnel show "$name" | jq -r --args \
		'.[0] as $t | $ARGS.positional[] | split("=")[0] | $t[.] |
		 if . == null then "null" else tostring end' "$@")
	for kv in "$@"; do
		check_eq "$label: ${kv%%=*}" "${got[i]:-}" "${kv#*=}"
		i=$((i + 1))
	done
}

# expect_fail WHAT STATUS PATTERN CMD...: CMD must exit with STATUS and
# print a line matching PATTERN on stderr: a POSIX extended regular
# expression, which bash's =~ matches (glibc's regcomp; no process).
expect_fail() {
	local what=$1 want=$2 pat=$3 out rc line
	shift 3
	out=$("$@" 2>&1 >/dev/null)
	rc=$?
	[ "$rc" = "$want" ] || fail "$what: exit $rc, expected $want ($out)"
	while IFS= read -r line; do
		if [[ $line =~ $pat ]]; then
			pass "$what: exit $rc: $out"
			return
		fi
	done <<< "$out"
	fail "$what: message '$out' lacks /$pat/"
}

# setup_vlan_router VID ADDR/LEN: namespaces R (the router, $NS) and O (its
# neighbour) joined by a veth pair named eth0 in both; on R, the VLAN
# device eth0.VID, up, with ADDR.  Loads 8021q.
setup_vlan_router() {
	modprobe -q 8021q
	setup_ns R O
	NS=$R
	ip link add eth0 netns "$R" type veth peer name eth0 netns "$O"
	ip -n "$R" link set eth0 up
	ip -n "$O" link set eth0 up
	ip -n "$R" link add link eth0 name "eth0.$1" type vlan id "$1"
	ip -n "$R" link set "eth0.$1" up
	ip -n "$R" addr add "$2" dev "eth0.$1"
}

# debug_kernel: the kernel is the KASAN/lockdep/kmemleak debug kernel
# (lockdep tells, also when it boots with kmemleak off),
# where tests run several times slower and may trim repetitions.
debug_kernel() {
	[ -e /proc/lockdep ] || [ -e /sys/kernel/debug/kmemleak ]
}

# setup_gre_topology: the GRE test network, namespaces A R1 W R2 B:
#
#   A 10.1.0.1 --- R1 ==eth0 (802.1Q trunk)== W --- R2 --- B 10.2.0.1
#                  eth0.100 192.0.2.1          198.51.100.2
#                                  W: eth0.100 192.0.2.254,
#                                     eth1 198.51.100.254
#
# R1 and R2 are the tunnel endpoints; W routes between their WAN
# subnets (and sends ICMP when a packet does not fit).  No tunnel is
# made.  On R1 and R2, IPv6 link-local addresses are not generated for
# devices made after this (the tunnels), so they carry only the test's
# packets.
setup_gre_topology() {
	local ns
	modprobe -q 8021q
	setup_ns A R1 W R2 B
	# A batch per namespace: a process costs half a second under the
	# debug kernel.
	ip -b - <<EOF || fail "the veth pairs"
link add eth0 netns $A type veth peer name eth1 netns $R1
link add eth0 netns $R1 type veth peer name eth0 netns $W
link add eth1 netns $W type veth peer name eth0 netns $R2
link add eth1 netns $R2 type veth peer name eth0 netns $B
EOF
	ip -n "$A" -b - <<EOF || fail "A's addresses"
addr add 10.1.0.1/24 dev eth0
addr add fd01::1/64 dev eth0 nodad
link set eth0 up
route add default via 10.1.0.254
route add default via fd01::254
EOF
	ip -n "$R1" -b - <<EOF || fail "R1's addresses"
addr add 10.1.0.254/24 dev eth1
addr add fd01::254/64 dev eth1 nodad
link set eth1 up
link set eth0 up
link add link eth0 name eth0.100 type vlan id 100
addr add 192.0.2.1/24 dev eth0.100
link set eth0.100 up
route add default via 192.0.2.254
EOF
	ip -n "$W" -b - <<EOF || fail "W's addresses"
link set eth0 up
link add link eth0 name eth0.100 type vlan id 100
addr add 192.0.2.254/24 dev eth0.100
link set eth0.100 up
addr add 198.51.100.254/24 dev eth1
link set eth1 up
EOF
	ip -n "$R2" -b - <<EOF || fail "R2's addresses"
addr add 198.51.100.2/24 dev eth0
link set eth0 up
addr add 10.2.0.254/24 dev eth1
addr add fd02::254/64 dev eth1 nodad
link set eth1 up
route add default via 198.51.100.254
EOF
	ip -n "$B" -b - <<EOF || fail "B's addresses"
addr add 10.2.0.1/24 dev eth0
addr add fd02::1/64 dev eth0 nodad
link set eth0 up
route add default via 10.2.0.254
route add default via fd02::254
EOF
	nsrun "$W" sysctl -qw net.ipv4.ip_forward=1
	# From now on (tunnels), R1 and R2 make no link-local address: no
	# IPv6 chatter.
	for ns in "$R1" "$R2"; do
		nsrun "$ns" sysctl -qw net.ipv4.ip_forward=1 \
			net.ipv6.conf.all.forwarding=1 \
			net.ipv6.conf.default.addr_gen_mode=1
	done
}

# genl_api_cases FILTER...: the C test genl_api's cases chosen by the
# harness's FILTER options (-t CASE, -T CASE), with the module loaded (and
# unloaded when the test exits); their results become the test's checks.
genl_api_cases() {
	local bin=$NGRE_ROOT/selftests/genl_api
	[ -x "$bin" ] || fail "genl_api not built (make selftests)"
	ngre_load
	defer sh -c 'rmmod ngre 2>/dev/null'
	modprobe -q 8021q
	# The fuzzer's requests: a quarter under the debug kernel (kmemleak
	# doubles their time there; its checkers see the same paths).
	debug_kernel && export NGRE_FUZZ_N=${NGRE_FUZZ_N:-2500}
	"$bin" "$@" 2>&1 |
		sed -u 's/^ok [0-9]* /ok - genl_api: /; s/^not ok [0-9]* /not ok - genl_api: /'
	[ "${PIPESTATUS[0]}" = 0 ] || fail "genl_api $*"
}

# nstat_of NS COUNTER: a counter of `nstat` in NS (absolute; nstat
# leaves out a counter that is 0).
nstat_of() {
	local out
	out=$(nsrun "$1" nstat -as "$2")
	if [[ $out =~ (^|$'\n')$2[[:space:]]+([0-9]+) ]]; then
		echo "${BASH_REMATCH[2]}"
	else
		echo 0
	fi
}

# conntrack_keep NS: conntrack in NS keeps unreplied ICMP and GRE entries
# for an hour instead of 30 s, so that a check of `conntrack -L` does not
# depend on how long the test took to get there.  Call it once conntrack
# is loaded (a ruleset with `ct` loads it).
conntrack_keep() {
	nsrun "$1" sysctl -qw net.netfilter.nf_conntrack_icmp_timeout=3600 \
		net.netfilter.nf_conntrack_gre_timeout=3600 ||
		fail "conntrack timeouts in $1"
}

# counters_load VAR JSON: a flat JSON object of integer counters (as
# `ngre -j stats show` prints it) into the associative array VAR.  The
# counter helpers below parse in bash alone: a jq costs a third of a
# second in the VM, twice that under the debug kernel.
counters_load() {
	local -n __c=$1
	local kv IFS=,
	__c=()
	for kv in ${2//[[:space:]\{\}\"]/}; do
		__c[${kv%%:*}]=${kv#*:}
	done
}

# delta BEFORE AFTER: of two JSON objects of counters, those that changed,
# as "name=+N", sorted.
delta() {
	local -A a b
	local k out=() i j t LC_ALL=C
	counters_load a "$1"
	counters_load b "$2"
	for k in "${!b[@]}"; do
		[ "${b[$k]}" = "${a[$k]:-}" ] || out+=("$k=+$((b[$k] - ${a[$k]:-0}))")
	done
	# Insertion sort: a handful of names.
	for ((i = 1; i < ${#out[@]}; i++)); do
		t=${out[i]}
		for ((j = i - 1; j >= 0; j--)); do
			[[ ${out[j]} > $t ]] || break
			out[j + 1]=${out[j]}
		done
		out[j + 1]=$t
	done
	echo "${out[*]}"
}

# ngre_stats NS: the counters of `ngre stats show` in NS, as JSON.
ngre_stats() {
	"$NGRE_CLI" -n "$1" -j stats show
}

# stat_delta BEFORE NS NAME...: how much each counter NAME of NS grew since
# BEFORE (what ngre_stats printed then), space separated.
stat_delta() {
	local -A a b
	local out=() k
	counters_load a "$1"
	counters_load b "$(ngre_stats "$2")"
	shift 2
	for k in "$@"; do
		[[ -v a[$k] && -v b[$k] ]] || fail "stat_delta: no counter \"$k\""
		out+=("$((b[$k] - a[$k]))")
	done
	echo "${out[*]}"
}

# dev_stat NS DEV NAME...: the counters NAME of device DEV in NS, space
# separated: rx_bytes, rx_packets, rx_errors, tx_bytes, tx_packets,
# tx_errors or tx_dropped, the columns of /proc/net/dev that are the
# counter itself (its rx "drop" adds the missed, for one).  One process,
# where reading NS's /sys/class/net takes three and a mount.
dev_stat() {
	local ns=$1 dev=$2 rest line name c out=()
	local -A col=([rx_bytes]=0 [rx_packets]=1 [rx_errors]=2 [tx_bytes]=8
		      [tx_packets]=9 [tx_errors]=10 [tx_dropped]=11)
	local -a v=()
	shift 2
	# The lines taken apart in memory: `read' from a pipe takes a system
	# call a byte, dear under the debug kernel.
	rest=$(nsrun "$ns" cat /proc/net/dev)$'\n'
	while [ -n "$rest" ]; do
		line=${rest%%$'\n'*} rest=${rest#*$'\n'}
		name=${line%%:*}
		if [ "${name// /}" = "$dev" ]; then
			# shellcheck disable=SC2206 # numbers only
			v=(${line#*:})
			break
		fi
	done
	[ ${#v[@]} = 16 ] || fail "no statistics of $dev in $ns"
	for c in "$@"; do
		[[ -v col[$c] ]] || fail "dev_stat: no counter \"$c\""
		out+=("${v[col[$c]]}")
	done
	echo "${out[*]}"
}

# stat_of NS NAME: a counter of `ngre stats show` in NS.
stat_of() {
	local -A c
	counters_load c "$(ngre_stats "$1")"
	[[ -v c[$2] ]] || fail "stat_of: no counter \"$2\""
	echo "${c[$2]}"
}

# gre_wire NS DEV CMD...: run CMD (in a subshell, so that a fail in it
# ends only CMD; its output to stderr) while capturing the 802.1Q-tagged
# GRE packets on DEV in NS; prints gre_wire.py's summary of them, a line
# per direction (with WIRE_HEX=1, a line per packet, its bytes in hex),
# and returns CMD's exit status.
gre_wire() {
	local ns=$1 dev=$2 cap=/tmp/wire-$$.pcap pid rc out
	shift 2
	rm -f "$cap"
	# Immediate mode: each packet as it comes, not in blocks that the
	# kernel hands over when full or after a second (a capture killed
	# within that second lost its packets).
	nsrun "$ns" tcpdump --immediate-mode -i "$dev" -U -w "$cap" \
		'vlan and ip proto 47' 2>/dev/null &
	pid=$!
	# tcpdump writes the file's header (in one write) once it captures.
	for _ in {1..100}; do
		[ -s "$cap" ] && break
		nap 0.1
	done
	("$@") >&2
	rc=$?
	# tcpdump may lag behind the packets, on a loaded guest with other
	# traffic on DEV: gre_wire.py first waits until it has written one
	# captured after the command ended (or none came for half a second).
	out=$(/usr/bin/python3 -S "$NGRE_ROOT/selftests/gre_wire.py" \
		--after "$EPOCHREALTIME" ${WIRE_HEX:+--hex} "$cap")
	kill "$pid"
	wait "$pid"
	echo "$out"
	rm -f "$cap"
	return $rc
}

# gre_probe WHAT FROM NS DEV SRC DST [OPTION...]: gre_send.py's cases, a
# line "CASE: DELTA" each on stdin, sent from namespace FROM as SRC to DST;
# each must change the counters of ngre in NS and of its device DEV by
# exactly DELTA.  OPTIONs go to gre_send.py: --barrier ADDR (an address of
# NS for its echo after each case, if not DST), --ether DEV MAC.
gre_probe() {
	local what=$1 from=$2 ns=$3 dev=$4 src=$5 dst=$6 want got w g i
	shift 6
	want=$(cat)
	got=$(echo "$want" | nsrun "$from" /usr/bin/python3 -S \
		"$NGRE_ROOT/selftests/gre_send.py" --probe "$ns" "$dev" "$@" \
		"$src" "$dst") || fail "$what: gre_send.py: $got"
	# A result for each case.
	mapfile -t w <<< "$want"
	mapfile -t g <<< "$got"
	[ "$got" = "$want" ] || log "$what: got:" "$got"
	for i in "${!w[@]}"; do
		check_eq "$what: ${w[i]%%: *}" "${g[i]:-}" "${w[i]}"
	done
	check_eq "$what: cases reported" "${#g[@]}" "${#w[@]}"
}

# ping_ok NS DEST COUNT [ARGS...]: COUNT pings from NS to DEST all answered.
ping_ok() {
	local ns=$1 dst=$2 n=$3 out
	shift 3
	out=$(nsrun "$ns" ping -q -c "$n" -i 0.2 -W 2 "$@" "$dst" 2>&1)
	[[ $out == *" $n received"* ]] ||
		fail "ping $dst from ${ns%%-*}: $(echo "$out" | tail -2 | tr '\n' ' ')"
}

# udp_transfer FROM TO ADDR N: N checked UDP datagrams from namespace FROM
# to ADDR (in namespace TO); fails the test unless all arrive intact.
udp_transfer() {
	local out=/tmp/udp-$$ pid i line
	: > "$out"
	nsrun "$2" "$NGRE_ROOT/selftests/udp_check.py" recv 7000 "$4" > "$out" &
	pid=$!
	# The receiver says "ready" once it is bound.
	for i in {1..100}; do
		read -r line < "$out" && [ "$line" = ready ] && break
		nap 0.1
	done
	nsrun "$1" "$NGRE_ROOT/selftests/udp_check.py" send "$3" 7000 "$4" ||
		fail "udp send to $3"
	wait "$pid" || fail "udp to $3: $(tail -1 "$out")"
	pass "udp to $3: $(tail -1 "$out")"
	rm -f "$out"
}

# iperf3_transfer CLIENT SERVER ADDR MIN ARGS...: an iperf3 TCP test (ARGS
# added) from CLIENT to ADDR (in SERVER) must complete and have delivered
# at least MIN bytes, and no more than were sent, when it stops.  (The
# counts differ by what was in flight then, much on the slow debug
# kernel; tcp_transfer checks integrity.)
iperf3_transfer() {
	local client=$1 server=$2 addr=$3 min=$4 pidf=/tmp/iperf3-$$.pid json sent rcvd mbps
	shift 4
	nsrun "$server" iperf3 -s -1 -D -I "$pidf" >/dev/null ||
		fail "iperf3 server in $server"
	wait_tcp_listen "$server" 5201
	json=$(timeout 60 nsrun "$client" iperf3 -c "$addr" -J "$@") || {
		kill "$(cat "$pidf")" 2>/dev/null
		fail "iperf3 to $addr failed: $(echo "$json" | jq -r .error 2>/dev/null)"
	}
	rm -f "$pidf"
	read -r sent rcvd mbps < <(echo "$json" | jq -r '.end | [.sum_sent.bytes,
		.sum_received.bytes, (.sum_received.bits_per_second / 1e6 | floor)] | @tsv')
	[ "$rcvd" -ge "$min" ] || fail "iperf3 to $addr received only $rcvd bytes"
	[ "$rcvd" -le "$sent" ] || fail "iperf3 to $addr received $rcvd > sent $sent bytes"
	pass "iperf3 to $addr: $sent bytes sent, $rcvd received, $mbps Mbit/s"
}

# concurrently CMD...: run each CMD (a string, for eval) at the same time,
# each in a subshell of its own, and wait for all; the test ends failed if
# any of them failed (each reports its own failure).  For loss-tolerant
# traffic (TCP): datagrams would compete for the same queues.
concurrently() {
	local pids=() c pid bad=0
	for c in "$@"; do
		( eval "$c" ) &
		pids+=($!)
	done
	for pid in "${pids[@]}"; do
		wait "$pid" || bad=1
	done
	[ "$bad" = 0 ] || exit $KSFT_FAIL
}

# tcp_transfer FROM TO ADDR: 2 MB of random data over TCP from FROM to ADDR
# (in TO), port 5001; fails unless every byte arrives intact.
tcp_transfer() {
	local src=/tmp/tcp-src-$$ dst=/tmp/tcp-dst-$$ rx
	head -c 2097152 /dev/urandom > "$src"
	nsrun "$2" socat -u TCP-LISTEN:5001,reuseaddr OPEN:"$dst",creat,trunc &
	rx=$!
	# Not a connect retried until the port listens: its first SYN and
	# the RST would make a session of their own.
	wait_tcp_listen "$2" 5001
	timeout 60 nsrun "$1" socat -u OPEN:"$src" TCP:"$3":5001 ||
		{ kill "$rx"; fail "tcp to $3: send failed"; }
	wait "$rx" || fail "tcp to $3: receive failed"
	cmp -s "$src" "$dst" ||
		fail "tcp to $3: received data differs"
	pass "tcp to $3: 2 MB intact"
	rm -f "$src" "$dst"
}

# setup_session_topology: the GRE test network (setup_gre_topology) with
# two tunnels between R1 and R2 for the session tests:
#   gt0, key 1: ngre on both routers;
#   gt1, key 2: ngre on R1, Linux ip_gre on R2.
# R2 routes every reply to A's site over gt0, as a peer that routes by its
# own table would, so replies to sessions sent over gt1 arrive elsewhere.
# No service and no route into the tunnels on R1 (the tests add them).
setup_session_topology() {
	modprobe -q ip_gre 2>/dev/null
	setup_gre_topology
	setup_session_tunnels
}

# setup_session_tunnels: the tunnels of setup_session_topology, and R2's
# route over gt0.
setup_session_tunnels() {
	local ns
	"$NGRE_CLI" -n "$R1" tunnel add gt0 dev eth0 vlan 100 remote 198.51.100.2 key 1 ||
		fail "add gt0 on R1"
	"$NGRE_CLI" -n "$R1" tunnel add gt1 dev eth0 vlan 100 remote 198.51.100.2 key 2 ||
		fail "add gt1 on R1"
	"$NGRE_CLI" -n "$R2" tunnel add gt0 dev eth0 remote 192.0.2.1 key 1 ||
		fail "add gt0 on R2"
	ip -n "$R2" link add gt1 type gre local 198.51.100.2 remote 192.0.2.1 key 2 ||
		fail "add ip_gre gt1 on R2"
	for ns in "$R1" "$R2"; do
		ip -n "$ns" link set gt0 up
		ip -n "$ns" link set gt1 up
	done
	ip -n "$R2" route add 10.1.0.0/24 dev gt0
	# The ICMP errors R1 sends are not rate limited in the tests.
	nsrun "$R1" sysctl -qw net.ipv4.icmp_ratelimit=0
}

# setup_session_test: how every session test starts: the module loaded
# (unloaded at the end), setup_session_topology, NS=$R1 for the ngre
# function, $TRAFFIC, and on B a sink for UDP port 9 that answers nothing
# (not even with ICMP).
setup_session_test() {
	ngre_load
	defer sh -c 'rmmod ngre 2>/dev/null'
	setup_session_topology
	NS=$R1
	TRAFFIC=$NGRE_ROOT/selftests/session_traffic.py
	# ICMP sessions must outlive the slow debug kernel's longer steps.
	ngre config set timeout-icmp 600 || fail "config set timeout-icmp"
	nsrun "$B" socat -u UDP-RECV:9 - >/dev/null &
	defer kill $!
	wait_for "B's sink on UDP port 9" 10 \
		'[ -n "$(nsrun "$B" ss -Hlun "sport = :9")" ]'
}

# sessions NS [FILTER...]: the sessions of NS as JSON.
sessions() {
	local ns=$1
	shift
	"$NGRE_CLI" -n "$ns" -j session show "$@"
}

# n_sessions NS: how many sessions NS has.
n_sessions() {
	sessions "$1" | jq length
}

# session_count: how many sessions $NS's table holds (the gauge of
# `config show`, without dumping them).
session_count() {
	local c
	c=$(ngre config show) && [[ $c =~ " sessions "([0-9]+) ]] &&
		echo "${BASH_REMATCH[1]}"
}

# wait_for WHAT SECS EXPR: poll the shell expression EXPR until it is
# true; fail the test after SECS of pauses (the time EXPR takes does not
# count).  Every 0.2 s for two seconds, then every second: a poll starts
# processes, and under TCG processes are dear.
wait_for() {
	local what=$1 tenths=$(($2 * 10)) slept=0 pause=2
	while :; do
		eval "$3" && return 0
		[ "$slept" -ge "$tenths" ] && break
		[ "$slept" -ge 20 ] && pause=10
		nap "$((pause / 10)).$((pause % 10))"
		slept=$((slept + pause))
	done
	fail "$what: not so after ${2}s"
}
