#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# `make check`: every test ppt has, from nothing.
#
#   scripts/check.sh [STAGE...]     (default: all stages, in this order)
#
# Stages: build, userspace, static, dkms, host (make install against the
# README's file list; a Debian initramfs with ppt's hook booted in a VM),
# demo (`make demo` from a tree with nothing built, its steps checked),
# kunit, vm-6.1, vm-6.12, vm-debug
# (the VM tests that list "debug" in their "# kernels:" line, on the
# lockdep debug kernel the KUnit stage builds), vm-debug-6.12 (the same
# tests on the same kind of kernel built from linux-source-6.12; its first
# run builds and caches that kernel), vm-kasan (the unload and hot-unplug
# tests on the KASAN + kmemleak variant, which has no lockdep).
# vm-kasan-6.12 runs the same two tests on that variant built from
# linux-source-6.12; it is not in the default list (its kernel build and
# its two VMs would take CI past its time budget), so name it to run it.
# The VM stages run last, one after the other; PPT_VM_LANES=2 runs them
# in two parallel lanes instead, after the debug kernels they need are
# built, each printing its log when it ends.
# Each stage prints its own results and ends with "NAME: N passed,
# N failed"; a stage that fails without saying how much counts as one
# failure.  A failing stage does not stop the others.  The last line is
# the total, "N passed, N failed"; the exit status is 1 on any failure.
# When a stage fails, a "=== failures" block before the summary shows its
# first failed cases (CI keeps only the end of the output).
# Logs go to build/check/STAGE.log, kernel builds are cached in
# $PPT_CACHE (default ~/.cache/ppt).
set -uo pipefail

src=$(cd "$(dirname "$0")/.." && pwd)
cd "$src"
build=${PPT_BUILD:-$src/build}
export PPT_BUILD=$build
export PPT_CACHE=${PPT_CACHE:-$HOME/.cache/ppt}
logdir=$build/check
mkdir -p "$logdir"

