#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check-all (what CI runs): the checks that need no kernel, and
# `make check` on Debian's 6.1 and on the newest installed 6.12 (each in
# two jobs), the debug kernel's tests in three jobs and the packages'
# test (tools/pkg-test.sh), two VMs at a time;
# one combined closing line "N passed, N failed, N skipped".  Exits
# non-zero on any failure.  Documentation/testing.rst says why two at a time.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1

tools/deps.sh --check || tools/deps.sh || exit 1

# The scripts and the Makefile must agree on the cache (kernel sources,
# the debug kernel, the VM's initramfs).
export NGRE_CACHE=${NGRE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ngre}
work=$(mktemp -d)
declare -A running=()
static=
# On an interrupt, the jobs (and their VMs) go too.
trap 'for j in "${!running[@]}" $static; do pkill -TERM -P "$j"; kill "$j"; done 2>/dev/null
      rm -rf "$work"' EXIT
k61=$(tools/kver.sh 6.1) k612=$(tools/kver.sh 6.12)

# deb KVER K/N: the job of part K of N of Debian kernel KVER's suite (no
# name, and so no run, when KVER is not installed).
deb() { echo "${1:+$1 $2}:-k $1 -p $2"; }
# The jobs, in the order they start, two at a time: about the longest
# first, so that the last two end close together.  The debug kernel's
# first job starts first and builds that kernel when it is not cached (the
# other debug jobs wait for the build); beside it the jobs that do not
# wait: a Debian job, then the packages installed in a clean root and
# booted on 6.12 (which builds its root when it is not cached).  The debug
# kernel runs kmemleak's tests in two parts and the rest without kmemleak
# (selftests/Makefile says which and why); each Debian kernel's suite is
# in two parts (by place in TEST_PROGS).
jobs=("debug-6.1 rest:-d -L" "$(deb "$k612" 2/2)"
      "${k612:+packages $k612}:-P -k $k612"
      "debug-6.1 kmemleak 1/2:-d -l -p 1/2" "debug-6.1 kmemleak 2/2:-d -l -p 2/2"
      "$(deb "$k61" 1/2)" "$(deb "$k612" 1/2)" "$(deb "$k61" 2/2)")

# The tree as it is now, for every job (the jobs run for most of an hour).
tar -C "$top" --exclude=./.check -cf "$work/tree.tar" . || exit 1

# run_job I: job I in a copy of the tree of its own, its output and its
# counts in $work/I.*.  The jobs of one kernel share one build (check.sh's
# NGRE_BUILD_SHARE): the first builds in its copy (and runs sparse), the
# others unpack that build into theirs.
run_job() {
	local name=${jobs[$1]%%:*} args=${jobs[$1]#*:} tree=$top/.check/tree-$1 t0=$SECONDS
	local share=
	if [[ " $args " == *" -d "* ]]; then
		share=$work/build-debug
	elif [[ " $args " != *" -P "* && $args =~ -k\ ([^ ]+) ]]; then
		share=$work/build-${BASH_REMATCH[1]}
	fi
	rm -rf "$tree" && mkdir -p "$tree"
	tar -C "$tree" -xf "$work/tree.tar"
	# shellcheck disable=SC2086
	(cd "$tree" && NGRE_SUMMARY=$work/$1.sum NGRE_LOGDIR=$top/.check/${name%% *} \
		NGRE_BUILD_SHARE=$share tools/check.sh -s $args) > "$work/$1.out" 2>&1
	echo "$((SECONDS - t0))" > "$work/$1.time"
	rm -rf "$tree"
}

# tally NAME LABEL SECS: add what check.sh wrote to $work/NAME.sum (a run
# that wrote nothing failed) to the totals and the stages.
p=0 f=0 s=0 stages=()
tally() {
	local a=0 b=1 c=0
	[ -s "$work/$1.sum" ] && read -r a b c < "$work/$1.sum"
	p=$((p + a)) f=$((f + b)) s=$((s + c))
	stages+=("$2: $a passed, $b failed, $c skipped in $3s")
}

# The kernel-independent checks, once, beside the first jobs (they take
# a core for two minutes, and the jobs' VMs start meanwhile); shown when
# they end.  tools/ksrc.sh lets one of them fill the cache of kernel sources
# and the others wait for it.
(t0=$SECONDS
 NGRE_SUMMARY=$work/static.sum tools/check.sh -S > "$work/static.out" 2>&1
 echo "$((SECONDS - t0))" > "$work/static.time") &
static=$!

# Two jobs at a time; each one's output is shown when it ends.
next=0 ended=0
while [ "$next" -lt ${#jobs[@]} ] || [ ${#running[@]} -gt 0 ] || [ -n "$static" ]; do
	if [ "$next" -lt ${#jobs[@]} ] && [ ${#running[@]} -lt 2 ]; then
		if [ -z "${jobs[$next]%%:*}" ]; then
			echo "# no kernel for job $next (${jobs[$next]#*:})"
			stages+=("job $next (${jobs[$next]#*:}): no kernel")
			f=$((f + 1)) ended=$((ended + 1))
		else
			echo "# started: ${jobs[$next]%%:*}"
			run_job "$next" &
			running[$!]=$next
		fi
		next=$((next + 1))
		continue
	fi
	wait -n -p done_pid "${!running[@]}" $static
	if [ "$done_pid" = "$static" ]; then
		static=
		cat "$work/static.out"
		tally static static "$(cat "$work/static.time")"
		continue
	fi
	i=${running[$done_pid]}
	unset "running[$done_pid]"
	ended=$((ended + 1))
	cat "$work/$i.out"
	tally "$i" "${jobs[$i]%%:*}" "$(cat "$work/$i.time")"
done

[ "$ended" = ${#jobs[@]} ] || { stages+=("only $ended of ${#jobs[@]} jobs ended"); f=$((f + 1)); }
echo "# ==== check-all ===="
printf '# %s\n' "${stages[@]}"
# Each test's seconds and processes, by job.
cat "$work"/*.sum.times 2>/dev/null | sed 's/^/# times: /'
# Any job's kernel splats, in brief (the job's log has them whole).
cat "$work"/*.sum.splat 2>/dev/null | sed 's/^/# /'
echo "$p passed, $f failed, $s skipped"
[ "$f" = 0 ]
