#!/bin/sh
# 40-alloc.sh - allocation benchmarks, measured side by side in one VM:
#  - claim/release throughput: 8 concurrent clients against 1, claiming one
#    of 8 devices by match and releasing it (goal: 8 clients at least as
#    fast in total: claims serialise on one short lock hold, not on each
#    other's round trips);
#  - the handoff: one netlink assign + unassign through ppt (ppt -> vfio-pci
#    -> ppt, with ppt's group and ownership checks) against the sysfs
#    driver_override + unbind + drivers_probe sequence libvirt and driverctl
#    use for the same two binds (pci-stub -> vfio-pci -> pci-stub) on an
#    identical device (goal: no slower, <= 1.0x).
# Prints "# BENCH name|baseline|measured|ratio|goal" lines for scripts/bench.sh.
# topology: bench
# append: ppt.ids=1b36:0010 ppt.auto_clean=0
# timeout: 600
# shellcheck source=tests/vm/lib.sh
. /ppt/lib.sh

B=/ppt/bin/ppt-alloc-bench
[ -x "$B" ] || bail_out "no $B in this initramfs"
# keep ppt's per-change log off the slow emulated serial console
dmesg -n 4
ok "modprobe ppt (16 NVMe listed)" modprobe ppt
all=$(pptadm list -p -o addr | sed "s/\\\\//g")
is "16 devices reserved" "$(echo "$all" | wc -l)" 16

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b / a }'; }
rate() { awk -v n="$1" -v us="$2" 'BEGIN { printf "%.0f", n * 1000000 / us }'; }

# the pool: 8 devices; the other 8 are taken out of the match by a claim
for d in $(echo "$all" | tail -n 8); do
	pptadm claim --owner parked "$d" >/dev/null || bail_out "cannot park $d"
done

# claim/release throughput, 1 and 8 clients, alternated three times
N=2000
: >/tmp/c1
: >/tmp/c8
for i in 1 2 3; do
	for c in 1 8; do
		out=$("$B" claims "$c" "$N" 1b36:0010) || bail_out "claims: $out"
		echo "$out" | sed -n 's/^claims [0-9]* in \([0-9]*\) us$/\1/p' >>/tmp/c$c
	done
done
t1=$(median </tmp/c1)
t8=$(median </tmp/c8)
is "every pool device reserved after the claim runs" \
	"$(for d in $(echo "$all" | head -n 8); do pptadm -p -o state show "$d"; done | sort -u)" reserved

# the handoff: ppt's device is the first of the pool; the sysfs baseline's
# an identical NVMe given back by ppt and put on pci-stub, as an
# administrator doing it by hand would
p=$(echo "$all" | head -n 1)
s=$(echo "$all" | tail -n 1)
pptadm unclaim --owner parked "$s" >/dev/null
ok "release the baseline's device" pptadm release "$s"
modprobe pci-stub
echo pci-stub >"$(pci_dev "$s")/driver_override"
[ -e "$(pci_dev "$s")/driver" ] && echo "$s" >"$(pci_dev "$s")/driver/unbind"
echo "$s" >/sys/bus/pci/drivers_probe
is "the baseline device is with pci-stub" "$(drv "$s")" pci-stub
modprobe vfio-pci
H=10
: >/tmp/hp
: >/tmp/hs
for i in 1 2 3 4 5; do
	out=$("$B" handoff "$H" "$p") || bail_out "handoff: $out"
	echo "$out" | sed -n 's/^handoff [0-9]* in \([0-9]*\) us$/\1/p' >>/tmp/hp
	out=$("$B" sysfs-handoff "$H" "$s" pci-stub) || bail_out "sysfs handoff: $out"
	echo "$out" | sed -n 's/^handoff [0-9]* in \([0-9]*\) us$/\1/p' >>/tmp/hs
done
hp=$(median </tmp/hp)
hs=$(median </tmp/hs)
is "ppt's device reserved after the handoffs" "$(pptadm -p -o state show "$p")" reserved
is "the baseline's device back with pci-stub" "$(drv "$s")" pci-stub

diag "BENCH claim+release throughput, 8 clients vs 1 ($N claims of 1 of 8 devices)|$(rate "$N" "$t1")/s|$(rate "$N" "$t8")/s|$(ratio "$t8" "$t1")x|>= 1.0x"
diag "BENCH handoff: netlink assign+unassign vs sysfs driver_override+unbind+drivers_probe (per cycle)|$((hs / H)) us|$((hp / H)) us|$(ratio "$hs" "$hp")x|<= 1.0x"
done_testing
