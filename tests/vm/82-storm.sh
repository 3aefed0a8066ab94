#!/bin/sh
# 82-storm.sh - clients killed in the middle of their requests, and storms
# of requests from 8 processes racing sysfs driver binding.
#
# Killed clients: pptadm and the example client (libppt) run claim,
# unclaim, assign and unassign and are SIGKILLed at random moments, before,
# during and after their request.  Claim and unclaim are answered in one
# netlink round trip that a signal cannot split: the device is claimed by
# the client's owner or not claimed, never anything in between; an
# asynchronous request the client no longer waits for still completes.
#
# Storm: 8 processes loop reserve, release, claim, unclaim, assign,
# unassign, clean and a brief VFIO open (each with its own owner) over a
# pool of 8 devices, with auto-clean on, while another process writes
# driver_override, unbind, bind and drivers_probe as driverctl and libvirt
# do.  Afterwards no device is left in a transitional state, and ppt's
# inventory agrees with sysfs: ppt's driver holds exactly the reserved,
# claimed, quarantined and (some) dirty devices, vfio-pci each assigned
# one (with its owner, or adopted from a libvirt-style detach with none),
# and a detached or unlisted device is never with ppt; a dirty device
# is with ppt or with no driver at all (vfio-pci let go of it), never with
# a host driver.  pptadm monitor, running throughout, ends with the same
# view.  Every device can then be brought back to the pool, and ppt
# unloads and loads again with its boot lists.
# topology: faults
# append: ppt.ids=1234:11e8,1b36:0010,8086:10d3
# kernels: 6.1 6.12 debug !debug-6.12
# timeout: 600
# shellcheck source=tests/vm/lib.sh disable=SC3028  # busybox ash has $RANDOM
. /ppt/lib.sh

[ -n "$RIG_KMODS" ] || bail_out "no ppt.ko in this initramfs (run with --kmod)"
VT=/ppt/bin/vfio-test
[ -x "$VT" ] || bail_out "no $VT in this initramfs (run with --bin .../vfio-test)"
command -v ppt-client >/dev/null || bail_out "no ppt-client in /ppt/bin (PPT_GUEST_BINS)"

STORM_SECS=30
MON=/tmp/mon.json
pool='' npool=0
for id in edu0 edu1 edu2 edu3 edu4 edu5 nvme0 nic0; do
	npool=$((npool + 1))
	eval "p$npool=$(bdf $id)"
	pool="$pool $(bdf $id)"
done
e0=$(bdf edu0) e1=$(bdf edu1) x=$(bdf nic0)

