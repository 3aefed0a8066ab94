#!/bin/sh
# 35-cli.sh - every command through pptadm and through examples/ppt-client
# (libppt's shared library): list -a from libpci merged with ppt's view,
# names by address, path and vendor:device, the reserve/claim/assign/
# unassign/clean/reset/release cycle with monitor -j and the client's
# event stream watching, each error path with its message (unknown device,
# wrong state, bad owner, missing attribute, malformed address, blocker),
# JSON errors, runtime matches, and add/remove keeping a modprobe.d file
# that a reload of ppt then reads.
# topology: gpu
# append: ppt.ids=1234:1111 ppt.auto_clean=0
# kernels: 6.1 6.12
# (Not on the debug kernels: CI's time budget; they run it when named.)
# timeout: 600
# shellcheck source=tests/vm/lib.sh
. /ppt/lib.sh

[ -n "$RIG_KMODS" ] || bail_out "no ppt.ko in this initramfs (run with --kmod)"
command -v ppt-client >/dev/null || bail_out "no ppt-client in this initramfs (run with --bin)"

g0=$(bdf gpu0) a0=$(bdf gpu0-audio) g1=$(bdf gpu1) a1=$(bdf gpu1-audio)
sn=$(bdf sw0-nic) se=$(bdf sw0-edu) pe=$(bdf pbr0-edu) nic=$(bdf nic0)
st() { pptadm -p -o state show "$1"; }
# parseable output with its escapes undone
p() { pptadm -p "$@" | sed 's/\\:/:/g'; }

