#!/bin/sh
# 65-genl-client.sh - the family as a stranger sees it: libnl's genl-ctrl-list
# shows its version, attribute count, operations and "events" group, numbered
# as the protocol header says; an independent client written from the header
# alone (tests/vm/clients/ppt_pyroute2.py, on pyroute2) dumps the devices,
# reserves one and hears the outcome on the events group, and gets well-formed
# errors (errno and the kernel's extended ack) for bad requests.
# topology: gpu
# append: ppt.ids=1234:1111
# kernels: 6.1 6.12
# (Not on debug kernels: it needs hostfs, virtio-9p, and they have no virtio.)
# hostfs: yes
# timeout: 300
# shellcheck source=tests/vm/lib.sh
. /ppt/lib.sh

[ -n "$RIG_KMODS" ] || bail_out "no ppt.ko in this initramfs (run with --kmod)"
host_run true || bail_out "no host file system (hostfs) in this VM"

hdr=/ppt/include/linux/ppt.h
client() { host_run /usr/bin/python3 /ppt/clients/ppt_pyroute2.py "$@"; }

# enum_of NAME: "VALUE NAME" for each enumerator of enum NAME in the header
# (they carry no explicit values: each is its predecessor plus one).
enum_of() {
	sed -n "/^enum $1 {/,/^};/p" "$hdr" | grep -E '^[[:space:]]+[A-Z][A-Z0-9_]*,$' |
		tr -d '\t ,' | awk '{ print NR - 1, $1 }'
}
hdr_version=$(sed -n 's/^#define PPT_GENL_VERSION[[:space:]]*\([0-9]*\)$/\1/p' "$hdr")
cmds=$(enum_of ppt_cmd)
nattrs=$(enum_of ppt_attr | wc -l)
cmd_num() { echo "$cmds" | awk -v n="PPT_CMD_$1" '$2 == n { print $1 }'; }
# requests are the commands but UNSPEC and the notifications (*_NTF)
requests=$(echo "$cmds" | awk '$2 != "PPT_CMD_UNSPEC" && $2 !~ /_NTF$/ { print $1 }')
isnt "the header's commands were read" "$(cmd_num DEVICE_UNASSIGN)" ""
is "... and numbered as the header's doc has them (DEVICE_GET = 1, REQUEST_NTF = 9)" \
	"$(cmd_num DEVICE_GET):$(cmd_num REQUEST_NTF)" 1:9

ok "modprobe ppt" modprobe ppt
g0=$(bdf gpu0) a0=$(bdf gpu0-audio) nic=$(bdf nic0)

# --- (a) genl-ctrl-list (libnl-utils) ---
all=$(host_run genl-ctrl-list -d 2>&1)
is "genl-ctrl-list -d runs" "$?" 0
fam=$(printf '%s\n' "$all" | awk '/^0x[0-9a-f]+ / { on = ($2 == "ppt") } on')
like "it lists the family ppt with the header's version" "$(printf '%s\n' "$fam" | head -n 1)" \
	"^0x[0-9a-f]+ ppt version $hdr_version\$"
like "... its attribute count is the header's (maxattr = PPT_A_MAX)" "$fam" "maxattr $((nattrs - 1))\$"
ops=$(printf '%s\n' "$fam" | sed -n 's/^ *op [^(]*(0x\([0-9a-f]*\)) <\(.*\)>$/\1 \2/p')
listed=$(for id in $(printf '%s\n' "$ops" | cut -d' ' -f1); do echo $((0x$id)); done | sort -n)
diag "operations listed: $(echo "$listed" | tr '\n' ' ')"
is "its operations are the header's request commands, by number" "$listed" "$(echo "$requests" | sort -n)"
flags_of() { printf '%s\n' "$ops" | awk -v id="$(printf '%02x' "$(cmd_num "$1")")" '$1 == id { print $2 }'; }
# the flags but has_policy: "has_doit", "has_dump" or both
kind_of() { flags_of "$1" | tr ',' '\n' | grep -v '^has_policy$' | grep . | sort | tr '\n' ' '; }
is "DEVICE_GET: a doit and a dumpit" "$(kind_of DEVICE_GET)" "has_doit has_dump "
is "MATCH_GET: a dumpit, no doit" "$(kind_of MATCH_GET)" "has_dump "
for c in DEVICE_RESERVE DEVICE_RELEASE DEVICE_CLAIM DEVICE_UNCLAIM DEVICE_ASSIGN DEVICE_UNASSIGN \
	DEVICE_RESET DEVICE_CLEAN MATCH_ADD MATCH_DEL; do
	is "$c: a doit, no dumpit" "$(kind_of $c)" "has_doit "
