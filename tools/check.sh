#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check / make check-debug: build ngre, run the selftests in a VM and
# report in KTAP, closing with "N passed, N failed, N skipped".
#
#   tools/check.sh -k KVER    an installed Debian kernel
#   tools/check.sh -d         the debug kernel (tools/debug-kernel.sh);
#                             TEST_PROGS_DEBUG after TEST_PROGS, without
#                             TEST_PROGS_NODEBUG
#   tools/check.sh -S         only the checks that need no kernel (uapi,
#                             checkpatch, cli-fuzz, version, completion)
#   -s (with -k or -d)        all but those
#   -l (with -d)              only TEST_PROGS_KMEMLEAK (under kmemleak,
#                             as all tests are without -l or -L)
#   -L (with -d)              only the other tests, kmemleak and
#                             debugobjects off (no leak scan); no sparse,
#                             no harness
#   -p K/N (with -k or -d)    of those selftests only part K of N (those
#                             whose place in the list, from 1, is K
#                             modulo N); the harness's test in part 1
#   -P (with -k)              instead of the selftests, the packages:
#                             make deb, lintian, apt and DKMS in a clean
#                             root, a smoke test in the VM booted on it
#                             (tools/pkg-test.sh)
#
# Host-side tests, besides the selftests run in the guest:
#   build        the module, the CLI and the harness module build with no
#                warning (W=1)
#   sparse       the module is sparse clean (C=2; in part 1 only, or with
#                NGRE_BUILD_SHARE in the job that builds)
#   checkpatch   every C file is checkpatch clean (--strict)
#   uapi         uapi/linux/ngre.h is what the kernel's YNL generator makes
#                of Documentation/netlink/specs/ngre.yaml (tools/uapi-gen.sh
#                --check), and the check fails on a spec with another
#                version
#   cli-fuzz     the CLI, built with ASan and UBSan, survives malformed
#                answers from a fake kernel (tools/cli-fuzz/cli_fuzz.py)
#   completion   the bash completion offers the right words
#                (tools/completion-check.sh)
#   kernel-log   the guest's kernel log shows no splat (and, on the debug
#                kernel, kmemleak finds no leak)
#   harness      a VM that loads a deliberately faulty module is reported
#                as failed by the splat detector
#
# A splat is also printed in brief (tools/vm/splat-scan -b), and with
# NGRE_SUMMARY written to FILE.splat for check-all's closing lines.
#
# Exits non-zero if any test failed.  With NGRE_SUMMARY=FILE the counts are
# also written to FILE ("P F S") and the closing line is printed as a
# comment, for tools/check-all.sh to combine.  Logs go to .check/LABEL, or
# to $NGRE_LOGDIR.  NGRE_BUILD_SHARE=FILE shares one build among the jobs
# that name the same FILE (below).
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
kver= debug=0 static=1 kernel=1 part=1/1 leakset=all pkgs=0
while getopts k:dsSp:lLP opt; do
	case $opt in
	k) kver=$OPTARG ;;
	d) debug=1 ;;
	s) static=0 ;;
	S) kernel=0 ;;
	p) part=$OPTARG ;;
	P) pkgs=1 ;;
	l) [ "$leakset" = all ] || { echo "check: -l or -L, not both" >&2; exit 2; }
	   leakset=only ;;
	L) [ "$leakset" = all ] || { echo "check: -l or -L, not both" >&2; exit 2; }
	   leakset=none ;;
	*) echo "usage: $0 [-s] [-p K/N | -P] -k KVER | [-s] [-p K/N] [-l | -L] -d | -S" >&2
	   exit 2 ;;
	esac
done

[ "$leakset" = all ] || [ "$debug" = 1 ] ||
	{ echo "check: -l and -L go with -d" >&2; exit 2; }
[ "$pkgs" = 0 ] || [ -n "$kver" ] || { echo "check: -P goes with -k" >&2; exit 2; }

tools/deps.sh --check || tools/deps.sh || exit 1

pass=0 fail=0 skip=0 n=0
# The checks within the selftests (their nested KTAP results), counted in
# the closing line but listed only when they fail.
cpass=0 cfail=0 cskip=0
results=()
result() {	# result ok|fail|skip NAME
	n=$((n + 1))
	case $1 in
	ok) pass=$((pass + 1)); results+=("ok $n $2") ;;
	skip) skip=$((skip + 1)); results+=("ok $n $2 # SKIP") ;;
	*) fail=$((fail + 1)); results+=("not ok $n $2") ;;
	esac
	echo "${results[-1]}"
}

