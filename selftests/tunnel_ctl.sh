#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The tunnel control plane through the ngre CLI: add/show/set/del round
# trip checked field by field, the parent/VLAN binding, inherited source
# addresses and the receive-key clashes they can make (rx-clash), bad
# input (an error naming the problem, and no change of state), the
# per-namespace limit, permissions, netns isolation, batch mode,
# `ip link del`, and unload with tunnels present.
source "$(dirname "$0")/lib.sh"

require_cmd jq capsh ethtool
# Help needs no module (and loads none).
[ -d /sys/module/ngre ] && fail "module loaded before the test"
for h in help -help -V "tunnel help" "tunnel add help" "tunnel show help" \
	 "tunnel del help" "stats help" "stats show help" "config help" \
	 "config show help" "config set help" "monitor help"; do
	# shellcheck disable=SC2086
	out=$("$NGRE_CLI" $h) || fail "\"ngre $h\" without the module"
	[ -n "$out" ] || fail "\"ngre $h\" printed nothing on stdout"
done
# Usage errors (exit 255) name the argument, also without the module.
expect_fail "no arguments" 255 'Usage: ngre' "$NGRE_CLI"
expect_fail "unknown object" 255 '"frob"' "$NGRE_CLI" frob
expect_fail "unknown command" 255 '"frob"' "$NGRE_CLI" tunnel frob
expect_fail "extra word for del" 255 'unexpected argument "x"' "$NGRE_CLI" tunnel del gt0 x
expect_fail "extra word for show" 255 'unexpected argument "x"' "$NGRE_CLI" tunnel show gt0 x
expect_fail "name too long for del" 255 'too long' "$NGRE_CLI" tunnel del gt_name_far_too_long
expect_fail "config show with junk" 255 'unexpected argument "x"' "$NGRE_CLI" config show x
expect_fail "config set unknown" 255 'unknown parameter "frob"' "$NGRE_CLI" config set frob 3
expect_fail "-force without -batch" 255 '"-force"' "$NGRE_CLI" -force tunnel show
expect_fail "words after -batch" 255 'unexpected argument "x"' "$NGRE_CLI" -b /dev/null x
expect_fail "timeout above the kernel's" 255 '"timeout-udp": expected 1\.\.1000000$' \
	"$NGRE_CLI" config set timeout-udp 1000001
expect_fail "timeout 0" 255 '"timeout-other": expected 1\.\.1000000$' \
	"$NGRE_CLI" config set timeout-other 0
expect_fail "-netns of no namespace" 255 '"-netns": cannot enter "nosuchns"' \
	"$NGRE_CLI" -n nosuchns tunnel show
expect_fail "max-tunnels over its max" 255 \
	'invalid value "65537" for "max-tunnels": expected 1\.\.65536' \
	"$NGRE_CLI" config set max-tunnels 65537
# In a batch, a failed command makes the status 1, whatever its own.
expect_fail "batch with a usage error" 1 'failed at line 1' \
	"$NGRE_CLI" -b - <<< "tunnel frob"
[ -d /sys/module/ngre ] && fail "help loaded the module"
ngre_load
defer sh -c 'rmmod ngre 2>/dev/null'
setup_vlan_router 100 192.0.2.1/24
# Without carrier until the link-down check below.
ip -n "$O" link set eth0 down

# --- add and show, field by field ------------------------------------------
ngre tunnel add gt0 dev eth0 vlan 100 remote 198.51.100.2 key 5 csum ttl 32 ||
	fail "tunnel add gt0"
j=$(ngre -j tunnel show gt0)
echo "$j" | jq -e 'length == 1' >/dev/null || fail "show gt0: $j"
# mtu: 1500 - 20 (IPv4) - 4 (GRE) - 4 (key) - 4 (csum); admin down.
check_tunnel gt0 added ifname=gt0 \
	ifindex="$(ip -n "$R" -j link show gt0 | jq '.[0].ifindex')" \
	parent=eth0 vlan=100 link=eth0.100 local=192.0.2.1 local_mode=inherit \
	remote=198.51.100.2 ikey=5 okey=5 icsum=true ocsum=true iseq=false \
	oseq=false ttl=32 tos=0 pmtudisc=true mtu=1468 operstate=down \
	down_reason=admin-down
