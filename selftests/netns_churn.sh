#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# With the module loaded, 50 network namespaces (15 on the debug kernel)
# are created (none gets a hook of ngre's without a tunnel or a service,
# checked on a sample of every fifth); every second gets a tunnel, and
# every fourth loses it again, its hooks' release pending; all are deleted
# again; then the module unloads, which it cannot do if a namespace leaked
# a reference to it, and nothing of theirs fires after.
source "$(dirname "$0")/lib.sh"

require_cmd nft
ngre_load
defer rmmod ngre

count=50
debug_kernel && count=15
names=()
for i in $(seq 1 $count); do
	names+=("ngre-churn-$$-$i")
done
defer sh -c "for n in ${names[*]}; do ip netns del \$n; done"
# One ip for all: a process costs half a second on the debug kernel.
printf 'netns add %s\n' "${names[@]}" | ip -b - || fail "ip netns add"

# Every fifth namespace is checked: listing hooks takes over a second on
# the debug kernel, and the namespaces are made alike.
if hooks_listable; then
	n=0
	for ((i = 0; i < count; i += 5)); do
		[ -z "$(ngre_hooks "${names[i]}")" ] && n=$((n + 1))
	done
	check_eq "sampled namespaces without a hook of ngre's" "$n" $((count / 5))
else
	log "note: this kernel cannot list netfilter hooks; not checked"
fi

# The tunnels, on a veth pair of each namespace's own.
tun=()
for ((i = 1; i < count; i += 2)); do
	tun+=("${names[i]}")
done
for n in "${tun[@]}"; do
	echo "link add eth0 netns $n type veth peer name eth1 netns $n"
done | ip -b - || fail "the tunnels' veth pairs"
for n in "${tun[@]}"; do
	"$NGRE_CLI" -n "$n" tunnel add gt0 dev eth0 local 192.0.2.1 remote 192.0.2.9 ||
		fail "tunnel in $n"
done
check_hook "${tun[1]}"
for ((i = 0; i < ${#tun[@]}; i += 2)); do
	"$NGRE_CLI" -n "${tun[i]}" tunnel del gt0 || fail "tunnel del in ${tun[i]}"
done

printf 'netns del %s\n' "${names[@]}" | ip -b - || fail "ip netns del"
# Namespace teardown is asynchronous (cleanup_net); wait for it so the
# refcount check below is meaningful.
wait_for "module refcount 0" 120 '[ "$(cat /sys/module/ngre/refcnt)" = 0 ]'
rmmod ngre || fail "rmmod after namespace churn"
ngre_loaded && fail "module still loaded"
# A release of hooks that a namespace's exit left scheduled would fire
# NGRE_HOOKS_LINGER (10 s) after its tunnel's deletion, into a freed
# namespace and an unloaded module: waiting at least that long makes it
# show here, as a splat.
sleep 12
log "$count namespaces created and deleted (${#tun[@]} with tunnels), module unloaded"
exit $KSFT_PASS
