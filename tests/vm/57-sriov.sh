#!/bin/sh
# 57-sriov.sh - SR-IOV virtual functions held, assigned and cleaned by ppt;
# their physical function protected.  An NVMe PF (QEMU's SR-IOV NVMe, 2
# VFs) first with its host driver: the boot list's vfs=PF=2 enables its VFs
# through nvme's sriov_configure and ppt holds them before any VF driver
# probes; a VF goes to vfio-pci, is opened through VFIO and comes back
# cleaned by its FLR; a claim by variant picks a VF; the PF cannot be taken
# from nvme nor its VFs removed while the VF is out; pptadm sriov sets the
# count, pptadm add --vfs keeps it for the next load, pptadm remove drops it.  Then the PF held by
# ppt: ppt's own sriov_configure creates VFs (held even with autoprobe on),
# refuses more than sriov_totalvfs and refuses to remove them while one is
# with a VM, naming it; the PF is neither reset, released nor cleaned from
# under the VF; an unload leaves the PF and its VFs as they are and a
# reload finds the VF count and every VF again.  Bad vfs= entries are
# logged and skipped.
# topology: sriov
# kernels: 6.1 6.12 debug
# timeout: 500
# shellcheck source=tests/vm/lib.sh
. /ppt/lib.sh

[ -n "$RIG_KMODS" ] || bail_out "no ppt.ko in this initramfs (run with --kmod)"
[ -x /ppt/bin/vfio-test ] || bail_out "no vfio-test in this initramfs (run with --bin .../vfio-test)"

pf=$(bdf nvme0)
S=/sys/bus/pci/devices/$pf
st() { pptadm -p -o state show "$1"; }
vf() { basename "$(readlink "$S/virtfn$1")"; }
numvfs() { cat "$S/sriov_numvfs"; }
# every function ppt knows, one address per line
known() { pptadm -p -o addr list; }

is "nvme0 can have 2 VFs" "$(cat "$S/sriov_totalvfs"):$(numvfs)" 2:0
ok "modprobe nvme (the PF's host driver)" modprobe nvme
wait_for "nvme0 is with nvme" 30 sh -c "[ \"\$(basename \"\$(readlink $S/driver)\")\" = nvme ]"

# --- the PF with its host driver: VFs from the boot list ---------------------
ok "modprobe ppt vfs=$pf=2" modprobe ppt "vfs=$pf=2"
wait_for "nvme enabled 2 VFs for ppt's boot list" 30 sh -c "[ \$(cat $S/sriov_numvfs) = 2 ]"
vf1=$(vf 0) vf2=$(vf 1)
diag "VFs: $vf1 $vf2"
like "... through nvme's sriov_configure, as the kernel log says" "$(dmesg | grep "$pf")" "vfs=: 2 VFs enabled through nvme"
for v in "$vf1" "$vf2"; do
	is "$v held by ppt, reserved, before any VF driver probed it" "$(st "$v"):$(drv "$v")" reserved:ppt
done
is "no nvme controller was created for a VF" "$(dmesg | grep -E "nvme nvme[0-9]+: pci function ($vf1|$vf2)")" ""
is "the PF stays with nvme" "$(drv "$pf")" nvme
is "list shows a VF's PF (-p escapes its colons)" "$(pptadm -p -o physfn show "$vf2")" "$(echo "$pf" | sed 's/:/\\:/g')"
is "... and its index" "$(pptadm -p -o vf_index show "$vf2")" 1
is "... and the PF's VF counts (list -a: nvme has it)" "$(pptadm -p -o sriov_numvfs,sriov_totalvfs list -a "$pf")" 2:2

