# SPDX-License-Identifier: GPL-2.0
# The result lines of tools/pkg-test.sh and of pkg_smoke.sh, which runs in
# the packages' clean root without lib.sh's tools: "ok - WHAT" and
# "not ok - WHAT"; $failed is 1 after a failure.
failed=0
ok() { echo "ok - $*"; }
not_ok() { echo "not ok - $*"; failed=1; }
# check WHAT CMD...: a result line for CMD's status.
check() {
	local what=$1
	shift
	if "$@"; then ok "$what"; else not_ok "$what"; fi
}