if [ "$kernel" = 0 ]; then
	label=static
elif [ "$debug" = 1 ]; then
	t0=$SECONDS
	kdir=$(tools/debug-kernel.sh) || { echo "debug kernel build failed" >&2; exit 1; }
	echo "# debug kernel ready in $((SECONDS - t0))s: $kdir"
	label=debug-6.1
	# ACPI finds the guest's second CPU; its interpreter, under KASAN
	# and TCG, runs PCI interrupt routing (_PRT) past ACPI's loop limit
	# and stalls the boot, so the routing comes from the BIOS's tables.
	# The second CPU stays offline (maxcpus=1): two guests of two busy
	# vCPUs each on the 2-core CI machine doubled the debug suite's time
	# (testing.rst).
	vmargs=(-b "$kdir/arch/x86/boot/bzImage" -a acpi=noirq -a maxcpus=1)
	mkargs=(KDIR="$kdir")
else
	[ -n "$kver" ] || kver=$(tools/kver.sh)
	label=$kver
	vmargs=(-k "$kver")
	mkargs=(KVER="$kver")
fi
# The selftests of this part.
kpart=${part%/*} nparts=${part#*/}
[[ $part =~ ^[1-9][0-9]*/[1-9][0-9]*$ ]] && [ "$kpart" -le "$nparts" ] ||
	{ echo "check: bad part \"$part\" (K/N, 1 <= K <= N)" >&2; exit 2; }
# makefile_list NAME...: the tests selftests/Makefile adds to the lists NAME.
makefile_list() {
	local IFS='|'

	sed -En "s/^($*) \+= //p" selftests/Makefile
}
# select_tests in|out LIST: those of "${tests[@]}" that are (in) or are
# not (out) in selftests/Makefile's list LIST.
select_tests() {
	local mode=$1 words t in

	words=" $(makefile_list "$2" | tr '\n' ' ') "
	for t in "${tests[@]}"; do
		in=out
		[[ $words == *" $t "* ]] && in=in
		[ "$in" = "$mode" ] && echo "$t"
	done
}
lists=(TEST_PROGS)
[ "$debug" = 1 ] && lists+=(TEST_PROGS_DEBUG)
mapfile -t tests < <(makefile_list "${lists[@]}")
# A name in TEST_PROGS_NODEBUG or TEST_PROGS_KMEMLEAK that is no test is
# an error: a typo would leave a test on the debug kernel, or take it out
# of kmemleak's watch.
all_tests=$(makefile_list TEST_PROGS TEST_PROGS_DEBUG | tr '\n' ' ')
for list in TEST_PROGS_NODEBUG TEST_PROGS_KMEMLEAK; do
	for t in $(makefile_list "$list"); do
		[[ " $all_tests " == *" $t "* ]] ||
			{ echo "check: $list names $t, no test" >&2; exit 2; }
	done
done
# The debug kernel leaves out TEST_PROGS_NODEBUG; -l and -L take the
# tests under kmemleak, or the others.
[ "$debug" = 1 ] &&
	mapfile -t tests < <(select_tests out TEST_PROGS_NODEBUG)
case $leakset in
only) mapfile -t tests < <(select_tests in TEST_PROGS_KMEMLEAK) ;;
none) mapfile -t tests < <(select_tests out TEST_PROGS_KMEMLEAK) ;;
esac
mapfile -t tests < <(printf '%s\n' "${tests[@]}" |
	awk -v k="$kpart" -v n="$nparts" 'NF && (NR - k) % n == 0')
logdir=${NGRE_LOGDIR:-$top/.check/$label}
case $leakset in
only) logdir+=-kmemleak label+=" (kmemleak's tests)" ;;
none) logdir+=-rest label+=" (the rest, no kmemleak)" ;;
esac
if [ "$pkgs" = 1 ]; then
	logdir=${NGRE_LOGDIR:-$top/.check/packages-$kver} label="packages on $kver"
fi
if [ "$part" != 1/1 ]; then
	logdir+=-part$kpart
	label+=" (part $part)"
fi
rm -rf "$logdir"
mkdir -p "$logdir"
echo "# ngre check on $label (logs in ${logdir#"$top"/})"