ok "claim $vf1 for vm1" pptadm claim --owner vm1 "$vf1"
is "... only the VF: it has an IOMMU group of its own" "$(st "$vf2")" reserved
ok "assign $vf1 to vfio-pci" pptadm assign --owner vm1 "$vf1"
out=$(/ppt/bin/vfio-test "$vf1" 2>&1)
like "a VFIO program reads the VF's config space through VFIO" "$out" "config $vf1 "
vfio_hold "$vf1"
out=$(pptadm reserve --force "$pf" 2>&1)
like "the PF cannot be taken from nvme while a VF is with a VM" "$out" "VFs in use: $vf1 \\(vfio-pci\\)"
is "... the PF stays with nvme" "$(drv "$pf")" nvme
out=$(pptadm sriov "$pf" 0 2>&1); rc=$?
is "pptadm sriov refuses to remove the VFs while one is with a VM" "$rc" 1
like "... naming it" "$out" "$vf1"
is "... and both VFs stay" "$(numvfs)" 2
vfio_release
ok "unassign $vf1" pptadm unassign --owner vm1 "$vf1"
wait_for "$vf1 is cleaned automatically: reserved" 30 sh -c "[ \"\$(pptadm -p -o state show $vf1)\" = reserved ]"
is "... by the VF's own FLR" "$(pptadm -p -o last_reset show "$vf1")" flr
echo "nvme-vf nvme 1b36:0010   # the VFs: the PF is nvme's" >/tmp/variants.conf
is "a claim by variant picks a VF like any device" \
	"$(PPT_VARIANTS=/tmp/variants.conf pptadm claim --owner vm3 --variant nvme-vf)" "$vf1"
ok "unclaim it" pptadm unclaim --owner vm3 "$vf1"
out=$(PPT_VARIANTS=/tmp/variants.conf pptadm export nova)
like "export nova: the VF variant's alias is type-VF" "$out" '"name": ?"nvme-vf".*"device_type": ?"type-VF"'
like "... with a device_spec for each VF" "$out" "\"address\": ?\"$vf2\""
ok "pptadm sriov $pf 0 removes the VFs" pptadm sriov "$pf" 0
is "... none left" "$(numvfs)" 0
is "... and ppt keeps no stale entry" "$(known | grep -c -e "$vf1" -e "$vf2")" 0
ok "pptadm sriov $pf 2" pptadm sriov "$pf" 2
is "... 2 VFs" "$(numvfs)" 2
is "... with VF driver autoprobe off" "$(cat "$S/sriov_drivers_autoprobe")" 0
is "... both held by ppt" "$(st "$vf1"):$(drv "$vf1"):$(st "$vf2"):$(drv "$vf2")" reserved:ppt:reserved:ppt
out=$(pptadm sriov "$pf" 3 2>&1)
like "pptadm sriov refuses more than sriov_totalvfs" "$out" "2"
ok "pptadm sriov $pf 0" pptadm sriov "$pf" 0
# the count kept for every load, in the boot lists file
mkdir -p /etc/modprobe.d
ok "pptadm add --vfs 2 $pf" pptadm add --vfs 2 "$pf"
is "... 2 VFs now, held by ppt" "$(numvfs):$(st "$(vf 0)"):$(st "$(vf 1)")" 2:reserved:reserved
like "... and vfs=$pf=2 in the boot lists file" "$(cat /etc/modprobe.d/ppt-devices.conf)" "vfs=$pf=2"
ok "rmmod ppt; nvme removes the VFs; modprobe ppt (options from the file)" \
	sh -c "rmmod ppt && echo 0 > $S/sriov_numvfs && modprobe ppt"
wait_for "the load enabled 2 VFs again" 30 sh -c "[ \$(cat $S/sriov_numvfs) = 2 ]"
is "... both held by ppt" "$(st "$(vf 0)"):$(st "$(vf 1)")" reserved:reserved
ok "pptadm remove $pf" pptadm remove "$pf"
is "... removes the VFs" "$(numvfs)" 0
is "... and the entry" "$(grep -c "vfs=$pf" /etc/modprobe.d/ppt-devices.conf)" 0
ok "rmmod ppt" rmmod ppt

# --- the PF held by ppt: ppt's own sriov_configure -----------------------------
ok "modprobe ppt" modprobe ppt
ok "reserve the PF from nvme" pptadm reserve --force "$pf"
is "the PF reserved" "$(st "$pf"):$(drv "$pf")" reserved:ppt
echo 1 >"$S/sriov_drivers_autoprobe"
ok "echo 2 > sriov_numvfs: ppt's sriov_configure" sh -c "echo 2 > $S/sriov_numvfs"
vf1=$(vf 0) vf2=$(vf 1)
for v in "$vf1" "$vf2"; do
	is "$v held by ppt even with autoprobe on" "$(st "$v"):$(drv "$v")" reserved:ppt
