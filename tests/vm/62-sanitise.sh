#!/bin/sh
# 62-sanitise.sh - a reset is not an erase; the clean's sanitiser is.
#
# - The clean's sanitising step: with the policy none, a pattern the host
#   wrote to nvme0's namespace survives a tenant and a clean (read back
#   through the host's nvme driver after release).  With the default
#   policy (nvme), a clean without a sanitise agent waits agent_wait
#   seconds and fails, the device dirty with the reason (pptadm check
#   fails); with `pptadm agent` running, the clean erases the namespace
#   through VFIO (the group with vfio-pci meanwhile, never the host's
#   nvme driver), verifies it, and goes on to the reset; pptadm show and
#   the events name the sanitiser, method and what was verified, and the
#   host reads none of the data after release.  A GPU's VRAM pattern is
#   gone for the next tenant.  Two devices sanitise side by side (their
#   exec sanitisers' runs overlap); a sanitiser that fails quarantines the
#   device; one that overruns sanitise_timeout, or an agent that goes
#   away, leaves it dirty; one that leaves a VFIO user behind leaves the
#   device with vfio-pci, detached and tainted, which a reload does not
#   adopt as a tenant's; an unload while a sanitiser runs finishes and the
#   device is dirty after the load.
# - Dirty across a reboot (played by unloading ppt, removing nvme0 from
#   the bus and rescanning it): the agent keeps the tenant's device in its
#   file; after the "reboot" the device arrives reserved, and pptadm agent
#   restore makes it dirty with the reason; its clean erases it and the
#   file forgets it.  tainted= at load makes it arrive dirty (a bad entry
#   logged and skipped), and a reserve from the host's driver makes it
#   dirty; a write with a bad entry is refused.
# - The controller baseline: pptadm reserve keeps it, read through the
#   host's nvme driver before ppt takes the controller (one it cannot keep
#   is said, and the reserve goes on; one the kernel refuses keeps none),
#   and the clean after the first
#   tenant compares with it; an erase keeps one when none is kept.  A
#   tenant who formats the namespace to another LBA format through VFIO
#   (nvme-tenant) fails the next clean, which erases it and quarantines it
#   with the difference named; removing the file accepts the change, and
#   the next clean keeps a new one.  One ppt claims at boot is inspected
#   by the agent as it starts: its baseline kept, nothing erased (see below).
# - pptadm sanitise run by hand: each erase QEMU's controller offers runs
#   and verifies; one it does not offer (Sanitize) fails saying so; the
#   controller's baseline (firmware, namespaces, formats) compares equal
#   with itself, and a kept baseline that differs is named.  bar zeroes a
#   tenant's VRAM pattern; an exec sanitiser (a program given the device
#   and its VFIO group) opens the device itself, and is killed when it
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
# sanitise: policy
# append: ppt.ids=1234:1111,8086:293e ppt.auto_clean=0 ppt.agent_wait=3
# kernels: 6.1 6.12 debug
# (On the lockdep kernel, for CI's time, only the clean's sanitising step:
# the rest runs no kernel path that other tests there do not.)
# timeout: 720
# shellcheck source=tests/vm/lib.sh
. /ppt/lib.sh

[ -n "$RIG_KMODS" ] || bail_out "no ppt.ko in this initramfs (run with --kmod)"
VT=/ppt/bin/vfio-test
NT=/ppt/bin/nvme-tenant
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

