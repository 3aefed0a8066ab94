#!/bin/sh
# 59-libvirt.sh - libvirt as a neighbour: a managed='yes' hostdev moves a
# device ppt holds to vfio-pci and back exactly as libvirt's virpci.c does
# (driver_override, unbind, drivers_probe; to give it back the override
# "\n", unbind, drivers_probe), step by step.  Taken while reserved, the
# device shows as assigned to an outside user and its VM uses it through
# VFIO; given back, ppt's override is back before the probe, so it returns
# to ppt dirty and is cleaned, never to the host's nvme driver (loaded all
# along).  Taken while dirty, the gate keeps the VM off it: VFIO cannot
# open it, and given back it is cleaned.
# topology: basic
# append: ppt.ids=1b36:0010
# kernels: 6.1 6.12 debug
# timeout: 300
# shellcheck source=tests/vm/lib.sh
. /ppt/lib.sh

[ -n "$RIG_KMODS" ] || bail_out "no ppt.ko in this initramfs (run with --kmod)"
VT=/ppt/bin/vfio-test
[ -x "$VT" ] || bail_out "no $VT in this initramfs (run with --bin .../vfio-test)"

n=$(bdf nvme0)
D=/sys/bus/pci/devices/$n
st() { pptadm -p -o state show "$n"; }
override() { cat "$D/driver_override"; }
# libvirt's virPCIDeviceBindWithDriverOverride(), one write at a time
lv_override() { printf '%s' "$1" >"$D/driver_override"; }
lv_unbind() { echo "$n" >"$D/driver/unbind"; }
lv_probe() { echo "$n" >/sys/bus/pci/drivers_probe; }

ok "modprobe ppt (ids=1b36:0010)" modprobe ppt
ok "modprobe nvme (the host driver that must never get it back)" modprobe nvme
ok "modprobe vfio-pci" modprobe vfio-pci
is "nvme0 reserved by ppt" "$(st):$(drv "$n")" reserved:ppt

# --- detach (virsh nodedev-detach, or a VM start with managed='yes') ---------
ok "libvirt writes vfio-pci to driver_override" lv_override vfio-pci
is "... ppt still holds it" "$(st):$(drv "$n")" reserved:ppt
ok "libvirt unbinds ppt" lv_unbind
is "... detached for a moment, no driver" "$(st):$(drv "$n")" detached:
ok "libvirt writes drivers_probe" lv_probe
is "vfio-pci has it" "$(drv "$n")" vfio-pci
is "ppt shows it assigned to an outside user (adopted, no owner)" \
	"$(pptadm -p -o state,adopted,owner show "$n")" "assigned:yes:"
is "... as a tenant's: tainted" "$(pptadm -p -o tainted show "$n")" yes
like "... and says so in the kernel log" "$(dmesg | grep "$n" | tail -n 1)" \
	"bound to vfio-pci behind ppt's back: assigned to an outside user"
out=$("$VT" "$n" 2>&1)
like "the VM reads it through VFIO" "$out" "config $n 1b36:0010"

# --- reattach (the VM stopped) ------------------------------------------------
ok "libvirt clears driver_override (writes \\\\n)" lv_override '
'
is "... the override is empty" "$(override)" "(null)"
ok "libvirt unbinds vfio-pci" lv_unbind
is "ppt's override is back before anything probes" "$(override)" ppt
is "... dirty: the tenant's leftovers are in it" "$(st)" dirty
ok "libvirt writes drivers_probe" lv_probe
is "ppt has it again, not nvme" "$(drv "$n")" ppt
wait_for "... and cleans it: reserved" 30 sh -c "[ \"\$(pptadm -p -o state show $n)\" = reserved ]"
is "... reset by FLR" "$(pptadm -p -o last_reset show "$n")" flr
is "no nvme controller was ever made of it" "$(dmesg | grep -c "nvme nvme[0-9]*: pci function $n")" 0

# --- a dirty device: the gate keeps libvirt's VM off it ------------------------
echo 0 >/sys/module/ppt/parameters/auto_clean
ok "one more round trip with auto_clean off leaves it dirty" sh -c \
	"printf vfio-pci >$D/driver_override && echo $n >$D/driver/unbind && echo $n >/sys/bus/pci/drivers_probe &&
	 printf '\n' >$D/driver_override && echo $n >$D/driver/unbind && echo $n >/sys/bus/pci/drivers_probe"
is "... dirty with ppt" "$(st):$(drv "$n")" dirty:ppt
ok "libvirt detaches the dirty device: override, unbind, probe" sh -c \
	"printf vfio-pci >$D/driver_override && echo $n >$D/driver/unbind && echo $n >/sys/bus/pci/drivers_probe"
is "vfio-pci is bound, but ppt keeps it detached and gated" \
	"$(drv "$n"):$(pptadm -p -o state,gated show "$n")" vfio-pci:detached:yes
fails "its VM cannot open it through VFIO (the VM fails to start)" "$VT" "$n"
echo 1 >/sys/module/ppt/parameters/auto_clean
ok "libvirt gives it back: override \\\\n, unbind, probe" sh -c \
	"printf '\n' >$D/driver_override && echo $n >$D/driver/unbind && echo $n >/sys/bus/pci/drivers_probe"
is "ppt has it, not nvme" "$(drv "$n")" ppt
wait_for "... and cleans it" 30 sh -c "[ \"\$(pptadm -p -o state show $n)\" = reserved ]"
ok "rmmod ppt" rmmod ppt
done_testing
