# SPDX-License-Identifier: GPL-2.0-only
#
# ppt: reserve PCI devices for passthrough and hand them to vfio-pci.
#
#   make                 ppt.ko for KDIR, libppt and pptadm
#   make deps            install the Debian packages everything needs
#   make check           every test: unit, KUnit, VM (6.1, 6.12), static, DKMS
#   make demo            boot a VM with fake GPUs and show ppt at work
#   make bench           the benchmarks (ratios, in VMs); table into BENCHMARKS.md
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

.PHONY: all help module userspace deps check demo bench module-dkms clean-dkms clean