# finish: the summary and the closing line; exits.
finish() {
	echo "# --- summary for $label ---"
	printf '%s\n' "${results[@]}" | sed 's/^/# /'
	# CI installs every tool the tests use: there a skip is a failure.
	if [ "${CI:-}" = true ] && [ $((skip + cskip)) -gt 0 ]; then
		result fail "$label: CI: no test skipped ($((skip + cskip)) were)"
	fi
	pass=$((pass + cpass)) fail=$((fail + cfail)) skip=$((skip + cskip))
	closing="$pass passed, $fail failed, $skip skipped"
	if [ -n "${NGRE_SUMMARY:-}" ]; then
		echo "$pass $fail $skip" > "$NGRE_SUMMARY"
		echo "# $label: $closing"
	else
		echo "$closing"
	fi
	[ "$fail" = 0 ]
	exit
}

# --- the checks that need no kernel --------------------------------------
if [ "$static" = 1 ]; then
	# The header must be what the spec generates, and the comparison must
	# be able to fail: a copy of the spec with the family's version changed
	# must be reported as differing (exit 1, not an error).
	uapi_ok=1
	tools/uapi-gen.sh --check > "$logdir/uapi.log" 2>&1 || uapi_ok=0
	v=$(sed -n 's/^version: \([0-9]\{1,\}\)$/\1/p' Documentation/netlink/specs/ngre.yaml)
	if [ -z "$v" ]; then
		echo "uapi: no \"version: N\" line in the spec to change" >> "$logdir/uapi.log"
		uapi_ok=0
	else
		sed "s/^version: $v\$/version: $((v + 1))/" Documentation/netlink/specs/ngre.yaml \
			> "$logdir/uapi-mutated.yaml"
		rc=0
		tools/uapi-gen.sh --check --spec "$logdir/uapi-mutated.yaml" \
			> "$logdir/uapi-mutated.log" 2>&1 || rc=$?
		if [ "$rc" != 1 ] ||
		   ! grep -q "^+#define NGRE_GENL_VERSION[[:space:]]*$((v + 1))\$" "$logdir/uapi-mutated.log"; then
			echo "uapi: a spec of version $((v + 1)) was not reported as differing (exit $rc):" >> "$logdir/uapi.log"
			cat "$logdir/uapi-mutated.log" >> "$logdir/uapi.log"
			uapi_ok=0
		fi
	fi
	if [ "$uapi_ok" = 1 ]; then
		result ok "$label: uapi: uapi/linux/ngre.h is what the YNL spec generates"
	else
		head -n 60 "$logdir/uapi.log" | sed 's/^/# /'
		result fail "$label: uapi: uapi/linux/ngre.h is what the YNL spec generates"
	fi
	if tools/checkpatch.sh > "$logdir/checkpatch.log" 2>&1; then
		result ok "$label: checkpatch: clean"
	else
		head -n 40 "$logdir/checkpatch.log" | sed 's/^/# /'
		result fail "$label: checkpatch: clean"
	fi
	if /usr/bin/python3 tools/cli-fuzz/cli_fuzz.py > "$logdir/cli-fuzz.log" 2>&1; then
		result ok "$label: $(tail -n 1 "$logdir/cli-fuzz.log")"
	else
		tail -n 60 "$logdir/cli-fuzz.log" | sed 's/^/# /'
		result fail "$label: cli-fuzz: the CLI survives every answer"
	fi
	# dkms.conf has the version; the module and the CLI take it from
	# there, the changelog and the manual page must say the same.
	v=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' dkms.conf)
	if [ -n "$v" ] && [ "$(dpkg-parsechangelog -S Version)" = "$v" ] &&
	   grep -q "^\.TH NGRE 8 .* \"ngre $v\"" Documentation/ngre.8; then
		result ok "$label: version: $v in dkms.conf, debian/changelog and ngre.8"
	else
		result fail "$label: version: dkms.conf's ($v) in debian/changelog and ngre.8"
	fi
	if tools/completion-check.sh > "$logdir/completion.log" 2>&1; then
		result ok "$label: completion: $(grep -c '^ok' "$logdir/completion.log") command lines complete as expected"
	else
		grep -v '^ok' "$logdir/completion.log" | sed 's/^/# /'
		result fail "$label: completion: command lines complete as expected"
	fi
fi
[ "$kernel" = 1 ] || finish