# the sanitise agent, as the ppt-agent service runs it
agent_start() {
	pptadm agent >>/tmp/agent.log 2>&1 &
	agent_pid=$!
	wait_for "... the sanitise agent registers (pid $agent_pid)" 10 \
		sh -c "pptadm agent status 2>/dev/null | grep -q 'pid $agent_pid'"
}
agent_stop() {
	kill "$agent_pid" 2>/dev/null
	wait "$agent_pid" 2>/dev/null
}
# one field, as printed (-p escapes ':')
last() { pptadm -p -o "$2" show "$1" | sed 's/\\:/:/g'; }
tenant_and_back() { # OWNER DEVICE...: to the tenant, and unassigned: dirty
	to_tenant "$@" && pptadm unassign --owner "$1" "$2" >/dev/null
}
# an exec sanitiser that notes when it ran (centiseconds of uptime)
cat >/tmp/slow.sh <<'EOS'
#!/bin/sh
read -r u _ </proc/uptime
echo "${u%.*}${u#*.}" >"/tmp/start.$PPT_DEVICE"
sleep 2
read -r u _ </proc/uptime
echo "${u%.*}${u#*.}" >"/tmp/end.$PPT_DEVICE"
echo "slept on $PPT_DEVICE"
EOS
cat >/tmp/fail.sh <<'EOS'
#!/bin/sh
echo "the scrubber found the frame buffer locked"
exit 3
EOS
# ignores SIGTERM: the agent's SIGKILL comes 5 s after its timeout
cat >/tmp/stubborn.sh <<'EOS'
#!/bin/sh
trap '' TERM
sleep 12
EOS
cat >/tmp/hang.sh <<'EOS'
#!/bin/sh
echo "scrubbing $1" >&2
exec sleep 60
EOS
chmod +x /tmp/slow.sh /tmp/fail.sh /tmp/stubborn.sh /tmp/hang.sh

ok "modprobe ppt (GPU slot listed, agent_wait=3), nvme, vfio-pci" sh -c \
	"/sbin/modprobe ppt && /sbin/modprobe nvme && /sbin/modprobe vfio-pci"
wait_for "nvme0n1 appears" 20 test -b /dev/nvme0n1
ok "the host writes a pattern over nvme0's namespace" sh -c \
	"yes PPT-TENANT-SECRET | dd of=/dev/nvme0n1 bs=4096 count=256 conv=fsync 2>/dev/null; sync"
n0=$(secrets)
like "... it is there ($n0 lines)" "$n0" '^[1-9][0-9]*$'

# --- NVMe: a clean by reset only leaves the data ----------------------------------
ok "sanitise set class 0108 none (reset only, a logged choice)" pptadm sanitise set class 0108 none
ok "reserve nvme0 (from the host's nvme driver)" pptadm reserve --force "$nv"
ok "... tenant t1 claims it" pptadm claim --owner t1 "$nv"
ok "... assign" pptadm assign --owner t1 "$nv"
ok "... unassign and clean" from_tenant t1 "$nv"
is "... reserved" "$(st "$nv")" reserved
nvme_back_to_host
is "a clean by reset only leaves the tenant's data on the namespace" \
	"$(secrets)" "$n0"
ok "sanitise del class 0108: NVMe's default (nvme) again" pptadm sanitise del class 0108

# --- the clean's sanitiser: no agent --------------------------------------------
like "pptadm check fails: devices need a sanitiser and no agent is registered" \
	"$(pptadm check 2>&1 | grep sanitise)" '^FAIL +sanitise '
ok "nvme0 to tenant t2" sh -c "pptadm reserve --force $nv >/dev/null && pptadm claim --owner t2 $nv >/dev/null && pptadm assign --owner t2 $nv >/dev/null"
ok "... unassign" pptadm unassign --owner t2 "$nv"
pptadm monitor >/tmp/events 2>&1 &
mon=$!
out=$(pptadm clean "$nv" 2>&1)
rc=$?
diag "$out"
is "a clean with no sanitise agent fails (after agent_wait, 3 s)" "$rc" 1
like "... saying no agent is registered" "$out" 'no sanitise agent is registered'
is "... the device stays dirty" "$(st "$nv")" dirty
like "... with the reason" "$(last "$nv" reason)" 'no sanitise agent'
is "... its group went back to ppt" "$(last "$nv" driver)" ppt

# --- the clean's sanitiser: the agent erases -----------------------------------
agent_start
like "pptadm check passes: the agent is registered" \
	"$(pptadm check 2>&1 | grep sanitise)" "^PASS +sanitise .*pid $agent_pid"
out=$(pptadm clean "$nv" 2>&1)
rc=$?
diag "$out"
is "the clean runs the sanitiser through the agent, then the reset" "$rc" 0
is "... reserved" "$(st "$nv")" reserved
is "... the last sanitise: nvme, erased and verified" \
	"$(last "$nv" last_sanitiser):$(last "$nv" last_sanitise_outcome)" "nvme:ok"
