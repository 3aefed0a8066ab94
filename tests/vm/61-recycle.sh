#!/bin/sh
# 61-recycle.sh - recycling assignments (assign --recycle): a pool for VFIO
# consumers that never say they are done (KubeVirt's device plugin, Nova with
# unmanaged hostdevs).
#
# On a kernel without runtime PM (the debug kernels are built without
# CONFIG_PM) an assign --recycle is refused, saying so, and nothing changes.
#
# A GPU slot (bochs-display + its audio function, one IOMMU group, reset
# together by a bus reset) is assigned with --recycle.  Each time a VFIO
# program opens a function and closes it, ppt sees the close through the
# runtime-PM link it made (no polling), takes the group back from vfio-pci
# (the group's /dev/vfio node goes away), cleans it and assigns it to the
# owner again.  A config-space read that wakes the device is not a tenant and
# recycles nothing.  A tenant that scribbles over the command register and
# BARs is cleaned away.  The owner's unassign while the device is open is
# refused and recycling goes on; its unassign once closed ends recycling.
# Someone unbinding vfio-pci behind ppt's back ends it too.  An unload leaves
# a recycled device assigned, and a reload adopts it, not recycled.  pptadm
# check fails while a recycled device's power/control is "on", or while
# vfio-pci's disable_idle_d3 is on, with which a close is indeed not seen.
# topology: gpu
# append: ppt.ids=1234:1111,8086:293e
# kernels: 6.1 6.12 debug
# timeout: 420
# shellcheck source=tests/vm/lib.sh
. /ppt/lib.sh

[ -n "$RIG_KMODS" ] || bail_out "no ppt.ko in this initramfs (run with --kmod)"
VT=/ppt/bin/vfio-test
[ -x "$VT" ] || bail_out "no $VT in this initramfs (run with --bin .../vfio-test)"

g0=$(bdf gpu0) a0=$(bdf gpu0-audio)
grp=$(iommu_group "$g0")
MON=/tmp/mon.json

# state:driver:owner:recycle:recycles (':' unescaped)
st() { pptadm -p -o state,driver,owner,recycle,recycles show "$1" 2>/dev/null | sed 's/\\//g'; }
recycles() { pptadm -p -o recycles show "$1" 2>/dev/null; }
# open DEV through VFIO as a VM does, hold it a moment, close it
use() { sleep 1 | "$VT" --hold "$@" >/tmp/use.out 2>&1; }

ok "modprobe ppt (the GPU slots listed)" modprobe ppt
is "gpu0 reserved" "$(st "$g0")" "reserved:ppt::no:"

# --- usage -----------------------------------------------------------------------
pptadm unassign --recycle "$g0" >/dev/null 2>&1
is "unassign --recycle: a usage error (2)" "$?" 2
pptadm claim --recycle --owner kubevirt "$g0" >/dev/null 2>&1
is "claim --recycle: a usage error (2)" "$?" 2

# --- a kernel without runtime PM (the debug kernels: CONFIG_PM off) -------------
if [ ! -e "/sys/bus/pci/devices/$g0/power/runtime_status" ]; then
	ok "claim gpu0's slot for kubevirt" pptadm claim --owner kubevirt "$g0"
	out=$(pptadm assign --owner kubevirt --recycle "$g0" 2>&1)
	is "assign --recycle on a kernel without runtime PM: refused (1)" "$?" 1
	like "... saying why" "$out" "no runtime PM \\(CONFIG_PM\\)"
	is "... gpu0 still claimed by kubevirt" "$(st "$g0")" "claimed:ppt:kubevirt:no:"
	ok "assign without --recycle works" pptadm assign --owner kubevirt "$g0"
	ok "unassign" pptadm unassign --owner kubevirt "$g0"
	wait_for "gpu0 reserved" 60 sh -c "[ \"\$(pptadm -p -o state show $g0)\" = reserved ]"
	ok "rmmod ppt" rmmod ppt
	done_testing
	exit
fi

# --- a recycling assignment --------------------------------------------------------
pptadm monitor -j >"$MON" 2>&1 &
mon=$!
wait_for "pptadm monitor -j is synced" 20 grep -q '"event":"synced"' "$MON"
ok "claim gpu0's slot for kubevirt" pptadm claim --owner kubevirt "$g0"
ok "assign it with --recycle" pptadm assign --owner kubevirt --recycle "$g0"
is "gpu0: assigned to kubevirt, recycled, 0 times" "$(st "$g0")" "assigned:vfio-pci:kubevirt:yes:0"
is "gpu0-audio: likewise (its group mate)" "$(st "$a0")" "assigned:vfio-pci:kubevirt:yes:0"
ok "a runtime-PM watch for each function" test -e "/sys/class/ppt_recycle/$g0" -a -e "/sys/class/ppt_recycle/$a0"
like "the watch is gpu0's runtime-PM supplier (a device link)" \
	"$(ls "/sys/bus/pci/devices/$g0/")" "supplier:ppt_recycle:$g0"
