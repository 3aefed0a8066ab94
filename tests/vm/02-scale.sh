#!/bin/sh
# 02-scale.sh - the rig's large topology boots and every endpoint is visible:
# 64 edu behind 64 root ports plus 4 NVMe behind a switch (68 endpoints).
# topology: scale
# kernels: 6.1 6.12
# (Not on the debug kernels: CI's time budget; they run it when named.)
# timeout: 240
# alone: yes
# (Booting 142 functions, QEMU rebuilds its memory map hundreds of times;
# with another VM on the same cores a virtual CPU's timer can starve past
# the kernel's 21 s RCU stall warning.  make check runs it with no other
# VM beside it.)
#
# Run: scripts/rig/run-vm.py --kernel 6.1 --test tests/vm/02-scale.sh
# shellcheck source=tests/vm/lib.sh
. /ppt/lib.sh

is "64 edu endpoints (1234:11e8)" "$(find_pci 1234:11e8 | wc -l)" 64
is "4 NVMe endpoints behind the switch (1b36:0010)" "$(find_pci 1b36:0010 | wc -l)" 4
missing=
while read -r id _ vd; do
	b=$(bdf "$id") || { missing="$missing $id"; continue; }
	[ "$(vendev "$b")" = "$vd" ] || missing="$missing $id($(vendev "$b"))"
done </ppt/topology
is "every device of /ppt/topology is present with its ids" "$missing" ""
is "lspci lists every function in sysfs" "$(lspci | wc -l)" "$(ls /sys/bus/pci/devices | wc -l)"
e=$(bdf edu63)
is "edu63 is alone in its IOMMU group" "$(group_devices "$(iommu_group "$e")")" "$e"
ok "edu63's BAR 0 is assigned" sh -c "head -n1 /sys/bus/pci/devices/$e/resource | grep -qv '^0x0000000000000000'"
diag "$(ls /sys/bus/pci/devices | wc -l) PCI functions, $(ls /sys/kernel/iommu_groups | wc -l) IOMMU groups"
done_testing
