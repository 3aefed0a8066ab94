#!/bin/sh
# 81-unload.sh - unloading ppt with devices in each state, and loading it
# again with the same boot lists on the kernel command line.
#
# What must happen, from ppt_exit() (kernel/ppt_main.c) and
# ppt_bind_return_to_host() (kernel/ppt_bind.c): an unload is never refused
# (nothing holds a reference on the module; exit cannot fail) and never
# stops a VM.  The netlink family goes first, then the workqueue is drained
# (a clean in progress finishes), then ppt's driver lets go of everything:
#   reserved, claimed       back to host drivers (override cleared, reprobed);
#                           a claim's owner is forgotten
#   assigned, VFIO open     stays with vfio-pci, its program undisturbed
#   dirty, quarantined      stay without any driver, override "ppt": a host
#                           driver cannot take them, even when asked to probe
#   cleaning                the clean finishes first, then as its outcome
# A reload takes what the boot lists name and no driver holds (reserved),
# adopts what it handed to vfio-pci (assigned, with its owner), records what
# it left driverless as dirty (a quarantined device too: cleaning is still
# the only way back), and leaves listed functions a host driver holds
# (detached).  pptadm monitor hears the family go and come back.
# topology: faults
# append: ppt.ids=1234:11e8,1b36:0010 ppt.auto_clean=0
# kernels: 6.1 6.12 debug
# timeout: 420
# shellcheck source=tests/vm/lib.sh
. /ppt/lib.sh

[ -n "$RIG_KMODS" ] || bail_out "no ppt.ko in this initramfs (run with --kmod)"
VT=/ppt/bin/vfio-test
[ -x "$VT" ] || bail_out "no $VT in this initramfs (run with --bin .../vfio-test)"

MON=/tmp/mon.json
e0=$(bdf edu0) e1=$(bdf edu1) e2=$(bdf edu2) e4=$(bdf edu4) e5=$(bdf edu5)
n=$(bdf nvme0) x=$(bdf nic0)

# state:driver:owner of a device ppt manages (':' unescaped)
st() { pptadm -p -o state,driver,owner show "$1" 2>/dev/null | sed 's/\\//g'; }
override() { cat "/sys/bus/pci/devices/$1/driver_override"; }
# every device ppt knows, "ADDR STATE" a line
table() { pptadm -p -o addr,state list | sed 's/\\:/#/g; s/:/ /g; s/#/:/g' | sort; }
# the state pptadm monitor -j last reported for ADDR since ppt was unloaded
# shellcheck disable=SC2317  # called by monitor_agrees
mon_state() {
	sed -n '/"reason":"unloaded"/,$p' "$MON" | grep -E '"event":"(state|device)"' |
		grep "\"addr\":\"$1\"" | tail -n 1 | sed -n 's/.*"state":"\([a-z]*\)".*/\1/p'
}
# shellcheck disable=SC2317  # called through wait_for
monitor_agrees() {
	table | while read -r _a _s; do
		[ "$(mon_state "$_a")" = "$_s" ] || { echo "$_a: ppt $_s, monitor $(mon_state "$_a")"; exit 1; }
	done
}
# shellcheck disable=SC2317  # called through wait_for
settled() { ! pptadm -p -o state list | grep -qE '^(reserving|releasing|assigning|unassigning|cleaning|resetting)$'; }

ok "modprobe ppt (the edus and nvme0 listed on the command line)" modprobe ppt
for d in "$e0" "$e1" "$e2" "$e4" "$e5" "$n"; do
	is "$d reserved by ppt" "$(st "$d")" "reserved:ppt:"
done
ok "modprobe nvme and e1000e (host drivers)" sh -c 'modprobe nvme && modprobe e1000e'
is "nvme0 stays with ppt (override)" "$(drv "$n")" ppt
is "nic0 (not listed) is with e1000e" "$(drv "$x")" e1000e

