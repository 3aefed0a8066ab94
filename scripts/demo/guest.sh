#!/bin/sh
# The guest side of `make demo`: runs in the VM on the gpu topology and
# narrates what ppt does with the two fake GPUs (bochs-display 1234:1111,
# each with an ich9-intel-hda audio function in the same slot and IOMMU
# group: the "GPU with HDMI audio" of a real host), booted with
# ppt.ids=1234:1111 on the kernel command line.
# topology: gpu
# sanitise: policy
. /ppt/lib.sh

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@" 2>&1; }

g=$(bdf gpu0) a=$(bdf gpu0-audio)

say "The host's GPUs and their audio functions (lspci -nn -d ::0380, -d ::0403)"
run lspci -nn -d ::0380
run lspci -nn -d ::0403
say "Kernel command line: $(tr ' ' '\n' </proc/cmdline | grep '^ppt\.')"

say "ppt loads first (as from the initramfs), then every host driver, as udev would"
run modprobe ppt
for d in /sys/bus/pci/devices/*; do modprobe -q "$(cat "$d/modalias")" 2>/dev/null; done
run pptadm list
echo "(bochs-drm is loaded, yet both fake GPUs are ppt's; the audio functions went to snd_hda_intel)"
is "the first GPU is ppt's, reserved" "$(pptadm -p -o state,driver show "$g")" reserved:ppt
is "its audio function has its host driver" "$(drv "$a")" snd_hda_intel

say "Claim the first GPU for a VM"
run pptadm claim --owner vm-0001 "$g"
echo "(refused: its audio function shares the IOMMU group and belongs to a host driver;"
echo " a VM gets a whole IOMMU group or nothing)"
is "the claim was refused, and the GPU is still reserved" "$(pptadm -p -o state show "$g")" reserved

say "Take the audio function too, then claim and assign: the whole group goes to vfio-pci"
run pptadm reserve --force "$a"
run pptadm claim --owner vm-0001 "$g"
run pptadm assign --owner vm-0001 "$g"
run pptadm -o addr,state,driver,owner,group list
run ls -l /dev/vfio/
is "the GPU is with vfio-pci, assigned to vm-0001" \
	"$(pptadm -p -o state,driver,owner show "$g")" assigned:vfio-pci:vm-0001
is "its audio function went along" "$(pptadm -p -o state,driver show "$a")" assigned:vfio-pci

if [ -x /ppt/bin/vfio-test ]; then
	say "A VM's view: open the device through VFIO and read its config space, as QEMU would"
	run /ppt/bin/vfio-test "$g"
	say "The VM leaves its data in the GPU's frame buffer (its 16 MiB VRAM BAR)"
	run /ppt/bin/vfio-test --fill 0:a5 "$g"
fi

say "A reset does not erase VRAM: the clean first runs the GPU's sanitiser (policy: bar)"
run pptadm sanitise list
echo "(the sanitise agent erases devices through VFIO for the kernel; ppt-agent.service runs it)"
pptadm agent >/tmp/agent.log 2>&1 &
wait_for "the sanitise agent registers" 10 sh -c 'pptadm agent status >/dev/null 2>&1'
run pptadm check

say "The VM is gone: take the group back. It comes back dirty, and ppt cleans it at once"
run pptadm unassign --owner vm-0001 "$g"
wait_for "ppt sanitised and cleaned the GPU and its audio function (a bus reset of their slot)" 30 \
	sh -c "[ \"\$(pptadm -p -o state show $g):\$(pptadm -p -o state show $a)\" = reserved:reserved ]"
run pptadm -o addr,state,driver,owner,last_reset list
run pptadm -o addr,last_sanitiser,last_sanitise_outcome,last_sanitise_verified show "$g"
run cat /tmp/agent.log
run pptadm claim --owner vm-0002 "$g"
is "the next tenant gets it" "$(pptadm -p -o state,owner show "$g")" claimed:vm-0002
if [ -x /ppt/bin/vfio-test ]; then
	run pptadm assign --owner vm-0002 "$g"
	say "The next VM reads the frame buffer: zero, nothing of vm-0001's"
	out=$(/ppt/bin/vfio-test --probe 0 "$g" 2>&1)
	printf '%s\n' "$out"
	like "vm-0002 reads zero in VRAM" "$out" 'bar 0 zero'
fi

say "The same inventory for programs (pptadm -j list)"
run pptadm -j -o addr,state,driver,owner,group,path,boot list

say "What the kernel logged: every change, with who asked"
dmesg | grep -E 'ppt|vfio-pci' | grep -E 'by uid|held by ppt|listed|cleaned|sanitis' | sed 's/^\[ *[0-9.]*\] //'
pass "demo ran"
done_testing