ok "modprobe ppt (ids=1234:1111 from the command line)" modprobe ppt
for d in /sys/bus/pci/devices/*; do
	modprobe -q "$(cat "$d/modalias")" 2>/dev/null
done
is "gpu0 and gpu1 reserved at load" "$(st "$g0"):$(st "$g1")" reserved:reserved
is "the audio functions with their host driver" "$(drv "$a0"):$(drv "$a1")" snd_hda_intel:snd_hda_intel

# --- usage: help, typos, malformed names ------------------------------------
ok "pptadm help" sh -c 'pptadm help | grep -q "monitor \[-j\]"'
ok "pptadm reset --help" sh -c 'pptadm reset --help | grep -q "usage: pptadm reset"'
out=$(pptadm lsit 2>&1); rc=$?
is "a typo in a verb is a usage error" "$rc" 2
like "... naming it" "$out" 'unknown command "lsit" \(did you mean list\?\)'
out=$(pptadm reserve --forse "$a0" 2>&1); rc=$?
is "a typo in an option is a usage error" "$rc" 2
like "... naming it" "$out" 'unknown option "--forse" \(did you mean --force\?\)'
out=$(pptadm claim --owner vm1 --force "$g0" 2>&1); rc=$?
is "an option the verb does not take is a usage error" "$rc:$out" "2:pptadm: claim does not take --force
Try 'pptadm help claim'."
out=$(pptadm show 00:1f.9 2>&1); rc=$?
is "pptadm: a malformed address is a usage error" "$rc" 2
like "... naming it" "$out" '"00:1f.9" is not a PCI address'
out=$(ppt-client get 00:1f.9); rc=$?
is "client: a malformed address fails" "$rc" 1
is "... libppt says why" "$out" 'error get 00:1f.9: EINVAL (Invalid argument): malformed PCI address "00:1f.9" (want [domain:]bus:dev.fn)'
out=$(pptadm reserve 0000:00/09.0 2>&1); rc=$?
is "a path that names nothing fails" "$rc" 1
like "... saying so" "$out" 'reserve 0000:00/09.0: No such device: no device on this host has this topology path'
out=$(pptadm list dead:beef 2>&1); rc=$?
is "a vendor:device that names nothing fails" "$rc" 1
like "... saying so" "$out" 'no device ppt manages has this vendor:device'
out=$(pptadm claim --owner vm1 1234:1111 2>&1); rc=$?
is "a vendor:device naming two devices, for a one-device verb" "$rc" 1
like "... names both" "$out" "names 2 devices \\($g0, $g1\\): claim takes one at a time"

# --- list, list -a, show ---------------------------------------------------
is "list: the two GPUs" "$(p -o addr,state list | tr '\n' ' ')" "$g0:reserved $g1:reserved "
is "list 1234:1111: the same two, by vendor:device" "$(p -o addr list 1234:1111 | tr '\n' ' ')" "$g0 $g1 "
path0=$(p -o path show "$g0")
like "show: gpu0's topology path" "$path0" '^0000:00/02\.0/00\.0$'
is "list PATH: gpu0 by its path" "$(p -o addr list "$path0")" "$g0"
all=$(p -o addr,state,driver,owner list -a)
like "list -a: nic0, not ppt's: state -" "$all" "^$nic:-:e1000e:\$"
like "list -a: gpu0, ppt's" "$all" "^$g0:reserved:ppt:\$"
like "list -a: the host bridge too" "$all" '^0000:00:00\.0:-:'
is "list -a counts every PCI function" "$(echo "$all" | wc -l)" "$(set -- /sys/bus/pci/devices/*; echo $#)"
is "list -a: libpci's path for gpu1 is the kernel's" "$(p -o path list -a "$g1")" "$(p -o path show "$g1")"
is "list -a: libpci's IOMMU group for nic0 is sysfs'" "$(p -o group list -a "$nic")" "$(iommu_group "$nic")"
like "list -a: names from pci.ids" "$(p -o vendor_name,device_name list -a "$a0")" '^Intel Corporation:'
is "list -a with RFD 114's field names" "$(p -o id,vendor,device,subvendor,subsystem,revision,used_by list -a "$g0")" \
	"$g0:1234:1111:$(sed 's/0x//' "/sys/bus/pci/devices/$g0/subsystem_vendor"):$(sed 's/0x//' "/sys/bus/pci/devices/$g0/subsystem_device"):$(sed 's/0x//' "/sys/bus/pci/devices/$g0/revision"):"
like "list -a -j: one JSON object, state null for unmanaged devices" "$(pptadm -j list -a)" \
	'^\{"devices":\[\{"addr":"0000:00:00\.0","state":null,.*"state":"reserved".*\]\}$'
show=$(pptadm show "$g0")
like "show: every field, field: value" "$show" '^reset_methods: '
like "... the slot field" "$show" '^slot: '
like "... the last reset: none yet" "$show" '^last_reset: +-$'
is "show -p: new fields" "$(p -o last_reset,last_reset_usec show "$g0")" ":"
out=$(pptadm show "$nic" 2>&1); rc=$?
is "show of an unmanaged device fails" "$rc" 1
is "... with the kernel's reason" "$out" "pptadm: show $nic: No such device: device not managed by ppt"
out=$(pptadm -j show "$nic" 2>/dev/null); rc=$?
is "-j: the failure is JSON on stdout" "$rc:$out" \
	"1:{\"error\":{\"errno\":\"ENODEV\",\"code\":19,\"strerror\":\"No such device\",\"message\":\"device not managed by ppt\",\"operation\":\"show\",\"device\":\"$nic\",\"blocker\":null,\"blocker_driver\":null}}"
out=$(ppt-client get "$nic"); rc=$?
is "client: get of an unmanaged device" "$rc:$out" "1:error get $nic: ENODEV (No such device): device not managed by ppt [attribute PPT_A_DEV_ADDR]"
out=$(ppt-client reserve 0000:7f:00.0); rc=$?
is "client: a device that does not exist" "$rc:$out" "1:error reserve 0000:7f:00.0: ENODEV (No such device): no such PCI device [attribute PPT_A_DEV_ADDR]"
like "client: list" "$(ppt-client list)" "^device $g0 state=reserved owner=- driver=ppt vendor=1234 device=1111 group=[0-9]+ path=0000:00/02.0/00.0 .*boot=yes"
is "client: get agrees with pptadm" "$(ppt-client get "$g1" | sed 's/.* state=\([a-z]*\) .*/\1/')" reserved

