#!/bin/sh
# 20-boot-claim.sh - functions named on the kernel command line (ppt.ids=,
# ppt.devices=, ppt.paths=) are held by ppt and never reach their host
# driver when ppt loads first (as from the initramfs); unlisted twins bind
# their host drivers; listed functions that appear later are claimed too;
# unload returns them to host drivers; a reload does not take functions
# host drivers hold.
# topology: gpu
# append: ppt.ids=1234:1111 ppt.devices=0000:09:00.0 ppt.paths=0000:00/05.0/00.0/01.0
# kernels: 6.1 6.12
# timeout: 300
#
# Not on debug kernels: the hot-unplug case trips a kernel lockdep report in
# pciehp (see 01-qmp.sh).
# shellcheck source=tests/vm/lib.sh
. /ppt/lib.sh

[ -n "$RIG_KMODS" ] || bail_out "no ppt.ko in this initramfs (run with --kmod)"

g0=$(bdf gpu0) g1=$(bdf gpu1) a0=$(bdf gpu0-audio) a1=$(bdf gpu1-audio)
nic=$(bdf nic0) pnic=$(bdf pbr0-nic) swnic=$(bdf sw0-nic)
is "nic0 sits where ppt.devices= says" "$nic" 0000:09:00.0

# ppt first, from the command line's parameters (kmod's modprobe reads
# /proc/cmdline), then every host driver by modalias, as udev's coldplug would.
ok "modprobe ppt (parameters from the kernel command line)" modprobe ppt
like "ppt parsed the boot lists" "$(dmesg | grep 'ppt: boot lists')" '1 ids, 1 devices, 1 paths'
for d in /sys/bus/pci/devices/*; do
	modprobe -q "$(cat "$d/modalias")" 2>/dev/null
done
diag "host drivers loaded: $(lsmod | awk 'NR > 1 { print $1 }' | tr '\n' ' ')"

ok "bochs-drm (the fake GPUs' host driver) is loaded" test -d /sys/bus/pci/drivers/bochs-drm
is "gpu0 (ids=1234:1111) is held by ppt" "$(drv "$g0")" ppt
is "gpu1 (ids=1234:1111) is held by ppt" "$(drv "$g1")" ppt
# bochs-drm logs "Found bochs VGA" on every probe (checked after unload below)
is "bochs-drm never probed a fake GPU" "$(dmesg | grep -c 'Found bochs VGA')" 0
is "nic0 (devices=0000:09:00.0) is held by ppt" "$(drv "$nic")" ppt
is "pbr0-nic (paths=0000:00/05.0/00.0/01.0) is held by ppt" "$(drv "$pnic")" ppt
# positive controls: the same host drivers bind unlisted twins
is "gpu0-audio (unlisted) binds snd_hda_intel" "$(drv "$a0")" snd_hda_intel
is "sw0-nic (unlisted e1000e, twin of nic0) binds e1000e" "$(drv "$swnic")" e1000e
is "pbr0-edu (unlisted, same bus as pbr0-nic) is not ppt's" "$(drv "$(bdf pbr0-edu)")" ""
ok "e1000 (pbr0-nic's host driver) is loaded" test -d /sys/bus/pci/drivers/e1000

is "pptadm: four functions, all reserved and boot-listed" \
	"$(pptadm -p -o state,boot list | sort | uniq -c | tr -s ' ')" " 4 reserved:yes"
is "pptadm: the listed functions, by address" \
	"$(pptadm -p -o addr list | sed 's/\\//g' | sort | tr '\n' ' ')" \
	"$(printf '%s\n' "$g0" "$g1" "$nic" "$pnic" | sort | tr '\n' ' ')"
is "pptadm: pbr0-nic's path is the one given" "$(pptadm -p -o path show "$pnic" | sed 's/\\//g')" \
	0000:00/05.0/00.0/01.0

# A listed function that appears again is claimed before its driver sees it:
# removed and rescanned ...
ok "remove gpu1 from the system" sh -c "echo 1 >/sys/bus/pci/devices/$g1/remove"
wait_for "gpu1 is gone" 10 sh -c "! test -e /sys/bus/pci/devices/$g1"
fails "pptadm no longer lists gpu1" pptadm show "$g1"
ok "rescan the bus" sh -c 'echo 1 >/sys/bus/pci/rescan'
wait_for "gpu1 is back" 10 test -e "/sys/bus/pci/devices/$g1"
is "gpu1 is held by ppt again" "$(drv "$g1")" ppt
is "gpu1-audio went back to snd_hda_intel" "$(drv "$a1")" snd_hda_intel
is "bochs-drm still never probed a fake GPU" "$(dmesg | grep -c 'Found bochs VGA')" 0
is "pptadm: gpu1 reserved again" "$(pptadm -p -o state show "$g1")" reserved

# ... and hot-plugged (pciehp, through QEMU's monitor)
ok "hot-unplug nic0" qmp_device_del nic0
wait_for "nic0 left the system" 30 sh -c "! test -e /sys/bus/pci/devices/$nic"
ok "QEMU reported DEVICE_DELETED for nic0" qmp_wait_event DEVICE_DELETED nic0 30
fails "pptadm no longer lists nic0" pptadm show "$nic"
ok "hot-plug a new e1000e at nic0's place" \
	qmp '{"execute":"device_add","arguments":{"driver":"e1000e","id":"nic0","bus":"rp5"}}'
wait_for "the new NIC appeared" 30 test -e "/sys/bus/pci/devices/$nic/driver"
is "the hot-plugged NIC is held by ppt, not e1000e" "$(drv "$nic")" ppt

# Unload: everything ppt holds goes back to host drivers ...
ok "rmmod ppt" rmmod ppt
is "gpu0 went to bochs-drm" "$(drv "$g0")" bochs-drm
is "gpu1 went to bochs-drm" "$(drv "$g1")" bochs-drm
is "bochs-drm's probes show in the log (so the checks above could fail)" \
	"$(dmesg | grep -c 'Found bochs VGA')" 2
is "nic0 went to e1000e" "$(drv "$nic")" e1000e
is "pbr0-nic went to e1000" "$(drv "$pnic")" e1000
ok "no driver override left behind" sh -c \
	"! grep -l ppt /sys/bus/pci/devices/*/driver_override"

# ... and a reload does not take what host drivers now hold.
ok "modprobe ppt again" modprobe ppt
is "gpu0 stays with bochs-drm" "$(drv "$g0")" bochs-drm
like "the kernel log says why" "$(dmesg | grep "$g0" | tail -n 3)" 'listed for ppt but bound to bochs-drm: not taken'
is "pptadm: four listed functions, all detached" \
	"$(pptadm -p -o state list | sort | uniq -c | tr -s ' ')" " 4 detached"
is "pptadm: gpu0's driver is bochs-drm" "$(pptadm -p -o driver show "$g0")" bochs-drm
ok "rmmod ppt" rmmod ppt
done_testing
