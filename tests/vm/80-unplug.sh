#!/bin/sh
# 80-unplug.sh - hot-unplug (pciehp, asked for through QEMU's monitor) of a
# device in each of ppt's states: reserved, claimed, dirty, quarantined,
# assigned with its VFIO device open, and in the middle of a clean.  Each
# time: the device leaves ppt's inventory (pptadm show, the netlink dump), a
# removal event is sent and is the last event about it, no device is left
# in a transitional state, and the other devices are untouched.  While a
# program holds the assigned device through VFIO the unplug waits for it
# (vfio-pci's remove), with ppt still showing the device assigned.  A
# device hot-added into a freed slot starts afresh (reserved, no owner),
# the event stream has no gap, ppt unloads cleanly, and the rig's dmesg
# check finds no splat.  make check also runs it on the KASAN + kmemleak
# kernel (which has no lockdep), so an unplug in every state is checked
# for leaks and bad accesses too.
# topology: faults
# append: ppt.ids=1234:11e8,1b36:0010 ppt.auto_clean=0
# kernels: 6.1 6.12
# timeout: 420
#
# Not on the lockdep debug kernels: every pciehp hot-unplug trips a lockdep
# report in pciehp itself there (see 01-qmp.sh).
# shellcheck source=tests/vm/lib.sh
. /ppt/lib.sh

[ -n "$RIG_KMODS" ] || bail_out "no ppt.ko in this initramfs (run with --kmod)"
VT=/ppt/bin/vfio-test
[ -x "$VT" ] || bail_out "no $VT in this initramfs (run with --bin .../vfio-test)"

MON=/tmp/mon.json
e0=$(bdf edu0) e1=$(bdf edu1) e2=$(bdf edu2) e3=$(bdf edu3) e4=$(bdf edu4)
e5=$(bdf edu5) n=$(bdf nvme0)

# state:driver:owner of a device ppt manages (':' unescaped)
st() { pptadm -p -o state,driver,owner show "$1" 2>/dev/null | sed 's/\\//g'; }
# every device ppt knows, "ADDR STATE OWNER" a line
table() { pptadm -p -o addr,state,owner list | sed 's/\\:/#/g; s/:/ /g; s/#/:/g' | sort; }
transitional() { table | grep -E ' (reserving|releasing|assigning|unassigning|cleaning|resetting) '; }
# the hot-plug slot (/sys/bus/pci/slots/N) a device sits in
slot_of() {
	for _s in /sys/bus/pci/slots/*; do
		[ "$(cat "$_s/address")" != "${1%.*}" ] || { echo "${_s##*/}"; return 0; }
	done
	return 1
}
# device events (JSON lines from pptadm monitor -j) about one address
events_of() { grep '"event":"device"' "$MON" | grep "\"addr\":\"$1\""; }

# unplugged ID ADDR: the device is gone, from the system and from ppt
unplugged() {
	wait_for "$1 left the system" 60 sh -c "! test -e /sys/bus/pci/devices/$2"
	ok "QEMU reported DEVICE_DELETED for $1" qmp_wait_event DEVICE_DELETED "$1" 30
	out=$(pptadm show "$2" 2>&1)
	like "pptadm show no longer knows $2" "$out" 'No such device'
	is "... nor does the netlink dump (pptadm -j list)" \
		"$(pptadm -j list | grep -o "\"addr\":\"$2\"" | wc -l)" 0
	wait_for "a removal event for $2 was sent" 10 sh -c \
		"grep '\"removed\":true' $MON | grep -q '\"addr\":\"$2\"'"
	like "... and it is the last event about $2" "$(events_of "$2" | tail -n 1)" '"removed":true'
	is "no device is left in a transitional state" "$(transitional)" ""
}

ok "modprobe ppt (the edus and nvme0 listed)" modprobe ppt
for d in "$e0" "$e1" "$e2" "$e3" "$e4" "$e5" "$n"; do
	is "$d reserved by ppt" "$(st "$d")" "reserved:ppt:"
done
pptadm monitor -j >"$MON" 2>&1 &
mon=$!
wait_for "pptadm monitor -j is synced" 20 grep -q '"event":"synced"' "$MON"

# --- reserved ----------------------------------------------------------------
ok "device_del edu0 (reserved)" qmp_device_del edu0
unplugged edu0 "$e0"

# --- claimed -----------------------------------------------------------------
ok "claim edu1 for vm1" pptadm claim --owner vm1 "$e1"
ok "device_del edu1 (claimed by vm1)" qmp_device_del edu1
unplugged edu1 "$e1"

# --- dirty -------------------------------------------------------------------
ok "claim, assign and unassign edu3 (auto_clean=0)" sh -c \
	"pptadm claim --owner vm3 $e3 && pptadm assign --owner vm3 $e3 && pptadm unassign --owner vm3 $e3"
