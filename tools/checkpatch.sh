#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make checkpatch: every C source and header of ngre through the kernel's
# scripts/checkpatch.pl, taken (once, cached) from Debian's
# linux-source-6.12.  Exit non-zero on any error or warning.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cache=${NGRE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ngre}
tarball=/usr/src/linux-source-6.12.tar.xz
dir=$cache/checkpatch-6.12

if [ ! -x "$dir/scripts/checkpatch.pl" ]; then
	[ -r "$tarball" ] || { echo "checkpatch: $tarball missing (run tools/deps.sh)" >&2; exit 1; }
	rm -rf "$dir.tmp" && mkdir -p "$dir.tmp"
	tar -xf "$tarball" -C "$dir.tmp" --strip-components=1 --wildcards \
		'*/scripts/checkpatch.pl' '*/scripts/spelling.txt' \
		'*/scripts/const_structs.checkpatch'
	rm -rf "$dir" && mv "$dir.tmp" "$dir"
fi

cd "$top"
mapfile -t files < <(git ls-files -co --exclude-standard \
	'kmod/*.[ch]' 'uapi/*.h' 'tools/*.[ch]' 'selftests/*.[ch]')
[ ${#files[@]} -gt 0 ] || { echo "checkpatch: no files found (git ls-files failed?)" >&2; exit 1; }
"$dir/scripts/checkpatch.pl" --no-tree --quiet --show-types --strict \
	-f "${files[@]}"
echo "checkpatch: ${#files[@]} files clean"