like "... the method that ran" "$(last "$nv" last_sanitise_method)" 'format-(crypto|user)|write-zeroes|overwrite'
like "... and what was read back" "$(last "$nv" last_sanitise_verified)" '[1-9][0-9]* held data'
like "... the agent says so in its log" "$(cat /tmp/agent.log)" "$nv.*nvme.*(ok|erased)"
kill "$mon" 2>/dev/null
wait "$mon" 2>/dev/null
like "the events show the device sanitising, its group with vfio-pci" "$(cat /tmp/events)" \
	"$nv.*sanitising"
like "... the kernel log, the sanitiser that ran" "$(dmesg)" "$nv: sanitised with nvme \\("
nvme_back_to_host
is "the host reads none of the tenant's data after the clean" "$(secrets)" 0

# --- two devices side by side; a failing sanitiser; a timeout; no agent left ------
ok "the host writes the pattern again" sh -c \
	"yes PPT-TENANT-SECRET | dd of=/dev/nvme0n1 bs=4096 count=256 conv=fsync 2>/dev/null; sync"
ok "sanitise set device nvme0 and gpu0 exec:/tmp/slow.sh" sh -c \
	"pptadm sanitise set device $nv exec:/tmp/slow.sh && pptadm sanitise set device $gpu exec:/tmp/slow.sh"
two_tenants() {
	pptadm reserve --force "$nv" >/dev/null && to_tenant t3 "$nv" && to_tenant t4 "$gpu" "$aud"
}
ok "nvme0 to t3, the GPU slot to t4" two_tenants
ok "... both unassigned" sh -c "pptadm unassign --owner t3 $nv && pptadm unassign --owner t4 $gpu"
ok "clean both at once" pptadm clean "$nv" "$gpu" "$aud"
is "... reserved, all three" "$(st "$nv") $(st "$gpu") $(st "$aud")" "reserved reserved reserved"
s1=$(cat "/tmp/start.$nv") e1=$(cat "/tmp/end.$nv")
s2=$(cat "/tmp/start.$gpu") e2=$(cat "/tmp/end.$gpu")
diag "nvme0 ran ${s1}..${e1}, gpu0 ${s2}..${e2} (centiseconds)"
ok "... their sanitisers ran side by side (each started before the other ended)" \
	test "$s1" -lt "$e2" -a "$s2" -lt "$e1"
like "... the exec program's last words are what it verified" \
	"$(last "$gpu" last_sanitise_verified)" "slept on $gpu"

ok "sanitise set device gpu0 exec:/tmp/fail.sh" pptadm sanitise set device "$gpu" exec:/tmp/fail.sh
ok "the GPU slot to t5 and back" tenant_and_back t5 "$gpu" "$aud"
out=$(pptadm clean "$gpu" "$aud" 2>&1)
isnt "a clean whose sanitiser fails fails" "$?" 0
like "... with the program's words" "$out" 'frame buffer locked'
is "... the GPU is quarantined" "$(st "$gpu")" quarantined
like "... saying why" "$(last "$gpu" reason)" 'sanitiser failed'
like "... its last sanitise says how" \
	"$(last "$gpu" last_sanitise_outcome) $(last "$gpu" last_sanitise_msg)" '^E[A-Z]+ .*frame buffer locked'
isnt "... its audio function is not reserved either" "$(st "$aud")" reserved
ok "sanitise set device gpu0 bar" pptadm sanitise set device "$gpu" bar
ok "an administrator's clean sanitises and cleans it" pptadm clean "$gpu" "$aud"
is "... reserved" "$(st "$gpu") $(st "$aud")" "reserved reserved"

ok "sanitise set device nvme0 exec:/tmp/stubborn.sh; sanitise_timeout=2" sh -c \
	"pptadm sanitise set device $nv exec:/tmp/stubborn.sh && echo 2 >/sys/module/ppt/parameters/sanitise_timeout"
ok "nvme0 to t6 and back" tenant_and_back t6 "$nv"
out=$(pptadm clean "$nv" 2>&1)
rc=$?
diag "$out"
is "a sanitiser that overruns sanitise_timeout fails the clean" "$rc" 1
like "... saying so" "$out" 'did not finish within sanitise_timeout'
is "... the device stays dirty" "$(st "$nv")" dirty
ok "sanitise_timeout=3600" sh -c "echo 3600 >/sys/module/ppt/parameters/sanitise_timeout"