# state:driver:owner of a device ppt manages (':' unescaped)
st() { pptadm -p -o state,driver,owner show "$1" 2>/dev/null | sed 's/\\//g'; }
# every device ppt knows, "ADDR STATE" a line
table() { pptadm -p -o addr,state list | sed 's/\\:/#/g; s/:/ /g; s/#/:/g' | sort; }
transitional() { table | grep -E ' (reserving|releasing|assigning|unassigning|cleaning|resetting)$'; }
# shellcheck disable=SC2317  # called through wait_for
settled() { ! transitional >/dev/null; }
# settled, and no device dirty (auto-clean is on: dirty is on its way back)
# shellcheck disable=SC2317  # called through until_ok
at_rest() { settled && ! table | grep -q ' dirty$'; }
# a random device of the pool
pick() { eval "echo \$p$((RANDOM % npool + 1))"; }
# the states pptadm monitor -j last reported, "ADDR STATE" a line: a
# removal drops the device, a loss (then a fresh dump) starts over
# shellcheck disable=SC2317  # called by monitor_agrees
mon_view() {
	awk '
	/"event":"lost"/ { for (a in v) delete v[a]; next }
	/"event":"(state|device)"/ {
		if (!match($0, /"addr":"[^"]*"/)) next
		a = substr($0, RSTART + 8, RLENGTH - 9)
		if ($0 ~ /"removed":true/) { delete v[a]; next }
		if (!match($0, /"state":"[a-z]*"/)) next
		v[a] = substr($0, RSTART + 9, RLENGTH - 10)
	}
	END { for (a in v) print a, v[a] }' "$MON" | sort
}
# shellcheck disable=SC2317  # called through wait_for
monitor_agrees() { [ "$(mon_view)" = "$(table)" ]; }

ok "modprobe ppt (the pool listed: edus, nvme0, nic0)" modprobe ppt
for d in $pool; do
	is "$d reserved by ppt" "$(st "$d")" "reserved:ppt:"
done
ok "modprobe e1000e (nic0's host driver, for the racer)" modprobe e1000e

# --- clients killed mid-request ------------------------------------------------------
# kill_at MS CMD...: run CMD, SIGKILL it after a random 0 to MS-1 ms
kill_at() {
	_ms=$1
	shift
	"$@" >/dev/null 2>&1 &
	usleep $((RANDOM % _ms * 1000))
	kill -9 $! 2>/dev/null
	wait $! 2>/dev/null
}
# ms CMD...: how long CMD takes, in ms (10 ms steps), at least 10
ms() {
	_t0=$(_uptime_cs)
	"$@" >/dev/null 2>&1
	echo $((($(_uptime_cs) - _t0) * 10 + 10))
}
# kill windows of twice what a request takes here: some kills come before
# the request is sent, some while the kernel has it, some after the answer
tc=$(($(ms pptadm claim --owner k0 "$e0") * 2))
tu=$(($(ms pptadm unclaim --owner k0 "$e0") * 2))
diag "kill windows: claim $tc ms, unclaim $tu ms"
claimed=0 unclaimed=0 bad=
for i in $(seq 1 16); do
	if [ $((i % 2)) -eq 0 ]; then
		kill_at "$tc" pptadm claim --owner k1 "$e0"
	else
		kill_at "$tc" ppt-client claim "$e0" k1
	fi
	s=$(st "$e0")
	case $s in
	claimed:ppt:k1) claimed=$((claimed + 1)) ;;
	reserved:ppt:) unclaimed=$((unclaimed + 1)) ;;
	*) bad="$bad [$i: $s]" ;;
	esac
	if [ $((i % 2)) -eq 0 ]; then
		kill_at "$tu" pptadm unclaim --owner k1 "$e0"
	else
		kill_at "$tu" ppt-client unclaim "$e0" k1
	fi
	s=$(st "$e0")
	case $s in
	claimed:ppt:k1 | reserved:ppt:) ;;
	*) bad="$bad [$i unclaim: $s]" ;;
	esac
	[ "$s" = reserved:ppt: ] || pptadm unclaim --owner k1 "$e0" >/dev/null
done
diag "claims killed: $claimed ended claimed, $unclaimed not"
is "a killed claim or unclaim left edu0 claimed by k1 or reserved, nothing else" "${bad:-none}" none
ok "edu0 can be claimed by another owner afterwards" sh -c \
	"pptadm unclaim --owner k1 $e0 >/dev/null 2>&1; pptadm claim --owner k2 $e0 && pptadm unclaim --owner k2 $e0"

# pptadm run claims under a lease bound to its netlink socket: whenever it
# is killed (claiming, assigning, with the command running), the kernel
# takes the device back and (once assigned) unassigns and cleans it
tr=$(($(ms pptadm run --owner r0 "$e0" -- true) * 2))
diag "kill window: run $tr ms"
bad=
for i in $(seq 1 8); do
	kill_at "$tr" pptadm run --owner r1 "$e0" -- sleep 30
	until_ok 30 sh -c "[ \"\$(pptadm -p -o state show $e0)\" = reserved ]" || bad="$bad [$i: $(st "$e0")]"
done
is "a killed pptadm run always left edu0 back in the pool" "${bad:-none}" none
is "... reserved, with ppt, no owner" "$(st "$e0")" "reserved:ppt:"

