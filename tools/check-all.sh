#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check-all (what CI runs): `make check` on Debian's 6.1 and on the
# newest installed 6.12, then `make check-debug`; one combined closing line
# "N passed, N failed, N skipped".  Exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

tools/deps.sh --check || tools/deps.sh || exit 1

p=0 f=0 s=0 stages=()
sum=$(mktemp)
trap 'rm -f "$sum"' EXIT
stage() {	# stage NAME ARGS...
	local name=$1 t0=$SECONDS
	shift
	echo "0 1 0" > "$sum"
	NGRE_SUMMARY=$sum tools/check.sh "$@"
	read -r a b c < "$sum"
	p=$((p + a)) f=$((f + b)) s=$((s + c))
	stages+=("$name: $a passed, $b failed, $c skipped in $((SECONDS - t0))s")
}

k61=$(tools/kver.sh 6.1) k612=$(tools/kver.sh 6.12)
if [ -n "$k61" ]; then stage "$k61" -k "$k61"; else f=$((f + 1)); stages+=("6.1: no kernel"); fi
if [ -n "$k612" ]; then stage "$k612" -k "$k612"; else f=$((f + 1)); stages+=("6.12: no kernel"); fi
stage debug-6.1 -d

echo "# ==== check-all ===="
printf '# %s\n' "${stages[@]}"
echo "$p passed, $f failed, $s skipped"
[ "$f" = 0 ]
