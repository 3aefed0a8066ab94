# shellcheck shell=sh disable=SC3045,SC3028  # busybox ash: read -t, $RANDOM
# tests/vm/lib.sh - TAP helpers for ppt VM tests (busybox sh).
#
# Installed in the guest as /ppt/lib.sh; a test starts with
#     #!/bin/sh
#     # topology: basic          (scripts/rig/topologies.py; default basic)
#     # append: ppt.ids=...      (extra kernel command line; optional)
#     # kernels: 6.1 6.12 debug  (which kernels vm-suite.sh runs it on; default all)
#     # timeout: 300             (seconds; optional)
#     # hostfs: yes              (the host's programs through host_run; optional)
#     # alone: yes               (no other VM beside it in make check's lanes; optional)
#     . /ppt/lib.sh
# and ends with done_testing. Run one with
#     scripts/rig/run-vm.py --kernel 6.1 --test tests/vm/NAME.sh
#
# Don't use "set -e": helpers return the command's status so a test can go on.
# ok/fails/wait_for run their command in a subshell ($(...)): variables it sets
# are lost. Run qmp calls one at a time (no qmp in background jobs).
#
# TAP:      ok DESC CMD...   fails DESC CMD...   is DESC GOT WANT   isnt DESC GOT WANT
#           like DESC GOT ERE   pass DESC   fail DESC [WHY]   skip DESC WHY
#           skip_all WHY   diag MSG...   bail_out WHY   done_testing
# Waiting:  until_ok SECS CMD...   wait_for DESC SECS CMD...   (SECS times WAIT_SCALE)
# Host:     qmp JSON   qmp_wait_event EVENT [DEVICE-ID] [SECS]   qmp_device_del ID
#           host_run CMD...   host_run_as UID CMD...   (tests with "# hostfs: yes")
# VFIO:     vfio_hold BDF (vfio-test holds it open as a VM does; pid in $vfio_holder,
#           output in /tmp/vfio-hold.out)   vfio_release (EOF: it exits; waited for)
# Block:    blk_hold DEV (blk-hold opens it O_EXCL, as ZFS does)   blk_release
# PCI:      bdf ID   bdf_below PORT-ID [DD.F]   pci_dev BDF   drv BDF   iommu_group BDF   group_devices GROUP
#           bind_host_driver BDF   unbind BDF   find_pci VENDOR:DEVICE   vendev BDF
# Context (from /ppt/rig.env): RIG_KNAME RIG_KREL RIG_TEST RIG_KMODS

# shellcheck disable=SC1091
[ ! -r /ppt/rig.env ] || . /ppt/rig.env

# Busybox sh runs its own applets before it searches PATH: make these names run
# kmod's tools (softdeps, module parameters from /proc/cmdline, ...), as
# request_module() in the kernel does (/sbin/modprobe).
for _t in modprobe insmod rmmod lsmod modinfo depmod; do
	eval "$_t() { /sbin/$_t \"\$@\"; }"
done
unset _t

_tap_n=0
_tap_failed=0

