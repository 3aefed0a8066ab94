#!/bin/sh
# 58-metrics.sh - pptadm export prometheus from the module's own counters:
# real resets (FLR of the NVMe, a bus reset of an edu), real cleans (one by
# FLR, one by bus reset that fails because the device no longer answers,
# as in 39-reset-fail, and quarantines it, then the administrator's clean
# that succeeds), a lease that ends when its holder is killed, and a
# claimed device. The counts in the export are checked exactly, the
# histograms' buckets are cumulative and end at their count, the devices
# gauge counts every device by state, variant and owner, and Prometheus's
# own promtool (on the host, tests/userspace/check-prometheus.sh) accepts
# the output with no lint complaint. -o FILE replaces the file whole.
# topology: reset
# append: ppt.ids=1234:11e8,1b36:0010 ppt.auto_clean=0
# kernels: 6.1 6.12
# hostfs: yes
# (Not on the debug kernels: they have no hostfs for promtool.)
# timeout: 400
# shellcheck source=tests/vm/lib.sh
. /ppt/lib.sh

[ -n "$RIG_KMODS" ] || bail_out "no ppt.ko in this initramfs (run with --kmod)"
AT=/ppt/bin/ppt-alloc-test
[ -x "$AT" ] || bail_out "no $AT in this initramfs"
command -v setpci >/dev/null || bail_out "no setpci in this initramfs"
host_run true || bail_out "no host file system (hostfs) in this VM"

n=$(bdf nvme0) e0=$(bdf edu0) e1=$(bdf edu1) e2=$(bdf edu2) e3=$(bdf edu3)
rp6=$(bdf rp6)
V=/tmp/variants.conf
printf '%s\n' 'edu accel 1234:11e8' 'nvme nvme 1b36:0010' >$V
export PPT_VARIANTS=$V
st() { pptadm -p -o state show "$1"; }
buses() { echo "$(setpci -s "$1" SECONDARY_BUS.b) $(setpci -s "$1" SUBORDINATE_BUS.b)"; }
# metric NAME{LABELS}: its value in /tmp/ppt.prom ("" when absent)
metric() { awk -v k="$1" '$1 == k { print $2 }' /tmp/ppt.prom; }

ok "modprobe ppt (edu and NVMe listed, auto-clean off)" modprobe ppt
ok "export prometheus at load" sh -c 'pptadm export prometheus >/tmp/ppt.prom'
is "no quarantine yet" "$(metric ppt_quarantines_total)" 0
is "no lease expiry yet" "$(metric ppt_lease_expiries_total)" 0
is "no FLR reset yet (zero, not absent)" "$(metric 'ppt_resets_total{method="flr",outcome="ok"}')" 0
is "no histogram before a reset" "$(grep -c duration_seconds /tmp/ppt.prom)" 0
like "module info with the protocol" "$(cat /tmp/ppt.prom)" \
	'ppt_module_info\{version="[^"]+",protocol="2"\} 1'

# --- resets and cleans that work ---------------------------------------------
ok "reset nvme0 by FLR" pptadm reset --method flr "$n"
ok "... again" pptadm reset --method flr "$n"
ok "reset edu0 by a bus reset" pptadm reset --method sbr "$e0"
ok "clean nvme0 by FLR" pptadm clean --method flr "$n"

# --- a clean that fails: edu1 no longer answers ------------------------------
b6=$(buses "$rp6")
ok "route rp6's bus nowhere (the link to edu1 is gone)" \
	sh -c "setpci -s $rp6 SUBORDINATE_BUS.b=fe && setpci -s $rp6 SECONDARY_BUS.b=fe"
out=$(pptadm clean --method sbr "$e1" 2>&1); rc=$?
isnt "a clean by bus reset of edu1 fails" "$rc" 0
is "... edu1 quarantined" "$(st "$e1")" quarantined
set -- $b6
ok "repair: restore rp6's bus numbers" \
	sh -c "setpci -s $rp6 SECONDARY_BUS.b=$1 && setpci -s $rp6 SUBORDINATE_BUS.b=$2"
ok "the administrator cleans edu1" pptadm clean --method sbr "$e1"
is "... reserved again" "$(st "$e1")" reserved

