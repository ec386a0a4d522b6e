#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The ngre generic netlink family driven directly, without the CLI: the C
# test genl_api (kselftest_harness.h, libnl-genl-3) with the module loaded,
# then genl_policy.py, every request attribute of every command made wrong
# as the YNL spec describes it.
source "$(dirname "$0")/lib.sh"

[ -x "$(dirname "$0")/genl_api" ] || fail "genl_api not built (make selftests)"
ngre_load
defer sh -c 'rmmod ngre 2>/dev/null'
modprobe -q 8021q
# Its cases' results become this script's checks.
"$(dirname "$0")"/genl_api 2>&1 |
	sed -u 's/^ok [0-9]* /ok - genl_api: /; s/^not ok [0-9]* /not ok - genl_api: /'
[ "${PIPESTATUS[0]}" = 0 ] || fail "genl_api"
setup_ns N
ip -n "$N" link add eth0 type veth peer name eth1 || fail "veth in N"
ip netns exec "$N" /usr/bin/python3 "$NGRE_ROOT/selftests/genl_policy.py" ||
	fail "genl_policy.py"
exit 0
