#!/bin/sh
# 30-handoff.sh - reserve, claim, assign to vfio-pci and back through pptadm,
# with the GPU + HDMI audio case: a device is claimed and goes to vfio-pci
# only with every other endpoint of its IOMMU group, and a mate that left
# vfio-pci behind ppt's back does not strand the rest.  Also: refusals name
# what blocks them and change nothing; unload leaves an assigned group with
# vfio-pci and a reload adopts it with its owner; releasing a dirty function
# cleans it (with its slot) first.
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

# --- claim: a device goes with its IOMMU group or not at all ---
out=$(pptadm assign --owner vm1 "$g0" 2>&1); rc=$?
is "assign before claim fails" "$rc" 1
like "... saying the device must be claimed" "$out" 'must be claimed before it is assigned'
out=$(pptadm claim --owner vm1 "$g0" 2>&1); rc=$?
is "claiming gpu0 alone fails: its audio function shares the IOMMU group" "$rc" 1
like "... naming the audio function and its driver" "$out" "blocking: $a0, driver snd_hda_intel"
is "... and gpu0 is still reserved, with ppt" "$(st "$g0"):$(drv "$g0")" reserved:ppt
is "... and the audio function still has its driver" "$(drv "$a0")" snd_hda_intel
out=$(pptadm claim "$g0" 2>&1); rc=$?
is "claim without --owner is a usage error" "$rc" 2

out=$(pptadm reserve "$a0" 2>&1)
like "reserving a device a host driver holds needs --force" "$out" "force takes it \\(blocking: $a0, driver snd_hda_intel\\)"
is "... and it keeps its driver" "$(drv "$a0")" snd_hda_intel
ok "reserve --force gpu0-audio" pptadm reserve --force "$a0"
is "gpu0-audio reserved, with ppt" "$(st "$a0"):$(drv "$a0")" reserved:ppt
out=$(pptadm reserve --force "$a0" 2>&1)
like "reserving it again is refused" "$out" 'already held by ppt'

ok "claim gpu0 for vm1: its audio function goes along" pptadm claim --owner vm1 "$g0"
is "gpu0 claimed by vm1" "$(st "$g0"):$(owner "$g0")" claimed:vm1
is "gpu0-audio claimed by vm1 with it" "$(st "$a0"):$(owner "$a0")" claimed:vm1
out=$(pptadm claim --owner vm2 "$g0" 2>&1)
like "a second claim is refused" "$out" 'Device or resource busy: device is already claimed'
out=$(pptadm unclaim --owner vm2 "$g0" 2>&1)
like "unclaim by another owner is refused" "$out" 'claimed by another owner'
ok "unclaim gpu0" pptadm unclaim --owner vm1 "$g0"
is "... gives its audio function back too" "$(st "$g0"):$(st "$a0")" reserved:reserved
ok "claim gpu0 for vm1 again" pptadm claim --owner vm1 "$g0"

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
ok "reserve --force gpu1-audio" pptadm reserve --force "$a1"
ok "claim gpu1 for vm2" pptadm claim --owner vm2 "$g1"
ok "assign gpu1 for vm2" pptadm assign --owner vm2 "$g1"
# a mate leaves vfio-pci behind ppt's back (a sysfs unbind, a half-done
# managed detach): it must not strand the rest of the group
ok "unbind gpu0-audio from vfio-pci behind ppt's back" sh -c \
	"echo $a0 >/sys/bus/pci/drivers/vfio-pci/unbind"
is "gpu0-audio is dirty, with no driver" "$(st "$a0"):$(drv "$a0")" dirty:
is "... tainted, and its group held from host drivers and VMs" \
	"$(pptadm -p -o tainted,gated show "$a0")" yes:yes
ok "unassign gpu0: the mate that left does not block it" pptadm unassign --owner vm1 "$g0"
is "gpu0 dirty, back with ppt" "$(st "$g0"):$(drv "$g0")" dirty:ppt
is "gpu0-audio dirty, with ppt again" "$(st "$a0"):$(drv "$a0")" dirty:ppt
is "a dirty device has no owner" "$(owner "$g0")" ""
out=$(pptadm claim --owner vm3 "$g0" 2>&1)
like "a dirty device cannot be claimed" "$out" 'dirty: it must be cleaned first'

ok "rmmod ppt with gpu1's group assigned" rmmod ppt
is "gpu1 stays with vfio-pci" "$(drv "$g1")" vfio-pci
is "gpu1-audio stays with vfio-pci" "$(drv "$a1")" vfio-pci
is "gpu0 (dirty) is kept from host drivers" "$(drv "$g0")" ""
is "gpu0-audio (dirty) too" "$(drv "$a0")" ""
ok "modprobe ppt again" modprobe ppt
is "gpu1 adopted as assigned, owner vm2 recovered" \
	"$(pptadm -p -o state,owner,adopted show "$g1")" assigned:vm2:yes
is "gpu1-audio adopted too" "$(pptadm -p -o state,owner show "$a1")" assigned:vm2
is "the reload finds gpu0 dirty, with ppt" "$(st "$g0"):$(drv "$g0")" dirty:ppt
ok "release gpu0-audio: the slot is cleaned first" pptadm release "$a0"
is "gpu0-audio went back to snd_hda_intel" "$(drv "$a0")" snd_hda_intel
fails "ppt forgot gpu0-audio" pptadm show "$a0"
is "gpu0, reset with it, is clean: reserved" "$(st "$g0"):$(drv "$g0")" reserved:ppt
ok "unassign gpu1 after the reload" pptadm unassign --owner vm2 "$g1"
is "gpu1 dirty, with ppt" "$(st "$g1"):$(drv "$g1")" dirty:ppt
ok "release gpu1 (claimed by ids=) to its host driver" pptadm release "$g1"
is "gpu1 went to bochs-drm" "$(drv "$g1")" bochs-drm
is "its override is cleared" "$(cat "/sys/bus/pci/devices/$g1/driver_override")" "(null)"
is "gpu1-audio, cleaned with it, stays reserved" "$(st "$a1")" reserved
ok "rmmod ppt" rmmod ppt
done_testing