stages=("$@")
[ ${#stages[@]} -gt 0 ] || stages=(build userspace static dkms host demo kunit vm-6.1 vm-6.12 vm-debug vm-debug-6.12 vm-kasan)

total_pass=0 total_fail=0
summary=() failed_stages=()

# run_stage NAME COMMAND...: run, log, and add the stage's counts.
run_stage() {
	local name=$1 log=$logdir/$1.log t0 rc
	shift
	echo "=== $name"
	t0=$(date +%s)
	"$@" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	account_stage "$name" "$rc" $(($(date +%s) - t0))
}

# account_stage NAME RC SECONDS: add a finished stage's counts (from its log).
account_stage() {
	local name=$1 rc=$2 secs=$3 log=$logdir/$1.log line p f
	line=$(grep -E '^[^ ].*: [0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
	p=$(sed -En 's/.*: ([0-9]+) passed, ([0-9]+) failed.*/\1/p' <<<"$line")
	f=$(sed -En 's/.*: ([0-9]+) passed, ([0-9]+) failed.*/\2/p' <<<"$line")
	p=${p:-0} f=${f:-0}
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "not ok - stage $name exited with status $rc"
		f=1
	fi
	total_pass=$((total_pass + p))
	total_fail=$((total_fail + f))
	[ "$f" -eq 0 ] || failed_stages+=("$name")
	summary+=("$(printf '%-13s %4d passed, %d failed  (%ds)' "$name" "$p" "$f" "$secs")")
}

# Kernel build directories and releases for the Debian kernels.
resolve() {	# resolve NAME -> KDIR_<n>, KREL_<n>
	local out
	out=$(scripts/rig/kernel-resolve.sh "$1") || return 1
	eval "$out"
}

# build_step N DESCRIPTION LOG COMMAND...: one TAP line for one build.
build_step() {
	local n=$1 desc=$2 log=$3
	shift 3
	if "$@" >"$log" 2>&1; then
		echo "ok $n - $desc"
	else
		echo "not ok $n - $desc"
		tail -n 30 "$log" | sed 's/^/#   /'
		return 1
	fi
}

stage_build() {
	local n=0 failed=0 k
	for k in 6.1 6.12; do
		n=$((n + 1))
		if ! resolve "$k"; then
			echo "not ok $n - ppt.ko builds against $k (no such kernel)"
			failed=$((failed + 1))
			continue
		fi
		build_step $n "ppt.ko builds against $k ($KREL)" "$logdir/build-$k.log" \
			scripts/build-kmod.sh "$KDIR" "$build/kmod/$KREL" W=1 ||
			failed=$((failed + 1))
		n=$((n + 1))
		build_step $n "the protocol-1 ppt.ko (for 67-skew) builds against $k" \
			"$logdir/build-old-$k.log" \
			scripts/build-old-kmod.sh "$KDIR" "$build/kmod-old/$KREL" ||
			failed=$((failed + 1))
	done
	n=$((n + 1))
	build_step $n "libppt, pptadm and examples/ppt-client build" "$logdir/build-userspace.log" \
		make -s -C userspace O="$build/userspace" || failed=$((failed + 1))
	n=$((n + 1))
	build_step $n "the VM tests' programs build" "$logdir/build-vm-bin.log" \
		make -s -C tests/vm/bin O="$build/tests/vm-bin" || failed=$((failed + 1))
	n=$((n + 1))
	build_step $n "the benchmark client builds" "$logdir/build-bench.log" \
		make -s -C tests/bench O="$build/tests/bench" || failed=$((failed + 1))
	n=$((n + 1))
	build_step $n "the netlink fuzzer builds" "$logdir/build-fuzz.log" \
		make -s -C tests/fuzz O="$build/tests/fuzz" || failed=$((failed + 1))
	echo "build: $((n - failed)) passed, $failed failed"
}

stage_static() {
	local kdirs=() k
	for k in 6.1 6.12; do
		resolve "$k" && kdirs+=("$KDIR")
	done
	scripts/tap-run.sh --name static -- scripts/static-checks.sh "${kdirs[@]}"
}

stage_dkms() {
	local krels=() k
	for k in 6.1 6.12; do
		resolve "$k" && krels+=("$KREL")
	done
	scripts/tap-run.sh --name dkms -- scripts/dkms-check.sh "${krels[@]}"
}

# stage_vm KERNEL [TEST...]: the VM tests for KERNEL (default: per header)
stage_vm() {
	local k=$1
	shift
	resolve "$k" || { echo "vm-$k: cannot resolve kernel $k"; return 1; }
	case $k in
	debug*)
		if ! scripts/build-kmod.sh "$KDIR" "$build/kmod/$KREL" W=1 >"$logdir/build-$k.log" 2>&1; then
			tail -n 30 "$logdir/build-$k.log"
			echo "vm-$k: ppt.ko does not build against the $k kernel"
			return 1
		fi
		;;
	esac
	PPT_KMOD_DIR=$build/kmod/$KREL \
	PPT_GUEST_FILES="$build/kmod-old/$KREL/ppt.ko:/ppt/old/ppt.ko" \
	PPT_GUEST_BINS="$build/userspace/pptadm $build/userspace/ppt-client $build/tests/vm-bin/vfio-test $build/tests/vm-bin/blk-hold $build/tests/vm-bin/ppt-alloc-test $build/tests/vm-bin/nvme-tenant $build/tests/fuzz/ppt-nlfuzz" \
		scripts/rig/vm-suite.sh "$k" "$@"
}

# KASAN slows the guest ten times over: the two tests that touch the most.
# 81-unload (a load with boot lists, every state through an unload and a
# reload, a VFIO program holding an assigned device across it) is the leak
# check of the table, the owner records and the operations; 80-unplug
# (hot-unplug in every state) that of a device's end.  This kernel has no
# lockdep (pciehp's own lock inversion would switch it off at the first
# unplug); the lockdep kernels run the rest.
stage_vm_kasan() {
	PPT_VM_ARGS="--timeout 1200" stage_vm "${1:-debug-kasan}" 81-unload 80-unplug
}

# vm_stage NAME: a VM stage's command.
vm_stage() {
	case $1 in
	vm-kasan)	stage_vm_kasan ;;
	vm-kasan-6.12)	stage_vm_kasan debug-kasan-6.12 ;;
	*)		stage_vm "${1#vm-}" ;;
	esac
}