is "edu3 dirty, with ppt" "$(st "$e3")" "dirty:ppt:"
ok "device_del edu3 (dirty)" qmp_device_del edu3
unplugged edu3 "$e3"

# --- quarantined ---------------------------------------------------------------
# a fatal error reported by the root port: the AER driver recovers what is below it
like "inject a fatal error at edu4's root port (rp5)" \
	"$(qmp '{"execute":"human-monitor-command","arguments":{"command-line":"pcie_aer_inject_error rp5 MALF_TLP"}}')" '"return"'
wait_for "edu4 quarantined" 20 sh -c "[ \"\$(pptadm -p -o state show $e4)\" = quarantined ]"
ok "device_del edu4 (quarantined)" qmp_device_del edu4
unplugged edu4 "$e4"

# --- assigned, with the VFIO device open ---------------------------------------
ok "claim and assign edu2 for vm2" sh -c "pptadm claim --owner vm2 $e2 && pptadm assign --owner vm2 $e2"
is "edu2 assigned to vm2, with vfio-pci" "$(st "$e2")" "assigned:vfio-pci:vm2"
rm -f /tmp/hold.in /tmp/hold.out
mkfifo /tmp/hold.in
"$VT" --hold "$e2" </tmp/hold.in >/tmp/hold.out 2>&1 &
holder=$!
exec 3>/tmp/hold.in
wait_for "a VFIO program holds edu2 open, as a VM would" 60 grep -qx ready /tmp/hold.out
ok "device_del edu2 (assigned, VFIO device open)" qmp_device_del edu2
wait_for "vfio-pci's remove waits for the program (no request channel)" 30 sh -c \
	"dmesg | grep '$e2' | grep -q 'blocked until released by user'"
ok "edu2 is still in the system" test -e "/sys/bus/pci/devices/$e2"
is "ppt still shows it assigned to vm2" "$(st "$e2")" "assigned:vfio-pci:vm2"
kill -USR1 "$holder"
wait_for "the program still reads edu2's config space through VFIO" 10 \
	sh -c "[ \$(grep -c '^config $e2 1234:11e8\$' /tmp/hold.out) -eq 2 ]"
exec 3>&-
wait "$holder"
diag "$(cat /tmp/hold.out)"
unplugged edu2 "$e2"
like "before the removal ppt saw vfio-pci let go: dirty" \
	"$(events_of "$e2" | tail -n 2 | head -n 1)" '"state":"dirty","driver":null'

# --- cleaning ------------------------------------------------------------------
# device_del presses the slot's attention button; pciehp would wait 5 s
# before acting on it, far longer than a clean (FLR: ~110 ms).  Switching
# the slot's power off (pciehp's sysfs control) runs the same removal at
# once, and QEMU completes the unplug when the slot is off.
slot=$(slot_of "$n")
ok "nvme0 sits in hot-plug slot ${slot:-?}" test -n "$slot"
ok "device_del nvme0" qmp_device_del nvme0
ok "clean nvme0 (FLR), not waiting for the outcome" pptadm clean --no-wait "$n"
ok "power its slot off at once: pciehp removes nvme0 during the clean" \
	sh -c "echo 0 >/sys/bus/pci/slots/$slot/power"
unplugged nvme0 "$n"
ev=$(events_of "$n" | grep -n '"state":"cleaning"' | head -n 1)
ok "the removal came after the clean started (event order)" test -n "$ev"
wait_for "the clean's outcome was announced" 20 sh -c \
	"grep '\"event\":\"request\"' $MON | grep '\"command\":\"clean\"' | grep -q '\"device\":\"$n\"'"
diag "$(grep '"event":"request"' "$MON" | grep '"command":"clean"' | grep "\"device\":\"$n\"")"
diag "$(dmesg | grep "$n" | grep -E 'removed from the system|clean|behind|not ready')"

# --- a new device in a freed slot ---------------------------------------------
ok "hot-add an edu into edu1's old slot (rp2)" \
	qmp '{"execute":"device_add","arguments":{"driver":"edu","id":"edu1","bus":"rp2"}}'
wait_for "ppt holds it (ids=1234:11e8)" 30 test -e "/sys/bus/pci/drivers/ppt/$e1"
is "it starts afresh: reserved, no owner" "$(st "$e1")" "reserved:ppt:"
is "edu5, never touched, is still reserved" "$(st "$e5")" "reserved:ppt:"
is "ppt's table: just those two" "$(table)" "$(printf '%s reserved \n' "$e1" "$e5" | sort)"

kill "$mon"
wait "$mon"
is "the event stream had no gap" "$(grep -c '"event":"lost"' "$MON")" 0
diag "$(grep -c '"event":"device"' "$MON") device events, $(grep -c '"event":"request"' "$MON") request events"

ok "rmmod ppt" rmmod ppt
ok "... it is gone" sh -c '! grep -q "^ppt " /proc/modules'
is "the edus are left without a driver" "$(drv "$e1"):$(drv "$e5")" ":"
done_testing
