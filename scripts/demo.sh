#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# `make demo`: build ppt for Debian's 6.12 kernel, boot the gpu topology in
# QEMU and show what ppt sees and does (scripts/demo/guest.sh narrates).
#
#   scripts/demo.sh [KERNEL]     KERNEL: 6.12 (default) or 6.1
set -euo pipefail

src=$(cd "$(dirname "$0")/.." && pwd)
cd "$src"
kernel=${1:-6.12}
build=${PPT_BUILD:-$src/build}

eval "$(scripts/rig/kernel-resolve.sh "$kernel")"
mkdir -p "$build"
echo "demo: building ppt.ko for $KREL and pptadm" >&2
scripts/build-kmod.sh "$KDIR" "$build/kmod/$KREL" >"$build/demo-build.log" 2>&1 ||
	{ tail -n 30 "$build/demo-build.log" >&2; exit 1; }
make -s -C userspace O="$build/userspace" >>"$build/demo-build.log" 2>&1 ||
	{ tail -n 30 "$build/demo-build.log" >&2; exit 1; }
make -s -C tests/vm/bin O="$build/tests/vm-bin" >>"$build/demo-build.log" 2>&1 ||
	{ tail -n 30 "$build/demo-build.log" >&2; exit 1; }
echo "demo: booting the gpu topology on $KREL under QEMU (TCG; about 15 s)" >&2
exec scripts/rig/run-vm.py --kernel "$kernel" --topology gpu \
	--append "ppt.ids=1234:1111" \
	--test scripts/demo/guest.sh --kmod "$build/kmod/$KREL" \
	--bin "$build/userspace/pptadm" "$build/tests/vm-bin/vfio-test" \
	--out "$build/vm/demo"
