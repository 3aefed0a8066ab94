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

mode="test" hostfs=
for arg in $(cat /proc/cmdline); do
	case $arg in
	rig.mode=*) mode=${arg#rig.mode=} ;;
	rig.hostfs=*) hostfs=${arg#rig.hostfs=} ;;
	esac
done

# hostfs (a test's "# hostfs: yes"): the host's / shared read-only over virtio-9p
# with mount tag $1, the device "hostfs" of /ppt/topology. It is mounted at
# /.hostfs; /host becomes a root for chroot (host_run in lib.sh): the host's
# top-level directories bound from the share, the guest's /proc, /sys, /dev,
# /tmp and /run, and /ppt. Failures are reported on the console and in
# /run/hostfs.err (host_run prints it).
hostfs_setup() { # TAG
	_pci=$(awk '$1 == "hostfs" {print "0000:00:" $2}' /ppt/topology)
	if [ -z "$_pci" ] || [ ! -e "/sys/bus/pci/devices/$_pci" ]; then
		echo "no hostfs device (/ppt/topology: ${_pci:-none})"
		return 1
	fi
	if [ ! -e "/sys/bus/pci/devices/$_pci/driver" ]; then
		# virtio_pci is a module (6.1): bind it to this device only, so the
		# topology's virtio devices stay without a driver as in other tests
		echo 0 >/sys/bus/pci/drivers_autoprobe
		/sbin/modprobe virtio_pci
		_st=$?
		echo 1 >/sys/bus/pci/drivers_autoprobe
		[ $_st -eq 0 ] || { echo "modprobe virtio_pci failed"; return 1; }
		echo "$_pci" >/sys/bus/pci/drivers/virtio-pci/bind ||
			{ echo "cannot bind virtio-pci to $_pci"; return 1; }
	fi
	if ! /sbin/modprobe 9pnet_virtio || ! /sbin/modprobe 9p; then
		echo "modprobe 9p failed"
		return 1
	fi
	mkdir -p /.hostfs /host
	mount -t 9p -o ro,trans=virtio,version=9p2000.L,msize=262144,cache=loose "$1" /.hostfs ||
		{ echo "mount -t 9p $1 failed"; return 1; }
	mount -t tmpfs -o mode=0755 hostroot /host || return 1
	for _e in /.hostfs/* /.hostfs/.[!.]*; do
		_n=${_e#/.hostfs/}
		case $_n in proc | sys | dev | tmp | run | ppt | '.[!.]*') continue ;; esac
		if [ -L "$_e" ]; then
			ln -s "$(readlink "$_e")" "/host/$_n"
		elif [ -d "$_e" ]; then
			mkdir "/host/$_n" && mount --bind "$_e" "/host/$_n" || return 1
		fi
	done
	for _n in proc sys dev tmp run ppt; do
		mkdir "/host/$_n" && mount -o rbind "/$_n" "/host/$_n" || return 1
	done
	mount -o remount,ro /host
}
if [ -n "$hostfs" ]; then
	if _why=$(hostfs_setup "$hostfs" 2>&1); then
		echo "rig: hostfs: the host's / is at /host ($hostfs)"
	else
		echo "rig: hostfs setup failed: $_why" | tee /run/hostfs.err
	fi
fi

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
