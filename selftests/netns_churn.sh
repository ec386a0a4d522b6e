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
# One ip for all: a process costs half a second on the debug kernel.
printf 'netns add %s\n' "${names[@]}" | ip -b - || fail "ip netns add"

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

printf 'netns del %s\n' "${names[@]}" | ip -b - || fail "ip netns del"
# Namespace teardown is asynchronous (cleanup_net); wait for it so the
# refcount check below is meaningful.
wait_for "module refcount 0" 120 '[ "$(cat /sys/module/ngre/refcnt)" = 0 ]'
rmmod ngre || fail "rmmod after namespace churn"
ngre_loaded && fail "module still loaded"
log "$count namespaces created and deleted, module unloaded"
exit $KSFT_PASS