# --- one device in each state ---------------------------------------------------
ok "edu1: claimed by vm1" pptadm claim --owner vm1 "$e1"
ok "edu2: claimed and assigned to vm2" sh -c "pptadm claim --owner vm2 $e2 && pptadm assign --owner vm2 $e2"
rm -f /tmp/hold.in /tmp/hold.out
mkfifo /tmp/hold.in
"$VT" --hold "$e2" </tmp/hold.in >/tmp/hold.out 2>&1 &
holder=$!
exec 3>/tmp/hold.in
wait_for "edu2: a VFIO program holds it open, as a VM would" 60 grep -qx ready /tmp/hold.out
ok "nic0: taken from e1000e, assigned to vm3 and given back: dirty" sh -c \
	"pptadm reserve --force $x && pptadm claim --owner vm3 $x && pptadm assign --owner vm3 $x && pptadm unassign --owner vm3 $x"
like "edu4: a fatal error at its root port (rp5)" \
	"$(qmp '{"execute":"human-monitor-command","arguments":{"command-line":"pcie_aer_inject_error rp5 MALF_TLP"}}')" '"return"'
wait_for "edu4: quarantined" 20 sh -c "[ \"\$(pptadm -p -o state show $e4)\" = quarantined ]"
is "edu0 reserved" "$(st "$e0")" "reserved:ppt:"
is "edu1 claimed" "$(st "$e1")" "claimed:ppt:vm1"
is "edu2 assigned" "$(st "$e2")" "assigned:vfio-pci:vm2"
is "nic0 dirty" "$(st "$x")" "dirty:ppt:"
is "edu4 quarantined" "$(st "$e4")" "quarantined:ppt:"

# (3>&-: background jobs must not keep the holder's FIFO open)
pptadm monitor -j >"$MON" 2>&1 3>&- &
mon=$!
wait_for "pptadm monitor -j is synced" 20 grep -q '"event":"synced"' "$MON"
is "nothing holds a reference on the module: an unload is never refused" \
	"$(cat /sys/module/ppt/refcnt)" 0

# --- unload, with nvme0 being cleaned --------------------------------------------
ok "nvme0: clean started (FLR, ~110 ms)" pptadm clean --no-wait "$n"
ok "rmmod ppt, at once" rmmod ppt
ok "ppt is gone" sh -c '! grep -q "^ppt " /proc/modules'
# the workqueue is drained before ppt lets go: the clean finished first
log=$(dmesg | grep -E "$n: clean by|ppt: unloaded")
like "nvme0's clean finished before the unload did" "$(echo "$log" | tail -n 2 | tr '\n' '|')" \
	"clean by uid 0 .*: done\|.*ppt: unloaded\|$"
is "nvme0 (clean, reserved) went back to its host driver" "$(drv "$n")" nvme
is "... with its override cleared" "$(override "$n")" "(null)"
is "edu0 (reserved): no host driver wants it; override cleared" "$(drv "$e0"):$(override "$e0")" ":(null)"
is "edu1 (claimed) too" "$(drv "$e1"):$(override "$e1")" ":(null)"
is "edu2 (assigned) stays with vfio-pci" "$(drv "$e2")" vfio-pci
kill -USR1 "$holder"
wait_for "... and the VFIO program still reads it" 10 \
	sh -c "[ \$(grep -c '^config $e2 1234:11e8\$' /tmp/hold.out) -eq 2 ]"
is "nic0 (dirty) stays without a driver, override ppt" "$(drv "$x"):$(override "$x")" ":ppt"
ok "... asked to probe, with e1000e loaded" sh -c "echo $x >/sys/bus/pci/drivers_probe; true"
is "... e1000e does not get a tenant's leftovers" "$(drv "$x")" ""
is "edu4 (quarantined) stays without a driver, override ppt" "$(drv "$e4"):$(override "$e4")" ":ppt"
wait_for "pptadm monitor heard ppt go" 10 grep -q '"event":"lost","reason":"unloaded"' "$MON"

# --- reload, same command line ------------------------------------------------------
ok "modprobe ppt again (the same ppt.ids= from the command line)" modprobe ppt
is "edu0: listed, no driver: reserved again" "$(st "$e0")" "reserved:ppt:"
is "edu1: reserved again, the claim forgotten" "$(st "$e1")" "reserved:ppt:"
is "edu5: reserved again" "$(st "$e5")" "reserved:ppt:"
is "edu2: adopted as assigned to vm2" "$(pptadm -p -o state,driver,owner,adopted show "$e2" | sed 's/\\//g')" \
	"assigned:vfio-pci:vm2:yes"
