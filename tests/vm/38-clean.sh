#!/bin/sh
# 38-clean.sh - reset domains and the cleaning life cycle: a bus reset is
# refused while a function on the same bus is with a host driver (named as
# the blocker) and resets every function together once ppt holds them all;
# a GPU and its audio function are cleaned as one unit, automatically after
# a tenant, with the events pptadm monitor shows; a fatal PCI error (AER)
# quarantines a device, which then cannot be claimed until an
# administrator cleans it; a tenant's config-space scribbles (through VFIO
# and behind its back) are undone by cleaning.
# topology: reset
# append: ppt.ids=1234:1111,8086:293e,1234:11e8,1b36:0010
# kernels: 6.1 6.12 debug
# timeout: 400
# shellcheck source=tests/vm/lib.sh
. /ppt/lib.sh

[ -n "$RIG_KMODS" ] || bail_out "no ppt.ko in this initramfs (run with --kmod)"
VT=/ppt/bin/vfio-test
[ -x "$VT" ] || bail_out "no $VT in this initramfs (run with --bin .../vfio-test)"

gpu=$(bdf gpu0) aud=$(bdf gpu0-audio) pnic=$(bdf pbr0-nic) pedu=$(bdf pbr0-edu)
e0=$(bdf edu0)
st() { pptadm -p -o state show "$1"; }
field() { pptadm -p -o "$2" show "$1"; }

ok "modprobe e1000 (pbr0-nic's host driver)" modprobe e1000
is "pbr0-nic is with e1000" "$(drv "$pnic")" e1000
ok "modprobe ppt (GPU, audio, edu, nvme listed)" modprobe ppt
for d in "$gpu" "$aud" "$pedu" "$e0" "$(bdf nvme0)"; do
	is "$d reserved" "$(st "$d")" reserved
done
like "the GPU's audio function can be reset by its slot's bus reset" "$(field "$aud" reset_methods)" sbr

# --- a bus reset is for the whole domain, and only when ppt holds it ---------
out=$(pptadm reset "$pedu" 2>&1); rc=$?
is "a bus reset of pbr0-edu is refused while pbr0-nic is with e1000" "$rc" 1
like "... saying why" "$out" "another device on the bus is not held by ppt"
like "... and naming the sibling and its driver" "$out" "blocking: $pnic, driver e1000"
is "... pbr0-edu stays reserved" "$(st "$pedu")" reserved
is "... pbr0-nic stays with e1000" "$(drv "$pnic")" e1000
ok "reserve --force pbr0-nic" pptadm reserve --force "$pnic"
ok "now the bus reset of pbr0-edu runs" pptadm reset "$pedu" --method sbr
is "... pbr0-edu reserved, reset by sbr" "$(st "$pedu"):$(field "$pedu" last_reset)" reserved:sbr
is "... and pbr0-nic was reset with it" "$(st "$pnic"):$(field "$pnic" last_reset)" reserved:sbr
like "... the kernel log says so" "$(dmesg | grep "$pedu" | tail -n 3)" "sbr reset of its slot/bus, with 1 other function"
ok "claim pbr0-nic for vm1" pptadm claim --owner vm1 "$pnic"
is "... pbr0-edu, in its IOMMU group, is claimed with it" "$(pptadm -p -o state,owner show "$pedu")" claimed:vm1
out=$(pptadm reset "$pedu" 2>&1)
like "with the domain claimed, a reset of pbr0-edu is refused" "$out" "must be unclaimed before it is reset"
ok "unclaim pbr0-nic" pptadm unclaim --owner vm1 "$pnic"
is "... pbr0-edu goes back with it" "$(st "$pedu")" reserved
out=$(pptadm reset "$gpu" --method flr 2>&1)
like "the GPU has no FLR: refused" "$out" "does not support this reset method"

