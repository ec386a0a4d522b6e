#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make checkpatch: every C source and header of ngre through the kernel's
# scripts/checkpatch.pl, taken (once, cached) from Debian's
# linux-source-6.12 by tools/ksrc.sh.  Exit non-zero on any error or warning.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
dir=$("$(dirname "$0")"/ksrc.sh)

cd "$top"
mapfile -t files < <(git ls-files -co --exclude-standard \
	'kmod/*.[ch]' 'uapi/*.h' 'tools/*.[ch]' 'selftests/*.[ch]')
[ ${#files[@]} -gt 0 ] || { echo "checkpatch: no files found (git ls-files failed?)" >&2; exit 1; }
"$dir/scripts/checkpatch.pl" --no-tree --quiet --show-types --strict \
	-f "${files[@]}"
echo "checkpatch: ${#files[@]} files clean"
