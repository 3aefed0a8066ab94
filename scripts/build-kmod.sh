#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Build ppt.ko for one kernel in a build directory of its own, so builds for
# several kernels (Debian 6.1, 6.12, the debug kernel) coexist and stay
# incremental.
#
#   scripts/build-kmod.sh KDIR OUTDIR [kbuild arguments, e.g. W=1 C=2]
#
# Copies the module's sources (Kbuild, VERSION, kernel/, include/) into
# OUTDIR keeping their timestamps, runs the compatibility probes, then Kbuild.
# With OUTDIR equal to the source tree (as DKMS does) it builds in place.
set -euo pipefail

kdir=${1:?usage: build-kmod.sh KDIR OUTDIR [kbuild args]}
out=${2:?usage: build-kmod.sh KDIR OUTDIR [kbuild args]}
shift 2
src=$(cd "$(dirname "$0")/.." && pwd)

if [ ! -f "$kdir/Makefile" ]; then
	echo "build-kmod: $kdir is not a kernel build directory; install the kernel's headers (make deps) or set KDIR" >&2
	exit 1
fi
mkdir -p "$out"
out=$(cd "$out" && pwd)
if [ "$out" != "$src" ]; then
	mkdir -p "$out/kernel" "$out/include"
	cp -p "$src/Kbuild" "$src/VERSION" "$out/"
	# only sources: the build directory keeps its objects and probe header
	cp -p "$src"/kernel/*.[ch] "$out/kernel/"
	cp -pR "$src/include/." "$out/include/"
fi
"$src/scripts/kcompat.sh" "$kdir" "$out"
make -C "$kdir" M="$out" "$@" modules
