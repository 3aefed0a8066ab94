#!/bin/sh
# 45-alloc-cli.sh - allocation through pptadm: a variants file labels the
# devices (list, RFD 114's sysinfo and assignable_devices), claim --variant
# picks only that variant's devices, a malformed file is refused with
# file:line and claims nothing, claim DEV DEV is all or nothing naming the
# device in the way, take and unclaim --all; pptadm run assigns the devices
# to a VFIO program and gives them back clean, passes its exit status and
# signals on, and when pptadm is killed with SIGKILL the lease brings the
# device back once the program has died with it; --user gives the VFIO group
# node to a user the program then runs as (and assign --user too).
# topology: reset
# append: ppt.ids=1234:11e8,1234:1111,8086:293e
# kernels: 6.1 6.12
# (Not on the debug kernels: CI's time budget; they run it when named.)
# timeout: 900
# shellcheck source=tests/vm/lib.sh
. /ppt/lib.sh

[ -n "$RIG_KMODS" ] || bail_out "no ppt.ko in this initramfs (run with --kmod)"
VT=/ppt/bin/vfio-test
[ -x "$VT" ] || bail_out "no $VT in this initramfs (run with --bin .../vfio-test)"
command -v pptadm >/dev/null || bail_out "no pptadm in this initramfs (run with --bin)"

g=$(bdf gpu0) a=$(bdf gpu0-audio) pe=$(bdf pbr0-edu) pn=$(bdf pbr0-nic)
e0=$(bdf edu0) e1=$(bdf edu1) e2=$(bdf edu2) e3=$(bdf edu3)
nv=$(bdf nvme0) nic=$(bdf nic0)
# state:owner of a device; parseable output with its escapes undone
so() { pptadm -p -o state,owner show "$1" | sed 's/\\:/:/g'; }
p() { pptadm -p "$@" | sed 's/\\:/:/g'; }
# shellcheck disable=SC2317  # called through ok and wait_for
pool() { # the state of each edu of the pool, one line
	for d in "$e0" "$e1" "$e2" "$e3"; do printf '%s ' "$(pptadm -p -o state show "$d")"; done
}
# shellcheck disable=SC2317
pool_reserved() { [ "$(pool)" = "reserved reserved reserved reserved " ]; }

V=/tmp/variants.conf
cat >"$V" <<'EOF'
# the test's variants: the edu devices, the GPU and its HDMI audio function
edu      accel      1234:11e8
vga      gpu        1234:1111
vga-hda  gpu-audio  8086:293e    # the GPU's audio, ich9-intel-hda
EOF
PPT_VARIANTS=$V
export PPT_VARIANTS
# the unprivileged user of --user (busybox su takes options after USER too)
echo 'ppt-user:x:1000:1000:ppt test user:/tmp:/bin/sh' >>/etc/passwd
echo 'ppt-user:x:1000:' >>/etc/group

ok "modprobe ppt (edu, the GPU and its audio function)" modprobe ppt
wait_for "the pool of four edu devices is reserved" 30 pool_reserved
is "pbr0-edu reserved too (its IOMMU group holds pbr0-nic, a host's)" \
	"$(pptadm -p -o state show "$pe")" reserved

# --- variants and types in listings ---------------------------------------
is "list: each device's variant and type (in address order)" \
	"$(p -o addr,variant,type list "$e0" "$g" "$a")" "$g:vga:gpu
$a:vga-hda:gpu-audio
$e0:edu:accel"
like "the table shows VARIANT and TYPE" "$(pptadm list "$e0")" \
	"^ADDR .* VARIANT +TYPE +NAME
$e0 +reserved .* edu +accel "
is "-j without -o keeps its keys" "$(pptadm -j list "$e0" | grep -c '"variant"')" 0
: >/tmp/empty.conf
is "without variants, types from the class: GPU, its audio (beside it), NIC, NVMe" \
	"$(PPT_VARIANTS=/tmp/empty.conf p -o variant,type list -a "$g" "$a" "$nic" "$nv" | tr '\n' ' ')" \
	":gpu :gpu-audio :nic :nvme "
