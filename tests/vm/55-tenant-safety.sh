#!/bin/sh
# 55-tenant-safety.sh - a tenant's leftovers never reach a host driver or the
# pool without a clean, and one --force never takes what the host runs on.
#
# - A dirty device is released only after a clean (the NVMe driver, and udev
#   after it, must never see a tenant's partitions); --unclean says otherwise
#   and is logged.
# - A dirty device unbound from ppt behind its back stays tainted: its IOMMU
#   group is held, so a host driver's probe fails; reserved again, it is
#   dirty, not reserved.
# - A device taken from a vfio-pci that ppt did not give it to (an unknown
#   tenant) arrives dirty, by reserve --force and by drivers_probe alike;
#   while a VFIO user holds it, the reserve fails at once instead of waiting.
# - auto resets through the PCI core's own order, as the administrator wrote
#   it in sysfs reset_method; an explicit method never uses one the
#   administrator removed, and the administrator's list is put back.
# - pptadm's JSON, as the devices above pass through it (list, show -jp, the
#   records of changing commands, monitor -j -t), is valid against its
#   installed JSON Schema (userspace/pptadm/pptadm.schema.json), checked by
#   python3-jsonschema on the host.
# - A NIC whose address sits on a bridge or on a bond under a bridge (every
#   Proxmox host's vmbr0) is refused by the kernel (an independent netlink
#   client shows it) and by pptadm, naming the upper device; a disk held
#   exclusively (as ZFS holds its vdevs: nothing in mountinfo) is refused.
# topology: basic
# append: ppt.ids=1234:11e8 ppt.auto_clean=0
# modules: bridge,bonding
# kernels: 6.1 6.12
# (Not on debug kernels: it needs hostfs for the independent client.)
# hostfs: yes
# timeout: 420
# shellcheck source=tests/vm/lib.sh
. /ppt/lib.sh

[ -n "$RIG_KMODS" ] || bail_out "no ppt.ko in this initramfs (run with --kmod)"
host_run true || bail_out "no host file system (hostfs) in this VM"
client() { host_run /usr/bin/python3 /ppt/clients/ppt_pyroute2.py "$@"; }

e=$(bdf edu0) n=$(bdf nvme0) x=$(bdf nic0) v=$(bdf net0)
st() { pptadm -p -o state,driver show "$1" | sed 's/\\//g'; }
flags() { pptadm -p -o tainted,gated show "$1"; }
probe() { echo "$1" >/sys/bus/pci/drivers_probe 2>/dev/null; }
to_vfio() {	# an administrator hands the device to vfio-pci, outside ppt
	echo vfio-pci >"/sys/bus/pci/devices/$1/driver_override" && unbind "$1" && probe "$1"
	[ "$(drv "$1")" = vfio-pci ]
}
to_ppt() {	# ... or to ppt, by hand: override, unbind, drivers_probe
	echo ppt >"/sys/bus/pci/devices/$1/driver_override" && unbind "$1" && probe "$1"
}

ok "modprobe ppt (ids=1234:11e8, auto-clean off)" modprobe ppt
ok "host drivers for nvme0 and nic0, and vfio-pci" sh -c \
	"/sbin/modprobe nvme && /sbin/modprobe e1000e && /sbin/modprobe vfio-pci && /sbin/modprobe virtio_net"
# 6.1: hostfs loaded virtio_pci with autoprobe off (scripts/rig/guest-init.sh);
# 6.12: virtio_pci is built in and has it already
[ -n "$(drv "$v")" ] || bind_host_driver "$v" >/dev/null 2>&1
is "net0 with virtio-pci" "$(drv "$v")" virtio-pci
wait_for "net0's interface is there" 20 sh -c "ls /sys/bus/pci/devices/$v/virtio*/net | grep -q ."
# pptadm's JSON against its schema (tests/userspace/check-schema.py --validate)
schema() { host_run /usr/bin/python3 /ppt/clients/check-schema.py --validate \
	--schema /ppt/clients/pptadm.schema.json --def "$1"; }
pptadm monitor -j -t >/tmp/mon.json 2>/tmp/mon.err &
mon=$!
wait_for "monitor -j -t is synced" 20 grep -q '"event":"synced"' /tmp/mon.json
is "edu0 reserved at load: it came from no driver" "$(st "$e")" reserved:ppt
is "... and is not tainted" "$(flags "$e")" no:no

# --- a dirty device's release cleans it first -------------------------------
ok "reserve --force nvme0 from the nvme driver" pptadm reserve --force "$n"
is "nvme0 from a host driver arrives reserved" "$(st "$n")" reserved:ppt
ok "claim, assign and unassign nvme0 (a tenant had it)" sh -c \
	"pptadm claim --owner t1 $n && pptadm assign --owner t1 $n && pptadm unassign --owner t1 $n"
