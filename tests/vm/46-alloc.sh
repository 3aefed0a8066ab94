#!/bin/sh
# 46-alloc.sh - allocation in the kernel: multi-device claims that are all
# or nothing and take whole IOMMU groups; 8 processes claiming from one pool
# 10^4 times never hold a device twice; leases end with their socket
# (SIGKILL): claimed devices come back at once, assigned ones only once the
# VM closes its VFIO device, then cleaned; a restarted agent takes its
# devices back; claims without a lease persist.
# topology: reset
# append: ppt.ids=1234:11e8,1234:1111,8086:293e
# kernels: 6.1 6.12 debug debug-6.12
# timeout: 900
# shellcheck source=tests/vm/lib.sh
. /ppt/lib.sh

[ -n "$RIG_KMODS" ] || bail_out "no ppt.ko in this initramfs (run with --kmod)"
AT=/ppt/bin/ppt-alloc-test
VT=/ppt/bin/vfio-test
[ -x "$AT" ] || bail_out "no $AT in this initramfs"
[ -x "$VT" ] || bail_out "no $VT in this initramfs"

g=$(bdf gpu0); a=$(bdf gpu0-audio); pe=$(bdf pbr0-edu)
e0=$(bdf edu0); e1=$(bdf edu1); e2=$(bdf edu2); e3=$(bdf edu3)
show() { "$AT" show "$1"; }
st() { "$AT" show "$1" | cut -d' ' -f1; }
pool_reserved() {
	for d in "$e0" "$e1" "$e2" "$e3"; do
		[ "$(st "$d")" = reserved ] || return 1
	done
}

ok "modprobe ppt (edu, the GPU and its audio function)" modprobe ppt
wait_for "the pool of four edu devices is reserved" 30 pool_reserved
is "pbr0-edu reserved too" "$(st "$pe")" reserved

# --- all or nothing -----------------------------------------------------------
out=$("$AT" claim t1 "$e0" "$e1")
is "claim two listed devices" "$out" "claimed $e0
claimed $e1"
is "... both claimed by t1, no lease" "$(show "$e0"):$(show "$e1")" \
	"claimed t1 0 -:claimed t1 0 -"
out=$("$AT" claim t2 "$e2" "$e1")
like "a listed claim with one device taken fails with EBUSY" "$out" \
	"^error EBUSY: .* blocker $e1\$"
is "... and claims nothing (edu2 still reserved)" "$(st "$e2")" reserved
out=$("$AT" claim t2 --match 1234:11e8 --count 3)
like "a count larger than what is free: ENOSPC" "$out" \
	'^error ENOSPC: not enough available devices match the claim'
is "... nothing claimed" "$(st "$e2"):$(st "$e3")" reserved:reserved
# pbr0-edu's IOMMU group holds pbr0-nic (behind one PCIe-to-PCI bridge,
# which cannot tell its devices' DMA apart), which ppt does not hold
out=$("$AT" claim t2 "$pe")
like "a device whose IOMMU group is not all ppt's cannot be claimed" "$out" \
	"^error EBUSY: another device of the IOMMU group is not available blocker $(bdf pbr0-nic)\$"
out=$("$AT" claim t2 --match 1234:11e8 --count 2)
is "a match with a count picks the free ones in address order" "$out" "claimed $e2
claimed $e3"
out=$("$AT" claim t3 --match 1234:11e8)
like "... and pbr0-edu is never among them" "$out" '^error ENOSPC'
out=$("$AT" claim t4 --match 1234:1111)
is "claiming the GPU by its ids takes its audio function too (one group)" \
	"$out" "claimed $g
claimed $a"
is "... both owned by t4" "$(st "$a"):$(show "$a" | cut -d' ' -f2)" claimed:t4
out=$("$AT" claim t5 --match 1234:11e8 "$e0" 2>&1)
like "a listed device that does not match the match" "$out" '^error EBUSY'
out=$("$AT" claim t5 --match 8086:10d3 "$e0" 2>&1)
like "... or fails the match at all: EINVAL" "$out" \
	'^error EINVAL: a listed device does not satisfy the match'
out=$("$AT" claim t5 0000:7f:00.0 2>&1)
like "a listed address that does not exist: ENODEV, named" "$out" \
	'^error ENODEV: no such PCI device'