ok "sanitise set device nvme0 exec:/tmp/hang.sh" pptadm sanitise set device "$nv" exec:/tmp/hang.sh
ok "... a clean starts (no wait)" pptadm clean --no-wait "$nv"
wait_for "... nvme0 is sanitising" 10 sh -c "[ \"\$(pptadm -p -o state show $nv)\" = sanitising ]"
is "... with vfio-pci, not a host driver" "$(last "$nv" driver)" vfio-pci
out=$(pptadm claim --owner t7 "$nv" 2>&1)
isnt "... it cannot be claimed" "$?" 0
agent_stop
wait_for "the agent stops: the clean fails, nvme0 is dirty again" 10 \
	sh -c "[ \"\$(pptadm -p -o state show $nv)\" = dirty ]"
like "... saying the agent went away" "$(last "$nv" reason)" 'agent went away'
is "... with ppt" "$(last "$nv" driver)" ppt

# --- a sanitiser that leaves a VFIO user behind ------------------------------------
cat >/tmp/keep.sh <<'EOS'
#!/bin/sh
# a stray helper that keeps the device open after the sanitiser ends
sleep 60 2>/dev/null | /ppt/bin/vfio-test --hold "$PPT_DEVICE" >/tmp/keep.out 2>&1 &
echo $! >/tmp/keep.pid
i=0
until grep -qx ready /tmp/keep.out 2>/dev/null || [ $i -ge 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
echo "left a VFIO user behind"
EOS
chmod +x /tmp/keep.sh
agent_start
ok "sanitise set device nvme0 exec:/tmp/keep.sh" pptadm sanitise set device "$nv" exec:/tmp/keep.sh
out=$(pptadm clean "$nv" 2>&1)
rc=$?
diag "$out"
isnt "a sanitiser that leaves a VFIO user behind: the clean fails (after 10 s)" "$rc" 0
like "... saying a VFIO user kept the device" "$out" 'a VFIO user kept the device'
is "... nvme0 is left with vfio-pci, detached" "$(st "$nv"):$(last "$nv" driver)" detached:vfio-pci
like "... still tainted" "$(last "$nv" tainted)" 'yes|true|1'
ok "unload ppt" /sbin/modprobe -r ppt
agent_stop
dmesg -c >/dev/null
ok "load ppt again" /sbin/modprobe ppt
wait_for "... nvme0 is known again: detached, not adopted as a tenant's assignment" 20 \
	sh -c "[ \"\$(pptadm -p -o state show $nv 2>/dev/null)\" = detached ]"
like "... tainted" "$(last "$nv" tainted)" 'yes|true|1'
like "... the kernel log says why" "$(dmesg)" "$nv: left with vfio-pci while it was sanitised"
kill "$(cat /tmp/keep.pid)" 2>/dev/null
wait_for "the VFIO user goes" 10 sh -c "! kill -0 $(cat /tmp/keep.pid) 2>/dev/null"
ok "reserve --force takes nvme0 back from vfio-pci" pptadm reserve --force "$nv"
is "... dirty: it may hold a tenant's data" "$(st "$nv")" dirty
ok "sanitise set device nvme0 exec:/tmp/hang.sh" pptadm sanitise set device "$nv" exec:/tmp/hang.sh

agent_start
ok "a clean starts (no wait), the sanitiser hangs" pptadm clean --no-wait "$nv"
wait_for "... nvme0 is sanitising" 10 sh -c "[ \"\$(pptadm -p -o state show $nv)\" = sanitising ]"
ok "unload ppt while it sanitises: the unload finishes" timeout 60 /sbin/modprobe -r ppt
# exited: a zombie until it is waited for
wait_for "... the agent exits: ppt went away" 10 \
	sh -c "! grep -q '^State:.*[RSD] ' /proc/$agent_pid/status 2>/dev/null"
agent_stop
ok "load ppt again" /sbin/modprobe ppt
wait_for "... nvme0 is back, dirty: a tenant had it, nothing erased it" 20 \
	sh -c "[ \"\$(pptadm -p -o state show $nv 2>/dev/null)\" = dirty ]"
like "... tainted" "$(last "$nv" tainted)" 'yes|true|1'
agent_start
ok "its clean (the default policy again after the reload: nvme)" pptadm clean "$nv"
is "... reserved" "$(st "$nv")" reserved
nvme_back_to_host
is "the host reads none of the data" "$(secrets)" 0

# --- dirty across a reboot: the agent keeps the taint, restore gives it back -------
# A reboot is played by unloading ppt, removing nvme0 from the bus and
# rescanning it: the function arrives again with no driver and nothing in
# the kernel remembers it, as after a reboot; its media keeps the data.
export PPT_TAINTED_FILE=/tmp/state/tainted
param=/sys/module/ppt/parameters/tainted
reboot_nvme() { # [MODPROBE ARGS...]: ppt unloaded, nvme0 gone and back, ppt loaded
	/sbin/modprobe -r ppt &&
		echo 1 >"/sys/bus/pci/devices/$nv/remove" &&
		/sbin/modprobe ppt devices="$nv" "$@" &&
		echo 1 >/sys/bus/pci/rescan
}
agent_stop
agent_start
ok "the host writes the pattern again" sh -c \
	"yes PPT-TENANT-SECRET | dd of=/dev/nvme0n1 bs=4096 count=256 conv=fsync 2>/dev/null; sync"
ok "nvme0 to tenant t9" sh -c "pptadm reserve --force $nv >/dev/null && pptadm claim --owner t9 $nv >/dev/null && pptadm assign --owner t9 $nv >/dev/null"
nvpath=$(last "$nv" path)
wait_for "the agent keeps it as tainted, by its topology path ($nvpath)" 10 \
	grep -qx "$nvpath" "$PPT_TAINTED_FILE"
like "... in a file that says what it is" "$(head -n 1 "$PPT_TAINTED_FILE")" '^# Kept by pptadm agent'
# the host goes down with the tenant on it: nobody cleans
kill -9 "$agent_pid"
wait "$agent_pid" 2>/dev/null
ok "a reboot: nvme0 arrives again with no driver, ppt loaded with devices= naming it" reboot_nvme
wait_for "... without the kept taint it would be reserved, the tenant's data on it" 20 \
	sh -c "[ \"\$(pptadm -p -o state show $nv 2>/dev/null)\" = reserved ]"
dmesg -c >/dev/null
echo bogus >"$param" 2>/dev/null
isnt "a tainted= write with a bad entry is refused" "$?" 0
like "... the kernel log names the entry" "$(dmesg)" 'tainted: refusing the list: bad entry "bogus"'
is "... nothing changed" "$(st "$nv")" reserved
out=$(pptadm agent restore 2>&1)
rc=$?
diag "$out"
is "pptadm agent restore gives ppt the kept devices" "$rc:$out" \
	"0:1 device kept as tainted in $PPT_TAINTED_FILE given to ppt"
is "... nvme0 is dirty" "$(st "$nv")" dirty
is "... saying why" "$(last "$nv" reason)" "a previous boot left it with a tenant's data (tainted=)"
like "... tainted" "$(last "$nv" tainted)" 'yes|true|1'
like "... the kernel log says so" "$(dmesg)" "$nv: dirty: a previous boot left it"
out=$(pptadm clean --inspect "$nv" 2>&1)
isnt "a dirty device is not inspected (its clean erases it)" "$?" 0
like "... saying why" "$out" "only a reserved device is inspected"
is "... still dirty" "$(st "$nv")" dirty
is "... the entry is spent: the parameter shows none waiting" "$(cat "$param")" ""
agent_start
ok "its clean runs its sanitiser" pptadm clean "$nv"
is "... reserved" "$(st "$nv")" reserved
is "... the last sanitise: nvme, ok" "$(last "$nv" last_sanitiser):$(last "$nv" last_sanitise_outcome)" nvme:ok
wait_for "... the agent no longer keeps it as tainted" 10 \
	sh -c "! grep -qx '$nvpath' $PPT_TAINTED_FILE"
nvme_back_to_host
is "the host reads none of the tenant's data after that reboot" "$(secrets)" 0
agent_stop
ok "a reboot with tainted= at load (and a bad entry): ppt loaded with it" \
	reboot_nvme tainted="bogus,$nvpath"
wait_for "... nvme0 arrives dirty" 20 \
	sh -c "[ \"\$(pptadm -p -o state show $nv 2>/dev/null)\" = dirty ]"
is "... saying why" "$(last "$nv" reason)" "a previous boot left it with a tenant's data (tainted=)"
like "... the bad entry is logged and skipped" "$(dmesg)" 'tainted: ignoring entry "bogus"'
like "... the kernel log says why it is dirty" "$(dmesg)" \
	"$nv: held by ppt, dirty \\(a previous boot left it with a tenant's data: tainted=\\)"
agent_start
ok "its clean (the agent running)" pptadm clean "$nv"
is "... reserved" "$(st "$nv")" reserved
nvme_back_to_host
agent_stop
# no boot list names it: the host's nvme driver takes it at the "reboot"
ok "a reboot with tainted= but no boot list naming nvme0" sh -c \
	"/sbin/modprobe -r ppt && echo 1 >/sys/bus/pci/devices/$nv/remove && /sbin/modprobe ppt tainted=$nvpath && echo 1 >/sys/bus/pci/rescan"
wait_for "... the host's nvme driver takes it: tainted= holds no device" 20 test -b /dev/nvme0n1
is "... its entry waits in the parameter" "$(cat "$param")" "$nvpath"
ok "reserve --force takes it from the host's driver" pptadm reserve --force "$nv"
is "... dirty, not reserved" "$(st "$nv")" dirty
is "... saying why" "$(last "$nv" reason)" "a previous boot left it with a tenant's data (tainted=)"
is "... the entry is spent" "$(cat "$param")" ""
agent_start
ok "its clean" pptadm clean "$nv"
is "... reserved" "$(st "$nv")" reserved
nvme_back_to_host

# --- a controller ppt claims at boot: inspected for its baseline -------------------
# It never had the host's nvme driver, through which reserve reads the
# baseline: the agent has the kernel hand it over, keeps its baseline and
# erases nothing, before any tenant.
bl=/var/lib/ppt/baseline/nvme-$nv.baseline
agent_stop
ok "the host writes the pattern again" sh -c \
	"yes PPT-TENANT-SECRET | dd of=/dev/nvme0n1 bs=4096 count=256 conv=fsync 2>/dev/null; sync"
ok "no baseline is kept for nvme0" rm -f "$bl"
ok "a reboot with devices= naming nvme0: ppt claims it, no host driver had it" reboot_nvme
wait_for "... reserved" 20 sh -c "[ \"\$(pptadm -p -o state show $nv 2>/dev/null)\" = reserved ]"
like "pptadm check warns: no baseline kept for it" "$(pptadm check 2>&1 | grep baseline)" \
	"^WARN +baseline .*: $nv; fix: .*pptadm clean --inspect ADDRESS"
out=$(pptadm clean --inspect --method flr "$nv" 2>&1)
is "clean --inspect with --method is a usage error" "$?" 2
like "... saying why" "$out" "clean --inspect resets nothing: it takes neither --method"
out=$(pptadm clean --inspect "$nv" 2>&1)
isnt "an inspection without an agent waits agent_wait seconds, and fails" "$?" 0
like "... saying why" "$out" "no sanitise agent is registered"
is "... nvme0 is reserved again" "$(st "$nv")" reserved
ok "... no baseline kept" test ! -e "$bl"
ok "sanitise set device nvme0 none" pptadm sanitise set device "$nv" none
out=$(pptadm clean --inspect "$nv" 2>&1)
isnt "an inspection of a device whose policy is none is refused" "$?" 0
like "... saying why" "$out" "sanitiser policy is none"
ok "sanitise del device nvme0: nvme again" pptadm sanitise del device "$nv"
dmesg -c >/dev/null
: >/tmp/agent.log
agent_start
wait_for "the agent inspects nvme0 as it starts: its baseline is kept" 20 test -s "$bl"
wait_for "... nvme0 is reserved again" 10 \
	sh -c "[ \"\$(pptadm -p -o state show $nv)\" = reserved ]"
wait_for "... the agent says what came of it" 10 \
	grep -q "$nv nvme: inspected in .*: inspect; verified: baseline kept" /tmp/agent.log
like "... and why it asked" "$(cat /tmp/agent.log)" \
	"$nv: no NVMe baseline is kept: inspecting it for one"
like "... the kernel log says so" "$(dmesg)" "$nv: inspected with nvme \\(inspect\\)"
like "... the controller as it is: firmware, namespace 1" "$(cat "$bl")" \
	'^nvme-baseline/1 sn=[^ ]+ .* fr=[^ ]+ .* ns=1:[0-9]+:[^ ]* sec=none$'
like "... still untainted" "$(last "$nv" tainted)" 'no|false|0'
like "pptadm check passes it" "$(pptadm check 2>&1 | grep baseline)" '^PASS +baseline '
ok "clean --inspect by hand" pptadm clean --inspect "$nv"
wait_for "... compares the controller with the kept baseline: unchanged" 10 \
	grep -q "$nv nvme: inspected in .*: inspect; verified: baseline unchanged" /tmp/agent.log
is "... reserved" "$(st "$nv")" reserved
nvme_back_to_host
is "the host reads its data back: the inspections erased nothing" "$(secrets)" "$n0"
unset PPT_TAINTED_FILE

case $RIG_KNAME in
debug*) done_testing ;;
esac

