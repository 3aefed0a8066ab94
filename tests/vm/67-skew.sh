#!/bin/sh
# 67-skew.sh - a new libppt and pptadm with the module still loaded from
# before an upgrade: the last module of protocol 1 (scripts/build-old-kmod.sh
# builds it from the repository's history; the rig puts it at
# /ppt/old/ppt.ko).  libppt asks the loaded family what it supports and
# does not assume: the version is 1; what it lacks (an unclean release) is
# refused before anything is sent, naming what is missing and both
# versions; what it does not need (the host override, which such a module
# never checks) is left out; match add completes as that module does
# (synchronously, no request id); and the everyday cycle works.  Then the
# new module is loaded in its place, as after the reboot or reload.
# topology: basic
# kernels: 6.1 6.12
# (Not on the debug kernels: the protocol-1 module is built for Debian's.)
# timeout: 300
# shellcheck source=tests/vm/lib.sh
. /ppt/lib.sh

[ -n "$RIG_KMODS" ] || bail_out "no ppt.ko in this initramfs (run with --kmod)"
[ -f /ppt/old/ppt.ko ] || bail_out "no /ppt/old/ppt.ko: PPT_GUEST_FILES names it (scripts/check.sh, scripts/build-old-kmod.sh)"

e=$(bdf edu0) n=$(bdf nvme0) x=$(bdf nic0)
st() { pptadm -p -o state,driver show "$1" | sed 's/\\//g'; }

ok "the protocol-1 module loads (insmod /ppt/old/ppt.ko ids=1234:11e8)" \
	insmod /ppt/old/ppt.ko ids=1234:11e8
ok "vfio-pci and the host drivers" sh -c "/sbin/modprobe vfio-pci && /sbin/modprobe nvme && /sbin/modprobe e1000e"
like "libppt reads the loaded family's version: 1" "$(ppt-client version)" '^protocol 1 libppt 2$'
is "pptadm lists its devices" "$(st "$e")" reserved:ppt

# what the old module has: the everyday cycle
ok "reserve --force nvme0" pptadm reserve --force "$n"
ok "claim, assign and unassign it" sh -c \
	"pptadm claim --owner vm1 $n && pptadm assign --owner vm1 $n && pptadm unassign --owner vm1 $n"
wait_for "the old module cleans it (auto_clean)" 30 sh -c "pptadm -p -o state show $n | grep -qx reserved"
ok "release it" pptadm release "$n"

# what it lacks: refused before it is sent, saying so
ok "claim, assign and unassign edu0" sh -c \
	"pptadm claim --owner vm1 $e && pptadm assign --owner vm1 $e && pptadm unassign --owner vm1 $e"
out=$(ppt-client release "$e" unclean); rc=$?
is "an unclean release is refused by libppt" "$rc" 1
like "... naming the attribute and both versions" "$out" \
	'EOPNOTSUPP .*does not support PPT_A_UNCLEAN with release \(protocol version 1; libppt speaks 2\)'
out=$(pptadm release --unclean "$e" 2>&1); rc=$?
is "pptadm release --unclean: refused too" "$rc" 1
like "... saying why" "$out" 'does not support PPT_A_UNCLEAN'
wait_for "edu0 is cleaned by the old module" 30 sh -c "pptadm -p -o state show $e | grep -qx reserved"

# what it does not need: left out
ifx=$(ls "/sys/bus/pci/devices/$x/net")
ok "nic0's interface up with 192.0.2.20/24" sh -c "ip link set $ifx up && ip addr add 192.0.2.20/24 dev $ifx"
out=$(pptadm reserve --force "$x" 2>&1); rc=$?
is "a forced reserve of a NIC the host uses: libppt refuses it, whatever the module" "$rc" 1
like "... naming the interface" "$out" "the host uses it: $ifx"
ok "--force --force: sent without PPT_A_FORCE_HOST, which the old module lacks" \
	pptadm reserve --force --force "$x"
is "... nic0 with ppt" "$(st "$x")" reserved:ppt
ok "release nic0" pptadm release "$x"

# match add: synchronous there, no request id
ok "release edu0" pptadm release "$e"
out=$(ppt-client -i match-add device "$e")
like "match-add through the old module: no request id" "$out" '^request 0$'
like "... and done" "$out" "ok match-add $e"
is "... edu0 reserved by it, at once" "$(st "$e")" reserved:ppt
ok "pptadm match add too" pptadm match add ids 1b36:0010
is "... nvme0, which its host driver has, is left alone" "$(drv "$n")" nvme

ok "rmmod the old module" rmmod ppt
ok "modprobe the new one (the reboot or reload)" modprobe ppt
like "libppt now reads version 2" "$(ppt-client version)" '^protocol 2 libppt 2$'
out=$(ppt-client -i match-add device "$e")
like "match-add: a request id now" "$out" '^request [1-9][0-9]*$'
like "... and the device it reserved" "$out" "^reserved $e\$"
ok "rmmod ppt" rmmod ppt
done_testing