# Every field the JSON promises is there (null where it does not apply).
missing=$(echo "$j" | jq -r --args '.[0] as $t | $ARGS.positional[] |
	select(. as $k | $t | has($k) | not)' ifname ifindex parent vlan link local local_mode \
	remote ikey okey icsum ocsum iseq oseq ttl tos pmtudisc mtu operstate down_reason) ||
	fail "show gt0: not a tunnel's JSON: $j"
check_eq "show gt0: every field, null where it does not apply: missing" "$missing" ""
check_eq "ip link type" "$(ip -n "$R" -d -j link show gt0 | jq -r '.[0].link_type')" gre
ip -n "$R" link set gt0 up
# The veth peer in O is down: no carrier on eth0, nor on eth0.100.
check_eq "link without carrier: reason" "$(tfield gt0 .down_reason)" link-down
ip -n "$O" link set eth0 up
check_tunnel gt0 up operstate=up down_reason=null
ngre -s -j tunnel show gt0 | jq -e '.[0].stats | has("rx_packets") and has("tx_dropped")' \
	>/dev/null || fail "-s gives no stats object"
ngre tunnel show gt0 | grep -q '^gt0: ' || fail "text show"

# --- set ---------------------------------------------------------------------
ngre tunnel set gt0 ikey 7 okey 8 nocsum oseq ttl inherit nopmtudisc tos inherit ||
	fail "tunnel set"
check_tunnel gt0 set ikey=7 okey=8 icsum=false oseq=true iseq=false ttl=inherit \
	tos=inherit pmtudisc=false mtu=1468
# oseq: no TCP segmentation offload (each segment needs its own sequence
# number), whatever is asked of ethtool; without oseq it comes back.
tso() {
	nsrun "$R" ethtool -k gt0 |
		sed -n 's/^[[:space:]]*tx-tcp-segmentation: //p'
}
check_eq "oseq: no TSO" "$(tso)" "off [requested on]"
nsrun "$R" ethtool -K gt0 tso on >/dev/null 2>&1
check_eq "oseq: no TSO even when asked" "$(tso)" "off [requested on]"
ngre tunnel set gt0 noseq || fail "set noseq"
check_eq "no oseq: TSO" "$(tso)" on
ngre tunnel set gt0 oseq || fail "set oseq again"
check_eq "oseq again: no TSO" "$(tso)" "off [requested on]"
ngre tunnel set gt0 mtu 1400 local 203.0.113.7 || fail "set mtu/local"
check_tunnel gt0 "custom local, set mtu" local=203.0.113.7 local_mode=custom \
	mtu=1400
check_eq "ip link mtu" "$(ip -n "$R" -j link show gt0 | jq '.[0].mtu')" 1400
ngre tunnel set gt0 local inherit pmtudisc ttl 64 || fail "back to inherit"
check_eq "inherit again" "$(tfield gt0 .local)" 192.0.2.1

# --- MTU: automatic, fixed, and set with ip link ------------------------------
mtu_of() { ip -n "$R" -j link show "$1" | jq '.[0].mtu'; }
ngre tunnel set gt0 mtu auto || fail "mtu auto"
check_eq "mtu auto" "$(tfield gt0 .mtu)" 1468
ip -n "$R" link set eth0.100 mtu 1400
check_eq "auto mtu follows the VLAN device" "$(tfield gt0 .mtu)" 1368
ip -n "$R" link set gt0 mtu 1300 || fail "ip link set mtu"
ip -n "$R" link set eth0.100 mtu 1500
check_eq "mtu set with ip link is kept" "$(mtu_of gt0)" 1300
expect_fail "ip link mtu above the VLAN device's" 2 'mtu' \
	ip -n "$R" link set gt0 mtu 1501
ngre tunnel set gt0 mtu 1400 || fail "fixed mtu"
ip -n "$R" link set eth0.100 mtu 1350
check_eq "fixed mtu clamped to the VLAN device's" "$(mtu_of gt0)" 1350
ngre tunnel set gt0 ttl 64 || fail "an unrelated change with a clamped mtu"
ip -n "$R" link set eth0.100 mtu 1500
check_eq "fixed mtu back" "$(mtu_of gt0)" 1400

# --- option words: the last word about a flag wins ---------------------------
ngre tunnel add gt8 dev eth0 remote 198.51.100.10 nokey okey 5 nocsum icsum \
	nopmtudisc || fail "add gt8"
check_eq "nokey okey 5: no ikey" "$(ngre -j tunnel show gt8 | jq -c '.[0] | [has("ikey"), .ikey]')" '[true,null]'
check_tunnel gt8 "nokey okey 5, nocsum icsum, nopmtudisc alone" okey=5 \
	icsum=true ocsum=false ttl=inherit
ngre tunnel set gt8 key 9 nokey csum || fail "set gt8"
check_tunnel gt8 "key 9 nokey csum" okey=null ocsum=true

# --- two clients at once, each changing its own flags -------------------------
# `tunnel set` sends only the flags its words change, as a change the
# kernel applies: one client toggling csum and one toggling seq 40 times
# at once do not undo each other, and both last words hold (genl_api's
# flags_change is the deterministic proof; this one is the CLI's).
ngre tunnel set gt8 okey 3 || fail "set gt8 okey 3"
toggle() {
	local i
	for i in $(seq 20); do
		ngre tunnel set gt8 "$1" && ngre tunnel set gt8 "$2" || return 1
	done
}
toggle csum nocsum & csum_pid=$!
toggle noseq seq & seq_pid=$!
wait "$csum_pid" || fail "the client toggling csum failed"
wait "$seq_pid" || fail "the client toggling seq failed"
check_tunnel gt8 "csum and seq toggled at once" icsum=false ocsum=false \
	iseq=true oseq=true okey=3 ttl=inherit
ngre tunnel del gt8 || fail "del gt8"

# --- inherited source follows the VLAN device ---------------------------
ip -n "$R" addr add 192.0.2.2/24 dev eth0.100
check_eq "secondary address does not move it" "$(tfield gt0 .local)" 192.0.2.1
ip -n "$R" addr flush dev eth0.100
check_tunnel gt0 "no address" operstate=down down_reason=no-address
ip -n "$R" addr add 192.0.2.9/24 dev eth0.100
check_tunnel gt0 "new address" local=192.0.2.9 operstate=up

# --- rx-clash: an inherited address moves onto another tunnel's ----------
# gtc has gt0's link, remote and receive key but a custom source, so the
# add passes.  Once the VLAN device's address is gtc's, the tunnel that
# links its static flow second is down with rx-clash, and comes up when
# the other gives the key up: by going down, by a new key, by deletion.
ngre tunnel add gtc dev eth0 vlan 100 remote 198.51.100.2 ikey 7 \
	local 192.0.2.8 || fail "add gtc beside gt0"
ip -n "$R" link set gtc up
check_tunnel gtc "gtc beside gt0" operstate=up down_reason=null
ip -n "$R" addr flush dev eth0.100
ip -n "$R" addr add 192.0.2.8/24 dev eth0.100
check_tunnel gt0 "inherited gtc's address" local=192.0.2.8 operstate=down \
	down_reason=rx-clash
check_tunnel gtc "kept the key" operstate=up down_reason=null
ip -n "$R" link set gtc down
check_tunnel gt0 "gtc went down" operstate=up down_reason=null
ip -n "$R" link set gtc up
check_tunnel gtc "gt0 kept the key" operstate=down down_reason=rx-clash
ngre tunnel set gt0 ikey 9 || fail "set gt0 ikey 9"
check_tunnel gtc "gt0 took another key" operstate=up down_reason=null
check_tunnel gt0 "on its new key" operstate=up ikey=9
# A set is checked against the effective addresses: refused.
expect_fail "set to a key taken at that address" 2 'already receives.*held by gtc' \
	ngre tunnel set gt0 ikey 7
check_tunnel gt0 "the refused set changed nothing" operstate=up ikey=9
ip -n "$R" addr flush dev eth0.100
ngre tunnel set gt0 ikey 7 || fail "set gt0 ikey 7 without an address"
check_tunnel gt0 "key 7 without an address" down_reason=no-address ikey=7
ip -n "$R" addr add 192.0.2.8/24 dev eth0.100
check_tunnel gt0 "the address again" operstate=down down_reason=rx-clash
ngre tunnel del gtc || fail "del gtc"
check_tunnel gt0 "gtc deleted" operstate=up down_reason=null ikey=7

# --- VLAN device removed and re-created; VLAN parent normalised ---------
ip -n "$R" link del eth0.100
check_tunnel gt0 "vlan gone" ifname=gt0 operstate=down down_reason=no-vlan-device
ip -n "$R" link add link eth0 name vl100 type vlan id 100
# Seen as soon as it is registered, before it is up.
check_tunnel gt0 "vlan back, not up" link=vl100 down_reason=link-down
ip -n "$R" link set vl100 up
ip -n "$R" addr add 192.0.2.3/24 dev vl100
check_tunnel gt0 "vlan back" operstate=up link=vl100 local=192.0.2.3
ngre tunnel add gt1 dev vl100 remote 198.51.100.3 || fail "add on a VLAN device"
check_tunnel gt1 "VLAN parent normalised" parent=eth0 vlan=100

# --- bad input: an error naming the problem, and nothing changes -----------
ip -n "$R" link add link eth0 name ad5 type vlan proto 802.1ad id 5
ip -n "$R" link add link vl100 name vl100.7 type vlan id 7
before=$(ngre -j tunnel show; ip -n "$R" -o link show | sed 's/ state .*//')
expect_fail "missing remote" 255 'remote.*required' ngre tunnel add gt2 dev eth0
expect_fail "missing dev" 255 '"dev" is required' ngre tunnel add gt2 remote 198.51.100.9
expect_fail "multicast remote" 2 'remote must be a unicast' \
	ngre tunnel add gt2 dev eth0 remote 224.0.0.5
expect_fail "broadcast remote" 2 'remote must be a unicast' \
	ngre tunnel add gt2 dev eth0 remote 255.255.255.255
expect_fail "zero remote" 2 'remote must be a unicast' \
	ngre tunnel add gt2 dev eth0 remote 0.0.0.0
expect_fail "bad address" 255 'invalid IPv4 address.*remote' \
	ngre tunnel add gt2 dev eth0 remote 10.1
expect_fail "unknown parent" 1 '"dev": no device' \
	ngre tunnel add gt2 dev nosuch0 remote 198.51.100.9
expect_fail "vid 4095" 255 '"vlan"' ngre tunnel add gt2 dev eth0 vlan 4095 remote 198.51.100.9
expect_fail "name too long" 255 'too long' \
	ngre tunnel add gt_name_far_too_long dev eth0 remote 198.51.100.9
expect_fail "name taken" 2 'name exists' ngre tunnel add eth0 dev eth0 remote 198.51.100.9
expect_fail "duplicate receive key" 2 'already receives.*held by gt1' \
	ngre tunnel add gt2 dev eth0 vlan 100 remote 198.51.100.3
expect_fail "ttl 0" 255 '"ttl"' ngre tunnel add gt2 dev eth0 remote 198.51.100.9 ttl 0
expect_fail "ttl 256" 255 '"ttl"' ngre tunnel add gt2 dev eth0 remote 198.51.100.9 ttl 256
expect_fail "unknown option" 255 'unknown option "frobnicate"' \
	ngre tunnel add gt2 dev eth0 remote 198.51.100.9 frobnicate 1
expect_fail "mtu 67" 255 '"mtu"' ngre tunnel add gt2 dev eth0 remote 198.51.100.9 mtu 67
expect_fail "mtu above the parent's" 2 'mtu must be' \
	ngre tunnel add gt2 dev eth0 remote 198.51.100.9 mtu 1501
expect_fail "nopmtudisc with fixed ttl" 2 'nopmtudisc needs ttl inherit' \
	ngre tunnel add gt2 dev eth0 remote 198.51.100.9 ttl 9 nopmtudisc
expect_fail "zero local" 2 'local must be a unicast' \
	ngre tunnel add gt2 dev eth0 remote 198.51.100.9 local 0.0.0.0
expect_fail "802.1ad parent" 2 '802.1ad' ngre tunnel add gt2 dev ad5 remote 198.51.100.9
expect_fail "VLAN on a VLAN parent" 2 'VLAN on a VLAN' \
	ngre tunnel add gt2 dev vl100.7 remote 198.51.100.9
# A VLAN device moved to O keeps its lower device (eth0) in R.
ip -n "$R" link add link eth0 name vm9 type vlan id 9
ip -n "$R" link set vm9 netns "$O"
expect_fail "VLAN parent whose lower device is in another netns" 2 \
	'lower device is in another network namespace' \
	"$NGRE_CLI" -n "$O" tunnel add gt2 dev vm9 remote 198.51.100.9
check_eq "nothing made in O" "$(NS=$O ngre -j tunnel show)" "[]"
ip -n "$O" link del vm9
check_eq "-j show of an unknown tunnel prints nothing" \
	"$(ngre -j tunnel show gt9 2>/dev/null)" ""
expect_fail "set unknown tunnel" 2 'no such ngre tunnel' ngre tunnel set gt9 ttl 3
expect_fail "del unknown tunnel" 2 'no such ngre tunnel' ngre tunnel del gt9
expect_fail "del a non-ngre device" 2 'no such ngre tunnel' ngre tunnel del eth0
expect_fail "set to a taken key" 2 'already receives.*held by gt1' \
	ngre tunnel set gt0 remote 198.51.100.3 nokey
expect_fail "ip link add type ngre" 2 'created with the ngre tool' \
	ip -n "$R" link add gtz type ngre
# Keepalives and probes (gt1 exists).
expect_fail "keepalive period 0" 255 '"keepalive PERIOD": expected 1\.\.32767' \
	ngre tunnel set gt1 keepalive 0 3
expect_fail "keepalive period 32768" 255 '"keepalive PERIOD"' ngre tunnel set gt1 keepalive 32768 3
expect_fail "keepalive retries 0" 255 '"keepalive RETRIES": expected 1\.\.255' \
	ngre tunnel set gt1 keepalive 5 0
expect_fail "keepalive retries 256" 255 '"keepalive RETRIES"' ngre tunnel set gt1 keepalive 5 256
expect_fail "keepalive without retries" 255 '"keepalive" needs PERIOD and RETRIES' \
	ngre tunnel set gt1 keepalive 5
expect_fail "probe of a multicast address" 2 'probe address must be a unicast' \
	ngre tunnel set gt1 probe 224.0.0.1
expect_fail "probe of a bad address" 255 'invalid IPv4 address.*probe' \
	ngre tunnel set gt1 probe 10.9
expect_fail "probe interval 0" 255 '"interval": expected 1\.\.32767' \
	ngre tunnel set gt1 probe 10.9.9.9 interval 0
expect_fail "probe retries 256" 255 '"retries"' ngre tunnel set gt1 probe 10.9.9.9 retries 256
expect_fail "interval without probe" 255 '"interval" and "retries" go with "probe ADDR"' \
	ngre tunnel set gt1 interval 5
expect_fail "keepalive and probe together" 2 'keepalive and probe exclude each other' \
	ngre tunnel set gt1 keepalive 1 3 probe 10.9.9.9
after=$(ngre -j tunnel show; ip -n "$R" -o link show | sed 's/ state .*//')
check_eq "state unchanged by bad input" "$after" "$before"
# VID 7 stacked on eth0's VLAN 100 is not eth0's VLAN 7.
ngre tunnel add gt7 dev eth0 vlan 7 remote 198.51.100.7 || fail "add gt7"
check_eq "a stacked VLAN does not carry eth0's VLAN 7" "$(tfield gt7 .link)" null
ip -n "$R" link add link eth0 name vl7 type vlan id 7
check_eq "eth0's own VLAN 7 does" "$(tfield gt7 .link)" vl7
ngre tunnel del gt7
ip -n "$R" link del vl7
ip -n "$R" link del vl100.7

# --- permissions and namespaces --------------------------------------------
for cmd in "tunnel add gt3 dev eth0 remote 198.51.100.9" "tunnel set gt0 ttl 9" \
	   "tunnel del gt0" "config set max-tunnels 9"; do
	# shellcheck disable=SC2086
	expect_fail "no CAP_NET_ADMIN: $cmd" 2 'Operation not permitted' \
		nsrun "$R" capsh --drop=cap_net_admin -- -c "$NGRE_CLI $cmd"
done
nsrun "$R" capsh --drop=cap_net_admin -- -c "$NGRE_CLI tunnel show gt0" \
	>/dev/null || fail "show needs no privilege"
check_eq "invisible from another netns" "$(NS=$O ngre -j tunnel show)" "[]"
check_eq "invisible from the initial netns" "$(NS='' ngre -j tunnel show)" "[]"

# --- limit -----------------------------------------------------------------
ngre config set max-tunnels 2 || fail "config set"
check_eq "config" "$(ngre -j config show | jq -c '{max_tunnels,tunnels}')" '{"max_tunnels":2,"tunnels":2}'
expect_fail "over the limit" 2 'limit' ngre tunnel add gt3 dev eth0 remote 198.51.100.9
NS=$O ngre -j config show | jq -e '.max_tunnels == 4096' >/dev/null ||
	fail "limit is per namespace"
ngre config set max-tunnels 4096
ngre config set timeout-udp 1000000 || fail "config set timeout-udp 1000000"
check_eq "the longest timeout the CLI takes, the kernel takes" \
	"$(ngre -j config show | jq .timeout_udp)" 1000000
ngre config set timeout-udp 180

# --- batch -----------------------------------------------------------------
printf 'tunnel add gt4 dev eth0 remote 198.51.100.4\n# comment\n\ntunnel add gt5 dev eth0 remote 198.51.100.5\n' > /tmp/batch-$$
defer rm -f /tmp/batch-$$
ngre -b /tmp/batch-$$ || fail "batch"
check_eq "batch made gt5" "$(tfield gt5 .remote)" 198.51.100.5
printf 'tunnel del gt4\ntunnel del nosuch\ntunnel del gt5\n' > /tmp/batch-$$
expect_fail "batch stops at an error" 1 'line 2' ngre -b /tmp/batch-$$
check_eq "gt5 kept after the failed line" "$(tfield gt5 .ifname)" gt5
printf 'tunnel del nosuch\ntunnel del gt5\n' > /tmp/batch-$$
expect_fail "batch -force goes on, fails at the end" 1 'line 1' ngre -force -b /tmp/batch-$$
check_eq "gt5 deleted with -force" "$(ngre -j tunnel show | jq 'map(select(.ifname == "gt5")) | length')" 0
printf 'tunnel add gt4 dev eth0 remote 198.51.100.4\n' |
	ngre -b - || fail "batch from standard input"
check_eq "batch - made gt4" "$(tfield gt4 .remote)" 198.51.100.4
ngre tunnel del gt4

# --- delete paths ----------------------------------------------------------
ngre tunnel del gt1 || fail "tunnel del"
check_eq "deleted" "$(ngre -j tunnel show | jq -r 'map(.ifname) | join(",")')" gt0
ip -n "$R" link del gt0 || fail "ip link del"
check_eq "ip link del removes it" "$(ngre -j tunnel show)" "[]"
ngre tunnel add gt6 dev eth0 remote 198.51.100.6 || fail "add gt6"
# (6.1: EINVAL; 6.12 says why.)
expect_fail "a tunnel device stays in its netns" 2 'Invalid argument|netns is immutable' \
	ip -n "$R" link set gt6 netns "$O"
check_eq "gt6 still in R" "$(tfield gt6 .ifname)" gt6
ip -n "$R" link add eth5 type veth peer name eth5p
ngre tunnel add gt5 dev eth5 remote 198.51.100.5 || fail "add gt5"
ip -n "$R" link set eth5 netns "$O" || fail "move eth5 to O"
check_eq "parent moved away: its tunnel gone" \
	"$(ngre -j tunnel show | jq -r 'map(.ifname) | join(",")')" gt6
ip -n "$R" link show gt5 >/dev/null 2>&1 && fail "gt5 device left behind"
ip -n "$R" link del eth5p
ip -n "$R" link del eth0
check_eq "parent deleted: tunnel gone" "$(ngre -j tunnel show)" "[]"
ip -n "$R" link show gt6 >/dev/null 2>&1 && fail "gt6 device left behind"

# --- netns deletion and unload with tunnels present -------------------------
setup_ns X
ip link add eth0 netns "$X" type veth peer name eth0 netns "$O"
NS=$X ngre tunnel add gtx dev eth0 remote 198.51.100.7 || fail "add in X"
ip netns del "$X"
ip link add eth9 type veth peer name eth9p
defer ip link del eth9
NS='' ngre tunnel add gt7 dev eth9 remote 198.51.100.8 || fail "add in init netns"
rmmod ngre || fail "unload with a tunnel present"
ip link show gt7 >/dev/null 2>&1 && fail "gt7 left after unload"
exit $KSFT_PASS