is "nvme0 dirty" "$(st "$n")" dirty:ppt
is "... tainted, and its IOMMU group held by ppt" "$(flags "$n")" yes:yes
ok "release nvme0" pptadm release "$n"
like "... ppt cleaned it before giving it up" \
	"$(dmesg | grep "$n" | grep -E 'cleaned|release by' | tail -n 2 | tr '\n' '|')" \
	'cleaned before its release, config space restored and verified.*release by uid'
wait_for "... and only then the nvme driver took it" 20 test "$(drv "$n")" = nvme
fails "ppt forgot nvme0" pptadm show "$n"

ok "claim, assign and unassign edu0" sh -c \
	"pptadm claim --owner t1 $e && pptadm assign --owner t1 $e && pptadm unassign --owner t1 $e"
ok "release --unclean edu0: the administrator takes the leftovers" pptadm release --unclean "$e"
like "... which the kernel log records" "$(dmesg | grep "$e" | grep 'released unclean')" \
	'released unclean by uid 0'
is "... and no clean ran" "$(dmesg | grep "$e" | grep -c 'cleaned')" 0

# --- dirty, then unbound from ppt behind its back ---------------------------
ok "reserve edu0 again" pptadm reserve "$e"
ok "claim, assign and unassign edu0" sh -c \
	"pptadm claim --owner t2 $e && pptadm assign --owner t2 $e && pptadm unassign --owner t2 $e"
ok "unbind dirty edu0 from ppt through sysfs" unbind "$e"
is "edu0 detached, and still tainted and held" "$(st "$e"):$(flags "$e")" detached::yes:yes
ok "reserve edu0 (it has no driver)" pptadm reserve "$e"
is "... it comes back dirty, not reserved" "$(st "$e")" dirty:ppt
ok "clean edu0" pptadm clean "$e"
is "... reserved, no longer tainted or held" "$(st "$e"):$(flags "$e")" reserved:ppt:no:no

ok "reserve --force nvme0 again" pptadm reserve --force "$n"
ok "a tenant has nvme0 again" sh -c \
	"pptadm claim --owner t3 $n && pptadm assign --owner t3 $n && pptadm unassign --owner t3 $n"
ok "unbind dirty nvme0 from ppt" unbind "$n"
ok "an administrator offers it to nvme" sh -c \
	"echo nvme >/sys/bus/pci/devices/$n/driver_override; echo $n >/sys/bus/pci/drivers_probe; true"
is "... the nvme driver's probe was refused: no driver" "$(drv "$n")" ""
ls "/sys/bus/pci/devices/$n/nvme" >/dev/null 2>&1
isnt "... and no NVMe controller (or namespace for udev) appeared" "$?" 0
ok "the override back to ppt, and probe" sh -c \
	"echo ppt >/sys/bus/pci/devices/$n/driver_override; echo $n >/sys/bus/pci/drivers_probe"
is "nvme0 back with ppt: dirty" "$(st "$n")" dirty:ppt
ok "clean nvme0" pptadm clean "$n"

# --- from a vfio-pci ppt did not give it to ---------------------------------
ok "release nvme0 (clean: straight to the nvme driver)" pptadm release "$n"
ok "an administrator binds nvme0 to vfio-pci by hand" to_vfio "$n"
vfio_hold "$n"
out=$(timeout 30 pptadm reserve --force "$n" 2>&1); rc=$?
is "reserve --force while a VFIO user holds it fails, and does not wait" "$rc" 1
like "... saying a VFIO user holds it" "$out" 'VFIO user'
is "... nvme0 stays with vfio-pci" "$(drv "$n")" vfio-pci
vfio_release
ok "reserve --force nvme0 from vfio-pci, its user gone" pptadm reserve --force "$n"
is "... it arrives dirty: an unknown tenant may have had it" "$(st "$n")" dirty:ppt
is "... tainted and held" "$(flags "$n")" yes:yes
ok "clean nvme0" pptadm clean "$n"
is "... reserved" "$(st "$n"):$(flags "$n")" reserved:ppt:no:no
ok "release nvme0" pptadm release "$n"
ok "an administrator binds nvme0 to vfio-pci again" to_vfio "$n"
ok "... and hands it to ppt through drivers_probe" to_ppt "$n"
is "the same handover by hand: dirty too" "$(st "$n"):$(flags "$n")" dirty:ppt:yes:yes
ok "clean nvme0" pptadm clean "$n"

# --- the administrator's reset order ----------------------------------------
rm=/sys/bus/pci/devices/$n/reset_method
diag "nvme0's reset methods: $(cat "$rm")"
ok "the administrator puts bus before flr" sh -c "echo 'bus flr' >$rm"
ok "reset nvme0 (auto)" pptadm reset "$n"
is "auto ran the core's order: a bus reset, inferred" \
	"$(pptadm -p -o last_reset,last_reset_inferred show "$n")" sbr:yes