ok "claim edu1 for k3" pptadm claim --owner k3 "$e1"
ta=$(($(ms pptadm assign --owner k3 "$e1") * 2))
ok "unassign edu1 (auto-clean takes it back to the pool)" pptadm unassign --owner k3 "$e1"
wait_for "edu1 reserved again" 30 sh -c "[ \"\$(pptadm -p -o state show $e1)\" = reserved ]"
diag "kill window: assign $ta ms"
bad=
for i in $(seq 1 8); do
	pptadm claim --owner k3 "$e1" >/dev/null 2>&1
	if [ $((i % 2)) -eq 0 ]; then
		kill_at "$ta" pptadm assign --owner k3 "$e1"
	else
		kill_at "$ta" ppt-client assign "$e1" k3
	fi
	until_ok 30 at_rest
	s=$(st "$e1")
	case $s in
	claimed:ppt:k3 | assigned:vfio-pci:k3) ;;
	*) bad="$bad [$i assign: $s]" ;;
	esac
	kill_at "$ta" pptadm unassign --owner k3 "$e1"
	until_ok 30 at_rest
	s=$(st "$e1")
	case $s in
	claimed:ppt:k3 | assigned:vfio-pci:k3 | reserved:ppt:) ;;
	*) bad="$bad [$i unassign: $s]" ;;
	esac
	# back to reserved: unassign (auto-clean follows) or unclaim
	pptadm unassign --owner k3 "$e1" >/dev/null 2>&1
	until_ok 30 at_rest
	pptadm unclaim --owner k3 "$e1" >/dev/null 2>&1
done
is "killed assigns and unassigns completed: claimed, assigned or (cleaned) reserved" "${bad:-none}" none
is "edu1 is back in the pool" "$(st "$e1")" "reserved:ppt:"
is "nothing is left in a transitional state" "$(transitional)" ""

# --- the storm's races, one at a time ---------------------------------------------
e2=$(bdf edu2)
# shellcheck disable=SC2317  # called through ok
vfio_unbind() { echo "$e2" >/sys/bus/pci/drivers/vfio-pci/unbind; }
# shellcheck disable=SC2317
reattach() {
	vfio_unbind && echo >"/sys/bus/pci/devices/$e2/driver_override" &&
		echo "$e2" >/sys/bus/pci/drivers_probe
}
ok "edu2 claimed and assigned to k4" sh -c "pptadm claim --owner k4 $e2 && pptadm assign --owner k4 $e2"
ok "libvirt's managed reattach: vfio-pci unbound, override cleared, probed" reattach
is "edu2 dirty, with no driver (no host driver wants an edu)" "$(st "$e2")" "dirty::"
ok "clean edu2" pptadm clean "$e2"
is "... the clean bound it to ppt: reserved, with ppt, in the pool" "$(st "$e2")" "reserved:ppt:"
is "... with ppt's override again" "$(cat "/sys/bus/pci/devices/$e2/driver_override")" ppt
ok "edu2 claimed and assigned to k4 again" sh -c "pptadm claim --owner k4 $e2 && pptadm assign --owner k4 $e2"
ok "vfio-pci unbound through sysfs" vfio_unbind
is "edu2 dirty, no driver" "$(st "$e2")" "dirty::"
ok "driverctl-style: override vfio-pci, probed" sh -c \
	"echo vfio-pci >/sys/bus/pci/devices/$e2/driver_override && echo $e2 >/sys/bus/pci/drivers_probe"
is "edu2 taken by vfio-pci outside ppt: detached, not dirty" "$(st "$e2")" "detached:vfio-pci:"
out=$(pptadm clean "$e2" 2>&1)
like "... ppt does not clean (reset) a device vfio-pci has" "$out" "bound to another driver"
ok "reserve --force takes it back" pptadm reserve --force "$e2"
is "... dirty: whoever had it through vfio-pci may have left anything" "$(st "$e2")" "dirty:ppt:"
ok "clean edu2" pptadm clean "$e2"
is "edu2 back in the pool" "$(st "$e2")" "reserved:ppt:"

# --- the storm --------------------------------------------------------------------
pptadm monitor -j >"$MON" 2>&1 &
mon=$!
wait_for "pptadm monitor -j is synced" 20 grep -q '"event":"synced"' "$MON"
end=$(($(_uptime_cs) + STORM_SECS * 100))

# run OP CMD...: run CMD, log "OP ok" or "OP fail"; its status
run() {
	_op=$1
	shift
	if "$@" >/dev/null 2>&1; then
		echo "$_op ok"
	else
		echo "$_op fail"
		return 1
	fi
}

# The storm lasts STORM_SECS and until the racer has acted RACER_MIN times:
# on a slow (debug, shared) machine each sysfs action takes longer.
RACER_MIN=40
storming() { [ "$(_uptime_cs)" -lt "$end" ] || [ ! -e /tmp/racer.done ]; }