is "nic0: dirty again (recognised by its override)" "$(st "$x")" "dirty:ppt:"
is "edu4: dirty (quarantine is not remembered; a clean is still needed)" "$(st "$e4")" "dirty:ppt:"
out=$(pptadm claim --owner vm9 "$e4" 2>&1)
like "... it cannot be claimed" "$out" "dirty: it must be cleaned first"
is "nvme0: listed but with nvme: left alone, detached" "$(st "$n")" "detached:nvme:"
wait_for "pptadm monitor heard ppt come back and resynchronised" 20 sh -c \
	"sed -n '/\"reason\":\"unloaded\"/,\$p' $MON | grep -q '\"event\":\"synced\"'"
wait_for "... and its view is ppt's table, adopted and dirty devices included" 20 monitor_agrees
diag "$(table)"

# --- unload and reload once more: nothing changes -------------------------------------
before=$(pptadm -p -o addr,state,driver,owner list | sort)
ok "rmmod ppt; modprobe ppt" sh -c 'rmmod ppt && modprobe ppt'
is "the same inventory after a second reload" "$(pptadm -p -o addr,state,driver,owner list | sort)" "$before"

# --- a client waiting for an outcome while ppt unloads -----------------------------
ok "edu0: claim, assign, unassign (dirty)" sh -c \
	"pptadm claim --owner vm4 $e0 && pptadm assign --owner vm4 $e0 && pptadm unassign --owner vm4 $e0"
t0=$(_uptime_cs)
pptadm clean --timeout 10 "$e0" >/tmp/wait.out 2>&1 3>&- &
waiter=$!
until_ok 5 sh -c "pptadm -p -o state show $e0 | grep -qv dirty"
ok "rmmod ppt while pptadm waits for edu0's clean" rmmod ppt
wait "$waiter"
rc=$?
diag "the waiting pptadm ended after $(($(_uptime_cs) - t0))0 ms with status $rc: $(cat /tmp/wait.out)"
is "edu0 was cleaned before the unload, so went back (no driver, override cleared)" \
	"$(drv "$e0"):$(override "$e0")" ":(null)"
ok "modprobe ppt" modprobe ppt
is "edu0 reserved again" "$(st "$e0")" "reserved:ppt:"

# --- tidy up: the VM lets go; every device back to the pool; a last unload -----------
exec 3>&-
wait "$holder"
ok "unassign edu2" pptadm unassign "$e2"
ok "clean the dirty devices (edu2, nic0, edu4)" pptadm clean --all-dirty
wait_for "nothing in progress" 30 settled
is "every device ppt holds is reserved" "$(pptadm -p -o state list | sort -u | tr '\n' ' ')" "detached reserved "

# --- a lease whose device cannot be returned: said once, tried less often ---------
# rc-test (pci-testdev on the root bus) has no reset method at all, so the
# clean that would return it after its lease ends is refused every time.
rt=$(bdf rc-test)
ok "reserve rc-test, which has no reset method" pptadm reserve "$rt"
pptadm run --owner lease1 "$rt" -- sleep 600 </dev/null >/tmp/run.out 2>&1 3>&- &
runner=$!
wait_for "... assigned to lease1 under pptadm run's lease" 60 sh -c \
	"pptadm -p -o state,owner show $rt | grep -qx 'assigned:lease1'"
ok "kill -9 pptadm run: the lease ends" kill -9 "$runner"
wait "$runner" 2>/dev/null
wait_for "the reaper returned it from vfio-pci and says why it cannot clean it" 30 sh -c \
	"pptadm -p -o reason show $rt | grep -q 'no reset method'"
is "... it stays dirty: never back in the pool uncleaned" "$(pptadm -p -o state show "$rt")" dirty
sleep 4
is "... logged once, however often the reaper tried" \
	"$(dmesg | grep "$rt" | grep -c 'cannot return it')" 1
ok "release it unclean (the administrator's call)" pptadm release --unclean "$rt"
ok "release nvme0 (ppt forgets it)" pptadm release "$n"
kill "$mon"
wait "$mon"
ok "rmmod ppt" rmmod ppt
for d in "$e0" "$e1" "$e2" "$e4" "$e5"; do
	is "$d: no driver, no override after the last unload" "$(drv "$d"):$(override "$d")" ":(null)"
done
is "nic0 (clean now) went back to e1000e" "$(drv "$x")" e1000e
ok "ppt is not loaded" sh -c '! grep -q "^ppt " /proc/modules'
done_testing