# --- watchers: pptadm monitor -j and the client's event stream -------------
pptadm monitor -j >/tmp/mon.json 2>/tmp/mon.err &
mon=$!
ppt-client events 1000 60000 >/tmp/cli.ev 2>&1 &
cli=$!
wait_for "monitor starts with every device's state" 20 grep -q '"event":"synced","devices":2' /tmp/mon.json
wait_for "the client is subscribed" 20 grep -q '^subscribed$' /tmp/cli.ev

# --- the cycle through pptadm: gpu1 and its audio function ------------------
out=$(pptadm reserve "$a1" 2>&1); rc=$?
is "reserving a device a host driver holds fails" "$rc" 1
is "... naming the blocker" "$out" \
	"pptadm: reserve $a1: Device or resource busy: device is bound to a host driver: force takes it (blocking: $a1, driver snd_hda_intel)"
ok "reserve --force gpu1-audio" pptadm reserve --force "$a1"
out=$(pptadm assign --owner vm1 "$g1" 2>&1)
like "wrong state: assign before claim" "$out" "assign $g1: .*must be claimed before it is assigned"
# an owner is opaque UTF-8 (a tenant's name, say); only control bytes are refused
ok "claim gpu1 for an owner in UTF-8" pptadm claim --owner "vm-é" "$g1"
is "... the owner comes back as it was given" "$(p -o owner show "$g1")" "vm-é"
ok "... unclaim it" pptadm unclaim --owner "vm-é" "$g1"
out=$(pptadm claim --owner "$(printf 'vm\001')" "$g1" 2>&1)
like "an owner with a control byte is refused" "$out" "control character"
ok "claim gpu1 for vm1" pptadm claim --owner vm1 "$g1"
out=$(pptadm unclaim --owner vm2 "$g1" 2>&1); rc=$?
is "bad owner: unclaim by vm2" "$rc:$out" "1:pptadm: unclaim $g1: Operation not permitted: device is claimed by another owner"
out=$(pptadm reset "$g1" 2>&1)
like "wrong state: a claimed device is not reset" "$out" "must be unclaimed before it is reset"
ok "assign gpu1 (its audio function goes along)" pptadm assign --owner vm1 "$g1"
is "both with vfio-pci, assigned to vm1" "$(p -o state,owner,driver show "$g1" "$a1" | tr '\n' ' ')" \
	"assigned:vm1:vfio-pci assigned:vm1:vfio-pci "
ok "unassign gpu1" pptadm unassign --owner vm1 "$g1"
is "both dirty" "$(st "$g1"):$(st "$a1")" dirty:dirty
out=$(pptadm claim --owner vm1 "$g1" 2>&1)
like "wrong state: a dirty device is not claimed" "$out" "dirty: it must be cleaned first"
ok "clean --all-dirty" pptadm clean --all-dirty
is "both reserved again" "$(st "$g1"):$(st "$a1")" reserved:reserved
like "the clean's reset is reported" "$(p -o last_reset,last_reset_usec show "$g1")" '^(flr|pm|sbr):[0-9]+$'
out=$(pptadm clean --all-dirty 2>&1); rc=$?
is "clean --all-dirty with nothing dirty is no error" "$rc:$out" "0:pptadm: no device is dirty"
ok "reset gpu1 (auto)" pptadm reset "$g1"
is "... it stays reserved" "$(st "$g1")" reserved
out=$(pptadm reset --method flr "$g1" 2>&1); rc=$?
is "reset --method flr of a GPU without FLR" "$rc" 1
like "... refused with the kernel's reason" "$out" "does not support this reset method"
ok "release gpu1-audio" pptadm release "$a1"
is "... back to snd_hda_intel" "$(drv "$a1")" snd_hda_intel

# --- the same cycle through the example client: gpu0 -----------------------
out=$(ppt-client assign "$g0" vm2); rc=$?
is "client: wrong state" "$rc:$out" \
	"1:error assign $g0: EINVAL (Invalid argument): device must be claimed before it is assigned"
