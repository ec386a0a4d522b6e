#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# With the module loaded, 50 network namespaces (15 on the debug kernel)
# are created (each gets its own PRE_ROUTING hook, checked on a sample of
# every fifth) and deleted again;
# then the module unloads, which it cannot do if a namespace leaked a
# reference to it.
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
for ns in "${names[@]}"; do
	ip netns add "$ns" || fail "ip netns add $ns"
done

# Every fifth namespace is checked for its hook: listing hooks takes over
# a second on the debug kernel, and the namespaces are made alike.
if hooks_listable; then
	n=0
	for ((i = 0; i < count; i += 5)); do
		[ "$(ngre_hooks "${names[i]}")" = "$NGRE_HOOKS" ] &&
			n=$((n + 1))
	done
	check_eq "sampled namespaces with the ngre hook" "$n" $((count / 5))
else
	log "note: this kernel cannot list netfilter hooks; not checked"
fi

for ns in "${names[@]}"; do
	ip netns del "$ns" || fail "ip netns del $ns"
done
# Namespace teardown is asynchronous (cleanup_net); wait for it so the
# refcount check below is meaningful.
for i in $(seq 1 100); do
	[ "$(cat /sys/module/ngre/refcnt)" = 0 ] && break
	sleep 0.1
done
check_eq "module refcount" "$(cat /sys/module/ngre/refcnt)" 0
rmmod ngre || fail "rmmod after namespace churn"
ngre_loaded && fail "module still loaded"
log "$count namespaces created and deleted, module unloaded"
exit $KSFT_PASS
