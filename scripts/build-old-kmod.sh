#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Build the last ppt.ko of protocol 1 (PPT_GENL_VERSION 1, before the
# tenant-safety attributes and the asynchronous MATCH_ADD), from this
# repository's history, for the version-skew VM test (tests/vm/67-skew.sh):
# after a DKMS upgrade a new libppt and pptadm may talk to the module that
# is still loaded, until the next reboot or reload.
#
#   scripts/build-old-kmod.sh KDIR OUTDIR
#
# Writes OUTDIR/ppt.ko.  Needs the repository's history (a clone, not an
# export): the commit is named below.
set -euo pipefail

# The last commit whose module speaks protocol 1.
OLD=35cb0ecb7b61cd0e6b2039e6092035789ad177fd

kdir=${1:?usage: build-old-kmod.sh KDIR OUTDIR}
out=${2:?usage: build-old-kmod.sh KDIR OUTDIR}
src=$(cd "$(dirname "$0")/.." && pwd)

if ! git -C "$src" cat-file -e "$OLD^{commit}" 2>/dev/null; then
	echo "build-old-kmod: commit $OLD is not in $src's history (a shallow clone?): fetch it, e.g. git fetch --unshallow" >&2
	exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
git -C "$src" archive "$OLD" Kbuild VERSION kernel include scripts/build-kmod.sh \
	scripts/kcompat.sh | tar -x -C "$tmp"
grep -q '^#define PPT_GENL_VERSION[[:space:]]*1$' "$tmp/include/uapi/linux/ppt.h" || {
	echo "build-old-kmod: $OLD does not speak protocol 1" >&2
	exit 1
}
mkdir -p "$out"
"$tmp/scripts/build-kmod.sh" "$kdir" "$out" W=1
