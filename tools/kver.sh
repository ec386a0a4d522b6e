#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# kver.sh [SERIES]: print the newest installed Debian kernel (of SERIES,
# e.g. 6.12, if given) that has both an image and headers.  Not
# `uname -r`: the build machines' own kernel has no headers.
for b in /usr/src/linux-headers-"${1:+$1.}"*-amd64; do
	[ -e "$b/Makefile" ] || continue
	v=${b#/usr/src/linux-headers-}
	[ -r "/boot/vmlinuz-$v" ] && echo "$v"
done | sort -V | tail -n 1 | grep .
