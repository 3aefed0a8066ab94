#!/bin/sh
# 70-check.sh - pptadm check on a host that is ready (emulated VT-d with
# interrupt remapping, vfio, ppt loaded): every check PASSes, -q prints
# nothing, -j says no failure, exit 0; a device sharing its IOMMU group is
# not involved here (basic topology: one endpoint per group).  Then the
# refusal of devices the host runs on: the e1000e carrying the guest's
# configured address and the NVMe used as swap are refused by reserve and
# add, with or without --force, naming what they carry; --force twice
# takes the NIC.
# topology: basic
# kernels: 6.1 6.12
# timeout: 180
#
# Not on debug kernels: they have no IPv4 (no CONFIG_INET), and a NIC
# carrying an address is what this test checks.
# shellcheck source=tests/vm/lib.sh
. /ppt/lib.sh

[ -n "$RIG_KMODS" ] || bail_out "no ppt.ko in this initramfs (run with --kmod)"

e=$(bdf edu0) nic=$(bdf nic0) nv=$(bdf nvme0)
ok "modprobe ppt" modprobe ppt
ok "modprobe vfio-pci" modprobe vfio-pci
ok "reserve edu0" pptadm reserve "$e"

out=$(pptadm check 2>&1)
st=$?
diag "$out"
is "pptadm check exits 0" "$st" 0
for c in iommu intremap vfio module group; do
	like "check $c passes" "$(echo "$out" | grep " $c ")" "^PASS $c "
done
like "the device of ppt's is checked" "$(echo "$out" | grep '^PASS group')" "$e: IOMMU group [0-9]+, alone"
like "the module's version is pptadm's" "$(echo "$out" | grep '^PASS module')" "the same version as pptadm"
is "-q prints nothing but problems" "$(pptadm check -q | grep -c '^PASS')" 0
like "-j: one JSON object, no failure" "$(pptadm check -j)" '^\{"checks":\[.*\],"pass":[0-9]+,"warn":[0-9]+,"fail":0,"info":[0-9]+,"skip":[0-9]+\}$'

# the NIC that carries the guest's address
ok "e1000e bound" bind_host_driver "$nic"
ifc=$(ls "/sys/bus/pci/devices/$nic/net" 2>/dev/null | head -n 1)
ok "its interface $ifc is up with 10.0.2.15/24" sh -c "ip link set $ifc up && ip addr add 10.0.2.15/24 dev $ifc"
out=$(pptadm reserve "$nic" 2>&1)
st=$?
is "reserve NIC: refused (it has a host driver)" "$st" 1
like "... saying force takes it" "$out" "force takes it"
out=$(pptadm reserve --force "$nic" 2>&1)
is "reserve --force NIC: refused: the host uses it" "$?" 1
like "... naming the interface, its state and address" "$out" "$nic: Device or resource busy: the host uses it: $ifc \(up, 10.0.2.15/24\); --force --force takes it anyway"
out=$(PPT_MODPROBE_CONF=/tmp/ppt-devices.conf pptadm add --force "$nic" 2>&1)
is "add --force NIC: refused" "$?" 1
like "... naming it" "$out" "the host uses it: $ifc"
is "... and not added to the boot lists" "$(cat /tmp/ppt-devices.conf 2>/dev/null)" ""
is "the NIC still has its host driver" "$(drv "$nic")" e1000e

# the NVMe used as swap
ok "nvme bound" bind_host_driver "$nv"
wait_for "nvme0n1 appears" 10 test -e /sys/class/block/nvme0n1
ok "swap on nvme0n1" sh -c "mkswap /dev/nvme0n1 >/dev/null && swapon /dev/nvme0n1"
out=$(pptadm reserve --force "$nv" 2>&1)
is "reserve --force NVMe: refused" "$?" 1
like "... naming the swap" "$out" "$nv: Device or resource busy: the host uses it: nvme0n1 \(swap\)"
ok "swapoff" swapoff /dev/nvme0n1

# --force twice
ok "reserve --force --force NIC: taken" pptadm reserve --force --force "$nic"
is "... held by ppt" "$(drv "$nic")" ppt
done_testing
