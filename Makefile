# SPDX-License-Identifier: GPL-2.0-only
#
# ppt: reserve PCI devices for passthrough and hand them to vfio-pci.
#
#   make                 ppt.ko for KDIR, libppt and pptadm
#   make deps            install the Debian packages everything needs
#   make check           every test: unit, KUnit, VM (6.1, 6.12), static, DKMS
#   make demo            boot a VM with fake GPUs and show ppt at work
#   make bench           the benchmarks (ratios, in VMs); table into BENCHMARKS.md
#   make fuzz            pptadm's parsers under libFuzzer, FUZZ_TIME s each (300)
#   make install         pptadm, libppt, host integration (DESTDIR, PREFIX)
#   make dkms-install    ppt.ko through DKMS for every kernel with headers
#   make help            all targets
#
# KDIR defaults to the newest installed kernel headers (a machine's running
# kernel may have none).  Each kernel's module is built in build/kmod/KREL.

SHELL := /bin/bash
TOP := $(CURDIR)
BUILD ?= $(TOP)/build
PPT_CACHE ?= $(HOME)/.cache/ppt
export PPT_CACHE

KDIR ?= $(shell ls -d /lib/modules/*/build 2>/dev/null | sort -V | tail -n 1)
KREL = $(shell sed -n 's/^\#define UTS_RELEASE "\(.*\)"/\1/p' $(KDIR)/include/generated/utsrelease.h 2>/dev/null)
KBUILD_ARGS ?= W=1

all: module userspace

help:
	@sed -n 's/^#   make/  make/p' Makefile
	@echo "  make module KDIR=DIR  ppt.ko for one kernel, in build/kmod/KREL/"
	@echo "  make userspace        libppt and pptadm, in build/userspace/"
	@echo "  make dkms.conf        DKMS configuration for this version"
	@echo "  make uninstall        what install installed (same DESTDIR, PREFIX)"
	@echo "  make dkms-remove      ppt out of DKMS, for every kernel"
	@echo "  make clean"

module:
	@if [ -z "$(KDIR)" ] || [ ! -f "$(KDIR)/Makefile" ]; then \
		echo "make: no kernel headers at KDIR='$(KDIR)'; run 'make deps' or set KDIR" >&2; exit 1; fi
	scripts/build-kmod.sh $(KDIR) $(BUILD)/kmod/$(KREL) $(KBUILD_ARGS)

userspace:
	$(MAKE) -C userspace O=$(BUILD)/userspace

deps:
	@scripts/deps.sh

check: deps
	@scripts/check.sh

demo: deps
	@scripts/demo.sh

bench: deps
	@scripts/bench.sh

FUZZ_TIME ?= 300
fuzz: deps
	$(MAKE) -C tests/fuzz O=$(BUILD)/tests/fuzz FUZZ_TIME=$(FUZZ_TIME) fuzz

# DKMS builds in place in its copy of the tree (see dkms.conf).
dkms.conf: dkms/dkms.conf.in VERSION
	sed 's/@VERSION@/$(shell cat VERSION)/' $< > $@

module-dkms:
	scripts/build-kmod.sh $(KDIR) $(TOP)

clean-dkms:
	rm -f ppt.ko *.o *.mod *.mod.c .*.cmd modules.order Module.symvers
	rm -f kernel/*.o kernel/.*.cmd kernel/ppt_compat_gen.h

clean: clean-dkms
	rm -rf $(BUILD) dkms.conf

# Installation.  Userspace goes below PREFIX (userspace/Makefile); the host
# integration goes where its tools look, whatever PREFIX is: modprobe.d
# (softdeps), initramfs-tools' hook and init-top script, dracut's module,
# the netlink spec where the kernel's ynl looks for specs (/usr/share/ynl
# is fixed in its cli.py), and the sanitise agent's systemd unit, which
# runs SBINDIR's pptadm (installed, not enabled: systemctl enable --now
# ppt-agent).
# README's "Installed files" lists every file (a test compares).
PREFIX ?= /usr/local
MODPROBEDIR ?= /lib/modprobe.d
INITRAMFSDIR ?= /usr/share/initramfs-tools
DRACUTDIR ?= /usr/lib/dracut/modules.d
YNLSPECDIR ?= /usr/share/ynl/specs
SYSTEMDUNITDIR ?= /lib/systemd/system
# where userspace/Makefile puts pptadm, for the unit's ExecStart
SBINDIR ?= $(PREFIX)/sbin
HOST_FILES := $(MODPROBEDIR)/ppt.conf \
	$(INITRAMFSDIR)/hooks/ppt $(INITRAMFSDIR)/scripts/init-top/ppt \
	$(DRACUTDIR)/90ppt/module-setup.sh $(DRACUTDIR)/90ppt/ppt-load.sh \
	$(YNLSPECDIR)/ppt.yaml $(SYSTEMDUNITDIR)/ppt-agent.service

install:
	$(MAKE) -C userspace O=$(BUILD)/userspace DESTDIR=$(DESTDIR) PREFIX=$(PREFIX) install
	install -D -m 0644 host/modprobe.d/ppt.conf $(DESTDIR)$(MODPROBEDIR)/ppt.conf
	install -D -m 0755 host/initramfs-tools/hooks/ppt $(DESTDIR)$(INITRAMFSDIR)/hooks/ppt
	install -D -m 0755 host/initramfs-tools/scripts/init-top/ppt \
		$(DESTDIR)$(INITRAMFSDIR)/scripts/init-top/ppt
	install -D -m 0755 host/dracut/90ppt/module-setup.sh $(DESTDIR)$(DRACUTDIR)/90ppt/module-setup.sh
	install -D -m 0755 host/dracut/90ppt/ppt-load.sh $(DESTDIR)$(DRACUTDIR)/90ppt/ppt-load.sh
	install -D -m 0644 docs/netlink/ppt.yaml $(DESTDIR)$(YNLSPECDIR)/ppt.yaml
	install -d $(DESTDIR)$(SYSTEMDUNITDIR)
	sed 's|@SBINDIR@|$(SBINDIR)|' host/systemd/ppt-agent.service \
		> $(DESTDIR)$(SYSTEMDUNITDIR)/ppt-agent.service
	chmod 0644 $(DESTDIR)$(SYSTEMDUNITDIR)/ppt-agent.service
	@if [ -z "$(DESTDIR)" ]; then \
		echo "make install: run update-initramfs -u (or dracut -f) so the initramfs loads ppt"; \
		echo "make install: systemctl daemon-reload; systemctl enable --now ppt-agent starts the sanitise agent"; fi

uninstall:
	$(MAKE) -C userspace O=$(BUILD)/userspace DESTDIR=$(DESTDIR) PREFIX=$(PREFIX) uninstall
	rm -f $(addprefix $(DESTDIR),$(HOST_FILES))
	-rmdir $(DESTDIR)$(DRACUTDIR)/90ppt 2>/dev/null
	-rmdir $(DESTDIR)$(YNLSPECDIR) $(DESTDIR)$(dir $(YNLSPECDIR)) 2>/dev/null
	-rmdir $(DESTDIR)$(SYSTEMDUNITDIR) 2>/dev/null

# DKMS: the source tree in /usr/src/ppt-VERSION, built and installed for
# every kernel that has headers (and, AUTOINSTALL, for kernels installed
# later).  DKMS signs the module with its MOK key when the kernel checks
# signatures; enrol it once: mokutil --import /var/lib/dkms/mok.pub.
VERSION := $(shell cat $(TOP)/VERSION)
DKMS_SRC ?= /usr/src/ppt-$(VERSION)

dkms-install:
	rm -rf $(DKMS_SRC)
	scripts/dkms-tree.sh $(DKMS_SRC)
	dkms add -m ppt -v $(VERSION) || true
	@set -e; for b in /lib/modules/*/build; do \
		[ -e "$$b/Makefile" ] || continue; \
		k=$${b#/lib/modules/}; k=$${k%/build}; \
		dkms install -m ppt -v $(VERSION) -k "$$k"; \
	done

dkms-remove:
	-dkms remove -m ppt -v $(VERSION) --all
	rm -rf $(DKMS_SRC)

.PHONY: all help module userspace deps check demo bench fuzz module-dkms clean-dkms clean \
	install uninstall dkms-install dkms-remove