done
ok "echo 0 > sriov_numvfs while no VF is out" sh -c "echo 0 > $S/sriov_numvfs"
is "... removes them, and their entries" "$(numvfs):$(known | grep -c -e "$vf1" -e "$vf2")" 0:0
fails "echo 3 > sriov_numvfs: more than sriov_totalvfs" sh -c "echo 3 > $S/sriov_numvfs"
ok "echo 2 > sriov_numvfs" sh -c "echo 2 > $S/sriov_numvfs"
ok "claim and assign $vf2 for vm2" sh -c "pptadm claim --owner vm2 $vf2 && pptadm assign --owner vm2 $vf2"
vfio_hold "$vf2"
fails "echo 0 > sriov_numvfs while $vf2 is with a VM" sh -c "echo 0 > $S/sriov_numvfs"
like "... refused, naming the VF in the kernel log" "$(dmesg | grep "$pf" | tail -n 1)" "not removing its VFs: 1 in use: $vf2 \\(vfio-pci\\)"
is "... both VFs stay" "$(numvfs)" 2
out=$(pptadm reset "$pf" 2>&1)
like "the PF is not reset under the VF" "$out" "resetting a PF resets its VFs; VFs in use: $vf2 \\(vfio-pci\\)"
out=$(pptadm release "$pf" 2>&1)
like "... nor released to a host driver" "$out" "driver change may reset it and its VFs; VFs in use: $vf2"
is "... the PF stays reserved" "$(st "$pf")" reserved

ok "rmmod ppt while a VM holds $vf2" rmmod ppt
is "the PF stays without a driver (nvme's probe would reset it)" "$(drv "$pf")" ""
is "... the VFs stay: $vf1 without a driver, $vf2 with vfio-pci" "$(drv "$vf1"):$(drv "$vf2")" :vfio-pci
kill -USR1 "$vfio_holder"
wait_for "the VM's VF still answers through VFIO" 10 \
	sh -c "[ \$(grep -c '^config $vf2 ' /tmp/vfio-hold.out) -eq 2 ]"
ok "modprobe ppt again" modprobe ppt
is "the VF count survives" "$(numvfs)" 2
is "$vf2 adopted as assigned to vm2" "$(pptadm -p -o state,owner show "$vf2")" assigned:vm2
is "the PF and $vf1 are held again, dirty: ppt cannot know they are clean" "$(st "$pf"):$(st "$vf1")" dirty:dirty
out=$(pptadm clean "$pf" 2>&1)
like "the PF is not cleaned (reset) under the VF" "$out" "VFs in use: $vf2"
ok "clean $vf1" pptadm clean "$vf1"
is "... reserved" "$(st "$vf1")" reserved
vfio_release
ok "unassign $vf2" pptadm unassign "$vf2"
wait_for "$vf2 cleaned automatically" 30 sh -c "[ \"\$(pptadm -p -o state show $vf2)\" = reserved ]"
ok "now the PF can be cleaned" pptadm clean "$pf"
is "... reserved, its VFs still there" "$(st "$pf"):$(numvfs)" reserved:2
ok "echo 0 > sriov_numvfs" sh -c "echo 0 > $S/sriov_numvfs"
is "no VF entry left" "$(known | grep -c -e "$vf1" -e "$vf2")" 0
ok "rmmod ppt" rmmod ppt

# --- bad boot entries ------------------------------------------------------------
ok "modprobe ppt with bad vfs= entries" modprobe ppt "vfs=$pf=0,zz,$pf=04"
log=$(dmesg | grep 'vfs: ignoring')
like "a VF count of 0 is refused" "$log" "vfs: ignoring entry \"$pf=0\": VF count must be 1 to 65535"
like "... so is a leading zero" "$log" "vfs: ignoring entry \"$pf=04\""
like "... and a bad address" "$log" "vfs: ignoring entry \"zz\""
out=$(pptadm match add vfs "$pf=2" 2>&1)
like "a runtime vfs match takes no count" "$out" "count"
ok "rmmod ppt" rmmod ppt
done_testing
