#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# In the VM on the root where apt installed ngre-dkms and ngre-tools
# (tools/pkg-test.sh), with only what they installed: the module is not
# loaded until `ngre tunnel add` loads it by its family's name (the
# kernel asks modprobe for net-pf-16-proto-16-family-ngre), and it is the
# one DKMS built; two namespaces with a tunnel each way pass a ping; the
# module unloads.  Standalone: the root has none of lib.sh's tools.
#
# Usage: pkg_smoke.sh KVER VERSION
set -u
kver=$1 version=$2
# shellcheck source=selftests/pkg_lib.sh
source "$(dirname "$0")/pkg_lib.sh"
loaded() { grep -q '^ngre ' /proc/modules; }

check "booted $kver" [ "$(uname -r)" = "$kver" ]
check "ngre not loaded before" eval '! loaded'
echo "# $(ngre -V)"

# A and B joined by a veth; gt0 in each, the other's address its remote.
ip netns add a && ip netns add b || not_ok "namespaces"
ip link add eth0 netns a type veth peer name eth0 netns b
ip -n a addr add 192.0.2.1/24 dev eth0
ip -n b addr add 192.0.2.2/24 dev eth0
ip -n a link set eth0 up
ip -n b link set eth0 up
check "ngre tunnel add, with the module not loaded" \
	ngre -n a tunnel add gt0 dev eth0 remote 192.0.2.2 key 7
check "the module loaded on demand" loaded
check "it is DKMS's ($version)" [ "$(cat /sys/module/ngre/version 2>/dev/null)" = "$version" ]
# DKMS compresses it as the kernel's modules are (ngre.ko.xz).
where=$(modinfo -n ngre)
check "modprobe finds it in updates/dkms ($where)" \
	eval '[[ $where == "/lib/modules/$kver/updates/dkms/ngre.ko"* ]]'
ngre -n b tunnel add gt0 dev eth0 remote 192.0.2.1 key 7 || not_ok "B's gt0"
ip -n a addr add 10.9.0.1/30 dev gt0
ip -n b addr add 10.9.0.2/30 dev gt0
ip -n a link set gt0 up
ip -n b link set gt0 up
check "ngre tunnel show" eval 'ngre -n a -j tunnel show gt0 | grep -q "\"ifname\":\"gt0\""'
check "a ping through the tunnel" ip netns exec a ping -c 3 -i 0.2 -W 5 10.9.0.2
rx=$(ngre -n b -j -s tunnel show gt0 | grep -o '"rx_packets":[0-9]*' | head -n 1 | cut -d: -f2)
check "B's gt0 received them (rx_packets $rx)" [ "${rx:-0}" -ge 3 ]
ip netns del a
ip netns del b
# The tunnels go with their namespaces; the module unloads once they have.
for _ in $(seq 50); do
	rmmod ngre 2>/dev/null && break
	sleep 0.2
done
check "rmmod ngre" eval '! loaded'
exit $failed
