#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The ngre generic netlink family driven directly, without the CLI: the C
# test genl_api (kselftest_harness.h, libnl-genl-3) with the module loaded,
# but for its allocation failures (genl_faults.sh, the debug kernel's);
# then genl_policy.py, every request attribute of every command made wrong
# as the YNL spec describes it.
source "$(dirname "$0")/lib.sh"

genl_api_cases -T alloc_faults -T refresh_faults
setup_ns N
ip -n "$N" link add eth0 type veth peer name eth1 || fail "veth in N"
nsrun "$N" /usr/bin/python3 "$NGRE_ROOT/selftests/genl_policy.py" ||
	fail "genl_policy.py"
exit 0