# --- TAP ------------------------------------------------------------------------
diag() {
	[ $# -gt 0 ] || return 0
	printf '%s\n' "$*" | sed 's/^/# /'
}

_tap() { # STATUS DESC [DIRECTIVE]
	_tap_n=$((_tap_n + 1))
	# a '#' in a description would start a TAP directive
	set -- "$1" "$(printf '%s' "$2" | sed 's/#/\\#/g')" "${3:-}"
	if [ "$1" -eq 0 ]; then
		echo "ok $_tap_n - $2${3:+ # $3}"
	else
		echo "not ok $_tap_n - $2${3:+ # $3}"
		_tap_failed=$((_tap_failed + 1))
	fi
	return "$1"
}

pass() { _tap 0 "$1"; }

fail() {
	_tap 1 "$1"
	shift
	diag "$@"
	return 1
}

# ok DESC CMD...: passes if CMD exits 0; shows its output and status otherwise.
ok() {
	_d=$1
	shift
	_out=$("$@" 2>&1)
	_st=$?
	if [ $_st -eq 0 ]; then
		_tap 0 "$_d"
	else
		_tap 1 "$_d"
		diag "command: $*" "(exit status $_st)"
		diag "$_out"
	fi
	return $_st
}

# fails DESC CMD...: passes if CMD exits non-zero.
fails() {
	_d=$1
	shift
	_out=$("$@" 2>&1)
	_st=$?
	if [ $_st -ne 0 ]; then
		_tap 0 "$_d"
		return 0
	fi
	_tap 1 "$_d"
	diag "command: $*" "(succeeded, a failure was expected)"
	diag "$_out"
	return 1
}

is() {
	if [ "$2" = "$3" ]; then
		_tap 0 "$1"
	else
		_tap 1 "$1"
		diag "     got: '$2'" "expected: '$3'"
		return 1
	fi
}

isnt() {
	if [ "$2" != "$3" ]; then
		_tap 0 "$1"
	else
		_tap 1 "$1"
		diag "     got: '$2'" "expected anything else"
		return 1
	fi
}

# like DESC GOT ERE: GOT matches the extended regular expression.
like() {
	if printf '%s\n' "$2" | grep -Eq -- "$3"; then
		_tap 0 "$1"
	else
		_tap 1 "$1"
		diag "     got: '$2'" "expected to match: /$3/"
		return 1
	fi
}

skip() { _tap 0 "$1" "SKIP ${2:-}"; }

# skip_all WHY: the whole test does not apply; ends the script.
skip_all() {
	echo "1..0 # SKIP $*"
	exit 0
}

bail_out() {
	echo "Bail out! $*"
	exit 255
}

# done_testing: print the plan and exit (1 if anything failed).
done_testing() {
	echo "1..$_tap_n"
	[ "$_tap_failed" -eq 0 ] && exit 0
	exit 1
}

# --- waiting --------------------------------------------------------------------
_uptime_cs() { # uptime in centiseconds
	read -r _u _ </proc/uptime
	echo $((${_u%.*} * 100 + 1${_u#*.} - 100))
}

# The waits below are written for the machine the tests were developed on. A CI
# runner can be twice as slow under TCG, and a lockdep or KASAN kernel slower
# again: until_ok, wait_for and qmp_wait_event wait up to WAIT_SCALE (default 4)
# times the seconds a test gives. A wait ends as soon as its condition holds, so
# this costs nothing when the condition is met; it only delays a failure.
WAIT_SCALE=${WAIT_SCALE:-4}

# until_ok SECS CMD...: retry CMD every 0.1 s until it succeeds (status 0) or
# SECS (times WAIT_SCALE) pass (status 1). CMD's last output is in $_until_out.
until_ok() {
	_end=$(($(_uptime_cs) + $1 * WAIT_SCALE * 100))
	shift
	while :; do
		_until_out=$("$@" 2>&1) && return 0
		[ "$(_uptime_cs)" -lt "$_end" ] || return 1
		sleep 0.1
	done
}

# wait_for DESC SECS CMD...: TAP case for until_ok.
wait_for() {
	_wd=$1 _ws=$2
	shift 2
	_t0=$(_uptime_cs)
	if until_ok "$_ws" "$@"; then
		_tap 0 "$_wd"
		diag "took $(($(_uptime_cs) - _t0))0 ms"
		return 0
	fi
	_tap 1 "$_wd"
	diag "command: $*" "(still failing after $((_ws * WAIT_SCALE)) s)"
	diag "$_until_out"
	return 1
}

# --- host requests (QMP) --------------------------------------------------------
# qmp JSON: send a QMP command to QEMU through run-vm.py; prints the reply (the JSON
# object with "return" or "error"). Status 0 on "return", 1 on "error", 2 when the
# host did not answer within ${QMP_TIMEOUT:-60} s.
# Wire: guest -> host "@@QMP ID JSON", host -> guest "@@QMP-REPLY ID ok|error JSON".
QMP_DEV=${QMP_DEV:-/dev/ttyS1}
qmp() {
	_qmp_seq=$((${_qmp_seq:-0} + 1))
	_qid="$$.$_qmp_seq.$RANDOM"
	_qjson=$(printf '%s' "$1" | tr '\n' ' ')
	printf '@@QMP %s %s\n' "$_qid" "$_qjson" >"$QMP_DEV" || return 2
	_qend=$(($(_uptime_cs) + ${QMP_TIMEOUT:-60} * 100))
	while :; do
		_qleft=$(((_qend - $(_uptime_cs)) / 100))
		[ "$_qleft" -gt 0 ] || break
		read -r -t "$_qleft" _qline <"$QMP_DEV" || continue
		case $_qline in
		"@@QMP-REPLY $_qid ok "*)
			printf '%s\n' "${_qline#"@@QMP-REPLY $_qid ok "}"
			return 0
			;;
		"@@QMP-REPLY $_qid "*)
			_qline=${_qline#"@@QMP-REPLY $_qid "}
			printf '%s\n' "${_qline#* }"
			return 1
			;;
		esac
	done
	echo "qmp: no reply from the host within ${QMP_TIMEOUT:-60} s" >&2
	return 2
}

# qmp_wait_event EVENT [DEVICE-ID] [SECS]: wait (on the host) for a QMP event, e.g.
# DEVICE_DELETED for a device id; events that arrived earlier count (each once).
qmp_wait_event() {
	_qsecs=$((${3:-30} * WAIT_SCALE))
	_qargs="\"event\":\"$1\",\"timeout\":$_qsecs"
	[ -z "${2:-}" ] || _qargs="$_qargs,\"data\":{\"device\":\"$2\"}"
	QMP_TIMEOUT=$((_qsecs + 30)) qmp "{\"execute\":\"x-rig-wait-event\",\"arguments\":{$_qargs}}"
}

qmp_device_del() {
	qmp "{\"execute\":\"device_del\",\"arguments\":{\"id\":\"$1\"}}"
}

# --- host programs (hostfs) ----------------------------------------------------
# A test with the header "# hostfs: yes" gets the host's / read-only over
# virtio-9p; the guest's /init makes /host a root for chroot: the host's
# directories, plus the guest's /proc, /sys, /dev, /tmp, /run and /ppt (the
# test clients are in /ppt/clients, the protocol header in /ppt/include).
# host_run CMD...: run CMD chrooted into /host, in /tmp (the test's /tmp), with
# a clean environment (the host's PATH, HOME=/tmp, LC_ALL=C.UTF-8). Use
# /usr/bin/python3 by its full name. Status 127 when there is no /host.
host_run() {
	if [ ! -d /host/usr/bin ]; then
		echo "host_run: no host file system at /host (does the test have a '# hostfs: yes' header?)" >&2
		[ ! -r /run/hostfs.err ] || cat /run/hostfs.err >&2
		return 127
	fi
	chroot /host /usr/bin/env -i -C /tmp PATH=/usr/sbin:/usr/bin:/sbin:/bin \
		HOME=/tmp LC_ALL=C.UTF-8 "$@"
}

# host_run_as UID CMD...: host_run as user and group UID, no supplementary groups
# and no capabilities (util-linux setpriv of the host).
host_run_as() {
	_hu=$1
	shift
	host_run setpriv --reuid="$_hu" --regid="$_hu" --clear-groups -- "$@"
}

# --- PCI ------------------------------------------------------------------------
# bdf ID: the current address of the device QEMU knows as ID (see /ppt/topology:
# "ID PATH VENDOR:DEVICE", PATH = devfn chain from bus 00, e.g. 02.0/00.0).
bdf() {
	_bl=$(grep "^$1 " /ppt/topology 2>/dev/null) || {
		echo "bdf: no device '$1' in /ppt/topology" >&2
		return 1
	}
	# shellcheck disable=SC2086
	set -- $_bl
	_bp=$2
	_bdir=/sys/devices/pci0000:00/0000:00:${_bp%%/*}
	[ "$_bp" = "${_bp#*/}" ] && _bp= || _bp=${_bp#*/}
	while [ -n "$_bp" ]; do
		set -- "$_bdir"/[0-9a-f][0-9a-f][0-9a-f][0-9a-f]:[0-9a-f][0-9a-f]:"${_bp%%/*}"
		_bdir=$1
		[ "$_bp" = "${_bp#*/}" ] && _bp= || _bp=${_bp#*/}
	done
	[ -e "$_bdir/config" ] || return 1
	basename "$_bdir"
}

# bdf_below PORT-ID [DD.F]: the device at DD.F (default 00.0) on the secondary bus
# of the bridge/port QEMU knows as PORT-ID; for hot-added devices, which are not
# in /ppt/topology.
bdf_below() {
	_bp=$(bdf "$1") || return 1
	set -- /sys/bus/pci/devices/"$_bp"/[0-9a-f][0-9a-f][0-9a-f][0-9a-f]:[0-9a-f][0-9a-f]:"${2:-00.0}"
	[ -e "$1/config" ] || return 1
	basename "$1"
}

pci_dev() { echo "/sys/bus/pci/devices/$1"; }

# drv BDF: name of the bound driver, empty if none.
drv() {
	[ -e "/sys/bus/pci/devices/$1/driver" ] || return 0
	basename "$(readlink "/sys/bus/pci/devices/$1/driver")"
}

iommu_group() {
	_g=$(readlink "/sys/bus/pci/devices/$1/iommu_group") || return 1
	basename "$_g"
}

group_devices() { ls "/sys/kernel/iommu_groups/$1/devices"; }

vendev() {
	_v=$(cat "/sys/bus/pci/devices/$1/vendor") && _dv=$(cat "/sys/bus/pci/devices/$1/device") || return 1
	echo "${_v#0x}:${_dv#0x}"
}

# find_pci VENDOR:DEVICE: addresses of all such devices, one a line.
find_pci() {
	for _f in /sys/bus/pci/devices/*; do
		[ "$(vendev "${_f##*/}")" != "$1" ] || echo "${_f##*/}"
	done
}

# bind_host_driver BDF: load the host driver for BDF by its modalias (as udev
# would) and make sure it is bound. Status 0 if a driver is bound afterwards.
bind_host_driver() {
	_alias=$(cat "/sys/bus/pci/devices/$1/modalias") || return 1
	modprobe "$_alias" || return 1
	[ -n "$(drv "$1")" ] || echo "$1" >/sys/bus/pci/drivers_probe 2>/dev/null
	[ -n "$(drv "$1")" ]
}

unbind() {
	[ -e "/sys/bus/pci/devices/$1/driver" ] || return 0
	echo "$1" >"/sys/bus/pci/devices/$1/driver/unbind"
}

# --- VFIO -----------------------------------------------------------------------
# A program holding a device open through VFIO, as a running VM does. Its stdin
# is a FIFO the shell keeps open on fd 3: closing it (vfio_release) is its EOF.
# Background jobs started meanwhile inherit fd 3: start them with 3>&-.
vfio_hold() {
	rm -f /tmp/vfio-hold.in /tmp/vfio-hold.out && mkfifo /tmp/vfio-hold.in
	/ppt/bin/vfio-test --hold "$1" </tmp/vfio-hold.in >/tmp/vfio-hold.out 2>&1 &
	vfio_holder=$!
	exec 3>/tmp/vfio-hold.in
	wait_for "a VFIO program holds $1 (as a VM would)" 60 grep -qx ready /tmp/vfio-hold.out
}

vfio_release() {
	exec 3>&-
	wait "$vfio_holder"
}

# --- block devices --------------------------------------------------------------
# blk_hold DEV: blk-hold opens DEV exclusively, as ZFS, btrfs, md and dm hold
# their devices (nothing in mountinfo says so); stdin on fd 4 as vfio_hold's.
blk_hold() {
	rm -f /tmp/blk-hold.in /tmp/blk-hold.out && mkfifo /tmp/blk-hold.in
	/ppt/bin/blk-hold "$1" </tmp/blk-hold.in >/tmp/blk-hold.out 2>&1 &
	blk_holder=$!
	exec 4>/tmp/blk-hold.in
	wait_for "a program holds $1 exclusively (as ZFS holds a vdev)" 30 grep -qx ready /tmp/blk-hold.out
}

blk_release() {
	exec 4>&-
	wait "$blk_holder"
}
