#!/bin/sh
# 62-sanitise.sh - a reset is not an erase; a sanitiser is.
#
# - NVMe: a pattern the host wrote to nvme0's namespace survives a tenant
#   and a clean (read back through the host's nvme driver after release);
#   after `pptadm sanitise run DEVICE nvme` on the assigned controller it
#   is gone, and the report names the erase that ran and what was read back.
#   Each explicit erase QEMU's controller offers runs and verifies; one it
#   does not offer (Sanitize) fails saying so; the controller's baseline
#   (firmware, namespaces, formats) compares equal with itself, and a
#   kept baseline that differs is named.
# - GPU: a tenant's pattern in the bochs display's VRAM BAR (16 MiB,
#   prefetchable) survives a clean of the slot (a bus reset) and is seen
#   by the next tenant; `sanitise run DEVICE bar` zeroes it and the next
#   tenant reads zero; an exec sanitiser (a program given the device and
#   its VFIO group) opens the device itself, and is killed when it
#   overruns its timeout.  The audio function has no prefetchable BAR: the
#   sanitiser refuses to pass having erased nothing.
# - Refusals: a device that is not assigned, one its tenant still has
#   open, a bad sanitiser or BAR (usage errors naming the bad part).
# - The policy the kernel keeps: the built-in defaults, set and del by
#   device, ids and class with the most specific rule winning, none
#   logged, a default restored by del, bad selectors and sanitisers
#   refused with the policy unchanged, sanitise run without a sanitiser
#   following it, sanitise= at load (a bad entry logged and skipped), and
#   set|del --persist: the boot lists file's sanitise= list, which modprobe
#   passes at the next load; a bad file refused, an unwritable one undone.
# topology: reset
# append: ppt.ids=1234:1111,8086:293e ppt.auto_clean=0
# kernels: 6.1 6.12
# (Not on debug kernels yet: CI's time.)
# timeout: 540
# shellcheck source=tests/vm/lib.sh
. /ppt/lib.sh

[ -n "$RIG_KMODS" ] || bail_out "no ppt.ko in this initramfs (run with --kmod)"
VT=/ppt/bin/vfio-test
[ -x "$VT" ] || bail_out "no $VT in this initramfs (run with --bin .../vfio-test)"

nv=$(bdf nvme0) gpu=$(bdf gpu0) aud=$(bdf gpu0-audio)
st() { pptadm -p -o state show "$1"; }
# lines of the namespace holding the pattern, read through the host's driver
secrets() { grep -c PPT-TENANT-SECRET /dev/nvme0n1; }
to_tenant() { # OWNER DEVICE...: claim them, assign the first (its group follows)
	_o=$1
	shift
	pptadm claim --owner "$_o" "$@" >/dev/null && pptadm assign --owner "$_o" "$1" >/dev/null
}
from_tenant() { # OWNER DEVICE...: unassign the first (its group follows), clean them
	_o=$1
	shift
	pptadm unassign --owner "$_o" "$1" >/dev/null && pptadm clean "$@" >/dev/null
}
nvme_back_to_host() {
	pptadm release "$nv" >/dev/null && wait_for "... nvme0n1 is back with the host" 20 \
		test -b /dev/nvme0n1
}

ok "modprobe ppt (GPU slot listed), nvme, vfio-pci" sh -c \
	"/sbin/modprobe ppt && /sbin/modprobe nvme && /sbin/modprobe vfio-pci"
wait_for "nvme0n1 appears" 20 test -b /dev/nvme0n1
ok "the host writes a pattern over nvme0's namespace" sh -c \
	"yes PPT-TENANT-SECRET | dd of=/dev/nvme0n1 bs=4096 count=256 conv=fsync 2>/dev/null; sync"
n0=$(secrets)
like "... it is there ($n0 lines)" "$n0" '^[1-9][0-9]*$'

# --- NVMe: a clean alone leaves the data -----------------------------------------
ok "reserve nvme0 (from the host's nvme driver)" pptadm reserve --force "$nv"
ok "... tenant t1 claims it" pptadm claim --owner t1 "$nv"
ok "... assign" pptadm assign --owner t1 "$nv"
ok "... unassign and clean" from_tenant t1 "$nv"
is "... reserved" "$(st "$nv")" reserved
nvme_back_to_host
is "a clean leaves the tenant's data on the namespace (a reset is not an erase)" \
	"$(secrets)" "$n0"

