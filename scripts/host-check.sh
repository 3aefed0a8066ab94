#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The host integration, as one TAP stream: `make install` against the
# README's file list (scripts/install-check.sh), and Debian's initramfs
# with ppt's hook booted in a VM (scripts/rig/initramfs-boot.sh): on 6.1
# ppt is loaded by the init-top script, on 6.12 by the softdep alone.
set -uo pipefail

src=$(cd "$(dirname "$0")/.." && pwd)
n=0 failed=0

run() {	# run PREFIX COMMAND...: its cases, renumbered
	local out rc line
	out=$("${@:2}" 2>&1)
	rc=$?
	while IFS= read -r line; do
		case $line in
		"ok "*) n=$((n + 1)); echo "ok $n - $1${line#ok * - }" ;;
		"not ok "*) n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1${line#not ok * - }" ;;
		1..*) ;;
		*) echo "$line" ;;
		esac
	done <<<"$out"
	if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
		n=$((n + 1)) failed=$((failed + 1))
		echo "not ok $n - ${*:2} exited with status $rc"
	fi
}

run "install: " "$src/scripts/install-check.sh"
run "initramfs " "$src/scripts/rig/initramfs-boot.sh" 6.1 init-top
run "initramfs " "$src/scripts/rig/initramfs-boot.sh" 6.12 softdep
echo "1..$n"
[ "$failed" -eq 0 ]
