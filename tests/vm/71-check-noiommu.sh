#!/bin/sh
# 71-check-noiommu.sh - pptadm check on a host without an IOMMU (no
# emulated VT-d, no intel_iommu=on): the IOMMU and interrupt remapping
# checks FAIL with their fixes, the exit status is 1, -q and -j say so.
# topology: basic
# iommu: off
# kernels: 6.1 6.12
# (Not on the debug kernels: CI's time budget; they run it when named.)
# timeout: 120
# shellcheck source=tests/vm/lib.sh
. /ppt/lib.sh

[ -n "$RIG_KMODS" ] || bail_out "no ppt.ko in this initramfs (run with --kmod)"

is "no IOMMU groups" "$(ls /sys/kernel/iommu_groups | wc -l)" 0
ok "modprobe ppt" modprobe ppt
out=$(pptadm check 2>&1)
st=$?
diag "$out"
is "pptadm check exits 1" "$st" 1
like "iommu FAILs with the fix" "$(echo "$out" | grep ' iommu ')" \
	"^FAIL iommu +no IOMMU: no DMAR or IVRS ACPI table, no IOMMU groups; fix: enable VT-d .*intel_iommu=on"
like "intremap FAILs" "$(echo "$out" | grep ' intremap ')" "^FAIL intremap "
like "module still PASSes" "$(echo "$out" | grep ' module ')" "^PASS module "
q=$(pptadm check -q)
is "-q: only the problems" "$(echo "$q" | grep -vc '^FAIL\|^WARN')" 0
like "-j: the failures counted" "$(pptadm check -j)" '"status":"fail".*"fail":[1-9]'
done_testing
