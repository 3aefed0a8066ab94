#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Write ppt's DKMS source tree (what /usr/src/ppt-VERSION holds) to DIR:
# the module's sources, its build helpers and dkms.conf for VERSION.
#
#   scripts/dkms-tree.sh DIR
set -euo pipefail

src=$(cd "$(dirname "$0")/.." && pwd)
tree=${1:?usage: dkms-tree.sh DIR}
mkdir -p "$tree/scripts"
cp -pR "$src/Kbuild" "$src/Makefile" "$src/VERSION" "$src/kernel" "$src/include" "$src/dkms" "$tree/"
cp -p "$src/scripts/build-kmod.sh" "$src/scripts/kcompat.sh" "$tree/scripts/"
make -s -C "$tree" dkms.conf >/dev/null