# --- NVMe: the sanitiser erases it ----------------------------------------------
ok "reserve nvme0, to tenant t2" sh -c "pptadm reserve --force $nv >/dev/null && pptadm claim --owner t2 $nv >/dev/null && pptadm assign --owner t2 $nv >/dev/null"
out=$(pptadm sanitise run "$nv" 2>&1)
rc=$?
diag "$out"
is "sanitise run nvme0 (its class's default: nvme) succeeds" "$rc" 0
like "... naming the erase that ran (auto: the strongest QEMU offers)" "$out" \
	"^$nv: nvme: format-(crypto|user) in [0-9]+ ms"
like "... what the controller offers" "$out" 'offered: .*format'
like "... and what it read back: sampled blocks that held data, now blank" "$out" \
	'verified: .*[1-9][0-9]* held data'
is "... the device is still assigned" "$(st "$nv")" assigned
ok "... unassign and clean" from_tenant t2 "$nv"
nvme_back_to_host
is "the host reads none of the tenant's data after the sanitiser" "$(secrets)" 0

# --- NVMe: each method, the baseline ---------------------------------------------
ok "the host writes the pattern again" sh -c \
	"yes PPT-TENANT-SECRET | dd of=/dev/nvme0n1 bs=4096 count=256 conv=fsync 2>/dev/null; sync"
ok "... to tenant t3" sh -c "pptadm reserve --force $nv >/dev/null && pptadm claim --owner t3 $nv >/dev/null && pptadm assign --owner t3 $nv >/dev/null"
for m in write-zeroes overwrite format-user; do
	out=$(pptadm sanitise run "$nv" "nvme:$m" 2>&1)
	rc=$?
	diag "$out"
	is "sanitise run nvme:$m succeeds" "$rc" 0
	like "... and says so" "$out" "^$nv: nvme:$m: $m in "
done
out=$(pptadm -j sanitise run "$nv" nvme:sanitize-crypto 2>&1)
rc=$?
diag "$out"
is "nvme:sanitize-crypto fails: QEMU's controller has no Sanitize" "$rc" 1
like "... saying what it does not offer, in JSON" "$out" \
	'"ok":false,.*"error":"[^"]*[Ss]anitize[^"]*"'
is "... the device stays assigned" "$(st "$nv")" assigned
pptadm sanitise baseline "$nv" >/tmp/baseline 2>/tmp/baseline.err
rc=$?
diag "$(cat /tmp/baseline /tmp/baseline.err)"
is "sanitise baseline prints the controller's baseline" "$rc" 0
like "... with its firmware revision and namespace" "$(cat /tmp/baseline)" \
	'^nvme-baseline/1 .* fr=[^ ]+ .* ns=1:[0-9]+:'
out=$(pptadm sanitise baseline "$nv" /tmp/baseline 2>&1)
is "... which compares equal with itself" "$?" 0
like "... and says so" "$out" "^$nv: as /tmp/baseline kept it"
# as if the tenant had deleted namespace 1 and created it again, twice as large
sed 's/ ns=1:[0-9]*:/ ns=1:4096:/' /tmp/baseline >/tmp/baseline2
if cmp -s /tmp/baseline /tmp/baseline2; then
	fail "a changed baseline (no namespace 1 in the baseline to change)"
else
	out=$(pptadm sanitise baseline "$nv" /tmp/baseline2 2>&1)
	is "a kept baseline that differs fails" "$?" 1
	like "... naming the difference" "$out" 'changed: .*namespace 1 NSZE 4096 -> [0-9]+'
fi
ok "... unassign and clean" from_tenant t3 "$nv"
out=$(pptadm sanitise run "$nv" nvme 2>&1)
is "sanitise run of a reserved device fails" "$?" 1
like "... saying it must be assigned" "$out" "it is reserved; a sanitiser runs on a device ppt has assigned"

# --- GPU VRAM ---------------------------------------------------------------------
ok "the GPU slot to tenant t1" to_tenant t1 "$gpu" "$aud"
like "... which fills the VRAM BAR with its data" "$("$VT" --fill 0:a5 "$gpu" 2>&1)" \
	'bar 0 filled with 0xa5 \(16777216 bytes\)'
