#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Asking for the "ngre" genetlink family loads the module
# (MODULE_ALIAS_GENL_FAMILY), as `modprobe` would find it once installed.
#
# The host's module tree is read-only in the VM, so the test puts a tmpfs
# over /lib/modules holding only ngre.ko (its dependencies are loaded
# first) and runs depmod there; the kernel's modprobe helper then finds it.
source "$(dirname "$0")/lib.sh"

require_cmd genl depmod modprobe
ngre_loaded && fail "ngre is already loaded"
[ -r "$NGRE_KO" ] || fail "no module at $NGRE_KO (run make)"
for dep in $(modinfo -F depends "$NGRE_KO" | tr ',' ' '); do
	modprobe "$dep" || fail "modprobe $dep"
done

kv=$(uname -r)
mount -t tmpfs ngre-mods /lib/modules || fail "tmpfs on /lib/modules"
defer umount /lib/modules
mkdir -p "/lib/modules/$kv/extra"
cp "$NGRE_KO" "/lib/modules/$kv/extra/"
touch "/lib/modules/$kv/"{modules.order,modules.builtin,modules.builtin.modinfo}
depmod -a "$kv" || fail "depmod"
defer rmmod ngre

genl_has_family ngre && fail "family ngre present before the request"
out=$(genl ctrl get name ngre 2>&1) || fail "genl ctrl get name ngre: $out"
echo "$out" | grep -q "Name: ngre" || fail "no family in: $out"
ngre_loaded || fail "module not loaded by the family request"
log "family request autoloaded ngre"
exit $KSFT_PASS