out=$(ppt-client claim "$g0"); rc=$?
is "client: a claim without the owner attribute" "$rc:$out" \
	"1:error claim $g0: EINVAL (Invalid argument): missing owner [missing PPT_A_DEV_OWNER]"
out=$(ppt-client claim "$g0" vm2); rc=$?
is "client: claim blocked by the audio function's host driver (a claim takes the IOMMU group)" "$rc:$out" \
	"1:error claim $g0: EBUSY (Device or resource busy): another device of the IOMMU group is not available [blocker $a0 driver snd_hda_intel]"
is "client: reserve force gpu0-audio" "$(ppt-client reserve "$a0" force)" "ok reserve $a0"
is "client: claim vm2" "$(ppt-client claim "$g0" vm2)" "ok claim $g0"
out=$(ppt-client unclaim "$g0" vm3); rc=$?
is "client: bad owner" "$rc:$out" "1:error unclaim $g0: EPERM (Operation not permitted): device is claimed by another owner"
is "client: assign" "$(ppt-client assign "$g0" vm2)" "ok assign $g0"
is "client: unassign" "$(ppt-client unassign "$g0" vm2)" "ok unassign $g0"
is "client: dirty now" "$(ppt-client get "$g0" | sed 's/.* state=\([a-z]*\) .*/\1/')" dirty
is "client: reset a dirty device" "$(ppt-client reset "$g0")" "ok reset $g0"
is "... still dirty" "$(st "$g0")" dirty
is "client: clean" "$(ppt-client clean "$g0")" "ok clean $g0"
is "client: clean gpu0-audio" "$(ppt-client clean "$a0")" "ok clean $a0"
like "client: the reset is reported" "$(ppt-client get "$g0")" ' last_reset=(flr|pm|sbr) last_reset_usec=[0-9]+ reset_pref=- lease=- lease_ended=no$'
out=$(ppt-client reset "$g0" hot); rc=$?
is "client: an unknown method is a usage error" "$rc" 2
out=$(ppt-client reset "$g0" flr); rc=$?
is "client: an unsupported method" "$rc" 1
like "... the kernel's reason" "$out" "^error reset $g0: EOPNOTSUPP .*does not support this reset method"
is "client: release gpu0-audio" "$(ppt-client release "$a0")" "ok release $a0"
out=$(ppt-client claim-set cs "$g0"); rc=$?
is "client: claim-set of gpu0, whose IOMMU group mate ppt gave away, fails" "$rc" 1
like "... EBUSY, naming gpu0-audio" "$out" "^error claim-set cs: EBUSY .*group is not available \\[blocker $a0 driver"
is "... and claims nothing" "$(st "$g0")" reserved
out=$(ppt-client take nobody); rc=$?
like "client: take for an owner with no device: ENOENT" "$out" '^error take nobody: ENOENT .*no device is claimed or assigned by this owner'

# --- what the watchers saw --------------------------------------------------
wait_for "the client saw the release" 20 grep -q "^event request $a0 release id=[0-9]* errno=0 " /tmp/cli.ev
ok "monitor ends on SIGTERM" kill "$mon"
wait "$mon"
is "... with status 0" "$?" 0
ev=$(cat /tmp/mon.json)
is "monitor wrote nothing on stderr" "$(cat /tmp/mon.err)" ""
for s in claimed assigning assigned unassigning dirty cleaning reserved; do
	like "monitor: gpu1 $s" "$ev" "^\\{\"event\":\"device\",\"seq\":[0-9]+,\"removed\":false,\"device\":\\{\"addr\":\"$g1\",\"state\":\"$s\""
done
like "monitor: gpu1-audio released (removed)" "$ev" "^\\{\"event\":\"device\",\"seq\":[0-9]+,\"removed\":true,\"device\":\\{\"addr\":\"$a1\""
like "monitor: the assign request's outcome" "$ev" \
	"^\\{\"event\":\"request\",\"seq\":[0-9]+,\"id\":[0-9]+,\"command\":\"assign\",\"device\":\"$g1\",\"ok\":true,\"errno\":null"
