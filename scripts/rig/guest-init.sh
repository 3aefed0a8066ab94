#!/bin/sh
# shellcheck shell=sh disable=SC3045,SC3028  # busybox ash: read -t, $RANDOM
# guest-init.sh - /init of the ppt test VM (busybox sh; installed by build-initramfs.sh).
#
# Mounts the pseudo file systems, then either
#   - runs /ppt/test.sh and streams its output (TAP), then the full dmesg, to the
#     host over ttyS1 (framed by "@@RIG BEGIN X" / "@@RIG END X" lines), waits for
#     the host's "@@RIG BYE" and powers off (default), or
#   - with "rig.mode=shell" on the kernel command line, gives a shell on the console.
# No udev and no hotplug helper: nothing loads drivers unless a test does.
# The host side of ttyS1 is scripts/rig/run-vm.py; see scripts/rig/README.md.

export PATH=/ppt/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root TERM=vt100

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t debugfs debugfs /sys/kernel/debug
mount -t tmpfs tmpfs /tmp
mount -t tmpfs tmpfs /run
hostname ppt-vm

# Nothing may load drivers behind the tests' back.
[ ! -w /proc/sys/kernel/hotplug ] || echo >/proc/sys/kernel/hotplug
# All SysRq functions: on a timeout run-vm.py asks for stack dumps (SysRq-w, -l).
[ ! -w /proc/sys/kernel/sysrq ] || echo 1 >/proc/sys/kernel/sysrq
# Report tasks stuck in D state well within a test's time limit.
[ ! -w /proc/sys/kernel/hung_task_timeout_secs ] || echo 30 >/proc/sys/kernel/hung_task_timeout_secs

mode="test"
for arg in $(cat /proc/cmdline); do
	case $arg in rig.mode=*) mode=${arg#rig.mode=} ;; esac
done

# ttyS1 is the channel to the host: raw (no CR/LF mangling), no echo (replies the
# host sends must not bounce back), kept open on fd 3 so its settings stay.
exec 3<>/dev/ttyS1
stty raw -echo <&3
chan() { printf '%s\n' "$*" >&3; }

if [ "$mode" = shell ]; then
	cat <<'EOF'

ppt rig shell: the test is /ppt/test.sh (run: sh /ppt/test.sh), helpers in /ppt/lib.sh
(. /ppt/lib.sh; then e.g. qmp '{"execute":"query-status"}'). Leave with: poweroff -f
(or Ctrl-A x in QEMU).
EOF
	cd /root || true
	setsid cttyhack sh -l
	poweroff -f
fi

cd /tmp || true
chan "@@RIG BEGIN TAP"
sh /ppt/test.sh </dev/null >&3 2>&1 3>&-
status=$?
chan "@@RIG END TAP status=$status"

if [ -e /sys/kernel/debug/kmemleak ]; then
	# kmemleak reports an object only when two scans in a row find it
	# unreferenced and unchanged (its first checksum counts as a change)
	echo scan >/sys/kernel/debug/kmemleak 2>/dev/null
	echo scan >/sys/kernel/debug/kmemleak 2>/dev/null
	chan "@@RIG BEGIN KMEMLEAK"
	cat /sys/kernel/debug/kmemleak >&3 2>&1
	chan "@@RIG END KMEMLEAK"
fi

chan "@@RIG BEGIN DMESG"
dmesg >&3 2>&1
chan "@@RIG END DMESG"
chan "@@RIG DONE"

# Power off only once the host has everything (tty output may still be queued).
while read -r -t 20 line <&3; do
	case $line in "@@RIG BYE"*) break ;; esac
done
poweroff -f