is "sysfs reset_method is as the administrator wrote it" "$(cat "$rm")" "bus flr"
ok "reset nvme0 with flr" pptadm reset --method flr "$n"
is "... flr ran" "$(pptadm -p -o last_reset,last_reset_inferred show "$n")" flr:no
is "... and the administrator's list is back" "$(cat "$rm")" "bus flr"
ok "the administrator removes flr" sh -c "echo bus >$rm"
out=$(pptadm reset --method flr "$n" 2>&1)
like "a method the administrator removed is refused" "$out" 'removed it from sysfs reset_method'
is "... and the list is untouched" "$(cat "$rm")" bus
ok "the default order back" sh -c "echo default >$rm"
ok "release nvme0 to the nvme driver" pptadm release "$n"

# --- NICs whose address sits on an upper device -----------------------------
ifx=$(ls "/sys/bus/pci/devices/$x/net")
ok "bridge br0 over nic0 ($ifx), br0 up with 192.0.2.10/24" sh -c \
	"brctl addbr br0 && brctl addif br0 $ifx && ip link set $ifx up && ip link set br0 up && ip addr add 192.0.2.10/24 dev br0"
out=$(client reserve --force "$x" 2>&1)
like "the kernel refuses a forced reserve, naming br0" "$out" "below br0, which is up with an address"
is "... nic0 keeps e1000e" "$(drv "$x")" e1000e
out=$(pptadm reserve --force "$x" 2>&1); rc=$?
is "pptadm refuses it too" "$rc" 1
like "... naming br0 and its address" "$out" 'br0.*192\.0\.2\.10'
ok "--force --force takes it" pptadm reserve --force --force "$x"
is "... nic0 with ppt" "$(st "$x")" reserved:ppt
ok "release nic0" pptadm release "$x"

ifv=$(ls /sys/bus/pci/devices/"$v"/virtio*/net 2>/dev/null)
ok "net0 ($ifv) in bond0, bond0 in bridge vmbr0, vmbr0 up with 198.51.100.10/24" sh -c "
	ip link set $ifv down &&
	/sbin/modprobe bonding max_bonds=0 &&
	echo +bond0 >/sys/class/net/bonding_masters &&
	echo +$ifv >/sys/class/net/bond0/bonding/slaves &&
	brctl addbr vmbr0 && brctl addif vmbr0 bond0 &&
	ip link set bond0 up && ip link set vmbr0 up &&
	ip addr add 198.51.100.10/24 dev vmbr0"
out=$(client reserve --force "$v" 2>&1)
like "the kernel refuses it, naming vmbr0" "$out" "below vmbr0, which is up with an address"
out=$(pptadm reserve --force "$v" 2>&1)
like "pptadm names the chain up to vmbr0" "$out" 'bond0.*vmbr0.*198\.51\.100\.10'
is "... net0 keeps virtio-pci" "$(drv "$v")" virtio-pci
# (QEMU's user network advertises fec0::/64: vmbr0 has an IPv6 address too)
ok "with vmbr0 down, a forced reserve takes it" sh -c \
	"ip link set vmbr0 down && pptadm reserve --force $v"
ok "release net0" pptadm release "$v"

# --- a disk held by something mountinfo does not show ---------------------------
wait_for "nvme0's namespace is there" 20 test -b /dev/nvme0n1
blk_hold /dev/nvme0n1
out=$(pptadm reserve --force "$n" 2>&1); rc=$?
is "a forced reserve of a disk held exclusively is refused" "$rc" 1
like "... naming the held namespace" "$out" 'nvme0n1 \(held'
is "... nvme0 keeps its driver" "$(drv "$n")" nvme
blk_release
ok "once let go, a forced reserve takes it" pptadm reserve --force "$n"

# --- pptadm's JSON, as the devices above went through it ---------------------
ok "list -j -o all: valid against the schema" sh -c "pptadm -j -o all list -a >/tmp/list.json"
ok "... devices" schema devices </tmp/list.json
ok "show -jp: valid" sh -c "pptadm -jp show $e $n >/tmp/show.json"
ok "... devices, pretty" schema devices </tmp/show.json
ok "-j release and reserve: one record per device" sh -c \
	"pptadm -j release $n >/tmp/rec.json && pptadm -j reserve --force $n >>/tmp/rec.json"
is "... two records" "$(wc -l </tmp/rec.json)" 2
ok "... valid results" schema result </tmp/rec.json
pptadm -j release 0000:7f:00.0 >/tmp/err.json 2>/dev/null
like "a failure with -j: an error object" "$(cat /tmp/err.json)" '^\{"error":'
ok "... valid" schema error </tmp/err.json
kill "$mon"
wait "$mon"
ok "monitor -j -t: every line valid" schema event </tmp/mon.json
like "... with timestamps" "$(head -n 1 /tmp/mon.json)" '"time":"[0-9]{4}-[0-9]{2}-[0-9]{2}T'

ok "rmmod ppt" rmmod ppt
done_testing