like "monitor: the reset's outcome" "$ev" \
	"^\\{\"event\":\"request\",.*\"command\":\"reset\",\"device\":\"$g1\",\"ok\":true"
is "monitor: every line is one JSON object" "$(grep -cv '^{.*}$' /tmp/mon.json)" 0
is "monitor: no events lost" "$(grep -c '"event":"lost"' /tmp/mon.json)" 0
seqs=$(sed -n 's/.*"seq":\([0-9]*\),.*/\1/p' /tmp/mon.json)
first=$(echo "$seqs" | head -n 1) last=$(echo "$seqs" | tail -n 1)
is "monitor: sequence numbers without a gap" "$(echo "$seqs" | wc -l)" "$((last - first + 1))"
kill "$cli" 2>/dev/null
wait "$cli" 2>/dev/null
cev=$(cat /tmp/cli.ev)
for s in claimed assigned dirty reserved; do
	like "client events: gpu0 $s" "$cev" "^event device $g0 state=$s "
done
like "client events: gpu0 assigned to vm2" "$cev" "^event device $g0 state=assigned owner=vm2 removed=no seq=[0-9]+$"
like "client events: gpu0 claimed by vm2" "$cev" "^event device $g0 state=claimed owner=vm2"
like "client events: the unassign request" "$cev" "^event request $g0 unassign id=[0-9]+ errno=0 msg=\"\" blocker=- seq=[0-9]+$"
like "client events: gpu0-audio removed" "$cev" "^event device $a0 state=[a-z]+ owner=- removed=yes"

# (long enough for a slow guest to print every state; it ends the monitor either way)
out=$(timeout -s INT 8 pptadm monitor); rc=$?
like "monitor ends on SIGINT too, after the state of each device" "$rc:$out" "^0:state $g0 state=reserved owner=- driver=ppt"
like "... human lines" "$out" "synced devices=2\$"

# --- runtime matches --------------------------------------------------------
like "match list: the boot entry" "$(pptadm match list)" 'ids +1234:1111 +yes'
is "match list -p" "$(pptadm match list -p -o kind,text,boot)" 'ids:1234\:1111:yes'
is "match list -j" "$(pptadm -j match list)" '{"matches":[{"kind":"ids","text":"1234:1111","boot":true,"reset_pref":null}]}'
is "client: match-list" "$(ppt-client match-list)" "match ids 1234:1111 boot=yes reset_pref=-"
ok "match add device pbr0-edu (no host driver)" pptadm match add device "$pe"
is "... it is reserved at once" "$(st "$pe"):$(drv "$pe")" reserved:ppt
out=$(pptadm match add device "${pe#0000:}" 2>&1); rc=$?
is "the same entry again, spelled differently" "$rc:$out" "1:pptadm: match add device ${pe#0000:}: File exists: this entry exists already"
out=$(pptadm match del ids 1234:1111 2>&1); rc=$?
is "a boot entry cannot be deleted" "$rc:$out" "1:pptadm: match del ids 1234:1111: Operation not permitted: boot list entries stay until ppt is reloaded"
out=$(pptadm match add ids 12345:1 2>&1); rc=$?
is "pptadm: a malformed entry is a usage error" "$rc:$out" "2:pptadm: ids entry \"12345:1\": id out of range (max ffff, or ffffffff for any)
Try 'pptadm help match'."
out=$(ppt-client match-add ids 12345:1); rc=$?
is "client: the kernel judges a malformed entry, naming the attribute" "$rc:$out" \
	"1:error match-add 12345:1: EINVAL (Invalid argument): id out of range (max ffff, or ffffffff for any) [attribute PPT_A_MATCH_IDS]"
out=$(ppt-client match-del path 0000:00/1e.7); rc=$?
is "client: deleting what is not there" "$rc:$out" "1:error match-del 0000:00/1e.7: ENOENT (No such file or directory): no such entry [attribute PPT_A_MATCH_PATH]"
is "client: match-add path, with a reset preference" "$(ppt-client match-add path 0000:00/1e.7 sbr)" "ok match-add 0000:00/1e.7"
is "... listed with it" "$(ppt-client match-list | tail -n 1)" "match path 0000:00/1e.7 boot=no reset_pref=sbr"
is "client: match-del path" "$(ppt-client match-del path 00/1e.7)" "ok match-del 00/1e.7"
ok "match del device pbr0-edu" pptadm match del device "$pe"
is "... it stays reserved" "$(st "$pe")" reserved
ok "release pbr0-edu" pptadm release "$pe"

