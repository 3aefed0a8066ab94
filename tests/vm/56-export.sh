#!/bin/sh
# 56-export.sh - the inventory fields schedulers place by, and pptadm
# export's formats, from a real inventory: two GPU slots (bochs-display +
# ich9-intel-hda, one IOMMU group each) held by ppt, one of them assigned.
#
# - numa_node, pcie_root, root_port, link_speed, link_width and serial
#   agree with sysfs and lspci; vfio_group is the assigned device's group
#   node; -o all has them, and the JSON validates against the schema.
# - export nova is read by Nova's own parser (python3-nova on the host,
#   tests/userspace/check-nova.py), which must assign every device of a
#   variant; kubevirt, cdi and triton have exactly the expected structure;
#   -o FILE replaces the file whole.
# topology: gpu
# append: ppt.ids=1234:1111,8086:293e ppt.auto_clean=0
# kernels: 6.1 6.12
# hostfs: yes
# timeout: 600
# shellcheck source=tests/vm/lib.sh
. /ppt/lib.sh

[ -n "$RIG_KMODS" ] || bail_out "no ppt.ko in this initramfs (run with --kmod)"
host_run true || bail_out "no host file system (hostfs) in this VM"

g0=$(bdf gpu0) a0=$(bdf gpu0-audio) g1=$(bdf gpu1) a1=$(bdf gpu1-audio)
rp1=$(bdf rp1)
V=/tmp/variants.conf
printf '%s\n' '# the GPU slots' 'gpu gpu 1234:1111' 'gpu-audio gpu-audio 8086:293e' >$V
export PPT_VARIANTS=$V
p() { pptadm -p "$@" | sed 's/\\:/:/g'; }

ok "modprobe ppt" modprobe ppt
is "gpu0 is ppt's" "$(drv "$g0")" ppt
is "gpu0-audio is ppt's" "$(drv "$a0")" ppt

# --- the inventory fields -------------------------------------------------
s=/sys/bus/pci/devices/$g0
numa=$(cat $s/numa_node)
[ "$numa" = -1 ] && numa=
is "numa_node: sysfs's (-1: none)" "$(p -o numa_node list "$g0")" "$numa"
is "pcie_root: DRA's pci<domain>:<bus> of the root complex" "$(p -o pcie_root list "$g0")" pci0000:00
is "root_port: rp1" "$(p -o root_port list "$g0")" "$rp1"
want=$(sed 's/ PCIe$//' $s/current_link_speed)
case $want in Unknown*) want= ;; esac
is "link_speed: sysfs's without PCIe" "$(p -o link_speed list "$g0")" "$want"
like "link_speed has a number of GT/s" "$want" '^[0-9.]+ GT/s$'
want=$(cat $s/current_link_width)
[ "$want" = 0 ] && want=
is "link_width: sysfs's" "$(p -o link_width list "$g0")" "$want"
for d in "$g0" "$a0" $(bdf nic0) $(bdf sw0-nic); do
	want=$(lspci -vvv -s "$d" 2>/dev/null | sed -n 's/.*Device Serial Number //p')
	is "serial of $d: lspci's (${want:-none})" "$(pptadm list -a -p -o dsn "$d")" "$want"
done
is "vfio_group before assign: none" "$(p -o vfio_group,vfio_cdev list "$g0")" ":"
ok "claim gpu0 and its audio function" pptadm claim --owner vm1 "$g0" "$a0"
ok "assign gpu0 (and its group)" pptadm assign --owner vm1 "$g0"
grp=$(iommu_group "$g0")
is "vfio_group after assign: /dev/vfio/$grp" "$(p -o vfio_group list "$g0")" "/dev/vfio/$grp"
# 6.12 has vfio-dev/vfioN in sysfs, but a node only with VFIO_DEVICE_CDEV
cdev=$(ls $s/vfio-dev 2>/dev/null)
if [ -n "$cdev" ] && [ -c "/dev/vfio/devices/$cdev" ]; then
	is "vfio_cdev where the kernel has one" "$(p -o vfio_cdev list "$g0")" "/dev/vfio/devices/$cdev"
else
	is "no VFIO cdev node on $RIG_KNAME: no vfio_cdev" "$(p -o vfio_cdev list "$g0")" ""
fi
out=$(pptadm -j list -o all "$g0")
like "-o all has the new keys" "$out" '"numa_node":.*"pcie_root":"pci0000:00","root_port":"'"$rp1"'",.*"serial":.*"vfio_group":"/dev/vfio/'"$grp"'","vfio_cdev":'
schema_ok() {
	pptadm -j list -o all >/tmp/all.json &&
		host_run /usr/bin/python3 /ppt/clients/check-schema.py --validate \
			--schema /ppt/clients/pptadm.schema.json --def devices /tmp/all.json
}
ok "list -j -o all validates against the schema" schema_ok
out=$(pptadm -j list "$g0")
unlike_keys=$(printf '%s' "$out" | grep -oE '"(numa_node|pcie_root|root_port|link_speed|link_width|serial|vfio_group|vfio_cdev)"')
is "list -j without -o keeps its keys" "$unlike_keys" ""

