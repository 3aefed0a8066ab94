#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Install every Debian package ppt needs to build, test and demo.
#
#   scripts/deps.sh          (what `make deps` runs)
#
# Idempotent and quick when everything is present: it asks dpkg first and
# runs apt-get only for what is missing.  Needs root for the install.
set -euo pipefail

packages=(
	# build: module, userspace
	gcc make libc6-dev pkg-config bc flex bison libelf-dev libssl-dev dwarves
	libnl-3-dev libnl-genl-3-dev libpci-dev pciutils
	libblkid-dev libmount-dev
	# the kernels ppt is tested on, their headers, and source for the debug kernels
	linux-image-amd64 linux-headers-amd64
	linux-image-6.12-amd64 linux-headers-6.12-amd64
	linux-source-6.1 linux-source-6.12
	# the VM rig
	qemu-system-x86 busybox-static kmod cpio gzip xz-utils zstd python3 rsync
	# static checks and packaging
	sparse perl dkms
	# netlink tools used by the tests
	libnl-utils
	# the protocol spec check, the independent pyroute2 client, and the
	# kernel's ynl tools (schema validation) that check and use the spec;
	# Nova, whose parser checks pptadm export nova (tests/userspace/check-nova.py)
	python3-yaml python3-pyroute2 python3-jsonschema python3-nova
	# promtool, which checks pptadm export prometheus and the guide's
	# alerting rules (tests/userspace/check-prometheus.sh)
	prometheus
	# the manual pages' lint (tests/userspace/check-docs.sh)
	groff-base man-db mandoc
	# libppt's ABI check against its baseline (tests/userspace/check-abi.sh)
	abigail-tools
	# systemd-analyze, which reads the installed ppt-agent.service
	# (scripts/install-check.sh)
	systemd
	# libFuzzer for the parser fuzzers (tests/fuzz/fuzz_*.c): clang, and its
	# runtimes, which clang only recommends
	clang libclang-rt-14-dev
)

missing=()
for p in "${packages[@]}"; do
	status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[ "$status" = installed ] || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
	echo "deps: all ${#packages[@]} packages installed"
	exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing packages: ${missing[*]}" >&2
	echo "deps: run 'make deps' as root, or: apt-get install ${missing[*]}" >&2
	exit 1
fi
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
