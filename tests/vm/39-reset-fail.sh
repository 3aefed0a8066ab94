#!/bin/sh
# 39-reset-fail.sh - a clean that really fails ends quarantined, with the
# reason; a quarantined device cannot be claimed until an administrator
# cleans it, and is not released to host drivers while it cannot be cleaned.
#
# The failure is real, not simulated in ppt: the device is made unreachable
# the way a link that went down makes it, by pointing its root port's
# secondary and subordinate bus numbers at an empty bus, so that config
# requests for the device are no longer routed to it and read all-ones
# (QEMU's root ports route config cycles by those numbers, as hardware
# does).  The PCI core's reset then genuinely fails: an FLR waits for the
# device to answer and gives up (ENOTTY, after the 60 s the PCIe spec
# allows); a bus reset of a function without power management waits for
# nothing and "succeeds", and ppt's verification finds a device that does
# not answer.  Restoring the bus numbers is the repair an administrator
# would make; cleaning again then returns the device to the pool.
# topology: reset
# append: ppt.ids=1234:11e8,1b36:0010 ppt.auto_clean=0
# kernels: 6.1 6.12
# (Not on the debug kernels: CI's time budget; they run it when named.)
# timeout: 600
# shellcheck source=tests/vm/lib.sh
. /ppt/lib.sh

[ -n "$RIG_KMODS" ] || bail_out "no ppt.ko in this initramfs (run with --kmod)"
command -v setpci >/dev/null || bail_out "no setpci in this initramfs"

st() { pptadm -p -o state show "$1"; }
ids() { setpci -s "$1" 0.l 2>/dev/null; }

# unreach RP: route RP's secondary bus nowhere; reach RP SEC SUB: put it back
# (ok runs its command in a subshell: the caller keeps the numbers)
unreach() {
	setpci -s "$1" SUBORDINATE_BUS.b=fe && setpci -s "$1" SECONDARY_BUS.b=fe
}
reach() {
	setpci -s "$1" SECONDARY_BUS.b="$2" && setpci -s "$1" SUBORDINATE_BUS.b="$3"
}
buses() { echo "$(setpci -s "$1" SECONDARY_BUS.b) $(setpci -s "$1" SUBORDINATE_BUS.b)"; }

ok "modprobe ppt (edu and NVMe listed, auto-clean off)" modprobe ppt
n=$(bdf nvme0); rpn=$(bdf rp4)
e=$(bdf edu0); rpe=$(bdf rp5)
is "nvme0 reserved" "$(st "$n")" reserved
is "edu0 reserved" "$(st "$e")" reserved

# --- FLR that fails: the device never answers again --------------------------
is "nvme0 answers with its ids" "$(ids "$n")" 00101b36
bn=$(buses "$rpn")
ok "route rp4's bus nowhere (the link to nvme0 is gone)" unreach "$rpn"
is "... nvme0 now reads all-ones" "$(ids "$n")" ffffffff
t0=$(date +%s)
out=$(pptadm clean --method flr --timeout 120 "$n" 2>&1); rc=$?
diag "clean took $(($(date +%s) - t0)) s: $out"
isnt "a clean by FLR of a device that does not answer fails" "$rc" 0
is "... and leaves nvme0 quarantined" "$(st "$n")" quarantined
like "the kernel's own reset gave up on it" "$(dmesg | grep "$n" | grep -i 'not ready\|giving up\|reset' | tail -3)" \
	'(not ready|giving up)'
out=$(pptadm claim --owner vm1 "$n" 2>&1)
like "a quarantined device cannot be claimed" "$out" 'quarantined'
# shellcheck disable=SC2086
ok "repair: restore rp4's bus numbers" reach "$rpn" $bn
is "... nvme0 answers again" "$(ids "$n")" 00101b36
ok "the administrator cleans it" pptadm clean --method flr "$n"
is "... reserved again" "$(st "$n")" reserved
ok "... and claimable" pptadm claim --owner vm1 "$n"
ok "unclaim" pptadm unclaim --owner vm1 "$n"

# --- bus reset that "succeeds", verification that does not ------------------
be=$(buses "$rpe")
ok "route rp5's bus nowhere (the link to edu0 is gone)" unreach "$rpe"
out=$(pptadm clean --method sbr "$e" 2>&1); rc=$?
diag "$out"
isnt "a clean by bus reset of a device that does not answer fails" "$rc" 0
like "... at verification: the device does not answer" "$out" 'does not answer config reads'
is "... edu0 quarantined" "$(st "$e")" quarantined
out=$(pptadm claim --owner vm1 "$e" 2>&1)
like "a quarantined device cannot be claimed" "$out" 'quarantined'
like "... and says why" "$(pptadm -p -o reason show "$e")" 'does not answer config reads'
out=$(pptadm release "$e" 2>&1); rc=$?
is "releasing it fails: a quarantined device is cleaned first, and that fails" "$rc" 1
like "... saying it was not released" "$out" 'could not be cleaned, so it was not released'
is "... edu0 stays quarantined, with ppt" "$(st "$e"):$(drv "$e")" quarantined:ppt
# shellcheck disable=SC2086
ok "repair: restore rp5's bus numbers" reach "$rpe" $be
ok "the administrator cleans it" pptadm clean "$e"
is "... reserved again" "$(st "$e")" reserved
is "... and the reason is gone" "$(pptadm -p -o reason show "$e")" ""

ok "rmmod ppt" rmmod ppt
done_testing
