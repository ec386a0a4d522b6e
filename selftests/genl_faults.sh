#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Allocation failures in the requests that change state, and in a
# tunnel's refresh: genl_api's cases alloc_faults and refresh_faults
# (genl_api.c says how).  They need the kernel's fault injection, which
# only the debug kernel has: TEST_PROGS_DEBUG.
source "$(dirname "$0")/lib.sh"

[ -w /proc/thread-self/fail-nth ] ||
	skip "no fault injection in this kernel (the debug kernel has it)"
genl_api_cases -t alloc_faults -t refresh_faults
exit 0
