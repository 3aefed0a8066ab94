#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# $kernel and $moddir are set by dracut.
# shellcheck disable=SC2154
#
# dracut module: ppt, its softdeps (ppt.conf) and boot lists
# (ppt-devices.conf) in the initramfs, loaded by a pre-udev hook before
# udev binds host drivers (the same as rd.driver.pre=ppt).

check() {
	# included whenever ppt is installed for the kernel
	modinfo -k "$kernel" ppt >/dev/null 2>&1 || return 255
	return 0
}

depends() {
	return 0
}

installkernel() {
	hostonly='' instmods ppt
}

install() {
	local f
	for f in /etc/modprobe.d/ppt-devices.conf /etc/modprobe.d/ppt.conf \
		 /lib/modprobe.d/ppt.conf /usr/lib/modprobe.d/ppt.conf; do
		[[ -e $f ]] && inst_simple "$f"
	done
	inst_hook pre-udev 00 "$moddir/ppt-load.sh"
}
