#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The benchmarks: each tests/bench/[0-9]*.sh runs in its own VM (the rig,
# like the VM tests) and measures two things side by side in one run,
# printing "# BENCH what|baseline|measured|ratio|goal" lines.  This script
# collects them into one table, prints it, and records it in BENCHMARKS.md
# with the date, the kernel and the command that reproduces it.
#
#   scripts/bench.sh [KERNEL] [BENCH...]    (what `make bench` runs;
#                                            KERNEL default 6.1)
#
# Ratios, not absolute times, are the result: QEMU TCG on a shared machine
# is slow and noisy, but both sides of a ratio run in the same VM at the
# same time.  Never a pass/fail test: the goal column is for the reader.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
kname=${1:-6.1}
[ $# -eq 0 ] || shift
benches=("$@")
if [ ${#benches[@]} -eq 0 ]; then
	for f in tests/bench/[0-9]*.sh; do benches+=("$f"); done
fi

eval "$(scripts/rig/kernel-resolve.sh "$kname")"
: "${KREL:?}" "${KDIR:?}"
make -s module KDIR="$KDIR"
make -s userspace
make -s -C tests/bench
make -s -C tests/vm/bin O="$ROOT/build/tests/vm-bin"

export PPT_GUEST_BINS="$ROOT/build/userspace/pptadm $ROOT/build/tests/bench/ppt-bench $ROOT/build/tests/bench/ppt-alloc-bench $ROOT/build/tests/bench/ppt-timeit $ROOT/build/tests/vm-bin/vfio-test"
rows=()
failed=0
for b in "${benches[@]}"; do
	name=$(basename "$b" .sh)
	if ! scripts/rig/vm-suite.sh "$kname" "$b" >"build/bench-$name.log" 2>&1; then
		echo "bench: $name failed; see build/bench-$name.log" >&2
		failed=1
	fi
	while IFS= read -r line; do
		rows+=("${line#*# BENCH }")
	done < <(grep '# BENCH ' "build/vm/$kname/$name/results.tap" 2>/dev/null || true)
done

table=$(
	echo "| benchmark | baseline | measured | ratio | goal |"
	echo "|---|---|---|---|---|"
	for r in "${rows[@]}"; do echo "| ${r//|/ | } |"; done
)
echo "$table"

{
	echo
	echo "## $(date -u +%Y-%m-%d) — kernel $KREL, QEMU TCG, $(nproc) host cores"
	echo
	echo "Reproduce: \`make bench\` (or \`scripts/bench.sh $kname${benches:+ ${benches[*]}}\`)."
	echo
	echo "$table"
} >>BENCHMARKS.md
echo "bench: recorded in BENCHMARKS.md"
exit "$failed"