# --- the packages (-P) ---------------------------------------------------
if [ "$pkgs" = 1 ]; then
	t0=$SECONDS rc=none
	while IFS= read -r l; do
		case $l in
		"ok - "*) result ok "$label: ${l#ok - }" ;;
		"not ok - "*) result fail "$label: ${l#not ok - }" ;;
		"pkg-test exit "*) rc=${l#pkg-test exit } ;;
		*) echo "$l" ;;
		esac
	done < <(NGRE_PKG_LOGS=$logdir tools/pkg-test.sh "$kver" 2>&1
		 echo "pkg-test exit $?")
	# A script that died, or printed no result, is a failure too.
	[ "$rc" = 0 ] || [ "$fail" -gt 0 ] ||
		result fail "$label: tools/pkg-test.sh ended with status $rc"
	[ "$n" -gt 0 ] || result fail "$label: tools/pkg-test.sh gave no result"
	echo "# packages took $((SECONDS - t0))s"
	finish
fi

# --- build ---------------------------------------------------------------
# With NGRE_BUILD_SHARE=FILE (tools/check-all.sh gives a kernel's jobs
# one FILE, and each job the same tree), the first job's build is saved in
# FILE.tar, its log and status beside it, and the others take it instead
# of building again.
t0=$SECONDS
share=${NGRE_BUILD_SHARE:-} buildrc= built_here=0
if [ -n "$share" ]; then
	exec {share_fd}>"$share.lock"
	flock "$share_fd"
	if [ -s "$share.rc" ] && tar -xf "$share.tar" &&
	   cp "$share.log" "$logdir/build.log"; then
		buildrc=$(cat "$share.rc")
		echo "# build: the one this run's first job for this kernel made"
	fi
fi
if [ -z "$buildrc" ]; then
	make -s "${mkargs[@]}" clean >/dev/null 2>&1
	make "${mkargs[@]}" all selftests splat-module > "$logdir/build.log" 2>&1
	buildrc=$? built_here=1
	if [ -n "$share" ]; then
		tar -cf "$share.tar" --exclude=./.check . &&
			cp "$logdir/build.log" "$share.log" && echo "$buildrc" > "$share.rc"
	fi
fi
[ -n "$share" ] && exec {share_fd}>&-
if [ "$buildrc" = 0 ]; then
	if grep -qiE 'warning:|error:' "$logdir/build.log"; then
		grep -iE 'warning:|error:' "$logdir/build.log" | sed 's/^/# /'
		result fail "$label: build: no warnings (W=1)"
	else
		result ok "$label: build: no warnings (W=1)"
	fi
else
	tail -n 30 "$logdir/build.log" | sed 's/^/# /'
	result fail "$label: build: no warnings (W=1)"
	echo "# build failed; no VM run"
fi
echo "# build took $((SECONDS - t0))s"

# --- sparse (once per kernel: in part 1, not in -L's job; with a shared
# build, in the job that built, since kbuild remade the module where it
# was unpacked: its commands name the tree that built it) --------------------
if [ -n "$share" ]; then
	sparse=$built_here
elif [ "$kpart" = 1 ] && [ "$leakset" != none ]; then
	sparse=1
else
	sparse=0
fi
if [ "$sparse" = 1 ]; then
	if make "${mkargs[@]}" sparse > "$logdir/sparse.log" 2>&1 &&
	   ! grep -qE 'warning:|error:' "$logdir/sparse.log"; then
		result ok "$label: sparse: clean"
	else
		grep -E 'warning:|error:' "$logdir/sparse.log" | head -n 20 | sed 's/^/# /'
		result fail "$label: sparse: clean"
	fi
fi

# --- the selftests in the VM ---------------------------------------------
if [ ! -f kmod/ngre.ko ]; then
	result fail "$label: build: kmod/ngre.ko exists"