cat >/tmp/v2.conf <<'EOF'
edu      accel  1234:11e8
edu-rev  accel  1234:11e8:10
EOF
is "the most specific ID wins (edu's revision is 10)" \
	"$(pptadm --variants /tmp/v2.conf -p -o variant,revision show "$e0")" "edu-rev:10"

sysinfo=$(pptadm -j list -a --format sysinfo)
like "list -a -j --format sysinfo: RFD 114's \"PCI Devices\"" "$sysinfo" '^\{"PCI Devices":\[\{"device":'
path0=$(p -o path show "$e0")
like "... edu0 by its topology path, driver ppt, no used_by" "$sysinfo" \
	"\\{\"device\":\"11e8\",\"driver\":\"ppt\",\"id\":\"$path0\",\"revision\":\"10\",\"subsystem\":\"1100\",\"subvendor\":\"1af4\",\"vendor\":\"1234\"\\}"
like "... a device without a driver: driver \"-\" (nic0: the guest loads no e1000e)" "$sysinfo" \
	"\"driver\":\"-\",\"id\":\"$(p -o path list -a "$nic")\""
is "... one object per PCI function" "$(echo "$sysinfo" | grep -o '"device":' | wc -l)" \
	"$(set -- /sys/bus/pci/devices/*; echo $#)"

# --- claim by variant -------------------------------------------------------
out=$(pptadm claim --owner vm1 --variant edu --count 2); rc=$?
is "claim --variant edu --count 2: the first two edus, printed" "$rc:$out" "0:$e0
$e1"
is "... claimed by vm1" "$(so "$e0") $(so "$e1")" "claimed:vm1 claimed:vm1"
is "... and no device of another variant" "$(so "$g") $(so "$a") $(so "$e2")" \
	"reserved: reserved: reserved:"
assignable=$(pptadm -j list --format assignable)
like "assignable_devices: a claimed edu is provisioning, used_by its owner" "$assignable" \
	"\\{\"id\":\"$path0\",\"state\":\"provisioning\",\"type\":\"accel\",\"used_by\":\"vm1\",\"variant\":\"edu\"\\}"
like "... a reserved one unassigned" "$assignable" \
	"\\{\"id\":\"$(p -o path show "$e2")\",\"state\":\"unassigned\",\"type\":\"accel\",\"variant\":\"edu\"\\}"
like "... the GPU with its variant" "$assignable" "\"state\":\"unassigned\",\"type\":\"gpu\",\"variant\":\"vga\""
out=$(pptadm -j claim --owner vm2 --variant edu --count 3); rc=$?
is "three more edus than are free (pbr0-edu cannot be): fails" "$rc" 1
like "... ENOSPC, as JSON" "$out" '^\{"error":\{"errno":"ENOSPC",.*"operation":"claim","device":"variant edu"'
is "... and claims nothing" "$(so "$e2") $(so "$e3")" "reserved: reserved:"
out=$(pptadm -j claim --owner vm2 --variant edu)
is "claim --variant edu (one): the next free, JSON" "$out" "{\"claimed\":[\"$e2\"],\"owner\":\"vm2\"}"
out=$(pptadm claim --owner vm3 --variant vga)
is "claim --variant vga: the GPU with its audio function (one IOMMU group)" "$out" "$g
$a"
out=$(pptadm claim --owner vm4 --variant nosuch 2>&1); rc=$?
is "a variant the file does not define: fails" "$rc" 1
like "... saying so" "$out" "claim nosuch: No such file or directory: no variant \"nosuch\" in $V"
out=$(pptadm claim --owner vm4 --variant vga 2>&1); rc=$?
like "a variant with none reserved: ENOSPC, saying why" "$rc:$out" \
	'^1:.*no device of variant vga is reserved \(1 is in other states\)'

