#!/bin/bash
# vm-suite.sh - run the VM tests (tests/vm/*.sh) for one kernel, each in its own VM.
#
# Usage: scripts/rig/vm-suite.sh KERNEL [TEST...]
#   KERNEL   6.1 | 6.12 | debug | debug-VARIANT | debug-N.N (e.g. debug-6.12)
#   TEST     test files or names (e.g. 00-rig); default: every tests/vm/[0-9]*.sh
#            whose "# kernels:" header lists KERNEL ("debug" also matches
#            debug-*: debug-6.12, and debug-kasan when it is run without
#            TESTs; make check names its kasan tests; "!debug-6.12" leaves
#            that one out again; no header = all kernels). Named tests
#            always run.
# Environment:
#   PPT_KMOD_DIR     project modules for the guest (default build/kmod/KREL/ if it
#                    exists; if PPT_KMOD_DIR is set, the directory must exist)
#   PPT_GUEST_BINS   space-separated host executables for the guest's /ppt/bin
#   PPT_GUEST_FILES  space-separated SRC:DEST files for the guest (e.g. the
#                    protocol-1 module, as /ppt/old/ppt.ko); a SRC that does
#                    not exist is left out
#   PPT_VM_ARGS      extra arguments for run-vm.py (e.g. "--timeout 600")
#   PPT_VM_LOCK      a lock file shared with other suites running at the same
#                    time (make check's lanes): a test whose header says
#                    "# alone: yes" runs while no other VM runs, every other
#                    test beside the others
# Results: build/vm/KERNEL/TEST/ (results.tap, dmesg.txt, console.log, ...).
# Prints each test's TAP prefixed with its name, then "vm KERNEL: N passed, N failed"
# (tests, i.e. VMs). Exit status: 0 all passed, 1 a test failed, 2 a rig failure.
set -euo pipefail

RIG_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$RIG_DIR/../.." && pwd)
PROG=vm-suite.sh

die() { echo "$PROG: $*" >&2; exit 2; }

[ $# -ge 1 ] || die "usage: $PROG KERNEL [TEST...]"
KNAME=$1
shift

eval "$("$RIG_DIR/kernel-resolve.sh" "$KNAME")" || die "cannot resolve kernel '$KNAME'"

kmod_args=()
if [ -n "${PPT_KMOD_DIR:-}" ]; then
	[ -d "$PPT_KMOD_DIR" ] || die "PPT_KMOD_DIR=$PPT_KMOD_DIR is not a directory"
	kmod_args=(--kmod "$PPT_KMOD_DIR")
elif [ -d "$ROOT/build/kmod/$KREL" ]; then
	kmod_args=(--kmod "$ROOT/build/kmod/$KREL")
else
	echo "$PROG: note: no build/kmod/$KREL/ and no PPT_KMOD_DIR: running without project modules" >&2
fi
bin_args=()
if [ -n "${PPT_GUEST_BINS:-}" ]; then
	read -r -a bins <<<"$PPT_GUEST_BINS"
	bin_args=(--bin "${bins[@]}")
fi
for f in ${PPT_GUEST_FILES:-}; do
	[ -e "${f%%:*}" ] && bin_args+=(--file "$f")
done
read -r -a extra <<<"${PPT_VM_ARGS:-}"

# Does the test's "# kernels:" header include KNAME?
wants_kernel() { # FILE
	local line k
	line=$(grep -m1 -E '^#[[:space:]]*kernels:' "$1" || true)
	[ -n "$line" ] || return 0
	# "!KERNEL" leaves one out that "debug" would take in
	for k in ${line#*:}; do
		[ "$k" = "!$KNAME" ] && return 1
	done
	for k in ${line#*:}; do
		[ "$k" = "$KNAME" ] && return 0
		[ "$k" = debug ] && [ "${KNAME#debug-}" != "$KNAME" ] && return 0
	done
	return 1
}

tests=()
if [ $# -gt 0 ]; then
	for t in "$@"; do
		if [ -f "$t" ]; then
			tests+=("$t")
		elif [ -f "$ROOT/tests/vm/$t" ]; then
			tests+=("$ROOT/tests/vm/$t")
		elif [ -f "$ROOT/tests/vm/$t.sh" ]; then
			tests+=("$ROOT/tests/vm/$t.sh")
		else
			die "no test '$t' (looked for it as a file and in tests/vm/)"
		fi
	done
else
	for t in "$ROOT"/tests/vm/[0-9]*.sh; do
		[ -f "$t" ] || continue
		if wants_kernel "$t"; then tests+=("$t"); else echo "# skipping $(basename "$t" .sh): not for kernel $KNAME" ; fi
	done
	[ ${#tests[@]} -gt 0 ] || die "no tests in $ROOT/tests/vm for kernel $KNAME"
fi

# With PPT_VM_LOCK, each test holds it shared, or exclusively for "alone"
# tests.  The turnstile (taken briefly before it) keeps a waiting "alone"
# test from being overtaken again and again by the next shared holder.
lock_fd='' turn_fd=''
if [ -n "${PPT_VM_LOCK:-}" ]; then
	exec {lock_fd}>>"$PPT_VM_LOCK" {turn_fd}>>"$PPT_VM_LOCK.turnstile"
fi
vm_lock() { # FILE
	[ -n "$lock_fd" ] || return 0
	flock -x "$turn_fd"
	if grep -qE '^#[[:space:]]*alone:[[:space:]]*yes' "$1"; then
		flock -x "$lock_fd"
	else
		flock -s "$lock_fd"
	fi
	flock -u "$turn_fd"
}
vm_unlock() { [ -z "$lock_fd" ] || flock -u "$lock_fd"; }

passed=0 failed=0 rigfail=0 failed_names=()
start=$SECONDS
for t in "${tests[@]}"; do
	name=$(basename "$t" .sh)
	out=$ROOT/build/vm/$KNAME/$name
	vm_lock "$t"
	t0=$SECONDS
	mkdir -p "$out"
	set +e
	"$RIG_DIR/run-vm.py" --kernel "$KNAME" --test "$t" --out "$out" \
		"${kmod_args[@]}" ${bin_args[@]+"${bin_args[@]}"} ${extra[@]+"${extra[@]}"} 2>"$out/run-vm.stderr" |
		sed "s/^/$name: /"
	rc=${PIPESTATUS[0]}
	set -e
	vm_unlock
	# rig messages (timeouts, crashes, the summary line) follow the TAP
	sed "s/^/$name: /" "$out/run-vm.stderr" >&2
	case $rc in
	0) passed=$((passed + 1)) ;;
	1) failed=$((failed + 1)) failed_names+=("$name") ;;
	*) failed=$((failed + 1)) rigfail=$((rigfail + 1)) failed_names+=("$name(rig)") ;;
	esac
	echo "# $name: exit $rc in $((SECONDS - t0)) s"
done

[ ${#failed_names[@]} -eq 0 ] || echo "# failed: ${failed_names[*]}"
echo "# total $((SECONDS - start)) s"
echo "vm $KNAME: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && exit 0
[ "$rigfail" -eq "$failed" ] && exit 2
exit 1
