#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The module loads and unloads cleanly 5 times (twice on the debug kernel).
# Loaded, it registers the "ngre" genetlink family (and no netfilter hook:
# those come with a tunnel or a service, hook_transparency.sh), and carries
# full modinfo; unloaded, all of that is gone again.
source "$(dirname "$0")/lib.sh"

require_cmd nft genl modinfo
ngre_loaded && fail "ngre is already loaded"

check_eq "modinfo license" "$(modinfo -F license "$NGRE_KO")" "GPL"
[ -n "$(modinfo -F description "$NGRE_KO")" ] || fail "modinfo has no description"
[ -n "$(modinfo -F version "$NGRE_KO")" ] || fail "modinfo has no version"
modinfo -F alias "$NGRE_KO" | grep -qx 'net-pf-16-proto-16-family-ngre' ||
	fail "no genetlink family alias"

ip netns add ngre-ml-$$ || fail "ip netns add"
defer ip netns del ngre-ml-$$

# Two on the debug kernel, where a round takes eight seconds; its checkers
# see a leak or a stale registration in the first round.
rounds=5
debug_kernel && rounds=2
for i in $(seq 1 $rounds); do
	ngre_load
	ngre_loaded || fail "round $i: /sys/module/ngre missing after insmod"
	genl_has_family ngre || fail "round $i: genetlink family ngre missing"
	case $i in 1 | "$rounds") check_hook ngre-ml-$$ "" ;; esac
	ngre_unload
	ngre_loaded && fail "round $i: module still loaded after rmmod"
	genl_has_family ngre && fail "round $i: family ngre left behind"
	if hooks_listable; then
		[ -z "$(ngre_hooks ngre-ml-$$)" ] || fail "round $i: hook left behind"
	fi
done
grep -qw '\[ngre\]' /proc/kallsyms && fail "symbols of ngre left after unload"
log "$rounds load/unload rounds clean"
exit $KSFT_PASS
