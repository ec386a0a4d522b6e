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
#                        (QUICK=1: one short round of each, 13 minutes)
#   make sparse          the module through sparse
#   make checkpatch      every source file through the kernel's checkpatch.pl
#   make deps            install every Debian package the above need
#   make install         the module for KVER (then depmod), the CLI, its man
#                        page and bash completion (DESTDIR, PREFIX=/usr/local)
#   make uninstall       remove what make install installed
#   make dkms-install    the module's sources into /usr/src and DKMS, built
#                        and installed for KVER (dkms-remove: all of it out)
#   make deb             Debian packages ngre-dkms and ngre-tools in deb/
#
# KVER defaults to the newest installed Debian kernel that has headers (not
# `uname -r`); KDIR to its build tree.

KVER ?= $(shell tools/kver.sh)
KDIR ?= /lib/modules/$(KVER)/build
PREFIX ?= /usr/local
VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"$$/\1/p' dkms.conf)
# What DKMS builds the module from (dkms-install and ngre-dkms): the
# sources alone, no build output.
DKMS_SRC = Kbuild dkms.conf kmod/Kbuild \
	$(filter-out %.mod.c,$(wildcard kmod/*.[ch])) $(wildcard uapi/linux/*.h)
DKMS_DIR = $(DESTDIR)/usr/src/ngre-$(VERSION)
NGRE_CACHE ?= $(HOME)/.cache/ngre
export NGRE_CACHE

# Module build flags: W=1 always; NGRE_WERROR=1 turns warnings into errors.
KMAKE = $(MAKE) -C $(KDIR) M=$(CURDIR) W=1

.PHONY: all module tools selftests clean check check-debug check-all sparse checkpatch \
	deps install install-module install-tools install-dkms-src uninstall dkms-install \
	dkms-remove deb splat-module demo bench

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

install: install-module install-tools

# Into /lib/modules/KVER/extra, as it was built (not signed: DKMS signs
# what it builds where the system wants it); depmod only for the running
# system (a package's or an image's DESTDIR is the packager's to index).
install-module: module
	install -D -m 644 kmod/ngre.ko $(DESTDIR)/lib/modules/$(KVER)/extra/ngre.ko
	$(if $(DESTDIR),,depmod -a $(KVER))

install-tools: tools
	install -D -m 755 tools/ngre/ngre $(DESTDIR)$(PREFIX)/sbin/ngre
	install -D -m 644 Documentation/ngre.8 $(DESTDIR)$(PREFIX)/share/man/man8/ngre.8
	install -D -m 644 tools/ngre/completion.bash \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions/ngre

# The module of every kernel (installed for an older one, maybe).
uninstall:
	for m in $(wildcard $(DESTDIR)/lib/modules/*/extra/ngre.ko); do \
		rm -f $$m; \
		$(if $(DESTDIR),:,depmod -a $$(basename $$(dirname $$(dirname $$m)))); \
	done
	rm -f $(DESTDIR)$(PREFIX)/sbin/ngre $(DESTDIR)$(PREFIX)/share/man/man8/ngre.8 \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions/ngre

# The sources DKMS builds from, into DESTDIR/usr/src/ngre-VERSION.
install-dkms-src:
	rm -rf $(DKMS_DIR)
	install -d $(DKMS_DIR)
	cp --parents $(DKMS_SRC) $(DKMS_DIR)/

# Not over the ngre-dkms package's sources; over an earlier dkms-install
# of this version, which DKMS forgets first.
dkms-install:
	@! dpkg -S /usr/src/ngre-$(VERSION) >/dev/null 2>&1 || \
		{ echo "dkms-install: /usr/src/ngre-$(VERSION) is ngre-dkms's" >&2; exit 1; }
	-dkms remove ngre/$(VERSION) --all >/dev/null 2>&1
	$(MAKE) install-dkms-src DESTDIR=
	dkms add ngre/$(VERSION)
	dkms install ngre/$(VERSION) -k $(KVER)

dkms-remove:
	@! dpkg -S /usr/src/ngre-$(VERSION) >/dev/null 2>&1 || \
		{ echo "dkms-remove: /usr/src/ngre-$(VERSION) is ngre-dkms's (apt remove it)" >&2; exit 1; }
	-dkms remove ngre/$(VERSION) --all
	rm -rf /usr/src/ngre-$(VERSION)

# debian/changelog must name dkms.conf's version.  dpkg-buildpackage
# leaves its files in the folder above; they are moved into deb/.
deb:
	@v=$$(dpkg-parsechangelog -S Version); [ "$$v" = "$(VERSION)" ] || \
		{ echo "deb: debian/changelog has $$v, dkms.conf $(VERSION)" >&2; exit 1; }
	dpkg-buildpackage -b -us -uc
	mkdir -p deb
	mv ../ngre-dkms_$(VERSION)_all.deb ../ngre-tools*_$(VERSION)_*.deb \
		../ngre_$(VERSION)_*.buildinfo ../ngre_$(VERSION)_*.changes deb/

clean:
	$(KMAKE) clean
	rm -rf deb
	$(MAKE) -C $(KDIR) M=$(CURDIR)/selftests/harness clean
	$(MAKE) -C tools/ngre clean
	$(MAKE) -C selftests clean
