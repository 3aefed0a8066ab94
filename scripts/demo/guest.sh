#!/bin/sh
# The guest side of `make demo`: runs in the VM on the gpu topology and
# narrates what ppt does with the two fake GPUs (bochs-display 1234:1111,
# each with an ich9-intel-hda audio function in the same slot and IOMMU
# group: the "GPU with HDMI audio" of a real host).
# topology: gpu
. /ppt/lib.sh

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@" 2>&1; }

say "The host's PCI devices (lspci -nn), as a fresh host sees them"
run lspci -nn

g=$(bdf gpu0) a=$(bdf gpu0-audio)
say "Load ppt"
run modprobe ppt
run pptadm version

say "Reserve the first fake GPU and its audio function, the way pci-stub is used"
for d in "$g" "$a"; do
	echo "\$ echo ppt > /sys/bus/pci/devices/$d/driver_override"
	echo ppt >"/sys/bus/pci/devices/$d/driver_override"
	echo "\$ echo $d > /sys/bus/pci/drivers_probe"
	echo "$d" >/sys/bus/pci/drivers_probe
done

say "ppt's inventory (pptadm list)"
run pptadm list
say "The same for programs (pptadm -j list)"
run pptadm -j list
say "Every field of one device (pptadm -o ... show $g)"
run pptadm -o addr,state,driver,group,vendor,device,subvendor,subdevice,class,revision,path,boot,name show "$g"
say "A device ppt does not manage"
run pptadm show "$(bdf nic0)"

say "IOMMU group $(iommu_group "$g") holds: $(group_devices "$(iommu_group "$g")" | tr '\n' ' ')"
pass "demo ran"
done_testing