# --- the controller baseline: kept at reservation, compared after every tenant ----
bl=/var/lib/ppt/baseline/nvme-$nv.baseline
# no agent until the tenant: it would inspect nvme0 for the baseline that
# this part checks reserve keeps
agent_stop
ok "nvme0's controller baseline was kept (its directories made)" test -s "$bl"
ok "... forget it" rm "$bl"
pptadm reserve "$nv" >/dev/null 2>&1
isnt "a reserve the kernel refuses (no --force: nvme0 is the host's nvme driver's)" "$?" 0
ok "... keeps no baseline" test ! -e "$bl"
out=$(PPT_BASELINE_DIR=/proc/ppt-baseline pptadm reserve --force "$nv" 2>&1)
is "a reserve from the host's nvme driver whose baseline cannot be kept goes on" "$?" 0
like "... saying so, and why" "$out" \
	"^pptadm: reserve $nv: its NVMe controller baseline was not kept \\(.*/proc/ppt-baseline.*\\): its first erase keeps one"
is "... reserved" "$(st "$nv")" reserved
like "pptadm check warns: nvme0 has no baseline kept" "$(pptadm check 2>&1 | grep baseline)" \
	"^WARN +baseline +1 of 1 NVMe controller\\(s\\) have no baseline kept: .*: $nv; fix: .*pptadm clean --inspect ADDRESS"