# --- add/remove: the boot lists in a modprobe.d file ------------------------
export PPT_MODPROBE_CONF=/tmp/ppt.conf
rm -f /tmp/ppt.conf
out=$(pptadm add "$sn" 2>&1); rc=$?
is "add of a device a host driver holds, without --force, fails" "$rc" 1
like "... saying why" "$out" "add $sn: Device or resource busy: device is bound to a host driver: force takes it"
like "... and that the file was not changed" "$out" "$sn: not added to /tmp/ppt.conf"
ok "... no file was written" test ! -e /tmp/ppt.conf
out=$(pptadm add --force "$sn" 2>&1); rc=$?
is "add --force sw0-nic" "$rc" 0
is "... reserved" "$(st "$sn")" reserved
like "... told to refresh the initramfs if ppt is in it" "$out" 'update-initramfs -u \(or dracut -f\)'
like "... the file" "$(cat /tmp/ppt.conf)" "^options ppt devices=$sn\$"
cp /tmp/ppt.conf /tmp/ppt.conf.1
ok "add it again" pptadm add "$sn"
ok "... the file is unchanged" cmp /tmp/ppt.conf /tmp/ppt.conf.1
pathn=$(p -o path list -a "$nic")
# two at once: each holds the file's lock while it reads and rewrites it
pptadm add 1234:11e8 >/tmp/add1.out 2>&1 &
add1=$!
pptadm add --force "$pathn" >/tmp/add2.out 2>&1
r2=$?
wait "$add1"
is "add 1234:11e8 (both edu functions) and, at the same time, nic0 by its path" "$?:$r2" 0:0
is "... both edu functions reserved" "$(st "$se"):$(st "$pe")" reserved:reserved
is "... nic0 reserved" "$(st "$nic")" reserved
like "... told that the kernel command line's ppt.ids= replaces the file's ids=" "$(cat /tmp/add1.out)" \
	'the kernel command line sets ppt.ids=, which replaces /tmp/ppt.conf.s ids= at boot' 
# a reset preference, set through the client, is what auto uses
methods=$(p -o reset_methods show "$nic")
like "nic0 (e1000e) can be reset by sbr and another method" "$methods" '^(flr|pm),.*sbr$'
first=${methods%%,*}
ok "reset nic0 (auto)" pptadm reset "$nic"
is "... by its first method" "$(p -o last_reset show "$nic")" "$first"
is "client: set nic0's reset preference to sbr" "$(ppt-client set "$nic" sbr)" "ok set $nic"
ok "reset nic0 (auto)" pptadm reset "$nic"
is "... now by sbr" "$(p -o last_reset show "$nic")" sbr
out=$(ppt-client set "$nic" flr); rc=$?
is "client: a preference the device lacks" "$rc:$out" \
	"1:error set $nic: EOPNOTSUPP (Operation not supported): the device does not support this reset method"
is "client: back to the default order" "$(ppt-client set "$nic" auto)" "ok set $nic"
ok "reset nic0 (auto)" pptadm reset "$nic"
is "... by its first method again" "$(p -o last_reset show "$nic")" "$first"
out=$(ppt-client set "$nic"); rc=$?
is "client: set without a method is a usage error" "$rc" 2
is "the file: one options line with all three lists" "$(grep -v '^#' /tmp/ppt.conf)" \
	"options ppt ids=1234:11e8 devices=$sn paths=$pathn"
