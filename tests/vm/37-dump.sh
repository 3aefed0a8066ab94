#!/bin/sh
# 37-dump.sh - a device dump of 64+ devices spans several netlink messages
# and arrives whole; a dump that races with state changes is flagged as
# interrupted by the kernel (NLM_F_DUMP_INTR) and libppt's list retries, so
# every list pptadm prints is one consistent snapshot.  pptadm cleans all
# 64 at once, its events socket overrunning, and learns every outcome.
# topology: scale
# append: ppt.ids=1234:11e8
# kernels: 6.1 6.12
# (Not on debug kernels: it needs hostfs, virtio-9p, and they have no virtio.)
# timeout: 300
# alone: yes
# (Booting 142 functions, QEMU rebuilds its memory map hundreds of times;
# with another VM on the same cores a virtual CPU's timer can starve past
# the kernel's 21 s RCU stall warning.  make check runs it with no other
# VM beside it.)
# hostfs: yes
# shellcheck source=tests/vm/lib.sh
. /ppt/lib.sh

[ -n "$RIG_KMODS" ] || bail_out "no ppt.ko in this initramfs (run with --kmod)"

ok "modprobe ppt (ids=1234:11e8: 64 edu)" modprobe ppt
is "pptadm list shows all 64 edu" "$(pptadm list -p -o addr | wc -l)" 64
is "... all reserved" "$(pptadm list -p -o state | sort -u)" reserved
is "the JSON list has 64 devices" "$(pptadm list -j | grep -o '"addr"' | wc -l)" 64

# a raw dump, counted message by message by an independent client
dump() { host_run /usr/bin/python3 /ppt/clients/ppt_dump_flags.py "$@" 2>&1; }
out=$(dump)
like "a raw dump returns 64 devices" "$out" '^devices 64 '
like "... in more than one netlink read" "$out" ' reads ([2-9]|[1-9][0-9]+) '
like "... none flagged interrupted when nothing changed" "$out" ' interrupted 0$'
e0=$(bdf edu0) e1=$(bdf edu1)
out=$(dump --churn "$e0" churn)
like "a dump across a state change still returns 64 devices" "$out" '^devices 64 '
like "... and the part after the change is flagged NLM_F_DUMP_INTR" "$out" ' interrupted [1-9]'
is "edu0 is reserved again after the churn" "$(pptadm -p -o state show "$e0")" reserved

# pptadm list while another process changes states: libppt retries a dump
# the kernel flagged, so every list is whole
(
	i=0
	while [ ! -e /tmp/stop ] && [ $i -lt 400 ]; do
		pptadm claim --owner churn "$e0" >/dev/null 2>&1
		pptadm unclaim --owner churn "$e0" >/dev/null 2>&1
		i=$((i + 1))
	done
) &
churn=$!
bad=0
n=0
while [ $n -lt 20 ]; do
	c=$(pptadm list -p -o addr | wc -l)
	[ "$c" -eq 64 ] || bad=$((bad + 1))
	n=$((n + 1))
done
touch /tmp/stop
wait "$churn"
is "pptadm list during the churn: always 64 devices (libppt retries)" "$bad" 0
ok "a claimed device is still claimable after the churn" pptadm claim --owner vm1 "$e1"
is "the table is intact" "$(pptadm list -p -o state | sort | uniq -c | tr -s ' \n' '  ')" \
	" 1 claimed 63 reserved "
ok "unclaim it" pptadm unclaim --owner vm1 "$e1"

# 64 cleans at once announce about 200 events; with receive buffers capped
# at 4 KiB (net.core.rmem_max) the batch's events socket overruns, and the
# outcomes it lost are learnt from the devices themselves
rmem=$(cat /proc/sys/net/core/rmem_max)
echo 4096 >/proc/sys/net/core/rmem_max
# shellcheck disable=SC2046
out=$(pptadm clean $(pptadm list -p -o addr | sed 's/\\//g') 2>&1); rc=$?
echo "$rmem" >/proc/sys/net/core/rmem_max
is "64 devices cleaned at once, their events overrunning the socket: exit 0" "$rc:$out" 0:
is "... every one reserved again" "$(pptadm list -p -o state | sort -u)" reserved
is "... each by its own bus reset" "$(pptadm list -p -o last_reset | sort | uniq -c | tr -s ' \n' '  ')" " 64 sbr "

done_testing
