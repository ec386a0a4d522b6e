#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The packages as an operator installs them (tools/check.sh -P, in CI):
# make deb; a clean Debian root; apt installs ngre-tools and ngre-dkms into
# it, and DKMS builds the module for KVER; the VM boots KVER on that root
# and runs selftests/pkg_smoke.sh with what the packages installed.  Then
# the packages are purged (nothing of them stays), and make dkms-install
# and dkms-remove run in the same root.  Prints "ok - WHAT" and
# "not ok - WHAT" lines, as the selftests do; exits 1 if one failed.
#
# Usage: tools/pkg-test.sh KVER    (NGRE_PKG_LOGS=DIR keeps the logs there)
#
# The root: Debian's minbase with iproute2, iputils-ping, kmod and KVER's
# headers, made once by mmdebstrap and cached under $NGRE_CACHE (like the
# debug kernel); each run works on an overlay of it, so it starts clean.
# KVER's modules are the host's, bound into it (installing its image
# would build an initramfs for minutes, and the VM has its own).  apt in
# the root reads the host's package cache.  The script runs in a mount
# namespace of its own: whatever it mounts goes when it ends, however it
# ends.
set -uo pipefail

if [ -z "${NGRE_PKG_NS:-}" ]; then
	NGRE_PKG_NS=1 exec unshare --mount --propagation private "$0" "$@"
	echo "pkg-test: cannot unshare the mount namespace" >&2
	exit 1
fi

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
kver=${1:?usage: tools/pkg-test.sh KVER}
cache=${NGRE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ngre}
version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' dkms.conf)
arch=$(dpkg --print-architecture) march=$(uname -m)
# ok, not_ok, check and $failed, shared with pkg_smoke.sh.
# shellcheck source=selftests/pkg_lib.sh
source selftests/pkg_lib.sh
# give_up WHAT: a failure after which nothing else can run.
give_up() { not_ok "$1"; exit 1; }

run=$(mktemp -d /var/tmp/ngre-pkg.XXXXXX) || exit 1
root=$run/root
logs=${NGRE_PKG_LOGS:-$run}
mkdir -p "$logs" || exit 1
mounts=()
# Unmounted first; --one-file-system even so: rm must never reach what
# is bound in (the host's package cache, its modules).
cleanup() {
	local i
	for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do
		umount "${mounts[i]}" 2>/dev/null || umount -l "${mounts[i]}"
	done
	rm -rf --one-file-system "$run"
}
trap cleanup EXIT
# mnt ARGS... TARGET: mount, undone at the end.
mnt() { mount "$@" && mounts+=("${!#}"); }

# --- the packages -------------------------------------------------------
rm -rf deb
make -s deb > "$logs/deb.log" 2>&1 ||
	{ tail -n 20 "$logs/deb.log" | sed 's/^/# /'; give_up "make deb"; }
ok "make deb: $(cd deb && echo *.deb)"
# Every tag lintian shows; those that stay have a comment in
# debian/*.lintian-overrides.
tags=$(lintian --pedantic -I -E deb/ngre_"$version"_"$arch".changes 2>&1 |
	grep -v '^running with root privileges')
[ -z "$tags" ] || echo "$tags" | sed 's/^/# /'
check "lintian: no tag (pedantic)" [ -z "$tags" ]

# --- the clean root -------------------------------------------------------
sources=/etc/apt/sources.list.d/debian.sources
[ -r "$sources" ] || sources=http://deb.debian.org/debian
recipe=(--variant=minbase --include="iproute2,iputils-ping,kmod,linux-headers-$kver")
key=$( { echo "$sources" "${recipe[@]}"; cat "$sources" 2>/dev/null
	 dpkg-query -W -f='${Version}' "linux-headers-$kver"; } | md5sum | cut -c1-12)
base=$cache/pkgroot-$kver-$key
mkdir -p "$cache"
# Held to the end: another run must not replace the root under this one.
exec 9> "$cache/.pkgroot.lock"
flock 9
if [ ! -f "$base.done" ]; then
	echo "# making the clean root $base (minutes, once)"
	rm -rf --one-file-system "$cache"/pkgroot-"$kver"-*
	# mmdebstrap downloads for itself (the host's package cache is not
	# lent to it: it would unlink the essential packages' files); the
	# package lists stay, for apt in the root.
	if ! mmdebstrap "${recipe[@]}" --skip=cleanup/apt/lists \
		bookworm "$base" "$sources" > "$logs/root.log" 2>&1; then
		tail -n 20 "$logs/root.log" | sed 's/^/# /'
		give_up "the clean root (mmdebstrap)"
	fi
	touch "$base.done"
fi

mkdir -p "$run"/{upper,work} "$root"
mnt -t overlay overlay -o "lowerdir=$base,upperdir=$run/upper,workdir=$run/work" "$root" ||
	give_up "the root's overlay"