vfio_hold "$gpu"
out=$(pptadm sanitise run "$gpu" bar 2>&1)
is "sanitise run of a device its tenant has open fails" "$?" 1
like "... saying the group is busy" "$out" 'Device or resource busy'
vfio_release
ok "... unassign and clean (a bus reset of the slot)" from_tenant t1 "$gpu" "$aud"
ok "the slot to tenant t2" to_tenant t2 "$gpu" "$aud"
like "t2 finds t1's data in VRAM: a clean does not erase it" \
	"$("$VT" --probe 0 "$gpu" 2>&1)" 'bar 0 data at 0x0: 0xa5'
out=$(pptadm sanitise run "$gpu" 2>&1)
rc=$?
diag "$out"
is "sanitise run gpu0 (its class's default: bar) succeeds" "$rc" 0
like "... naming the sanitiser" "$out" "^$gpu: bar: zero in "
like "... zeroing BAR0, which held data, and reading it back" "$out" \
	'verified: BAR0 16 MiB \(held data\): zeroed, read back zero'
like "t2 now reads zero" "$("$VT" --probe 0 "$gpu" 2>&1)" 'bar 0 zero'
# the exec sanitiser: the program opens the device itself (pptadm holds nothing)
cat >/tmp/probe.sh <<'EOS'
#!/bin/sh
[ -c "$PPT_VFIO_GROUP" ] || { echo "no VFIO group node '$PPT_VFIO_GROUP'" >&2; exit 2; }
/ppt/bin/vfio-test --probe 0 "$PPT_DEVICE" | tail -n 1
EOS
cat >/tmp/hang.sh <<'EOS'
#!/bin/sh
echo "scrubbing $1" >&2
exec sleep 60
EOS
chmod +x /tmp/probe.sh /tmp/hang.sh
out=$(pptadm sanitise run "$gpu" exec:/tmp/probe.sh 2>&1)
rc=$?
diag "$out"
is "sanitise run gpu0 exec:PROGRAM succeeds" "$rc" 0
like "... the program opened the device through its group and said what it verified" "$out" \
	'verified: bar 0 zero'
out=$(pptadm sanitise run --timeout 2 "$gpu" exec:/tmp/hang.sh 2>&1)
is "a program that overruns --timeout fails" "$?" 1
like "... killed, with its last words" "$out" \
	'did not finish within 2 s: killed; it said: scrubbing '"$gpu"
out=$(pptadm sanitise run "$aud" 2>&1)
is "the audio function has no default sanitiser" "$?" 1
like "... saying so" "$out" 'the sanitiser policy gives this device \(class 040300\) none: name a sanitiser'
out=$(pptadm sanitise run "$aud" bar 2>&1)
is "the audio function: bar fails" "$?" 1
like "... having nothing to erase" "$out" 'no prefetchable memory BAR to zero'
out=$(pptadm sanitise run "$gpu" bar:1 2>&1)
is "bar:1 fails" "$?" 1
like "... BAR1 is no BAR of the bochs display" "$out" 'BAR1 is not a BAR of this device'
out=$(pptadm sanitise run "$gpu" bar:7 2>&1)
is "bar:7 is a usage error" "$?" 2
like "... naming the bad BAR" "$out" "bad BAR '7'"
out=$(pptadm sanitise run "$gpu" disk 2>&1)
is "an unknown sanitiser is a usage error" "$?" 2
like "... naming it" "$out" 'unknown sanitiser "disk"'
ok "... unassign and clean" from_tenant t2 "$gpu" "$aud"

like "pptadm check warns: the NVMe and the GPU keep a tenant's data through a clean" \
	"$(pptadm check 2>&1 | grep sanitise)" \
	"^WARN +sanitise +2 device\\(s\\) keep a tenant's data through ppt's clean, which resets but runs no sanitiser: $gpu \\(bar\\)"

# --- the sanitiser policy the kernel keeps ----------------------------------------
pol() { pptadm -p -o kind,selector,sanitiser,source sanitise list; }
san() { pptadm -p -o sanitiser show "$1"; }
is "the built-in policy: NVMe nvme, display controllers bar" "$(pol)" \
	"$(printf 'class:0108:nvme:default\nclass:03:bar:default')"
