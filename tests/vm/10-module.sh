#!/bin/sh
# 10-module.sh - the ppt module as it stands: parameters, the ppt PCI driver,
# the netlink family (device get and dump) through pptadm, and a clean unload.
# topology: gpu
# kernels: 6.1 6.12 debug
# timeout: 240
# shellcheck source=tests/vm/lib.sh
. /ppt/lib.sh

[ -n "$RIG_KMODS" ] || bail_out "no ppt.ko in this initramfs (run with --kmod)"

ok "modinfo documents ids=" sh -c 'modinfo -p ppt | grep -q "^ids:.*vendor:device"'
ok "modinfo documents devices=" sh -c 'modinfo -p ppt | grep -q "^devices:.*bus:dev.fn"'
ok "modinfo documents paths=" sh -c 'modinfo -p ppt | grep -q "^paths:.*rootbus/dev.fn"'

# Bad tokens are named with the reason; the good ones still apply.
# (the good entries name nothing in this VM: binding by hand comes first)
ok "modprobe ppt with good and bad boot-list entries" \
	modprobe ppt ids=dead:beef,zz:1,8086:293e:1:2:3:4:5 devices=00:1f.8,0000:7f:00.0 paths=0000:00/1e.0,00/
ok "ppt registered its PCI driver" test -d /sys/bus/pci/drivers/ppt
like "bad id token named" "$(dmesg | grep 'ppt: ids: ignoring')" 'ignoring entry "zz:1": field is not hexadecimal'
like "too many id fields named" "$(dmesg | grep 'ppt: ids: ignoring')" '"8086:293e:1:2:3:4:5": too many fields'
like "bad address named" "$(dmesg | grep 'ppt: devices: ignoring')" '"00:1f.8": function out of range'
like "bad path named" "$(dmesg | grep 'ppt: paths: ignoring')" '"00/": empty hop'
like "the good entries were kept" "$(dmesg | grep 'ppt: boot lists')" '1 ids, 1 devices, 1 paths'
ok "the netlink family is registered" sh -c 'grep -q . /sys/module/ppt/version'

is "pptadm list: nothing reserved yet" "$(pptadm -p -o addr list)" ""

# Bind the fake GPU (and its audio function) by hand, like pci-stub.
g=$(bdf gpu0) a=$(bdf gpu0-audio) nic=$(bdf nic0)
to_ppt() {
	echo ppt >"/sys/bus/pci/devices/$1/driver_override" &&
		echo "$1" >/sys/bus/pci/drivers_probe
}
ok "bind gpu0 to ppt through driver_override" to_ppt "$g"
ok "bind gpu0-audio to ppt through driver_override" to_ppt "$a"
is "gpu0 driver" "$(drv "$g")" ppt
is "pptadm list shows both, reserved" "$(pptadm -p -o addr,state list | sort | tr '\n' ' ')" \
	"$(printf '%s\n' "$(echo "$g" | sed 's/:/\\:/g'):reserved" "$(echo "$a" | sed 's/:/\\:/g'):reserved" | sort | tr '\n' ' ')"
grp=$(iommu_group "$g")
is "pptadm show: IOMMU group" "$(pptadm -p -o group show "$g")" "$grp"
is "pptadm show: vendor and device" "$(pptadm -p -o vendor,device show "$g")" "1234:1111"
is "pptadm show: class" "$(pptadm -p -o class show "$g")" "038000"
is "pptadm show: driver" "$(pptadm -p -o driver show "$g")" "ppt"
is "pptadm show: short address accepted" "$(pptadm -p -o addr show "${g#0000:}")" "$(echo "$g" | sed 's/:/\\:/g')"
like "pptadm show: topology path from the root bus" "$(pptadm -p -o path show "$g")" '^0000\\:00/[0-9a-f]{2}\.[0-7]/00\.0$'
like "pptadm show: name from pci.ids" "$(pptadm -p -o name show "$a")" 'Intel'
like "pptadm -j list is one JSON object" "$(pptadm -j list)" '^\{"devices":\[\{"addr":"0000:.*\}\]\}$'

out=$(pptadm show "$nic" 2>&1); rc=$?
is "pptadm show of an unmanaged device fails with status 1" "$rc" 1
like "... with the kernel's reason" "$out" 'No such device: device not managed by ppt'
out=$(pptadm show 00:1f.9 2>&1); rc=$?
is "pptadm show of a malformed address is a usage error" "$rc" 2
like "... naming the bad argument" "$out" '"00:1f.9" is not a PCI address'

# The path printed is one paths= accepts: reload with it and the device is boot-listed.
path=$(pptadm -p -o path show "$g" | sed 's/\\:/:/g')
ok "unbind gpu0 from ppt" unbind "$g"
ok "rmmod ppt" rmmod ppt
like "unloaded cleanly" "$(dmesg | tail -n 5)" 'ppt: unloaded'
ok "modprobe ppt paths=$path" modprobe ppt "paths=$path"
is "gpu0 is claimed at load by its path" "$(drv "$g")" ppt
is "gpu0 is boot-listed" "$(pptadm -p -o boot show "$g")" yes
is "gpu0-audio went back to no driver at unload, and stays unmanaged" "$(drv "$a")" ""
fails "pptadm does not list gpu0-audio" pptadm show "$a"
ok "rmmod ppt with devices bound" rmmod ppt
is "gpu0 is left without a driver" "$(drv "$g")" ""
done_testing