echo "blacklist e1000e" >>/tmp/ppt.conf
cp /tmp/ppt.conf /tmp/ppt.conf.2
out=$(pptadm add --force "$a0" 2>&1); rc=$?
is "a line pptadm does not understand stops add" "$rc" 1
like "... named by file:line" "$out" '/tmp/ppt.conf:5: "blacklist" lines are not understood here'
is "... nothing was reserved" "$(drv "$a0")" snd_hda_intel
ok "... nor written" cmp /tmp/ppt.conf /tmp/ppt.conf.2
sed -i '/^blacklist/d' /tmp/ppt.conf
out=$(pptadm remove "$se" 2>&1); rc=$?
is "remove of a device an ids entry still names fails" "$rc" 1
like "... naming the entry" "$out" "$se is also named by ids=1234:11e8 \\(/tmp/ppt.conf:4\\): remove that too"
is "... and it stays reserved" "$(st "$se")" reserved
out=$(pptadm -j remove "$se" 2>/dev/null)
like "... -j: the error object" "$out" "^\\{\"error\":\\{\"errno\":\"EEXIST\",.*\"operation\":\"remove\",\"device\":\"$se\""
out=$(pptadm remove "$g1" 2>&1); rc=$?
is "remove of a GPU the kernel command line names (ppt.ids=1234:1111) fails" "$rc" 1
like "... naming the command line" "$out" "named by ppt.s ids=1234:1111 in the kernel command line"
is "... and it stays reserved" "$(st "$g1")" reserved
echo "options ppt devices=$sn" >/tmp/vfio.conf
out=$(pptadm remove "$sn" 2>&1); rc=$?
is "remove of a device another modprobe.d file names fails" "$rc" 1
like "... naming the file" "$out" "named by ppt.s devices=$sn in /tmp/vfio.conf"
rm -f /tmp/vfio.conf
ok "remove 1234:11e8" pptadm remove 1234:11e8
is "... both released (edu has no host driver)" "$(drv "$se"):$(drv "$pe")" ":"
ok "remove sw0-nic" pptadm remove "$sn"
is "... back to e1000e" "$(drv "$sn")" e1000e
out=$(pptadm remove "$sn" 2>&1); rc=$?
is "remove it again fails: it is nowhere" "$rc:$out" "1:pptadm: remove $sn: No such file or directory: not in /tmp/ppt.conf and not managed by ppt"
ok "remove nic0 by its path" pptadm remove "$pathn"
is "no options line is left" "$(grep -vc '^#' /tmp/ppt.conf)" 0

# the file is what modprobe reads: a reload finds the device boot-listed;
# monitor follows ppt through the unload and the reload
export PPT_MODPROBE_CONF=/etc/modprobe.d/ppt-devices.conf
mkdir -p /etc/modprobe.d
ok "add --force sw0-nic to /etc/modprobe.d" pptadm add --force "$sn"
pptadm monitor >/tmp/mon.txt 2>&1 &
mon=$!
wait_for "monitor is running" 20 grep -q '^synced devices=' /tmp/mon.txt
ok "rmmod ppt" rmmod ppt
is "sw0-nic went back to e1000e" "$(drv "$sn")" e1000e
wait_for "monitor: ppt went away" 20 grep -q '^lost events (ppt was unloaded): waiting for it to be loaded again$' /tmp/mon.txt
ok "modprobe ppt (reads /etc/modprobe.d/ppt-devices.conf)" modprobe ppt
is "sw0-nic is boot-listed now, left with its driver: detached" "$(p -o state,boot,driver show "$sn")" detached:yes:e1000e
wait_for "monitor: ppt is back, every device's state again" 20 sh -c \
	"grep -A 100 '^lost events (ppt was loaded again): resynchronising\$' /tmp/mon.txt | grep -q '^synced devices='"
ok "remove it" pptadm remove "$sn"
wait_for "monitor hears the reloaded module's events" 20 grep -q "^device $sn removed seq=[0-9]*\$" /tmp/mon.txt ||
	diag "$(cat /tmp/mon.txt)"
kill "$mon"
wait "$mon"
is "... and ends with status 0" "$?" 0
is "the file has no options line" "$(grep -vc '^#' /etc/modprobe.d/ppt-devices.conf)" 0
ok "rmmod ppt" rmmod ppt
done_testing