nvme_back_to_host
ok "reserve nvme0 from the host's nvme driver" pptadm reserve --force "$nv"
ok "... kept its controller baseline, read through the host's driver before any tenant" \
	test -s "$bl"
like "... pptadm check passes it" "$(pptadm check 2>&1 | grep baseline)" '^PASS +baseline '
like "... the controller as the host had it: firmware, namespace 1, no security protocols" \
	"$(cat "$bl")" '^nvme-baseline/1 sn=[^ ]+ .* fr=[^ ]+ .* ns=1:[0-9]+:[^ ]* sec=none$'
cp "$bl" /tmp/bl.reserve
agent_start
ok "nvme0 to its first tenant, t10, and back" sh -c \
	"pptadm claim --owner t10 $nv >/dev/null && pptadm assign --owner t10 $nv >/dev/null && pptadm unassign --owner t10 $nv >/dev/null"
ok "... its clean" pptadm clean "$nv"
like "... compared the controller with the baseline kept at reservation: unchanged" \
	"$(last "$nv" last_sanitise_verified)" 'baseline unchanged$'
ok "... which the erase left as it was" cmp "$bl" /tmp/bl.reserve
# the tenant's own driver formats namespace 1 to 4 KiB blocks (QEMU's LBA
# format 4), as "nvme format --lbaf=4" in its VM would: the erase keeps a
# namespace's format, so only the baseline can tell
ok "nvme0 to tenant t11" sh -c \
	"pptadm claim --owner t11 $nv >/dev/null && pptadm assign --owner t11 $nv >/dev/null"
