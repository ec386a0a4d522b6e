#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo: the product at work.  Installs what is missing, builds ngre
# for the newest installed kernel, boots it in a VM and runs
# tools/demo/two-sites.sh there (two sites joined by GRE tunnels, a
# service over two tunnels on each router, traffic both ways, then what
# ngre shows about it).  About a minute.
set -euo pipefail
cd "$(dirname "$0")/../.."
tools/deps.sh --check >/dev/null 2>&1 || tools/deps.sh
kver=$(tools/kver.sh)
echo "# building ngre for $kver"
make -s KVER="$kver" all selftests >/dev/null
echo "# booting $kver in a VM"
exec tools/vm/run -k "$kver" -t 600 -- tools/demo/two-sites.sh
