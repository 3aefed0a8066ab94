#!/bin/sh
# 00-rig.sh - is the VM rig itself sound? (IOMMU, groups, topology, host drivers,
# VFIO, and loading the project's module when the initramfs has it)
# topology: gpu
# kernels: 6.1 6.12 debug
# timeout: 240
#
# Run: scripts/rig/run-vm.py --kernel 6.1 --test tests/vm/00-rig.sh [--kmod DIR]
# shellcheck source=tests/vm/lib.sh
. /ppt/lib.sh

# --- IOMMU ---
ok "intel-iommu (DMAR) is registered" ls -d /sys/class/iommu/dmar0
ok "DMAR translation is enabled (dmesg: DMAR: IOMMU enabled)" sh -c 'dmesg | grep -q "DMAR: IOMMU enabled"'
ngroups=$(ls /sys/kernel/iommu_groups | wc -l)
ok "IOMMU groups exist ($ngroups)" test "$ngroups" -gt 0

# --- the topology is what topologies.py says ---
missing=
while read -r id _ vd; do
	b=$(bdf "$id") || { missing="$missing $id(absent)"; continue; }
	[ "$(vendev "$b")" = "$vd" ] || missing="$missing $id($b is $(vendev "$b"), want $vd)"
done </ppt/topology
is "every device of /ppt/topology is present with its ids" "$missing" ""

# --- GPU-like slots: both functions in one group of their own ---
for n in 0 1; do
	g=$(bdf gpu$n) && a=$(bdf gpu$n-audio)
	gg=$(iommu_group "$g")
	is "gpu$n and gpu$n-audio share an IOMMU group" "$(iommu_group "$a")" "$gg"
	is "gpu$n's group holds exactly its two functions" "$(group_devices "$gg" | tr '\n' ' ')" "$g $a "
	is "gpu$n-audio is function 1 of gpu$n's slot" "${a%.*}.1" "${g%.*}.1"
done
isnt "the two GPU slots are separate groups" "$(iommu_group "$(bdf gpu0)")" "$(iommu_group "$(bdf gpu1)")"

# --- conventional siblings behind the pcie-pci-bridge ---
pn=$(bdf pbr0-nic) && pe=$(bdf pbr0-edu)
is "pcie-pci-bridge siblings are on one bus" "${pe%:*}" "${pn%:*}"
is "pcie-pci-bridge siblings share an IOMMU group" "$(iommu_group "$pe")" "$(iommu_group "$pn")"

# --- switch: its downstream ports have no ACS: each endpoint shares the group of
# its downstream port (a "bridge in the group" case) ---
for ep in sw0-nic:sw0-dp0 sw0-edu:sw0-dp1; do
	e=$(bdf "${ep%:*}") && p=$(bdf "${ep#*:}")
	is "${ep%:*} shares an IOMMU group with its switch port ${ep#*:}" \
		"$(group_devices "$(iommu_group "$e")" | tr '\n' ' ')" "$p $e "
done
nic=$(bdf nic0)
is "nic0 behind its own root port is alone in its group" "$(group_devices "$(iommu_group "$nic")")" "$nic"

# --- root ports run at most 5 GT/s (x-speed=5), so Linux does not wait for Data
# Link Layer Link Active after a secondary bus reset (QEMU 7.2 never reports it) ---
max_speed() { # BDF: Max Link Speed field of Link Capabilities
	v=$(setpci -s "$1" CAP_EXP+0x0c.l) && echo $((0x$v & 0xf))
}
for rp in rp1 rp2 rp3 rp4 rp5; do
	is "$rp max link speed is 5 GT/s" "$(max_speed "$(bdf $rp)")" 2
done

# --- host drivers load by modalias, as udev would ---
for id in gpu0 gpu0-audio sw0-nic pbr0-nic; do
	b=$(bdf $id)
	ok "$id ($b, $(vendev "$b")) binds its host driver" bind_host_driver "$b"
	diag "$id driver: $(drv "$b")"
done

# --- VFIO: hand gpu1's whole group to vfio-pci ---
g=$(bdf gpu1) a=$(bdf gpu1-audio) grp=$(iommu_group "$(bdf gpu1)")
to_vfio() {
	modprobe vfio-pci || return 1
	for d in "$@"; do
		unbind "$d" && echo vfio-pci >"/sys/bus/pci/devices/$d/driver_override" &&
			echo "$d" >/sys/bus/pci/drivers_probe || return 1
	done
}
ok "gpu1 slot handed to vfio-pci" to_vfio "$g" "$a"
is "gpu1 driver" "$(drv "$g")" vfio-pci
is "gpu1-audio driver" "$(drv "$a")" vfio-pci
ok "/dev/vfio/$grp exists" test -c "/dev/vfio/$grp"
ok "vfio_iommu_type1 was loaded (kmod softdep)" test -d /sys/module/vfio_iommu_type1

# --- the project's module, when the initramfs has one (--kmod) ---
if [ -z "$RIG_KMODS" ]; then
	skip "modprobe ppt" "no --kmod modules in this initramfs"
else
	ok "project modules installed in /lib/modules/$RIG_KREL/extra" ls "/lib/modules/$RIG_KREL/extra"
	case " $RIG_KMODS " in
	*" ppt "*)
		ok "modprobe ppt" modprobe ppt &&
			ok "ppt registered its PCI driver" test -d /sys/bus/pci/drivers/ppt &&
			ok "modprobe -r ppt" modprobe -r ppt
		;;
	*) fail "ppt.ko is among the --kmod modules" "RIG_KMODS='$RIG_KMODS'" ;;
	esac
fi

done_testing
