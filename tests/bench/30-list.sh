#!/bin/sh
# 30-list.sh - inventory, measured side by side in one VM (the scale
# topology: 142 PCI functions, the 64 edus held by ppt): `pptadm list -a -j`
# (libpci's scan of every function with names from pci.ids, ppt's netlink
# dump, merged, as JSON) against `lspci -nnk` (libpci's scan, names, the
# kernel driver and modules of each function) (goal: no slower).  Seven
# runs of each, interleaved, after one unmeasured run of each; medians of
# wall time.  Prints "# BENCH name|baseline|measured|ratio|goal" lines for
# scripts/bench.sh.
# topology: scale
# timeout: 600
# shellcheck source=tests/vm/lib.sh
. /ppt/lib.sh

T=/ppt/bin/ppt-timeit
[ -x "$T" ] || bail_out "no $T in this initramfs"
dmesg -n 4
ok "modprobe ppt ids=1234:11e8 (the 64 edus)" modprobe ppt ids=1234:11e8
is "ppt holds 64 functions" "$(pptadm -p -o state list | grep -c '^reserved$')" 64
nfn=$(find /sys/bus/pci/devices/ -name "????:??:??.?" | wc -l)
is "pptadm list -a -j lists every function" \
	"$(pptadm list -a -j | grep -o '"addr":' | wc -l)" "$nfn"
is "lspci -nnk lists every function" "$(lspci -nnk | grep -c '^[0-9a-f]')" "$nfn"
like "lspci -nnk names them (pci.ids) and shows drivers" "$(lspci -nnk -s "$(bdf edu0)")" \
	'Kernel driver in use: ppt'

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b / a }'; }

"$T" lspci -nnk >/dev/null
"$T" pptadm list -a -j >/dev/null
: >/tmp/lspci
: >/tmp/pptadm
for _ in 1 2 3 4 5 6 7; do
	"$T" lspci -nnk | sed -n 's/^time //p' >>/tmp/lspci
	"$T" pptadm list -a -j | sed -n 's/^time //p' >>/tmp/pptadm
done
is "seven runs of each" "$(wc -l </tmp/lspci):$(wc -l </tmp/pptadm)" 7:7
diag "lspci -nnk: $(tr '\n' ' ' </tmp/lspci)us"
diag "pptadm list -a -j: $(tr '\n' ' ' </tmp/pptadm)us"
l=$(median </tmp/lspci)
p=$(median </tmp/pptadm)
diag "BENCH pptadm list -a -j vs lspci -nnk ($nfn functions, 64 with ppt; wall, median of 7)|$l us|$p us|$(ratio "$l" "$p")x|<= 1.0x"
ok "rmmod ppt" rmmod ppt
done_testing
