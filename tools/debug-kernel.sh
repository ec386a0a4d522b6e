#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build (once) the debug kernel of `make check-debug` and print its tree.
#
# Debian's linux-source-6.1, tinyconfig plus tools/vm/debug.config (KASAN,
# UBSAN, lockdep, PROVE_RCU, kmemleak, debug objects/lists, everything the
# VM needs built in).  The tree is cached under $NGRE_CACHE and rebuilt only
# when the fragment, the source package or the compiler change.  Build
# output goes to stderr; stdout is the tree's path alone.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cache=${NGRE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ngre}
frag=$here/vm/debug.config
tarball=/usr/src/linux-source-6.1.tar.xz

[ -r "$tarball" ] || { echo "debug-kernel: $tarball missing (run tools/deps.sh)" >&2; exit 1; }
key=$( { cat "$frag"; dpkg-query -W -f='${Version}' linux-source-6.1; gcc --version; } |
	md5sum | cut -c1-12)
dir=$cache/linux-6.1-debug-$key
# One build at a time; a second caller waits for it and uses its tree.
mkdir -p "$cache"
exec 9> "$cache/.debug-kernel.lock"
flock 9
if [ -f "$dir/.ngre-built" ]; then
	echo "$dir"
	exit 0
fi

{
	echo "debug-kernel: building $dir (about 6 minutes on 2 cores)"
	rm -rf "$dir" "$cache"/linux-6.1-debug-*
	mkdir -p "$dir"
	tar -xf "$tarball" -C "$dir" --strip-components=1
	cd "$dir"
	make -s ARCH=x86_64 tinyconfig
	scripts/kconfig/merge_config.sh -m .config "$frag" >/dev/null
	make -s ARCH=x86_64 olddefconfig
	# A misspelt or unmet option would silently vanish: insist on each.
	bad=0
	while IFS= read -r line; do
		case $line in CONFIG_*=*) ;; *) continue ;; esac
		grep -qx "$line" .config || { echo "debug-kernel: $line did not stick"; bad=1; }
	done < "$frag"
	[ "$bad" = 0 ] || exit 1
	make -s ARCH=x86_64 -j"$(nproc)" bzImage modules
	touch .ngre-built
} >&2
echo "$dir"
