#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run ngre's selftests (TEST_PROGS of the Makefile beside this file, or
# the tests named as arguments) and report them in KTAP.  Meant to run as
# root inside the test VM (tools/vm/run), but works on any machine where
# the module may be loaded.
#
# Each test runs under the timeout of the `settings` file.  Its checks'
# result lines ("ok - WHAT", "not ok - WHAT", see lib.sh) are numbered and
# nested under the test's own result; the rest of its output is printed as
# diagnostics, each line after the seconds since the test started (where
# a test spends its time); a closing comment gives the test's time and the
# processes it started (a process costs a quarter of a second under the
# debug kernel).  With NGRE_TIMES=1 each result line comes after the
# seconds it came at, too.  Exit 0 if no test failed.
set -u
cd "$(dirname "$0")" || exit 1

timeout=$(sed -n 's/^timeout=//p' settings)
if [ $# -gt 0 ]; then
	tests=("$@")
else
	read -r -a tests <<< "$(sed -n 's/^TEST_PROGS += //p' Makefile | tr '\n' ' ')"
fi

echo "TAP version 13"
echo "1..${#tests[@]}"
fifo=$(mktemp -u /tmp/ngre-run.XXXXXX)
mkfifo "$fifo" || exit 1
trap 'rm -f "$fifo"' EXIT
# forks: the processes started since boot.
forks() { sed -n 's/^processes //p' /proc/stat; }

n=0 failed=0
for t in "${tests[@]}"; do
	n=$((n + 1))
	echo "# selftests: ngre: $t"
	# timeout(1) leads a process group of its own: whatever the test
	# leaves running is found there, reported and killed, so a stray
	# background process can neither hold the output open nor outlive
	# its test.
	t0=$SECONDS
	forks0=$(forks)
	(k=0
	 printf '    KTAP version 1\n    # Subtest: %s\n' "$t"
	 while IFS= read -r line || [ -n "$line" ]; do
		case $line in
		"ok - "* | "not ok - "*)
			k=$((k + 1))
			[ -n "${NGRE_TIMES:-}" ] && printf '    # %4d\n' $((SECONDS - t0))
			printf '    %s %d %s\n' "${line%% - *}" $k "${line#* - }" ;;
		*)
			printf '    # %4d %s\n' $((SECONDS - t0)) "$line" ;;
		esac
	 done < "$fifo"
	 printf '    1..%d\n' $k) &
	printer=$!
	timeout -k 10 "${timeout:-300}" ./"$t" > "$fifo" 2>&1 &
	pid=$!
	wait "$pid"
	rc=$?
	if kill -0 -- "-$pid" 2>/dev/null; then
		echo "# $t: left processes running: $(pgrep -g "$pid" -d ' ' -l)"
		kill -KILL -- "-$pid" 2>/dev/null
		[ "$rc" = 0 ] && rc=1
	fi
	wait "$printer"
	echo "# $t took $((SECONDS - t0))s, $(($(forks) - forks0)) processes"
	# A test must leave the module unloaded; do not let one failure
	# cascade into the next test.
	[ -d /sys/module/ngre ] && rmmod ngre 2>/dev/null
	case $rc in
	0) echo "ok $n selftests: ngre: $t" ;;
	4) echo "ok $n selftests: ngre: $t # SKIP" ;;
	124) echo "# $t: timed out after ${timeout}s"
	     echo "not ok $n selftests: ngre: $t # TIMEOUT"; failed=1 ;;
	*) echo "not ok $n selftests: ngre: $t # exit=$rc"; failed=1 ;;
	esac
done
exit $failed
