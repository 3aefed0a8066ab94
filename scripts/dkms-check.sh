#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Build ppt with DKMS against each given kernel, in private DKMS trees so
# the host's own DKMS state is never touched.  Prints TAP, one case per
# kernel.
#
#   scripts/dkms-check.sh KREL...
set -uo pipefail

src=$(cd "$(dirname "$0")/.." && pwd)
ver=$(cat "$src/VERSION")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The DKMS source tree: what a package would install in /usr/src/ppt-VER.
tree=$tmp/src/ppt-$ver
"$src/scripts/dkms-tree.sh" "$tree"

mkdir -p "$tmp/dkms"
n=0 failed=0
dkms add --sourcetree "$tmp/src" --dkmstree "$tmp/dkms" -m ppt -v "$ver" >"$tmp/add.log" 2>&1 ||
	sed 's/^/# dkms add: /' "$tmp/add.log"
for krel in "$@"; do
	n=$((n + 1))
	log=$tmp/dkms-$krel.log
	if dkms build --sourcetree "$tmp/src" --dkmstree "$tmp/dkms" -m ppt -v "$ver" -k "$krel" >"$log" 2>&1 &&
	   [ -n "$(find "$tmp/dkms/ppt/$ver/$krel" -name 'ppt.ko*' 2>/dev/null)" ]; then
		echo "ok $n - dkms build for $krel"
	else
		echo "not ok $n - dkms build for $krel"
		sed 's/^/#   /' "$log" | tail -n 30
		find "$tmp/dkms" -name make.log -path "*$krel*" -exec tail -n 20 {} \; | sed 's/^/#   /'
		failed=$((failed + 1))
	fi
done
echo "1..$n"
[ "$failed" -eq 0 ]