# --- unclaim --all, take ----------------------------------------------------
ok "unclaim --owner vm1 --all" pptadm unclaim --owner vm1 --all
is "... both of vm1's edus reserved" "$(so "$e0") $(so "$e1")" "reserved: reserved:"
out=$(pptadm unclaim --owner vm1 --all 2>&1); rc=$?
is "unclaim --all of an owner with nothing: fails, saying so" "$rc:$out" \
	"1:pptadm: unclaim vm1: No such file or directory: vm1 has claimed no device"
out=$(pptadm take --owner vm3); rc=$?
is "take --owner vm3: its two devices, printed" "$rc:$out" "0:$g
$a"
is "... still vm3's" "$(so "$g") $(so "$a")" "claimed:vm3 claimed:vm3"
out=$(pptadm take --owner nobody 2>&1); rc=$?
like "take of an owner that holds nothing: ENOENT and the kernel's reason" "$rc:$out" \
	'^1:pptadm: take nobody: No such file or directory: '
pptadm unclaim --owner vm2 --all >/dev/null
pptadm unclaim --owner vm3 --all >/dev/null
ok "everything given back" pool_reserved

# --- a malformed variants file --------------------------------------------
printf 'edu accel 1234:11e8\nvga gpus 1234:1111\n' >/tmp/bad.conf
out=$(pptadm --variants /tmp/bad.conf claim --owner vm5 --variant edu 2>&1); rc=$?
is "a malformed variants file: claim --variant fails" "$rc" 1
like "... naming file:line and the token" "$out" \
	'/tmp/bad.conf:2: unknown type, want one of gpu, gpu-audio, nic, nvme, storage, accel, usb, other \("gpus"\)'
ok "... and nothing of it is used: nothing claimed" pool_reserved
out=$(PPT_VARIANTS=/tmp/bad.conf p -o addr,variant list "$e0" 2>&1); rc=$?
is "... a listing warns and goes on without variants" "$rc:$out" \
	"0:pptadm: warning: /tmp/bad.conf:2: unknown type, want one of gpu, gpu-audio, nic, nvme, storage, accel, usb, other (\"gpus\"); devices are listed without variants
$e0:"
out=$(pptadm --variants /tmp/none.conf claim --owner vm5 --variant edu 2>&1); rc=$?
like "a missing file named by --variants is an error" "$rc:$out" \
	'^1:pptadm: /tmp/none.conf: No such file or directory'

# --- claim DEV DEV: all or nothing ----------------------------------------
ok "claim edu1 alone for vm6 (the single-device claim, silent)" \
	sh -c "[ -z \"\$(pptadm claim --owner vm6 $e1)\" ]"
out=$(pptadm claim --owner vm7 "$e0" "$e1" 2>&1); rc=$?
is "claim edu0 edu1 with edu1 taken: fails" "$rc" 1
like "... naming edu1 as the blocker" "$out" "^pptadm: claim 2 devices: Device or resource busy: .*\\(blocking: $e1, driver ppt\\)"
is "... and edu0 is not claimed" "$(so "$e0")" "reserved:"
out=$(pptadm claim --owner vm7 "$e0" "$e2"); rc=$?
is "claim edu0 edu2: both" "$rc:$out" "0:$e0
$e2"
out=$(pptadm claim --owner vm8 --count 1 "$e0" "$e2" "$e3"); rc=$?
is "claim --count 1 of three listed: the free one" "$rc:$out" "0:$e3"
out=$(pptadm claim --owner vm8 "$pe" "$e0" 2>&1); rc=$?
like "a device whose group is not all ppt's: refused, naming the host's device" "$rc:$out" \
	"^1:.*\\(blocking: $pn, "
pptadm unclaim --owner vm6 --all >/dev/null
pptadm unclaim --owner vm7 --all >/dev/null
pptadm unclaim --owner vm8 --all >/dev/null
ok "the pool is free again" pool_reserved