worker() { # N: requests as owner wN until the end, "OP ok|fail" a line in /tmp/storm.N
	me=$1
	RANDOM=$((me * 7919 + $(_uptime_cs)))	# subshells would share one sequence
	while storming; do
		d=$(pick)
		case $((RANDOM % 8)) in
		0) run reserve pptadm reserve --force "$d" ;;
		1) run release pptadm release "$d" ;;
		2 | 3) # a tenant's cycle, as far as it gets
		   run claim pptadm claim --owner "w$me" "$d" &&
			run assign pptadm assign --owner "w$me" "$d" &&
			{ run vfio "$VT" "$d"; run unassign pptadm unassign --owner "w$me" "$d"; } ;;
		4) # the same through libppt, not waiting for the clean that follows
		   run claim ppt-client claim "$d" "w$me" &&
			run assign ppt-client assign "$d" "w$me" &&
			run unassign ppt-client unassign "$d" "w$me" ;;
		5) run claim pptadm claim --owner "w$me" "$d" &&
			run unclaim pptadm unclaim --owner "w$me" "$d" ;;
		6) run clean pptadm clean --no-wait "$d" ;;
		7) run unclaim pptadm unclaim --owner "w$me" --all ;;
		esac
	done >"/tmp/storm.$me"
}

racer() { # sysfs writes as driverctl and libvirt make them, "ACTION" a line in /tmp/racer
	RANDOM=$(($(_uptime_cs) + 12345))
	acts=0
	while [ "$(_uptime_cs)" -lt "$end" ] || [ "$acts" -lt "$RACER_MIN" ]; do
		acts=$((acts + 1))
		d=$(pick)
		f=/sys/bus/pci/devices/$d
		case $((RANDOM % 8)) in
		0) a=driverctl-set-override-vfio-pci
		   echo vfio-pci >"$f/driver_override"
		   [ ! -e "$f/driver" ] || echo "$d" >"$f/driver/unbind"
		   echo "$d" >/sys/bus/pci/drivers_probe ;;
		1) a=driverctl-unset-override
		   echo >"$f/driver_override"
		   [ ! -e "$f/driver" ] || echo "$d" >"$f/driver/unbind"
		   echo "$d" >/sys/bus/pci/drivers_probe ;;
		2) a=libvirt-detach
		   [ ! -e "$f/driver" ] || echo "$d" >"$f/driver/unbind"
		   echo vfio-pci >"$f/driver_override"
		   echo "$d" >/sys/bus/pci/drivers_probe ;;
		3) a=libvirt-reattach
		   [ ! -e "$f/driver" ] || echo "$d" >"$f/driver/unbind"
		   echo >"$f/driver_override"
		   echo "$d" >/sys/bus/pci/drivers_probe ;;
		4) a=unbind
		   [ ! -e "$f/driver" ] || echo "$d" >"$f/driver/unbind" ;;
		5) a=bind-ppt
		   echo "$d" >/sys/bus/pci/drivers/ppt/bind ;;
		6) a=override-ppt-probe
		   echo ppt >"$f/driver_override"
		   echo "$d" >/sys/bus/pci/drivers_probe ;;
		7) a=drivers-probe
		   echo "$d" >/sys/bus/pci/drivers_probe ;;
		esac
		echo "$a"
		usleep $((200000 + RANDOM % 300000))
	done >/tmp/racer 2>/dev/null
	touch /tmp/racer.done
}

pids=
for N in 1 2 3 4 5 6 7 8; do
	worker "$N" &
	pids="$pids $!"
done
racer &
pids="$pids $!"
t0=$(_uptime_cs)
# shellcheck disable=SC2086
wait $pids
diag "storm of $(($(_uptime_cs) - t0))0 ms: $(cat /tmp/storm.* | sort | uniq -c | tr -s ' ' | tr '\n' ',')"
diag "racer: $(sort /tmp/racer | uniq -c | tr -s ' ' | tr '\n' ',')"
for op in reserve release claim unclaim assign unassign clean vfio; do
	ok "the storm ran '$op' successfully at least once" grep -q "^$op ok\$" /tmp/storm.1 /tmp/storm.2 \
		/tmp/storm.3 /tmp/storm.4 /tmp/storm.5 /tmp/storm.6 /tmp/storm.7 /tmp/storm.8