out=$($NT "$nv" format 1 4 2>&1)
rc=$?
diag "$out"
is "... who formats namespace 1 to 4096-byte blocks through VFIO" "$rc" 0
ok "... and gives it back" pptadm unassign --owner t11 "$nv"
out=$(pptadm clean "$nv" 2>&1)
rc=$?
diag "$out"
isnt "its clean fails: the controller differs from the baseline kept at reservation" "$rc" 0
is "... nvme0 is quarantined" "$(st "$nv")" quarantined
like "... the last sanitise names the file and the difference" "$(last "$nv" last_sanitise_msg)" \
	"changed since its baseline \\($bl\\): .*namespace 1 FLBAS 0x00 -> 0x04; namespace 1 LBA size 512 -> 4096"
ok "an administrator accepts the change: removes the kept baseline" rm "$bl"
ok "... and cleans nvme0" pptadm clean "$nv"
is "... reserved" "$(st "$nv")" reserved
like "... a new baseline is kept" "$(last "$nv" last_sanitise_verified)" 'baseline kept'
like "... in its file: namespace 1 of 4096-byte blocks" "$(cat "$bl")" ' ns=1:[0-9]+:[0-9]+:04:4096 '
ok "tenant t12 formats it back to 512-byte blocks" sh -c \
	"pptadm claim --owner t12 $nv >/dev/null && pptadm assign --owner t12 $nv >/dev/null && $NT $nv format 1 0 >/dev/null && pptadm unassign --owner t12 $nv >/dev/null"