is "show -o sanitiser: gpu0 bar, its audio function none" "$(san "$gpu") $(san "$aud")" "bar none"
ok "set ids 8086:293e bar:memory" pptadm sanitise set ids 8086:293e bar:memory
is "... the audio function's sanitiser" "$(san "$aud")" 'bar\:memory'
# the bochs display is class 0380xx (other display controller)
cls4=$(pptadm -p -o class show "$gpu" | cut -c1-4)
like "gpu0's class" "$cls4" '^03[0-9a-f]{2}$'
ok "set class $cls4 nvme:format-user" pptadm sanitise set class "$cls4" nvme:format-user
is "... a 4-digit class beats the 2-digit default" "$(san "$gpu")" 'nvme\:format-user'
ok "set device gpu0 exec:/tmp/probe.sh" pptadm sanitise set device "$gpu" exec:/tmp/probe.sh
is "... a device rule beats ids and class" "$(san "$gpu")" 'exec\:/tmp/probe.sh'
ok "set device gpu0 again: replaced, not added" pptadm sanitise set device "$gpu" bar
is "... one rule for it, the new one" "$(pol | grep -c "^device:")$(san "$gpu")" 1bar
ok "del device gpu0" pptadm sanitise del device "$gpu"
is "... the class rule applies again" "$(san "$gpu")" 'nvme\:format-user'
ok "del class $cls4" pptadm sanitise del class "$cls4"
dmesg -c >/dev/null
ok "set class 03 none" pptadm sanitise set class 03 none
is "... gpu0 is reset only" "$(san "$gpu")" none
like "... a logged choice" "$(dmesg)" 'sanitise: set class 03: none, its devices are cleaned by reset only'
like "... the default's selector now says runtime" "$(pol)" 'class:03:none:runtime'
ok "del class 03: the default comes back" pptadm sanitise del class 03
like "... as the default" "$(pol)" 'class:03:bar:default'
out=$(pptadm sanitise del class 03 2>&1)
is "deleting a default itself fails" "$?" 1
like "... saying how to turn it off" "$out" 'built-in default: set it to none'
before=$(pol)
out=$(pptadm sanitise set class 0g nvme 2>&1)
is "a bad class is refused" "$?" 1
like "... naming it and why" "$out" 'sanitise set class 0g: Invalid argument: field is not hexadecimal'
out=$(pptadm sanitise set ids 8086:293e bar:9 2>&1)
is "a bad sanitiser is refused" "$?" 1
like "... naming the part" "$out" 'bar takes prefetchable, memory or BAR numbers 0-5'
out=$(pptadm sanitise set device 0000:00:1f.8 bar 2>&1)
is "a bad address is refused" "$?" 1
out=$(pptadm sanitise del ids 1d0f:0001 2>&1)
is "deleting a rule that is not there fails" "$?" 1
is "... and the policy is unchanged" "$(pol)" "$before"
# sanitise run without a sanitiser follows the kernel's policy
ok "set device gpu0 exec:/tmp/probe.sh" pptadm sanitise set device "$gpu" exec:/tmp/probe.sh
ok "claim and assign gpu0 and its audio function to t3" to_tenant t3 "$gpu" "$aud"
out=$(pptadm sanitise run "$gpu" 2>&1)
rc=$?
diag "$out"
is "sanitise run gpu0 with no sanitiser named succeeds" "$rc" 0
like "... running the policy's exec program" "$out" "^$gpu: exec:/tmp/probe.sh: exec in "
like "... which opened the device" "$out" 'verified: bar 0 zero'
ok "... unassign and clean" from_tenant t3 "$gpu" "$aud"

# --- the boot policy: sanitise= --------------------------------------------------
ok "unload ppt" /sbin/modprobe -r ppt
dmesg -c >/dev/null
ok "load ppt with sanitise= (one bad entry among them)" /sbin/modprobe ppt ids=1234:1111,8086:293e \
	"sanitise=class:0403=bar:memory;class:zz=nvme;ids:1234:1111=none"