wait_for "gpu0 runtime-suspends with no VFIO user" 20 \
	grep -qx suspended "/sys/bus/pci/devices/$g0/power/runtime_status"
ok "the group's VFIO node is there" test -e "/dev/vfio/$grp"
like "pptadm check: runtime PM can see the recycled devices close" \
	"$(pptadm check 2>&1 | grep recycle)" "PASS +recycle +2 recycled device"
echo on >"/sys/bus/pci/devices/$g0/power/control"
like "... power/control \"on\" on gpu0: FAIL naming it" \
	"$(pptadm check 2>&1 | grep recycle)" "FAIL +recycle +$g0 is recycled, but its runtime PM is off"
echo auto >"/sys/bus/pci/devices/$g0/power/control"

cat "/sys/bus/pci/devices/$g0/config" >/dev/null
sleep 2
is "a config-space read that woke gpu0 recycled nothing" "$(st "$g0")" "assigned:vfio-pci:kubevirt:yes:0"

ok "a VFIO program opens gpu0 and closes it" use "$g0"
wait_for "gpu0 went back to kubevirt, clean: recycled once" 60 sh -c "[ \"\$(pptadm -p -o recycles show $g0)\" = 1 ]"
wait_for "... and is assigned to kubevirt again" 30 sh -c "[ \"\$(pptadm -p -o state show $g0)\" = assigned ]"
is "gpu0: assigned to kubevirt on vfio-pci, recycled once" "$(st "$g0")" "assigned:vfio-pci:kubevirt:yes:1"
is "gpu0-audio went along (one group, one bus reset)" "$(st "$a0")" "assigned:vfio-pci:kubevirt:yes:1"
is "... it was cleaned by a bus reset" "$(pptadm -p -o last_reset show "$g0")" sbr
is "... the clean verified it: no reason to quarantine" "$(pptadm -p -o reason show "$g0")" ""
# the function whose suspend came first says it: vfio-pci's reset at close
# wakes every function of the slot
like "the kernel said why" "$(dmesg | grep 'closed by its VFIO user')" "recycling it for \"kubevirt\""
# the events: assigned -> dirty -> cleaning -> claimed -> assigning -> assigned,
# and while cleaning the slot was with ppt, not vfio-pci: no /dev/vfio node
seq=$(awk -v a="$g0" 'index($0, "\"addr\":\"" a "\"") && /"event":"device"/ {
	match($0, /"state":"[a-z]*"/); s = substr($0, RSTART + 9, RLENGTH - 10)
	match($0, /"driver":("[^"]*"|null)/); d = substr($0, RSTART + 9, RLENGTH - 9)
	gsub(/"/, "", d); printf "%s/%s ", s, d }' "$MON")
diag "gpu0's events: $seq"
like "gpu0's events: unassigned, cleaned with ppt, claimed, assigned again" "$seq" \
	"assigned/vfio-pci unassigning/vfio-pci dirty/ppt cleaning/ppt (claimed/ppt )+assigning/ppt assigned/vfio-pci"

ok "a VFIO program opens gpu0 again, scribbling over its command register and BARs" \
	sh -c "sleep 1 | $VT --hold --scribble $g0 >/tmp/use.out 2>&1"
wait_for "recycled twice" 60 sh -c "[ \"\$(pptadm -p -o recycles,state show $g0)\" = 2:assigned ]"
is "... clean again, not quarantined" "$(pptadm -p -o state,reason show "$g0")" "assigned:"

ok "a VFIO program opens only the audio function" use "$a0"
wait_for "the group recycled a third time" 60 sh -c "[ \"\$(pptadm -p -o recycles,state show $a0)\" = 3:assigned ]"
is "gpu0 went along" "$(st "$g0")" "assigned:vfio-pci:kubevirt:yes:3"
# docs/integration/kubevirt.md shows this listing (example kubevirt-pool;
# tests/userspace/check-guide-vm.sh keeps the two equal)
pool_listing='
ADDR          STATE     OWNER     RECYCLE  RECYCLES
0000:01:00.0  assigned  kubevirt  yes      3
0000:01:00.1  assigned  kubevirt  yes      3
'
is "the pool's listing is the guide's" "
$(pptadm -o addr,state,owner,recycle,recycles list "$g0" "$a0")
" "$pool_listing"

# --- the owner's unassign ------------------------------------------------------------
vfio_hold "$g0"
out=$(pptadm unassign --owner kubevirt "$g0" 2>&1)
like "the owner's unassign while a VM holds gpu0: refused" "$out" "VFIO device is open"
is "... still assigned and recycled" "$(st "$g0")" "assigned:vfio-pci:kubevirt:yes:3"
vfio_release
wait_for "the VM's close recycled it (the refused unassign ended nothing)" 60 \
	sh -c "[ \"\$(pptadm -p -o recycles,state show $g0)\" = 4:assigned ]"
ok "the owner unassigns it, closed" pptadm unassign --owner kubevirt "$g0"
wait_for "gpu0 cleaned back to the pool: reserved" 60 sh -c "[ \"\$(pptadm -p -o state show $g0)\" = reserved ]"
is "gpu0: reserved, not recycled" "$(st "$g0")" "reserved:ppt::no:"
is "gpu0-audio likewise" "$(st "$a0")" "reserved:ppt::no:"
is "no watch is left" "$(ls /sys/class/ppt_recycle/)" ""
ok "a VFIO program cannot open the pool's device: no VFIO node" test ! -e "/dev/vfio/$grp"

# --- vfio-pci unbound behind ppt's back ----------------------------------------------
ok "gpu0 claimed and assigned, recycling, again" sh -c \
	"pptadm claim --owner kubevirt $g0 && pptadm assign --owner kubevirt --recycle $g0"
is "... recycles counts from 0" "$(st "$g0")" "assigned:vfio-pci:kubevirt:yes:0"
ok "vfio-pci unbound from gpu0 through sysfs" sh -c "echo $g0 >/sys/bus/pci/drivers/vfio-pci/unbind"
is "gpu0: dirty, no longer recycled" "$(pptadm -p -o state,recycle show "$g0")" "dirty:no"
wait_for "its watch went" 20 test ! -e "/sys/class/ppt_recycle/$g0"
is "gpu0-audio: still assigned, recycled" "$(pptadm -p -o state,recycle show "$a0")" "assigned:yes"
ok "the owner unassigns the audio function" pptadm unassign --owner kubevirt "$a0"
wait_for "the slot is cleaned back to the pool" 60 sh -c \
	"[ \"\$(pptadm -p -o state show $g0):\$(pptadm -p -o state show $a0)\" = reserved:reserved ]"
is "gpu0-audio: not recycled" "$(pptadm -p -o recycle show "$a0")" no
is "no watch is left" "$(ls /sys/class/ppt_recycle/)" ""
ok "the slot claimed and assigned, recycling" sh -c \
	"pptadm claim --owner kubevirt $g0 && pptadm assign --owner kubevirt --recycle $g0"

# --- unload and reload -----------------------------------------------------------------
kill "$mon"
wait "$mon"
ok "rmmod ppt with a recycled slot assigned" rmmod ppt
is "gpu0 stays with vfio-pci" "$(drv "$g0")" vfio-pci
ok "the watches went with the module" test ! -e /sys/class/ppt_recycle
ok "modprobe ppt" modprobe ppt
is "gpu0 adopted as assigned to kubevirt, not recycled" \
	"$(pptadm -p -o state,owner,adopted,recycle show "$g0" | sed 's/\\//g')" "assigned:kubevirt:yes:no"
ok "a VFIO program opens gpu0 and closes it" use "$g0"
sleep 2
is "... nothing recycles it now" "$(pptadm -p -o state,recycle show "$g0")" "assigned:no"
ok "the owner unassigns it" pptadm unassign --owner kubevirt "$g0"
wait_for "gpu0 reserved" 60 sh -c "[ \"\$(pptadm -p -o state show $g0)\" = reserved ]"
ok "rmmod ppt" rmmod ppt

# --- vfio-pci's disable_idle_d3: the close cannot be seen ------------------------
# (a read-only parameter: vfio-pci loaded again with it)
ok "vfio-pci loaded again with disable_idle_d3=1" sh -c \
	"rmmod vfio-pci && modprobe vfio-pci disable_idle_d3=1"
ok "modprobe ppt" modprobe ppt
ok "gpu0's slot claimed and assigned, recycling" sh -c \
	"pptadm claim --owner kubevirt $g0 && pptadm assign --owner kubevirt --recycle $g0"
like "pptadm check: FAIL, disable_idle_d3 is on" "$(pptadm check 2>&1 | grep recycle)" \
	"FAIL +recycle +vfio-pci's disable_idle_d3 is on"
ok "a VFIO program opens gpu0 and closes it" use "$g0"
sleep 2
is "... unseen: gpu0 is not recycled (what the check warns of)" "$(pptadm -p -o recycles show "$g0")" 0
ok "the owner unassigns it" pptadm unassign --owner kubevirt "$g0"
wait_for "gpu0 reserved" 60 sh -c "[ \"\$(pptadm -p -o state show $g0)\" = reserved ]"
ok "rmmod ppt" rmmod ppt
done_testing