ok "... the administrator accepts that too, and cleans it" sh -c "rm $bl && pptadm clean $nv"
is "... reserved" "$(st "$nv")" reserved
nvme_back_to_host

# --- NVMe: pptadm sanitise run, by hand ---------------------------------------------
ok "the host writes the pattern again" sh -c \
	"yes PPT-TENANT-SECRET | dd of=/dev/nvme0n1 bs=4096 count=256 conv=fsync 2>/dev/null; sync"
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
ok "sanitise set class 03 none: the clean resets the slot only" pptadm sanitise set class 03 none
ok "... unassign and clean (a bus reset of the slot)" from_tenant t1 "$gpu" "$aud"
ok "the slot to tenant t2" to_tenant t2 "$gpu" "$aud"
like "t2 finds t1's data in VRAM: a reset does not erase it" \
	"$("$VT" --probe 0 "$gpu" 2>&1)" 'bar 0 data at 0x0: 0xa5'
ok "sanitise del class 03: display controllers' default (bar) again" pptadm sanitise del class 03
out=$(pptadm sanitise run "$gpu" 2>&1)
rc=$?
diag "$out"
is "sanitise run gpu0 (its class's default: bar) succeeds" "$rc" 0
like "... naming the sanitiser" "$out" "^$gpu: bar: zero in "
like "... zeroing BAR0, which held data, and reading it back" "$out" \
	'verified: BAR0 16 MiB \(held data\): zeroed, read back zero'
like "t2 now reads zero" "$("$VT" --probe 0 "$gpu" 2>&1)" 'bar 0 zero'
like "t2 fills the VRAM BAR again" "$("$VT" --fill 0:5a "$gpu" 2>&1)" 'bar 0 filled with 0x5a'
ok "... unassign and clean: the clean runs bar through the agent" from_tenant t2 "$gpu" "$aud"
like "... its last sanitise says BAR0 held data and reads back zero" \
	"$(last "$gpu" last_sanitise_verified)" 'BAR0 16 MiB \(held data\): zeroed, read back zero'
ok "the slot to tenant t3" to_tenant t3 "$gpu" "$aud"
like "t3 reads zero: the clean erased t2's data" "$("$VT" --probe 0 "$gpu" 2>&1)" 'bar 0 zero'
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
ok "... unassign and clean" from_tenant t3 "$gpu" "$aud"

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
# the audio function's registers are no memory to zero: its rule goes
ok "del ids 8086:293e" pptadm sanitise del ids 8086:293e
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