# --- run --------------------------------------------------------------------
# shellcheck disable=SC2016  # $PPT_DEVICES is the command's
out=$(pptadm run --owner vm9 --variant edu --count 2 -- \
	sh -c 'echo "devices $PPT_DEVICES owner $PPT_OWNER"
	       echo "args {} {1}"
	       for d in $PPT_DEVICES; do pptadm -p -o state,owner,driver show $d; done
	       /ppt/bin/vfio-test --dma {0} | grep -E "^(config|dma ok)"' 2>/tmp/run.err); rc=$?
is "run --variant edu --count 2 -- COMMAND: the command's status" "$rc" 0
is "... its environment and {} {N} in its arguments" "$(echo "$out" | head -n 2)" \
	"devices $e0 $e1 owner vm9
args $e0,$e1 $e1"
is "... the devices assigned to vm9 while it runs" "$(echo "$out" | sed -n 3,4p | tr '\n' ' ')" \
	'assigned:vm9:vfio-pci assigned:vm9:vfio-pci '
like "... which uses edu0 through VFIO (DMA too)" "$out" "config $e0 1234:11e8
dma ok [0-9]+ bytes"
like "... pptadm says what it did, on stderr" "$(cat /tmp/run.err)" \
	"pptadm: run: $e0 $e1 assigned to vm9
pptadm: run: $e0 $e1 given back to ppt, clean"
is "... and afterwards both are reserved again, with ppt, no owner" \
	"$(so "$e0") $(so "$e1") $(drv "$e0")" "reserved: reserved: ppt"
like "... through a clean" "$(dmesg | grep "$e0" | tail -n 3)" 'clean'

out=$(pptadm run --owner vm9 "$e2" -- sh -c 'exit 7' 2>&1); rc=$?
is "run DEVICE -- COMMAND: its exit status passes through" "$rc" 7
is "... the device given back" "$(so "$e2")" "reserved:"
out=$(pptadm run --owner vm9 "$e2" -- sh -c 'kill -9 $$' 2>&1); rc=$?
is "a command killed by SIGKILL: 128+9" "$rc" 137
out=$(pptadm run --owner vm9 "$e2" -- /no/such/program 2>&1); rc=$?
is "a command that does not exist: 127" "$rc" 127
like "... saying so" "$out" 'pptadm: run: /no/such/program: No such file or directory'
is "... the device given back" "$(so "$e2")" "reserved:"
out=$(pptadm run --owner vm9 "$e2" -- echo '{1}' 2>&1); rc=$?
is "{1} with one device: usage error" "$rc" 2
like "... naming the argument" "$out" 'argument 2 \("\{1\}"\) asks for \{1\}, but 1 device was claimed'
is "... and the claim undone" "$(so "$e2")" "reserved:"
out=$(pptadm run --owner vm9 --variant edu --count 9 -- true 2>&1); rc=$?
like "run with more devices than are free: fails, the command not run" "$rc:$out" '^1:.*ENOSPC|^1:.*No space left'
ok "... nothing left claimed" pool_reserved

# signals are passed on: SIGTERM to pptadm ends the VFIO program, which holds edu3
rm -f /tmp/hold.in /tmp/hold.out && mkfifo /tmp/hold.in
pptadm run --owner vm10 "$e3" -- "$VT" --hold '{0}' </tmp/hold.in >/tmp/hold.out 2>/tmp/hold.err &
runner=$!
exec 3>/tmp/hold.in
wait_for "run: the VFIO program holds edu3" 60 grep -qx ready /tmp/hold.out
like "... assigned to vm10 under pptadm's lease (its socket's port id)" \
	"$(p -o state,owner,lease,lease_ended show "$e3")" '^assigned:vm10:[1-9][0-9]*:no$'
kill -TERM "$runner"
wait "$runner"; rc=$?
exec 3>&-
like "SIGTERM to pptadm reaches the program" "$(cat /tmp/hold.out)" 'exit on SIGTERM'
is "... pptadm exits with its status" "$rc" 0
is "... and edu3 is reserved again" "$(so "$e3") $(drv "$e3")" "reserved: ppt"

# SIGKILL: pptadm cannot give back, the kernel does (the lease)
rm -f /tmp/hold.in /tmp/hold.out && mkfifo /tmp/hold.in
pptadm run --owner vm11 "$e3" -- "$VT" --hold '{0}' </tmp/hold.in >/tmp/hold.out 2>/tmp/hold.err &
runner=$!
exec 3>/tmp/hold.in
wait_for "run: the VFIO program holds edu3 again" 60 grep -qx ready /tmp/hold.out
kill -9 "$runner"
wait "$runner" 2>/dev/null
wait_for "pptadm killed with SIGKILL: the program dies with it (SIGTERM)" 10 \
	grep -q 'exit on SIGTERM' /tmp/hold.out
exec 3>&-
wait_for "... and the kernel unassigns and cleans edu3: reserved" 30 \
	sh -c "[ \"\$(pptadm -p -o state,owner,driver show $e3 | sed 's/\\\\:/:/g')\" = 'reserved::ppt' ]"
like "... through a clean (its log)" "$(dmesg | grep "$e3" | tail -n 3)" 'clean'

# --user: the group node goes to the user, who runs the program
grp=$(iommu_group "$e3")
# shellcheck disable=SC2016
out=$(pptadm run --owner vm12 --user ppt-user "$e3" -- \
	sh -c 'id -u; id -g; ls -ln /dev/vfio/'"$grp"' | awk "{print \$3}"; /ppt/bin/vfio-test {0} | grep ^config' 2>/tmp/run.err); rc=$?
is "run --user ppt-user: the command runs as uid 1000, gid 1000" "$(echo "$out" | sed -n 1,2p | tr '\n' ' ')" "1000 1000 "
is "... /dev/vfio/$grp is the user's" "$(echo "$out" | sed -n 3p)" 1000
like "... who can use the device through VFIO" "$out" "config $e3 1234:11e8"
is "... status 0, edu3 given back" "$rc:$(so "$e3")" "0:reserved:"
if [ -d "/sys/bus/pci/devices/$e3/vfio-dev" ]; then
	# shellcheck disable=SC2016
	out=$(pptadm run --owner vm12 --user ppt-user "$e3" -- \
		sh -c 'ls -ln /dev/vfio/devices/ | awk "NR > 1 {print \$3}"' 2>&1)
	is "... and its iommufd node /dev/vfio/devices/vfioN too" "$out" 1000
else
	skip "... and its iommufd node /dev/vfio/devices/vfioN too" "no VFIO device cdev in this kernel"
fi
out=$(pptadm run --owner vm12 --user nosuchuser "$e3" -- true 2>&1); rc=$?
is "an unknown user: usage error before anything is done" "$rc:$out" \
	'2:pptadm: --user "nosuchuser": no such user'
is "... edu3 untouched" "$(so "$e3")" "reserved:"

ok "assign --user: claim edu2" pptadm claim --owner vm13 "$e2"
ok "... assign it --user ppt-user" pptadm assign --owner vm13 --user ppt-user "$e2"
grp=$(iommu_group "$e2")
# shellcheck disable=SC2012  # busybox: ls -ln is how to see the uid
is "... /dev/vfio/$grp is ppt-user's" "$(ls -ln "/dev/vfio/$grp" | awk '{print $3}')" 1000
# shellcheck disable=SC2016
like "... who can open it" "$(su -s /bin/sh -c 'exec "$0" "$@"' ppt-user -- "$VT" "$e2" 2>&1)" \
	"config $e2 1234:11e8"
ok "... unassign" pptadm unassign --owner vm13 "$e2"
wait_for "... cleaned back to reserved" 30 sh -c "[ \"\$(pptadm -p -o state show $e2)\" = reserved ]"

ok "rmmod ppt" rmmod ppt
done_testing
