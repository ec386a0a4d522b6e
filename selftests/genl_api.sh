#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The ngre generic netlink family driven directly, without the CLI: the C
# test genl_api (kselftest_harness.h, libnl-genl-3) with the module loaded.
source "$(dirname "$0")/lib.sh"

[ -x "$(dirname "$0")/genl_api" ] || fail "genl_api not built (make selftests)"
ngre_load
defer sh -c 'rmmod ngre 2>/dev/null'
modprobe -q 8021q
"$(dirname "$0")"/genl_api