# With PPT_VM_LANES=N (N > 1) the VM stages run in N lanes at once: a
# test's VM keeps the machine's cores about 60% busy on average (it waits
# for resets, timeouts and the guest's sleeps), so two lanes on 2 cores
# were meant to finish sooner (measured, they did not: see below).  Each
# lane takes the next stage from a queue; a finished stage's log is
# printed whole.  The debug kernels are built first, one after the other:
# a kernel build keeps every core busy.  Not the default: in a full run
# two lanes took the vm-6.1 and vm-6.12 stages 31 and 32 min side by side
# against 13.7 and 11.9 min one after the other (each test ran 1.5 to 2
# times as long beside another guest, and "alone" tests held the other
# lane).  About two guests in a hundred also lose a timer interrupt
# there; run-vm.py runs those again.
run_vm_lanes() {
	local queue=$logdir/vm-queue lanes=$PPT_VM_LANES s k i
	local -a pids=()

	for s in "$@"; do
		case $s in
		vm-kasan)	k=debug-kasan ;;
		vm-kasan-6.12)	k=debug-kasan-6.12 ;;
		vm-debug*)	k=${s#vm-} ;;
		*)		continue ;;
		esac
		echo "=== building the $k kernel (if not cached) for $s"
		resolve "$k" >/dev/null || echo "check: cannot build the $k kernel; $s will fail"
	done
	printf '%s\n' "$@" >"$queue"
	# tests marked "# alone: yes" run with no other VM beside them
	export PPT_VM_LOCK=$logdir/vm-lock
	for ((i = 0; i < lanes; i++)); do
		vm_lane "$queue" &
		pids+=($!)
	done
	wait "${pids[@]}"
	for s in "$@"; do
		account_stage "$s" "$(cat "$logdir/$s.rc" 2>/dev/null || echo 2)" \
			"$(cat "$logdir/$s.secs" 2>/dev/null || echo 0)"
	done
}

# vm_lane QUEUE: run the stages QUEUE holds, one at a time, until it is empty.
vm_lane() {
	local queue=$1 s t0
	while :; do
		s=$(flock "$queue.lock" sh -c 'head -n 1 "$1"; sed -i 1d "$1"' _ "$queue")
		[ -n "$s" ] || return 0
		t0=$(date +%s)
		vm_stage "$s" >"$logdir/$s.log" 2>&1
		echo $? >"$logdir/$s.rc"
		echo $(($(date +%s) - t0)) >"$logdir/$s.secs"
		flock "$queue.lock" sh -c 'echo "=== $1 ($2 s)"; cat "$3"' _ "$s" \
			"$(cat "$logdir/$s.secs")" "$logdir/$s.log"
	done
}

vm_stages=()
for s in "${stages[@]}"; do
	case $s in
	build)		run_stage build stage_build ;;
	userspace)	run_stage userspace make -s -j"$(nproc)" -C tests/userspace O="$build/tests/userspace" check ;;
	static)		run_stage static stage_static ;;
	dkms)		run_stage dkms stage_dkms ;;
	host)		run_stage host scripts/tap-run.sh --name host -- scripts/host-check.sh ;;
	demo)		run_stage demo scripts/demo-check.sh ;;
	kunit)		run_stage kunit scripts/rig/kunit-run.py ;;
	vm-6.1 | vm-6.12 | vm-debug | vm-debug-6.12 | vm-kasan | vm-kasan-6.12)
		if [ "${PPT_VM_LANES:-1}" -gt 1 ]; then
			vm_stages+=("$s")
		else
			run_stage "$s" vm_stage "$s"
		fi
		;;
	*)		echo "check: unknown stage '$s' (stages: build userspace static dkms host demo kunit vm-6.1 vm-6.12 vm-debug vm-debug-6.12 vm-kasan vm-kasan-6.12)" >&2; exit 2 ;;
	esac
done
[ ${#vm_stages[@]} -eq 0 ] || run_vm_lanes "${vm_stages[@]}"

# report_failures: the failed cases, first few of each failed stage, each
# with the first lines of what it said (the command's output, got and
# expected), at most 10 lines in all: what CI's short excerpt of a run's end
# can still show.
report_failures() {
	local s
	for s in "${failed_stages[@]}"; do
		{
			grep -m 1 '^# failed: ' "$logdir/$s.log"
			awk '/(^|: )not ok |rig: guest timed out|rig: error|^check: / {
					if (++n > 3) exit
					print; said = 0; next
				}
				n && said < 3 && /^([^ ]+: )?# / { print; said++; next }
				{ said = 3 }' "$logdir/$s.log"
		} 2>/dev/null | cut -c 1-150 | sed "s/^/$s: /"
	done | head -n 10
}

if [ ${#failed_stages[@]} -gt 0 ]; then
	echo "=== failures (whole logs in $logdir/STAGE.log)"
	report_failures
fi
echo "=== summary"
printf '%s\n' "${summary[@]}"
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