out=$("$AT" claim t5 "$e0" "$e0" 2>&1)
like "a device listed twice: EINVAL" "$out" '^error EINVAL: device listed twice'
out=$("$AT" claim t5 --match 1234:zz 2>&1)
like "a malformed match: EINVAL with the parser's reason" "$out" '^error EINVAL: .*hexadecimal'
for d in "$e0" "$e1"; do pptadm unclaim --owner t1 "$d" >/dev/null; done
for d in "$e2" "$e3"; do pptadm unclaim --owner t2 "$d" >/dev/null; done
for d in "$g" "$a"; do pptadm unclaim --owner t4 "$d" >/dev/null; done
ok "every claim undone" pool_reserved

# --- contention ---------------------------------------------------------------
out=$("$AT" storm 8 10000 1234:11e8 /tmp/storm 2>&1); rc=$?
diag "$out"
is "8 processes, 10^4 claims of one of 4 devices: no device held twice" "$rc" 0
like "... every claim made, no overlap" "$out" \
	'storm: 10000 claims, [0-9]+ busy, 0 overlaps, 0 workers failed'
ok "... and the pool ends intact" pool_reserved
rm -f /tmp/storm.*

# --- leases: claimed ----------------------------------------------------------
holdstart() { # OUT ARGS...: start a lease holder, wait until it holds
	_o=$1; shift
	rm -f "$_o"
	"$AT" hold "$@" >"$_o" 2>&1 3>&- &
	holder=$!
	wait_for "lease holder ($*) ready" 60 grep -q '^ready' "$_o"
}
holdstart /tmp/h1 lease1 "$e0" "$e1"
port=$(sed -n 's/^ready //p' /tmp/h1)
is "a leased claim records the socket's port id" "$(show "$e0")" "claimed lease1 $port -"
kill -9 "$holder"; wait "$holder" 2>/dev/null
wait_for "SIGKILL ends the lease: both devices reserved again" 10 pool_reserved
is "... with no owner or lease left" "$(show "$e1")" "reserved - 0 -"
ok "a claim without a lease survives its client" "$AT" claim keep "$e2"
is "... still claimed after the client exited" "$(show "$e2")" "claimed keep 0 -"
pptadm unclaim --owner keep "$e2" >/dev/null

# --- leases: assigned, with a VM holding the device ---------------------------
holdstart /tmp/h2 lease2 --assign "$e3"
is "leased and assigned" "$(st "$e3"):$(drv "$e3")" assigned:vfio-pci
vfio_hold "$e3"
kill -9 "$holder"; wait "$holder" 2>/dev/null
wait_for "the lease ends (lease_ended)" 10 sh -c "$AT show $e3 | grep -q ' ended\$'"
sleep 2
is "... but the device stays with the running VM" "$(st "$e3"):$(drv "$e3")" assigned:vfio-pci
kill -USR1 "$vfio_holder"
wait_for "... which still uses it" 10 \
	sh -c "[ \$(grep -c '^config $e3 1234:11e8\$' /tmp/vfio-hold.out) -eq 2 ]"
vfio_release
wait_for "once the VM closed its VFIO device, it is unassigned and cleaned" 30 \
	sh -c "[ \"\$($AT show $e3)\" = 'reserved - 0 -' ]"
is "... back with ppt" "$(drv "$e3")" ppt
like "... through a clean (its log)" "$(dmesg | grep "$e3" | tail -5)" 'clean by .*done'

# --- take back ----------------------------------------------------------------
holdstart /tmp/h3 agent --assign "$e3"
vfio_hold "$e3"
kill -9 "$holder"; wait "$holder" 2>/dev/null
wait_for "the agent crashed: lease ended" 10 sh -c "$AT show $e3 | grep -q ' ended\$'"
holdstart /tmp/h4 agent --take
port=$(sed -n 's/^ready //p' /tmp/h4)
is "the restarted agent takes its device back" "$(sed -n 's/^held //p' /tmp/h4)" "$e3"
is "... under its new lease, return cancelled" "$(show "$e3")" "assigned agent $port -"
vfio_release
sleep 2
is "the VM exits: the device stays the agent's" "$(st "$e3"):$(drv "$e3")" assigned:vfio-pci
kill -9 "$holder"; wait "$holder" 2>/dev/null
wait_for "the new agent dies too: with no VM, the device comes back" 30 \
	sh -c "[ \"\$($AT show $e3)\" = 'reserved - 0 -' ]"
out=$("$AT" hold nobody --take 2>&1)
like "taking back an owner that holds nothing: ENOENT" "$out" \
	'^error ENOENT: no device is claimed or assigned by this owner'

ok "rmmod ppt" rmmod ppt
done_testing
