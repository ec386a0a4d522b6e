#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install every Debian package that building ngre, running its VM and its
# tests need.  Idempotent; a fresh Debian 12 machine needs nothing else.
#
# Usage: tools/deps.sh [--check]   (--check: exit 1 if anything is missing)
set -euo pipefail

PKGS=(
	build-essential bc bison flex libelf-dev libssl-dev cpio kmod xz-utils
	zstd pkg-config sparse git python3
	linux-image-amd64 linux-headers-amd64 linux-source-6.1 linux-source-6.12
	qemu-system-x86 busybox-static
	iproute2 iputils-ping iperf3 ethtool tcpdump tshark python3-yaml python3-jsonschema jq gojq socat nftables conntrack libcap2-bin procps
	libmnl-dev libnl-genl-3-dev
	debhelper dh-dkms lintian mmdebstrap bash-completion
)

# The newest 6.12 kernel in bookworm's archive, image and headers together.
newest_612() {
	apt-cache search --names-only '^linux-image-6\.12\.[0-9]+\+deb12-amd64$' |
		awk '{print $1}' | sed 's/^linux-image-//' | sort -V | tail -n 1
}

missing() {
	local p
	for p in "$@"; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
			grep -q '^install ok installed$' || echo "$p"
	done
}

have_612() {
	compgen -G '/boot/vmlinuz-6.12.*+deb12-amd64' >/dev/null &&
		compgen -G '/usr/src/linux-headers-6.12.*+deb12-amd64' >/dev/null
}

if [ "${1:-}" = --check ]; then
	[ -z "$(missing "${PKGS[@]}")" ] && have_612
	exit
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update -q
v612=$(newest_612)
[ -n "$v612" ] || { echo "deps: no linux-image-6.12.*+deb12-amd64 in the archive" >&2; exit 1; }
extra=("linux-image-$v612" "linux-headers-$v612")
todo=$(missing "${PKGS[@]}" "${extra[@]}")
if [ -n "$todo" ]; then
	# shellcheck disable=SC2086
	apt-get install -y -q --no-install-recommends $todo
fi