elif [ ${#tests[@]} = 0 ]; then
	result fail "$label: suite: part $part holds no test"
else
	t0=$SECONDS
	# On the debug kernel, end with a kmemleak scan of everything the
	# suite did (-m); a leak is a splat.  The tests without kmemleak (-L)
	# run without debugobjects too: the two watch the lives of objects,
	# which the tests under kmemleak make and end on the same paths
	# (timers, work, RCU heads), and each costs those tests' processes a
	# fifth or more of their time.
	vmopt=()
	if [ "$debug" = 1 ] && [ "$leakset" != none ]; then
		vmopt=(-m)
	elif [ "$debug" = 1 ]; then
		vmopt=(-a kmemleak=off -a no_debug_objects)
	fi
	# The guest's limit only catches a hung guest: each test has its own
	# timeout (selftests/settings).  The whole debug suite took 2,220 s
	# alone on a 2-core machine under TCG, the others about 900 s; under
	# check-all two guests share the machine.
	vmlimit=3600
	[ "$debug" = 1 ] && vmlimit=5400
	tools/vm/run "${vmargs[@]}" "${vmopt[@]}" -t "$vmlimit" -l "$logdir/vm.log" -- \
		selftests/run.sh "${tests[@]}"
	vmrc=$?
	echo "# VM suite took $((SECONDS - t0))s (exit $vmrc)"
	script=
	while IFS= read -r line; do
		case $line in
		"    # Subtest: "*) script=${line#    \# Subtest: } ;;
		"    not ok "*)
			cfail=$((cfail + 1))
			echo "# not ok: $label: $script: ${line#    not ok * }" ;;
		"    ok "*"# SKIP"*) cskip=$((cskip + 1)) ;;
		"    ok "*) cpass=$((cpass + 1)) ;;
		"not ok "*) result fail "$label: ${line#not ok * }" ;;
		"ok "*"# SKIP"*) line=${line#ok * }; result skip "$label: ${line%% # SKIP*}" ;;
		"ok "*) result ok "$label: ${line#ok * }" ;;
		esac
	done < <(grep -aE '^(    )?(not )?ok [0-9]+ |^    # Subtest: ' "$logdir/vm.log")
	echo "# the selftests' checks: $cpass passed, $cfail failed, $cskip skipped"
	# Where the time went, on one line: each test's seconds and processes.
	times=$(sed -n 's/^# \([a-z_0-9]*\)\.sh took \([0-9]*\)s, \([0-9]*\) processes$/\1 \2s\/\3p/p' \
		"$logdir/vm.log" | paste -sd ' ')
	echo "# times: $times"
	[ -n "${NGRE_SUMMARY:-}" ] && echo "$label: $times" > "$NGRE_SUMMARY.times"
	# Every planned test must have reported, and a failed run must
	# show up as a failed test even if it died before reporting one.
	want=${#tests[@]}
	plan=$(sed -n 's/^1\.\.\([0-9]*\)$/\1/p' "$logdir/vm.log" | head -n 1)
	got=$(grep -caE '^(not )?ok [0-9]+ ' "$logdir/vm.log")
	if [ "$want" -gt 0 ] && [ "$plan" = "$want" ] && [ "$got" = "$plan" ]; then
		result ok "$label: suite: all $want tests planned and reported"
	else
		result fail "$label: suite: all $want tests planned and reported (plan ${plan:-none}, got $got)"
	fi
	[ "$vmrc" != 0 ] && [ "$vmrc" != 126 ] &&
		! grep -qaE '^not ok [0-9]+ ' "$logdir/vm.log" &&
		result fail "$label: suite: exit status $vmrc without a failed test"
	# The kernel log is judged on its own, whatever the tests said.
	if [ "$vmrc" = 124 ] || [ "$vmrc" = 125 ]; then
		result fail "$label: kernel-log: guest finished (exit $vmrc)"
	elif tools/vm/splat-scan -c "$logdir/vm.log" "$logdir/vm.log.dmesg" 2>/dev/null; then
		result ok "$label: kernel-log: no kernel splat"
	else
		result fail "$label: kernel-log: no kernel splat"
	fi
	# A splat in brief, for check-all's closing lines (CI may show only
	# those): its first line, where and the call trace.
	brief=$(tools/vm/splat-scan -b "$logdir/vm.log")
	if [ -n "$brief" ]; then
		echo "$brief" | sed 's/^/# /'
		[ -n "${NGRE_SUMMARY:-}" ] &&
			echo "$brief" | awk -v l="$label" '{ print l ": " $0 }' \
				> "$NGRE_SUMMARY.splat"
	fi

	# --- the harness's own test: a splat must fail the run -----------
	[ "$kpart" = 1 ] && [ "$leakset" != none ] || finish
	t0=$SECONDS
	tools/vm/run "${vmargs[@]}" -t 300 -l "$logdir/harness.log" -- \
		insmod selftests/harness/ngre_splat.ko > /dev/null 2>&1
	hrc=$?
	if [ "$hrc" = 126 ] && grep -q 'deliberate warning' "$logdir/harness.log.dmesg"; then
		result ok "$label: harness: faulty module reported as a kernel splat"
	else
		echo "# harness: expected exit 126 and the module's warning, got exit $hrc"
		result fail "$label: harness: faulty module reported as a kernel splat"
	fi
	echo "# harness test took $((SECONDS - t0))s"
fi

finish
