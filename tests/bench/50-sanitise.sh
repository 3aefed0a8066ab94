#!/bin/sh
# 50-sanitise.sh - what erasing an NVMe namespace costs, measured side by
# side in one VM on nvme0's 64 MiB namespace (bench topology), each run a
# whole `pptadm sanitise run` (open through VFIO, controller bring-up, the
# erase, 64 sampled blocks read before and after, shutdown):
#  - auto (QEMU's controller: Format NVM, user data erase) against
#    overwrite, which writes every block once: the time to write the
#    namespace once is the cost a sanitiser that writes pays;
#  - write-zeroes against overwrite.
# Prints "# BENCH name|baseline|measured|ratio|goal" lines for scripts/bench.sh.
# topology: bench
# append: ppt.ids=1b36:0010
# timeout: 600
# shellcheck source=tests/vm/lib.sh
. /ppt/lib.sh

T=/ppt/bin/ppt-timeit
[ -x "$T" ] || bail_out "no $T in this initramfs"
dmesg -n 4
ok "modprobe ppt (16 NVMe listed), vfio-pci (kmod: its softdep vfio_iommu_type1 too)" sh -c \
	"/sbin/modprobe ppt && /sbin/modprobe vfio-pci"
nv=$(bdf nvme0)
ok "nvme0 to an owner, assigned to vfio-pci" sh -c \
	"pptadm claim --owner bench $nv >/dev/null && pptadm assign --owner bench $nv >/dev/null"

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b / a }'; }
# METHOD: one timed sanitise run into /tmp/METHOD
run() {
	out=$("$T" pptadm sanitise run "$nv" "nvme:$1") ||
		bail_out "nvme:$1 failed: $(pptadm sanitise run "$nv" "nvme:$1" 2>&1)"
	echo "$out" | sed -n 's/^time //p' >>"/tmp/$1"
}
# interleaved, so that every method sees the same machine
for _ in 1 2 3; do
	run overwrite
	run format-user
	run write-zeroes
done
out=$(pptadm sanitise run "$nv" nvme 2>&1)
like "auto picks format-user on QEMU's controller" "$out" ': nvme: format-user in '
ow=$(median </tmp/overwrite) fmt=$(median </tmp/format-user) wz=$(median </tmp/write-zeroes)
diag "BENCH NVMe sanitise, 64 MiB namespace: auto (Format NVM) vs writing it once (overwrite)|$ow us|$fmt us|$(ratio "$ow" "$fmt")x|< 1x: an erase that does not write every block"
diag "BENCH NVMe sanitise, 64 MiB namespace: write-zeroes vs overwrite|$ow us|$wz us|$(ratio "$ow" "$wz")x|< 1x: no data transferred"
ok "unassign and clean" sh -c "pptadm unassign --owner bench $nv >/dev/null && pptadm clean $nv >/dev/null"
done_testing
