#!/bin/sh
# 01-qmp.sh - guest-initiated QMP through the rig: hot-unplug and re-add devices
# behind root ports (pciehp) and check sysfs follows.
# topology: basic
# kernels: 6.1 6.12
# timeout: 180
#
# Not on debug kernels: on 6.1 with PROVE_LOCKING every pciehp hot-unplug makes
# lockdep report reset_lock vs pci_rescan_remove_lock in pciehp_unconfigure_device
# (a kernel issue, not ours), and lockdep then switches itself off.
#
# Run: scripts/rig/run-vm.py --kernel 6.1 --test tests/vm/01-qmp.sh
# shellcheck source=tests/vm/lib.sh
. /ppt/lib.sh

gone() { ! bdf "$1" >/dev/null 2>&1; }
empty() { ! bdf_below "$1" >/dev/null 2>&1; }

like "query-status over the ttyS1 channel" "$(qmp '{"execute":"query-status"}')" '"status":"running"'
fails "an unknown device id gives a QMP error" qmp_device_del no-such-device
like "the error reply carries QEMU's message" "$(qmp_device_del no-such-device)" 'not found'
fails "malformed JSON is refused by the rig" qmp '{"execute":'

# --- unplug and re-add the edu behind rp4 ---
b=$(bdf edu0)
ok "edu0 present before unplug ($b)" test -n "$b"
ok "device_del edu0" qmp_device_del edu0
wait_for "edu0 left sysfs (pciehp)" 30 gone edu0
ok "QEMU reported DEVICE_DELETED for edu0" qmp_wait_event DEVICE_DELETED edu0 30
ok "device_add edu0 into rp4" qmp '{"execute":"device_add","arguments":{"driver":"edu","id":"edu0","bus":"rp4"}}'
wait_for "edu0 is back in sysfs" 30 bdf edu0
is "edu0 is back at the same address" "$(bdf edu0)" "$b"
is "edu0 has its ids" "$(vendev "$b")" 1234:11e8

# --- hot-add into the empty root port rp5, then remove it again ---
ok "rp5 starts empty" empty rp5
ok "device_add edu1 into rp5" qmp '{"execute":"device_add","arguments":{"driver":"edu","id":"edu1","bus":"rp5"}}'
wait_for "edu1 appeared behind rp5" 30 bdf_below rp5
is "the new device is an edu" "$(vendev "$(bdf_below rp5)")" 1234:11e8
ok "device_del edu1" qmp_device_del edu1
wait_for "edu1 left sysfs" 30 empty rp5

# --- unplug an NVMe with its driver bound ---
n=$(bdf nvme0)
ok "nvme0 binds the nvme driver" bind_host_driver "$n"
ok "device_del nvme0 (driver bound)" qmp_device_del nvme0
wait_for "nvme0 left sysfs" 30 gone nvme0

done_testing
