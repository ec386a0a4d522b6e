#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Files from the kernel's own source tree that ngre's checks use:
# scripts/checkpatch.pl (and its data), the kselftest harness headers and
# the YNL generator with the schema it validates ngre's spec against
# (tools/uapi-gen.sh), taken once from Debian's linux-source-6.12 into
# $NGRE_CACHE.  Prints the directory that holds them (a partial tree:
# scripts/, tools/testing/, tools/net/ynl/, Documentation/netlink/).
#
# Usage: tools/ksrc.sh
#        tools/ksrc.sh --ynl-files   the YNL generator's files, a line each
#                                    (what tools/uapi-gen.sh copies and pins)
set -euo pipefail
cache=${NGRE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ngre}
tarball=/usr/src/linux-source-6.12.tar.xz
ynl=(tools/net/ynl/ynl-gen-c.py tools/net/ynl/lib/__init__.py
     tools/net/ynl/lib/nlspec.py tools/net/ynl/lib/ynl.py
     Documentation/netlink/genetlink-legacy.yaml)
if [ "${1:-}" = --ynl-files ]; then
	printf '%s\n' "${ynl[@]}"
	exit 0
fi
files=(scripts/checkpatch.pl scripts/spelling.txt scripts/const_structs.checkpatch
       tools/testing/selftests/kselftest_harness.h
       tools/testing/selftests/kselftest.h
       "${ynl[@]}")
key=$( { printf '%s\n' "${files[@]}"; dpkg-query -W -f='${Version}' linux-source-6.12; } |
	md5sum | cut -c1-12)
dir=$cache/ksrc-6.12-$key

# One extraction at a time; a second caller waits and finds it done.
mkdir -p "$cache"
exec 9> "$cache/.ksrc.lock"
flock 9
if [ ! -f "$dir/.complete" ]; then
	[ -r "$tarball" ] || { echo "ksrc: $tarball missing (run tools/deps.sh)" >&2; exit 1; }
	rm -rf "$dir.tmp" && mkdir -p "$dir.tmp"
	tar -xf "$tarball" -C "$dir.tmp" --strip-components=1 --wildcards \
		"${files[@]/#/*/}"
	touch "$dir.tmp/.complete"
	rm -rf "$dir" && mv "$dir.tmp" "$dir"
fi
echo "$dir"