mods=$root/lib/modules/$kver
mkdir -p "$mods/kernel" "$root/var/cache/apt/archives"
cp /lib/modules/"$kver"/modules.{order,builtin,builtin.modinfo} "$mods/"
mnt --bind -o ro /lib/modules/"$kver"/kernel "$mods/kernel" &&
	mnt --bind /var/cache/apt/archives "$root/var/cache/apt/archives" &&
	mnt -t proc proc "$root/proc" || give_up "the root's mounts"
in_root() { chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
	DEBIAN_FRONTEND=noninteractive "$@"; }

# --- apt install, DKMS --------------------------------------------------------
# Fresh lists, so that apt finds what the archive has now; the cached
# root's will do if the archive cannot be reached.
in_root apt-get update -q > "$logs/apt-update.log" 2>&1 ||
	echo "# apt-get update failed: the root's lists as they were"
mkdir -p "$root/tmp/debs"
cp deb/ngre-dkms_"$version"_all.deb deb/ngre-tools_"$version"_"$arch".deb "$root/tmp/debs/"
if in_root apt-get install -y -q --no-install-recommends /tmp/debs/ngre-dkms_"$version"_all.deb \
	/tmp/debs/ngre-tools_"$version"_"$arch".deb > "$logs/apt.log" 2>&1; then
	ok "apt install ngre-dkms ngre-tools"
else
	tail -n 30 "$logs/apt.log" | sed 's/^/# /'
	cat "$root"/var/lib/dkms/ngre/"$version"/build/make.log 2>/dev/null | tail -n 20 | sed 's/^/# /'
	give_up "apt install ngre-dkms ngre-tools"
fi
grep -E '^(Building for|Building initial module|Done)' "$logs/apt.log" | sed 's/^/# /'
st=$(in_root dkms status ngre 2>/dev/null)
check "dkms status: $st" [ "$st" = "ngre/$version, $kver, $march: installed" ]
# DKMS compresses the module as the kernel's are (ngre.ko.xz).
ko=$(cd "$root" && ls lib/modules/"$kver"/updates/dkms/ngre.ko* 2>/dev/null)
check "DKMS's module /$ko, version $version" \
	eval '[ -n "$ko" ] && [ "$(modinfo -F version "$root/$ko")" = "$version" ]'
check "depmod knows it" grep -q "^updates/dkms/ngre\.ko[.a-z]*:" "$mods/modules.dep"
for f in /usr/sbin/ngre /usr/share/man/man8/ngre.8.gz \
	/usr/share/bash-completion/completions/ngre; do
	check "ngre-tools installed $f" [ -e "$root$f" ]
done

# --- the VM boots KVER on the root ---------------------------------------------
mkdir -p "$root/ngre-test"
cp selftests/pkg_smoke.sh selftests/pkg_lib.sh "$root/ngre-test/"
(cd "$root/ngre-test" && tools_vm=$top/tools/vm/run &&
	"$tools_vm" -k "$kver" -r "$root" -t 600 -l "$logs/vm.log" -- bash ./pkg_smoke.sh "$kver" "$version") |
	grep -E '^(ok|not ok|#) '
check "the smoke test in the VM on the installed root" [ "${PIPESTATUS[0]}" = 0 ]

# --- purged: nothing stays -------------------------------------------------------
in_root apt-get purge -y -q ngre-dkms ngre-tools > "$logs/purge.log" 2>&1 ||
	{ tail -n 20 "$logs/purge.log" | sed 's/^/# /'; not_ok "apt purge"; }
left=$(cd "$root" && ls -d usr/src/ngre-* var/lib/dkms/ngre lib/modules/*/updates/dkms/ngre.ko* usr/sbin/ngre \
	usr/share/man/man8/ngre.8.gz usr/share/bash-completion/completions/ngre 2>/dev/null)
check "apt purge leaves nothing${left:+: $(echo $left)}" [ -z "$left" ]

# --- make dkms-install and dkms-remove -------------------------------------------
src=$root/tmp/ngre-src
mkdir -p "$src"
cp -r Makefile dkms.conf Kbuild kmod uapi "$src/"
rm -f "$src"/kmod/*.{o,ko,mod,mod.c,cmd} "$src"/kmod/.*.cmd
if in_root make -C /tmp/ngre-src dkms-install KVER="$kver" > "$logs/dkms.log" 2>&1; then
	ok "make dkms-install"
else
	tail -n 20 "$logs/dkms.log" | sed 's/^/# /'
	not_ok "make dkms-install"
fi
check "dkms-install: the module for $kver" \
	eval 'ls "$root"/lib/modules/"$kver"/updates/dkms/ngre.ko* >/dev/null 2>&1'
in_root make -C /tmp/ngre-src dkms-remove KVER="$kver" > "$logs/dkms.log" 2>&1 ||
	{ tail -n 20 "$logs/dkms.log" | sed 's/^/# /'; not_ok "make dkms-remove"; }
left=$(cd "$root" && ls -d usr/src/ngre-* var/lib/dkms/ngre lib/modules/*/updates/dkms/ngre.ko* 2>/dev/null)
check "make dkms-remove leaves nothing${left:+: $(echo $left)}" [ -z "$left" ]
exit $failed
