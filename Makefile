# SPDX-License-Identifier: GPL-2.0
#
# ngre: native GRE tunnels for Linux routers.
#
#   make                 the module (kmod/ngre.ko) and the CLI (tools/ngre/ngre)
#   make demo            the product at work: two sites, tunnels, services
#                        and sessions in a VM (installs what it needs)
#   make selftests       the selftests' programs (needs linux-source-6.12)
#   make check           build, then run the selftests in a VM booting KVER
#   make check-debug     the same on a KASAN/lockdep/kmemleak debug kernel
#   make check-all       check on 6.1 and 6.12 and the debug kernel's tests (what CI runs)
#   make bench           ngre against ip_gre, flowtable and conntrack in a VM
#                        (QUICK=1: a look in a few minutes)
#   make sparse          the module through sparse
#   make checkpatch      every source file through the kernel's checkpatch.pl
#   make deps            install every Debian package the above need
#
# KVER defaults to the newest installed Debian kernel that has headers (not
# `uname -r`); KDIR to its build tree.

KVER ?= $(shell tools/kver.sh)
KDIR ?= /lib/modules/$(KVER)/build
NGRE_CACHE ?= $(HOME)/.cache/ngre
export NGRE_CACHE

# Module build flags: W=1 always; NGRE_WERROR=1 turns warnings into errors.
KMAKE = $(MAKE) -C $(KDIR) M=$(CURDIR) W=1

.PHONY: all module tools selftests clean check check-debug check-all sparse checkpatch \
	deps install splat-module demo bench

all: module tools

module:
	$(KMAKE) modules

tools:
	$(MAKE) -C tools/ngre

selftests:
	$(MAKE) -C selftests all

# The deliberately faulty module that proves the splat detector works;
# built only for `make check`.
splat-module:
	$(MAKE) -C $(KDIR) M=$(CURDIR)/selftests/harness W=1 modules

sparse:
	$(KMAKE) C=2 CHECK=sparse modules

checkpatch:
	@tools/checkpatch.sh

check:
	@tools/check.sh -k $(KVER)

check-debug:
	@tools/check.sh -d

check-all:
	@tools/check-all.sh

deps:
	tools/deps.sh

demo:
	@tools/demo/run.sh

bench:
	@QUICK=$(QUICK) KVER=$(KVER) tools/bench/run

install: all
	$(KMAKE) modules_install
	depmod -a $(KVER)
	install -D -m 755 tools/ngre/ngre $(DESTDIR)/usr/local/sbin/ngre

clean:
	$(KMAKE) clean
	$(MAKE) -C $(KDIR) M=$(CURDIR)/selftests/harness clean
	$(MAKE) -C tools/ngre clean
	$(MAKE) -C selftests clean
