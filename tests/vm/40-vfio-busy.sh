#!/bin/sh
# 40-vfio-busy.sh - a device ppt assigned is used through VFIO as QEMU would
# (config reads, edu DMA through the IOMMU); unassign while a program holds
# it fails at once with EBUSY and changes nothing; after the program exits
# it succeeds (dirty).  Unloading ppt while the program holds an assigned
# device does not disturb the program, and a reload adopts the device.
# topology: basic
# append: ppt.ids=1234:11e8 ppt.auto_clean=0
# kernels: 6.1 6.12 debug
# timeout: 300
# shellcheck source=tests/vm/lib.sh
. /ppt/lib.sh

[ -n "$RIG_KMODS" ] || bail_out "no ppt.ko in this initramfs (run with --kmod)"
VT=/ppt/bin/vfio-test
[ -x "$VT" ] || bail_out "no $VT in this initramfs (run with --bin .../vfio-test)"

e=$(bdf edu0)
st() { pptadm -p -o state show "$1"; }

ok "modprobe ppt (ids=1234:11e8: the edu DMA device)" modprobe ppt
is "edu0 reserved by ppt" "$(st "$e"):$(drv "$e")" reserved:ppt
ok "claim edu0 for vm1" pptadm claim --owner vm1 "$e"
ok "assign edu0" pptadm assign --owner vm1 "$e"
is "edu0 with vfio-pci" "$(drv "$e")" vfio-pci
out=$("$VT" --dma "$e" 2>&1)
like "a VFIO program reads edu0's config space through VFIO" "$out" "config $e 1234:11e8"
like "... and runs edu DMA through the IOMMU" "$out" 'dma ok [0-9]+ bytes'

vfio_hold "$e"
# The program holds edu0 until it is told to let go (vfio_release, below): an
# unbind that blocked until the device is closed would never return here, and
# timeout ends pptadm (busybox: status 143, SIGTERM) instead.
t0=$(_uptime_cs)
out=$(timeout $((30 * WAIT_SCALE)) pptadm unassign --owner vm1 "$e" 2>&1); rc=$?
diag "unassign answered after $(($(_uptime_cs) - t0))0 ms"
isnt "unassign while the device is open is answered (not a blocked unbind)" "$rc" 143
is "... and fails" "$rc" 1
like "... with EBUSY and the reason" "$out" 'Device or resource busy: the VFIO device is open'
is "... and edu0 stays assigned, with vfio-pci" "$(st "$e"):$(drv "$e")" assigned:vfio-pci
kill -USR1 "$vfio_holder"
wait_for "... and the VM's device still works" 10 \
	sh -c "[ \$(grep -c '^config $e 1234:11e8\$' /tmp/vfio-hold.out) -eq 2 ]"
vfio_release
ok "unassign once the program has exited" pptadm unassign --owner vm1 "$e"
is "edu0 dirty, back with ppt" "$(st "$e"):$(drv "$e")" dirty:ppt
fails "no VFIO access once ppt has it back" "$VT" "$e"

# unload while a VM holds an assigned device
ok "rmmod ppt; modprobe ppt" sh -c 'rmmod ppt && modprobe ppt'
is "a reload finds edu0 still dirty: unloading does not launder it" "$(st "$e"):$(drv "$e")" dirty:ppt
# a clean device is needed to claim: use nvme0 as the second tenant's device
n=$(bdf nvme0)
ok "reserve nvme0 (no host driver loaded)" pptadm reserve "$n"
ok "claim nvme0 for vm2" pptadm claim --owner vm2 "$n"
ok "assign nvme0 for vm2" pptadm assign --owner vm2 "$n"
vfio_hold "$n"
ok "rmmod ppt while a program holds nvme0 through VFIO" rmmod ppt
kill -USR1 "$vfio_holder"
wait_for "the program still reads nvme0 through VFIO after the unload" 10 \
	sh -c "[ \$(grep -c '^config $n 1b36:0010\$' /tmp/vfio-hold.out) -eq 2 ]"
is "nvme0 stays with vfio-pci" "$(drv "$n")" vfio-pci
ok "modprobe ppt again" modprobe ppt
is "nvme0 adopted as assigned to vm2" "$(pptadm -p -o state,owner,adopted show "$n")" assigned:vm2:yes
out=$(pptadm unassign "$n" 2>&1)
like "unassign of the adopted device while held: EBUSY" "$out" 'the VFIO device is open'
vfio_release
ok "unassign after the program exits" pptadm unassign "$n"
is "nvme0 dirty" "$(st "$n")" dirty
ok "rmmod ppt" rmmod ppt
done_testing