done
ok "the racer acted at least $RACER_MIN times" test "$(wc -l </tmp/racer)" -ge "$RACER_MIN"
diag "ppt saw $(dmesg | grep -c "behind ppt's back") changes behind its back"

# --- afterwards ------------------------------------------------------------------------
wait_for "no device is left in a transitional state" 60 settled
diag "$(pptadm -p -o addr,state,driver,owner list)"
bad=
for f in /sys/bus/pci/devices/*; do
	a=${f##*/}
	s=$(pptadm -p -o state,owner show "$a" 2>/dev/null | sed 's/\\//g')
	o=${s#*:}
	s=${s%%:*}
	d=$(drv "$a")
	case $s in
	reserved | quarantined) [ "$d" = ppt ] && [ -z "$o" ] || bad="$bad [$a $s:$d:$o]" ;;
	claimed) [ "$d" = ppt ] && [ -n "$o" ] || bad="$bad [$a $s:$d:$o]" ;;
	dirty) case $d in ppt | '') [ -z "$o" ] || bad="$bad [$a $s:$d:$o]" ;; *) bad="$bad [$a $s:$d]" ;; esac ;;
	# no owner: libvirt-detach bound a clean device to vfio-pci, and ppt
	# adopted it as assigned to an outside user
	assigned) [ "$d" = vfio-pci ] && { [ -n "$o" ] || [ "$(pptadm -p -o adopted show "$a")" = yes ]; } ||
		bad="$bad [$a $s:$d:$o]" ;;
	detached | '') [ "$d" != ppt ] || bad="$bad [$a ${s:-unlisted}:$d]" ;;
	*) bad="$bad [$a $s:$d]" ;;
	esac
	# the driver ppt reports is the one sysfs shows
	[ -z "$s" ] || [ "$(pptadm -p -o driver show "$a")" = "$d" ] || bad="$bad [$a driver $(pptadm -p -o driver show "$a") vs $d]"
done
is "ppt's inventory agrees with sysfs" "${bad:-none}" none
wait_for "pptadm monitor's view (events, resynchronised after any loss) is ppt's table" 20 monitor_agrees
diag "monitor: $(grep -c '"event":"device"' "$MON") device events, $(grep -c '"event":"request"' "$MON") request events, $(grep -c '"event":"lost"' "$MON") losses"
kill "$mon"
wait "$mon"

# --- back to the pool ------------------------------------------------------------------
# owner of a claimed or assigned device
owner() { pptadm -p -o owner show "$1" | sed 's/\\//g'; }
for _ in 1 2 3; do
	for d in $pool; do
		case $(pptadm -p -o state show "$d" 2>/dev/null) in
		assigned) o=$(owner "$d")
			pptadm unassign ${o:+--owner "$o"} "$d" ;;
		claimed) pptadm unclaim --owner "$(owner "$d")" "$d" ;;
		dirty | quarantined) pptadm clean "$d" ;;
		detached) pptadm reserve --force "$d" ;;
		reserved) ;;
		*) pptadm reserve --force "$d" ;;
		esac >/dev/null 2>&1
	done
	until_ok 60 settled
done
bad=
for d in $pool; do
	s=$(st "$d")
	[ "$s" = reserved:ppt: ] || bad="$bad [$d $s]"
done
is "every device of the pool is back: reserved, with ppt" "${bad:-none}" none

ok "rmmod ppt" rmmod ppt
for d in $pool; do
	isnt "$d is not with ppt after the unload" "$(drv "$d")" ppt
done
is "nic0 went back to e1000e" "$(drv "$x")" e1000e
ok "modprobe ppt again (boot lists from the command line)" modprobe ppt
for d in $pool; do
	[ "$d" = "$x" ] && continue
	is "$d: listed, no driver: reserved again" "$(st "$d")" "reserved:ppt:"
done
is "nic0: listed but with e1000e: detached" "$(st "$x")" "detached:e1000e:"
ok "rmmod ppt" rmmod ppt
done_testing
