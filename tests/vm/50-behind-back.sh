#!/bin/sh
# 50-behind-back.sh - ppt's inventory stays true when others act behind its
# back: sysfs unbind/bind, a driverctl-style override, libvirt's managed
# detach from vfio-pci, hot-unplug while claimed and while assigned; and
# rmmod -f with a device assigned does not harm the host.
# topology: basic
# append: ppt.ids=1234:11e8 ppt.auto_clean=0
# kernels: 6.1 6.12
# timeout: 300
#
# Not on debug kernels: hot-unplug trips a kernel lockdep report in pciehp
# (see 01-qmp.sh).
# shellcheck source=tests/vm/lib.sh
. /ppt/lib.sh

[ -n "$RIG_KMODS" ] || bail_out "no ppt.ko in this initramfs (run with --kmod)"

e=$(bdf edu0) n=$(bdf nvme0) x=$(bdf nic0)
st() { pptadm -p -o state,driver show "$1" | sed 's/\\//g'; }

ok "modprobe ppt (ids=1234:11e8)" modprobe ppt
is "edu0 reserved, with ppt" "$(st "$e")" reserved:ppt

# --- sysfs unbind and bind ---
ok "unbind edu0 from ppt through sysfs" unbind "$e"
is "edu0 detached, no driver" "$(st "$e")" detached:
ok "drivers_probe binds it back (its override is ppt)" sh -c "echo $e >/sys/bus/pci/drivers_probe"
is "edu0 with ppt again, reserved: no tenant and no other driver had it" "$(st "$e")" reserved:ppt

# --- a claimed device taken away behind ppt's back ---
ok "reserve nvme0" pptadm reserve "$n"
ok "claim nvme0 for vm1" pptadm claim --owner vm1 "$n"
ok "unbind nvme0 from ppt through sysfs" unbind "$n"
is "nvme0 detached, owner dropped" "$(pptadm -p -o state,owner show "$n")" "detached:"
ok "bind nvme0 to the nvme driver by hand (driverctl-style)" sh -c \
	"modprobe nvme && echo nvme >/sys/bus/pci/devices/$n/driver_override && echo $n >/sys/bus/pci/drivers/nvme/bind"
is "nvme0 detached, and its driver is shown" "$(st "$n")" detached:nvme
out=$(pptadm claim --owner vm1 "$n" 2>&1)
like "a detached device cannot be claimed" "$out" 'bound to another driver, not to ppt'
ok "release nvme0 (ppt forgets it; it keeps its driver)" pptadm release "$n"
is "nvme0 keeps the nvme driver" "$(drv "$n")" nvme
fails "ppt no longer lists nvme0" pptadm show "$n"

# --- libvirt's managed detach: vfio-pci unbound behind ppt's back ---
ok "reserve --force nic0 (from e1000e, loaded first)" sh -c \
	"modprobe e1000e; pptadm reserve --force $x"
ok "claim and assign nic0 for vm2" sh -c "pptadm claim --owner vm2 $x && pptadm assign --owner vm2 $x"
is "nic0 assigned, with vfio-pci" "$(st "$x")" assigned:vfio-pci
ok "unbind nic0 from vfio-pci through sysfs" sh -c "echo $x >/sys/bus/pci/drivers/vfio-pci/unbind"
is "nic0 is dirty, with no driver: a tenant had it" "$(st "$x")" dirty:
ok "drivers_probe gives it to ppt, not e1000e (override ppt)" sh -c "echo $x >/sys/bus/pci/drivers_probe"
is "nic0 dirty, with ppt" "$(st "$x")" dirty:ppt

# --- hot-unplug while claimed and while assigned ---
ok "hot-unplug nic0 (dirty)" qmp_device_del nic0
wait_for "nic0 left the system" 30 sh -c "! test -e /sys/bus/pci/devices/$x"
ok "QEMU reported DEVICE_DELETED for nic0" qmp_wait_event DEVICE_DELETED nic0 30
fails "ppt forgot nic0" pptadm show "$x"
ok "hot-plug an edu at nic0's place" \
	qmp '{"execute":"device_add","arguments":{"driver":"edu","id":"nic0","bus":"rp2"}}'
wait_for "the new edu was claimed by ppt (ids=1234:11e8)" 30 test -e "/sys/bus/pci/drivers/ppt/$x"
ok "claim it for vm3" pptadm claim --owner vm3 "$x"
ok "hot-unplug it while claimed" qmp_device_del nic0
wait_for "it left the system" 30 sh -c "! test -e /sys/bus/pci/devices/$x"
ok "QEMU reported DEVICE_DELETED" qmp_wait_event DEVICE_DELETED nic0 30
fails "ppt forgot it" pptadm show "$x"
ok "hot-plug another edu there" \
	qmp '{"execute":"device_add","arguments":{"driver":"edu","id":"nic0","bus":"rp2"}}'
wait_for "claimed by ppt" 30 test -e "/sys/bus/pci/drivers/ppt/$x"
ok "claim and assign it for vm4" sh -c "pptadm claim --owner vm4 $x && pptadm assign --owner vm4 $x"
is "assigned, with vfio-pci" "$(st "$x")" assigned:vfio-pci
ok "hot-unplug it while assigned (no VFIO user)" qmp_device_del nic0
wait_for "it left the system" 30 sh -c "! test -e /sys/bus/pci/devices/$x"
fails "ppt forgot it" pptadm show "$x"

# --- rmmod -f with a device assigned ---
ok "take nvme0 back from nvme, claim and assign it" sh -c \
	"pptadm reserve --force $n && pptadm claim --owner vm5 $n && pptadm assign --owner vm5 $n"
ok "rmmod -f ppt" rmmod -f ppt
is "nvme0 stays with vfio-pci" "$(drv "$n")" vfio-pci
ok "modprobe ppt" modprobe ppt
is "nvme0 adopted, owner vm5" "$(pptadm -p -o state,owner show "$n")" assigned:vm5
ok "rmmod ppt" rmmod ppt
done_testing