done
grp=$(printf '%s\n' "$fam" | sed -n 's/^ *grp events (0x\([0-9a-f]*\))$/\1/p')
isnt "it lists the multicast group \"events\"" "$grp" ""

# --- (b) the independent client ---
out=$(client dump 2>&1)
is "client: dump succeeds" "$?" 0
diag "$out"
got=$(printf '%s\n' "$out" | sed -n 's/^device addr=\([^ ]*\) state=\([^ ]*\) .*/\1 \2/p' | sort)
want=$(pptadm -p -o addr,state list | sed 's/\\:/#/g; s/:/ /; s/#/:/g' | sort)
is "client: its dump is what pptadm lists" "$got" "$want"
like "client: ... the ids= GPUs, reserved" "$got" "$g0 reserved"

is "gpu0-audio has no driver (nothing loaded one)" "$(drv "$a0")" ""
fails "... and ppt does not know it: a reserve of it is valid" pptadm show "$a0"
out=$(client reserve "$a0" 2>&1)
is "client: reserve gpu0-audio succeeds" "$?" 0
diag "$out"
id=$(printf '%s\n' "$out" | sed -n 's/^reply cmd=DEVICE_RESERVE req_id=\([0-9][0-9]*\)$/\1/p')
isnt "client: the reply carries a request id" "$id" ""
like "client: subscribed to the group genl-ctrl-list lists" "$out" "^subscribed group=events id=$((0x${grp:-0}))\$"
like "client: REQUEST_NTF with that request id, errno 0, on the events group" "$out" \
	"^event cmd=REQUEST_NTF seq=[0-9]+ req_id=$id req_cmd=DEVICE_RESERVE addr=$a0 errno=0 "
like "client: DEVICE_NTF of gpu0-audio, reserved" "$out" \
	"^event cmd=DEVICE_NTF seq=[0-9]+ addr=$a0 state=reserved driver=ppt "
like "client: a do-get confirms it reserved, with ppt" "$out" "^confirmed addr=$a0 state=reserved driver=ppt "
is "pptadm agrees" "$(pptadm -p -o state show "$a0"):$(drv "$a0")" reserved:ppt

out=$(client probe-get zz:00.0 - 0000:7f:00.0 "$nic" 2>&1)
is "client: each bad DEVICE_GET is refused" "$?" 0
diag "$out"
like "client: a malformed address: EINVAL, the kernel's message, pointing at the address" \
	"$(printf '%s\n' "$out" | grep '^probe sent=zz:00.0 ')" \
	'errno=EINVAL msg="malformed PCI address \(want \[domain:\]bus:dev\.fn\)" offs_attr=PPT_A_DEV_ADDR .*wellformed=yes$'
like "client: no address: EINVAL naming the missing attribute" \
	"$(printf '%s\n' "$out" | grep '^probe sent=- ')" \
	'errno=EINVAL .*miss_type=PPT_A_DEV_ADDR wellformed=yes$'
like "client: an address with no device: ENODEV, the kernel's message" \
	"$(printf '%s\n' "$out" | grep '^probe sent=0000:7f:00.0 ')" \
	'errno=ENODEV msg="no such PCI device" offs_attr=PPT_A_DEV_ADDR .*wellformed=yes$'
like "client: a device ppt does not manage: ENODEV, the kernel's message" \
	"$(printf '%s\n' "$out" | grep "^probe sent=$nic ")" \
	'errno=ENODEV msg="device not managed by ppt" offs_attr=PPT_A_DEV_ADDR .*wellformed=yes$'

ok "release gpu0-audio" pptadm release "$a0"
ok "rmmod ppt" rmmod ppt
done_testing
