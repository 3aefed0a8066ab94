#!/bin/sh
# 30-handoff.sh - reserve, claim, assign to vfio-pci and back through pptadm,
# with the GPU + HDMI audio case: a device goes to vfio-pci only with every
# other endpoint of its IOMMU group.  Also: refusals name what blocks them
# and change nothing; unload leaves an assigned group with vfio-pci and a
# reload adopts it with its owner.
# topology: gpu
# append: ppt.ids=1234:1111 ppt.auto_clean=0
# kernels: 6.1 6.12 debug
# timeout: 300
# shellcheck source=tests/vm/lib.sh
. /ppt/lib.sh

[ -n "$RIG_KMODS" ] || bail_out "no ppt.ko in this initramfs (run with --kmod)"

g0=$(bdf gpu0) a0=$(bdf gpu0-audio) g1=$(bdf gpu1) a1=$(bdf gpu1-audio)
st() { pptadm -p -o state show "$1"; }
owner() { pptadm -p -o owner show "$1"; }

ok "modprobe ppt (ids=1234:1111 from the command line)" modprobe ppt
for d in /sys/bus/pci/devices/*; do
	modprobe -q "$(cat "$d/modalias")" 2>/dev/null
done
is "gpu0 reserved by ppt" "$(st "$g0"):$(drv "$g0")" reserved:ppt
is "gpu0-audio with its host driver" "$(drv "$a0")" snd_hda_intel

out=$(pptadm reserve --force "$(bdf rp1)" 2>&1)
like "a bridge (gpu0's root port) is never reserved" "$out" 'bridges are never reserved'
fails "... and ppt does not list it" pptadm show "$(bdf rp1)"

# --- claim ---
out=$(pptadm assign --owner vm1 "$g0" 2>&1); rc=$?
is "assign before claim fails" "$rc" 1
like "... saying the device must be claimed" "$out" 'must be claimed before it is assigned'
ok "claim gpu0 for vm1" pptadm claim --owner vm1 "$g0"
is "gpu0 claimed by vm1" "$(st "$g0"):$(owner "$g0")" claimed:vm1
out=$(pptadm claim --owner vm2 "$g0" 2>&1)
like "a second claim is refused" "$out" 'Device or resource busy: device is already claimed'
out=$(pptadm unclaim --owner vm2 "$g0" 2>&1)
like "unclaim by another owner is refused" "$out" 'claimed by another owner'
out=$(pptadm claim "$g0" 2>&1); rc=$?
is "claim without --owner is a usage error" "$rc" 2

# --- the group: gpu0-audio is with snd_hda_intel ---
out=$(pptadm assign --owner vm1 "$g0" 2>&1); rc=$?
is "assigning gpu0 alone fails" "$rc" 1
like "... naming the audio function and its driver" "$out" "blocking: $a0, driver snd_hda_intel"
is "... and gpu0 is still claimed, with ppt" "$(st "$g0"):$(drv "$g0")" claimed:ppt
is "... and the audio function still has its driver" "$(drv "$a0")" snd_hda_intel

out=$(pptadm reserve "$a0" 2>&1)
like "reserving a device a host driver holds needs --force" "$out" "force takes it \\(blocking: $a0, driver snd_hda_intel\\)"
is "... and it keeps its driver" "$(drv "$a0")" snd_hda_intel
ok "reserve --force gpu0-audio" pptadm reserve --force "$a0"
is "gpu0-audio reserved, with ppt" "$(st "$a0"):$(drv "$a0")" reserved:ppt
out=$(pptadm reserve --force "$a0" 2>&1)
like "reserving it again is refused" "$out" 'already held by ppt'

t0=$(date +%s)
ok "assign gpu0 for vm1 (the audio function goes along)" pptadm assign --owner vm1 "$g0"
diag "assign took $(($(date +%s) - t0)) s"
is "gpu0 with vfio-pci, assigned to vm1" "$(drv "$g0"):$(st "$g0"):$(owner "$g0")" vfio-pci:assigned:vm1
is "gpu0-audio with vfio-pci, assigned to vm1" "$(drv "$a0"):$(st "$a0"):$(owner "$a0")" vfio-pci:assigned:vm1
grp=$(iommu_group "$g0")
ok "/dev/vfio/$grp exists" test -c "/dev/vfio/$grp"
ok "vfio_iommu_type1 was loaded with vfio-pci" test -d /sys/module/vfio_iommu_type1
is "the override stays 'ppt' while with vfio-pci" "$(cat "/sys/bus/pci/devices/$g0/driver_override")" ppt

out=$(pptadm claim --owner vm9 "$g0" 2>&1)
like "claiming an assigned device is refused" "$out" 'device is assigned: unassign it first'
out=$(pptadm unassign --owner vm2 "$g0" 2>&1)
like "unassign by another owner is refused" "$out" 'claimed by another owner'

# --- unload with a group assigned, reload adopts it ---
ok "claim gpu1 for vm2" pptadm claim --owner vm2 "$g1"
ok "reserve --force gpu1-audio" pptadm reserve --force "$a1"
ok "assign gpu1 for vm2" pptadm assign --owner vm2 "$g1"
ok "unassign gpu0 (no VFIO user)" pptadm unassign --owner vm1 "$g0"
is "gpu0 dirty, back with ppt" "$(st "$g0"):$(drv "$g0")" dirty:ppt
is "gpu0-audio dirty too" "$(st "$a0"):$(drv "$a0")" dirty:ppt
is "a dirty device has no owner" "$(owner "$g0")" ""
out=$(pptadm claim --owner vm3 "$g0" 2>&1)
like "a dirty device cannot be claimed" "$out" 'dirty: it must be cleaned first'
ok "release gpu0-audio" pptadm release "$a0"
is "gpu0-audio went back to snd_hda_intel" "$(drv "$a0")" snd_hda_intel
fails "ppt forgot gpu0-audio" pptadm show "$a0"

ok "rmmod ppt with gpu1's group assigned" rmmod ppt
is "gpu1 stays with vfio-pci" "$(drv "$g1")" vfio-pci
is "gpu1-audio stays with vfio-pci" "$(drv "$a1")" vfio-pci
is "gpu0 (dirty) is kept from host drivers" "$(drv "$g0")" ""
ok "modprobe ppt again" modprobe ppt
is "gpu1 adopted as assigned, owner vm2 recovered" \
	"$(pptadm -p -o state,owner,adopted show "$g1")" assigned:vm2:yes
is "gpu1-audio adopted too" "$(pptadm -p -o state,owner show "$a1")" assigned:vm2
is "the reload finds gpu0 dirty, with ppt" "$(st "$g0"):$(drv "$g0")" dirty:ppt
ok "unassign gpu1 after the reload" pptadm unassign --owner vm2 "$g1"
is "gpu1 dirty, with ppt" "$(st "$g1"):$(drv "$g1")" dirty:ppt
ok "release gpu1 (claimed by ids=) to its host driver" pptadm release "$g1"
is "gpu1 went to bochs-drm" "$(drv "$g1")" bochs-drm
is "its override is cleared" "$(cat "/sys/bus/pci/devices/$g1/driver_override")" "(null)"
ok "rmmod ppt" rmmod ppt
done_testing