wait_for "... gpu0 is reserved again" 20 sh -c "[ \"\$(pptadm -p -o state show $gpu 2>/dev/null)\" = reserved ]"
like "... the bad entry is logged, naming it" "$(dmesg)" 'sanitise=: entry "class:zz" skipped'
is "... the others are the boot policy, beside the defaults" "$(pol | sort)" \
	"$(printf 'class:0108:nvme:default\nclass:03:bar:default\nclass:0403:bar\\:memory:boot\nids:1234\\:1111:none:boot' | sort)"
is "... and apply" "$(san "$gpu") $(san "$aud")" 'none bar\:memory'
like "... the boot none is logged too" "$(dmesg)" 'sanitise: boot ids 1234:1111: none'

# --- kept for every boot: sanitise set|del --persist ------------------------------
conf=/etc/modprobe.d/ppt-devices.conf
opts() { grep '^options' "$conf"; }
ok "unload ppt, then load it as modprobe.d says (ids= only)" sh -c \
	"/sbin/modprobe -r ppt && mkdir -p /etc/modprobe.d && echo 'options ppt ids=1234:1111,8086:293e' >$conf && /sbin/modprobe ppt"
wait_for "... gpu0 is reserved again" 20 sh -c "[ \"\$(pptadm -p -o state show $gpu 2>/dev/null)\" = reserved ]"
ok "sanitise set --persist class 0403 bar:memory" pptadm sanitise set --persist class 0403 bar:memory
ok "sanitise set --persist device (the audio function) none" \
	pptadm sanitise set --persist device "$aud" none
is "... the file's options line gains a sanitise= list, ';' between entries" "$(opts)" \
	"options ppt ids=1234:1111,8086:293e sanitise=class:0403=bar:memory;device:$aud=none"
is "... and the kernel has both now" "$(san "$aud")" none
ok "sanitise del --persist class 0403" pptadm sanitise del --persist class 0403
is "... drops its entry" "$(opts)" "options ppt ids=1234:1111,8086:293e sanitise=device:$aud=none"
cp "$conf" /tmp/conf.ok
echo "options ppt sanitise=class:03=bar;class:03=none" >>"$conf"
out=$(pptadm sanitise set --persist class 0c none 2>&1)
rc=$?
diag "$out"
is "a file that names a selector twice: set --persist fails" "$rc" 1
like "... naming the line" "$out" "$conf:2: sanitise= entry \"class:03=none\": class:03 is named already"
is "... and the kernel's policy is unchanged" "$(pol | grep -c '^class:0c:')" 0
cp /tmp/conf.ok "$conf"
# a file that cannot be written (its symlink's target is in /proc): the kernel is put back
ln -sf /proc/ppt-sanitise.conf /tmp/ro.conf
out=$(PPT_MODPROBE_CONF=/tmp/ro.conf pptadm sanitise set --persist device "$aud" bar 2>&1)
rc=$?
diag "$out"
is "a file that cannot be written: set --persist fails" "$rc" 1
like "... saying the file was not written" "$out" 'ro.conf|proc'
like "... and that nothing changed: the kernel's rule is back" "$out" \
	"nothing changed \\(the kernel's rule is back as it was\\)"
is "... as it was: none" "$(san "$aud")" none
ok "unload ppt and load it again: modprobe passes the file's options" sh -c \
	"/sbin/modprobe -r ppt && /sbin/modprobe ppt"
wait_for "... gpu0 is reserved again" 20 sh -c "[ \"\$(pptadm -p -o state show $gpu 2>/dev/null)\" = reserved ]"
like "the kept entry is the boot policy now" "$(pol | grep ':boot$')" '^device:[0-9a-f\\:]*01\\:00\.1:none:boot$'
is "... and applies" "$(san "$aud")" none
ok "sanitise del --persist of the boot entry" pptadm sanitise del --persist device "$aud"
is "... the file keeps ids= alone" "$(opts)" "options ppt ids=1234:1111,8086:293e"
is "... and the kernel's policy is the defaults again" "$(pol)" \
	"$(printf 'class:0108:nvme:default\nclass:03:bar:default')"
out=$(pptadm sanitise del --persist device "$aud" 2>&1)
is "del --persist of what neither has fails" "$?" 1
rm -f "$conf"

done_testing
