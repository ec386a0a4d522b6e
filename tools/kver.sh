#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Print the newest installed Debian kernel that has both an image and headers
# (not `uname -r`: the build machines' own kernel has no headers).
for b in /usr/src/linux-headers-*-amd64; do
	[ -e "$b/Makefile" ] || continue
	v=${b#/usr/src/linux-headers-}
	[ -r "/boot/vmlinuz-$v" ] && echo "$v"
done | sort -V | tail -n 1 | grep .