# --- a lease that ends, a claim that stays -----------------------------------
rm -f /tmp/h1
"$AT" hold lease1 "$e3" >/tmp/h1 2>&1 3>&- &
holder=$!
wait_for "lease holder ready" 60 grep -q '^ready' /tmp/h1
kill -9 "$holder"; wait "$holder" 2>/dev/null
wait_for "the lease ended: edu3 reserved again" 10 sh -c "[ \"\$(pptadm -p -o state show $e3)\" = reserved ]"
ok "claim edu2 for vm1" pptadm claim --owner vm1 "$e2"

# --- the export --------------------------------------------------------------
echo stale >/tmp/ppt.prom
ok "export prometheus -o /tmp/ppt.prom" pptadm export prometheus -o /tmp/ppt.prom
diag "$(cat /tmp/ppt.prom)"
is "resets by FLR: 2 ok" "$(metric 'ppt_resets_total{method="flr",outcome="ok"}')" 2
is "resets by bus reset: 1 ok" "$(metric 'ppt_resets_total{method="sbr",outcome="ok"}')" 1
is "no failed reset" "$(grep '^ppt_resets_total{.*outcome="failed"}' /tmp/ppt.prom | grep -vc ' 0$')" 0
is "cleans by FLR: 1 ok" "$(metric 'ppt_cleans_total{method="flr",outcome="ok"}')" 1
is "cleans by bus reset: 1 ok" "$(metric 'ppt_cleans_total{method="sbr",outcome="ok"}')" 1
is "cleans by bus reset: 1 failed" "$(metric 'ppt_cleans_total{method="sbr",outcome="failed"}')" 1
is "the FLR reset histogram counts 2" \
	"$(metric 'ppt_reset_duration_seconds_count{method="flr",outcome="ok"}')" 2
is "... its +Inf bucket too" \
	"$(metric 'ppt_reset_duration_seconds_bucket{method="flr",outcome="ok",le="+Inf"}')" 2
is "... nothing under 10 ms: an FLR waits 100 ms" \
	"$(metric 'ppt_reset_duration_seconds_bucket{method="flr",outcome="ok",le="0.01"}')" 0
sum=$(metric 'ppt_reset_duration_seconds_sum{method="flr",outcome="ok"}')
like "... a sum of at least 0.2 s, in seconds" "$sum" '^(0\.[2-9][0-9]*|[1-9][0-9]*(\.[0-9]+)?)$'
is "the failed clean's histogram counts 1" \
	"$(metric 'ppt_clean_duration_seconds_count{method="sbr",outcome="failed"}')" 1
# every histogram's buckets never decrease and end at its count
bad=$(awk '/_bucket\{/ { s = $1; sub(/,le="[^"]*"\}/, "", s)
		if (s == prev && $2 + 0 < last + 0) print "decreasing: " $0
		prev = s; last = $2; if ($1 ~ /le="\+Inf"/) inf[s] = $2 }
	/_count\{/ { s = $1; sub(/_count\{/, "_bucket{", s); sub(/\}$/, "", s)
		if (inf[s] != $2) print "count " $0 " != +Inf " inf[s] }' /tmp/ppt.prom)
is "buckets are cumulative and end at the count" "$bad" ""
is "one quarantine" "$(metric ppt_quarantines_total)" 1
is "one lease expiry" "$(metric ppt_lease_expiries_total)" 1
is "devices: edu2 claimed, with its owner" \
	"$(metric 'ppt_devices{state="claimed",variant="edu",owner_present="true"}')" 1
is "... four edu reserved (pbr0-edu, edu0, edu1, edu3)" \
	"$(metric 'ppt_devices{state="reserved",variant="edu",owner_present="false"}')" 4
is "... the NVMe reserved" \
	"$(metric 'ppt_devices{state="reserved",variant="nvme",owner_present="false"}')" 1
is "... nothing else" "$(grep -c '^ppt_devices{' /tmp/ppt.prom)" 3
out=$(host_run /ppt/clients/check-prometheus.sh /tmp/ppt.prom 2>&1); rc=$?
is "promtool check metrics accepts it, with no lint complaint (on the host)" "$rc" 0
diag "$out"

ok "unclaim edu2" pptadm unclaim --owner vm1 "$e2"
ok "rmmod ppt" rmmod ppt
done_testing