# --- a tenant cycle of the GPU slot: auto-clean as one unit, seen by monitor -
# FILE has monitor -j's event that DEVICE became reserved
# shellcheck disable=SC2317  # called through wait_for
heard_reserved() {
	grep '^{"event":"device"' "$1" | grep "\"$2\"" | grep -q '"state":"reserved"'
}
pptadm monitor -j >/tmp/mon.json 2>/tmp/mon.err &
mon=$!
wait_for "monitor is subscribed and synced" 20 grep -q '"event":"synced"' /tmp/mon.json
ok "claim the GPU for vm1" pptadm claim --owner vm1 "$gpu"
ok "assign it (its audio function goes along: same IOMMU group)" pptadm assign --owner vm1 "$gpu"
is "both with vfio-pci" "$(drv "$gpu"):$(drv "$aud")" vfio-pci:vfio-pci
ok "unassign it" pptadm unassign --owner vm1 "$gpu"
wait_for "auto-clean makes the GPU reserved again" 30 sh -c "[ \"\$(pptadm -p -o state show $gpu)\" = reserved ]"
wait_for "... and its audio function" 30 sh -c "[ \"\$(pptadm -p -o state show $aud)\" = reserved ]"
is "both were reset together by the slot's bus reset" "$(field "$gpu" last_reset):$(field "$aud" last_reset)" sbr:sbr
like "the kernel log shows one clean for the unit" "$(dmesg | grep "$gpu" | grep cleaned)" "with 1 other function"
wait_for "monitor heard the GPU reserved again" 20 heard_reserved /tmp/mon.json "$gpu"
wait_for "... and its audio function" 20 heard_reserved /tmp/mon.json "$aud"
kill "$mon" 2>/dev/null
wait "$mon" 2>/dev/null
events=$(cat /tmp/mon.json)
for s in claimed assigning assigned unassigning dirty cleaning reserved; do
	like "monitor saw the GPU $s" "$events" "\"$gpu\".*\"state\":\"$s\"|\"state\":\"$s\".*\"$gpu\""
done
like "monitor saw the audio function cleaning too" "$events" "\"$aud\".*\"state\":\"cleaning\"|\"state\":\"cleaning\".*\"$aud\""

# --- a fatal PCI error quarantines ----------------------------------------
nv=$(bdf nvme0)
is "nvme0 reserved" "$(st "$nv")" reserved
# QEMU's NVMe has no AER capability: a fatal error reported by its root port
# makes the AER driver recover everything below the port, nvme0 included
like "inject a fatal (malformed TLP) error at nvme0's root port" \
	"$(qmp '{"execute":"human-monitor-command","arguments":{"command-line":"pcie_aer_inject_error rp4 MALF_TLP"}}')" '"return"'
wait_for "ppt's error handler quarantines nvme0" 20 sh -c "[ \"\$(pptadm -p -o state show $nv)\" = quarantined ]"
like "... and says so in the kernel log" "$(dmesg | grep "$nv")" "fatal PCI error: quarantined"
out=$(pptadm claim --owner vm5 "$nv" 2>&1)
like "... it cannot be claimed" "$out" "quarantined"
ok "an administrator's clean (FLR, restore, verify) clears it" pptadm clean "$nv"
is "... nvme0 reserved again" "$(st "$nv")" reserved

# --- a tenant cycle with DMA, its scribbles undone, all seen by monitor ------
bar0=$(setpci -s "$e0" BASE_ADDRESS_0)
pptadm monitor -j >/tmp/mon2.json 2>/tmp/mon2.err &
mon=$!
wait_for "monitor is subscribed and synced" 20 grep -q '"event":"synced"' /tmp/mon2.json
ok "claim and assign edu0" sh -c "pptadm claim --owner vm4 $e0 && pptadm assign --owner vm4 $e0"
out=$("$VT" --dma --scribble "$e0" 2>&1)
like "the tenant's program ran DMA and scribbled over config space" "$out" scribbled
echo 0 >/sys/module/ppt/parameters/auto_clean
ok "unassign edu0 (auto-clean off: it stays dirty)" pptadm unassign --owner vm4 "$e0"
is "edu0 dirty" "$(st "$e0")" dirty
setpci -s "$e0" BASE_ADDRESS_0=fe000000 COMMAND=0007
ok "clean edu0" pptadm clean "$e0"
is "... reserved" "$(st "$e0")" reserved
is "... BAR0 is the reserve-time value" "$(setpci -s "$e0" BASE_ADDRESS_0)" "$bar0"
is "... bus mastering is off" "$((0x$(setpci -s "$e0" COMMAND) & 4))" 0
echo 1 >/sys/module/ppt/parameters/auto_clean
wait_for "monitor heard edu0 reserved again" 20 heard_reserved /tmp/mon2.json "$e0"
kill "$mon" 2>/dev/null
wait "$mon" 2>/dev/null
events=$(grep "\"$e0\"" /tmp/mon2.json | grep -o '"state":"[a-z]*"' | sed 's/"state":"\([a-z]*\)"/\1/' | uniq | tr '\n' ' ')
like "monitor saw edu0's whole tenant cycle in order" "$events" \
	"claimed assigning assigned unassigning dirty cleaning reserved $"

done_testing