# --- export nova: Nova's own parser ---------------------------------------
ok "export nova -o /tmp/nova.conf" pptadm export nova -o /tmp/nova.conf
is "[pci] and a device_spec for each of the four functions" \
	"$(grep -c '^device_spec = {"address":"' /tmp/nova.conf)" 4
like "the GPU alias" "$(cat /tmp/nova.conf)" \
	'alias = \{"name":"gpu","vendor_id":"1234","product_id":"1111","device_type":"type-PCI","numa_policy":"legacy"\}'
pptadm -j list -o addr,vendor,device,variant >/tmp/devs.json
out=$(host_run /usr/bin/python3 /ppt/clients/check-nova.py --devices /tmp/devs.json \
	--request gpu:1,gpu-audio:1 /tmp/nova.conf 2>&1); rc=$?
is "Nova's parser takes it and may assign all four (check-nova.py)" "$rc" 0
[ $rc = 0 ] && diag "$(printf "%s\n" "$out" | tail -3)" || diag "$out"
pptadm export nova --by-id --numa-policy required >/tmp/nova-id.conf
ok "export nova --by-id --numa-policy required: Nova takes it too" \
	host_run /usr/bin/python3 /ppt/clients/check-nova.py --devices /tmp/devs.json /tmp/nova-id.conf

# --- kubevirt, cdi, triton: exact structure -------------------------------
is "export kubevirt -j" "$(pptadm export kubevirt -j)" \
	'{"permittedHostDevices":{"pciHostDevices":[{"pciVendorSelector":"1234:1111","resourceName":"ppt.io/gpu","externalResourceProvider":false},{"pciVendorSelector":"8086:293e","resourceName":"ppt.io/gpu-audio","externalResourceProvider":false}]}}'
yaml_same() {
	pptadm export kubevirt >/tmp/kv.yaml && pptadm export kubevirt -j >/tmp/kv.json &&
		host_run /usr/bin/python3 -c 'import json, sys, yaml
sys.exit(yaml.safe_load(open("/tmp/kv.yaml")) != json.load(open("/tmp/kv.json")))'
}
ok "export kubevirt: YAML that python3-yaml reads as the JSON" yaml_same
first=$g0 second=$a0
is "export cdi: both functions of the assigned group, /dev/vfio/vfio" "$(pptadm export cdi)" \
	'{"cdiVersion":"0.6.0","kind":"ppt.io/vfio","devices":[{"name":"'"$first"'","containerEdits":{"deviceNodes":[{"path":"/dev/vfio/'"$grp"'"}]}},{"name":"'"$second"'","containerEdits":{"deviceNodes":[{"path":"/dev/vfio/'"$grp"'"}]}}],"containerEdits":{"deviceNodes":[{"path":"/dev/vfio/vfio"}]}}'
ok "the CDI spec's device nodes exist" test -c "/dev/vfio/$grp" -a -c /dev/vfio/vfio
is "export triton is list -j --format sysinfo" "$(pptadm export triton)" "$(pptadm list -j --format sysinfo)"
is "export triton --format assignable is list's" "$(pptadm export triton --format assignable)" \
	"$(pptadm list -j --format assignable)"
like "assignable: gpu0 used by vm1" "$(pptadm export triton --format assignable)" \
	'"state":"used","type":"gpu","used_by":"vm1","variant":"gpu"'

# --- -o FILE ----------------------------------------------------------------
echo old >/tmp/cdi.json
ok "export cdi -o replaces the file" pptadm export cdi -o /tmp/cdi.json
is "... with the spec" "$(cat /tmp/cdi.json)" "$(pptadm export cdi)"
is "... and no temporary file is left" "$(ls /tmp | grep -c '^cdi.json.')" 0
fails "export -o into a missing directory fails" pptadm export cdi -o /tmp/no/such.json

ok "unassign gpu0" pptadm unassign --owner vm1 "$g0"
is "unassigned: no device in the CDI spec" "$(pptadm export cdi)" \
	'{"cdiVersion":"0.6.0","kind":"ppt.io/vfio","devices":[],"containerEdits":{"deviceNodes":[{"path":"/dev/vfio/vfio"}]}}'
is "vfio_group gone with vfio-pci" "$(p -o vfio_group list "$g0")" ""
done_testing
