#!/bin/sh
# 60-access.sh - the family's access boundary: anyone may read (get, dump) and
# listen to the events group; every change needs CAP_SYS_ADMIN in the initial
# user namespace; the family exists in the initial network namespace only.
# An unprivileged user (uid 1000) lists and shows devices and hears an event
# that root causes, but each mutating verb of pptadm is refused with EPERM and
# the kernel's reason; so is root in a new user namespace; root in a new
# network namespace (with or without a new user namespace) cannot resolve the
# family. Nothing changes through the refusals, and root in the initial
# namespaces then makes the same requests succeed (they were valid: only the
# caller differed).
# topology: gpu
# append: ppt.ids=1234:1111,1234:11e8
# kernels: 6.1 6.12
# (Not on debug kernels: it needs hostfs, virtio-9p, and they have no virtio.)
# hostfs: yes
# timeout: 300
# shellcheck source=tests/vm/lib.sh
. /ppt/lib.sh

[ -n "$RIG_KMODS" ] || bail_out "no ppt.ko in this initramfs (run with --kmod)"

PPTADM=$(command -v pptadm) || bail_out "no pptadm in this initramfs (run with --bin)"
EPERM_MSG='Operation not permitted: changing devices needs CAP_SYS_ADMIN in the initial user namespace'
ENOENT_MSG='cannot reach the ppt netlink family .*: No such file or directory'
# pptadm add/remove keep the boot lists here
PPT_MODPROBE_CONF=/tmp/ppt-devices.conf
export PPT_MODPROBE_CONF

# the unprivileged user (busybox su takes options after USER too: "--" ends them)
echo 'ppt-user:x:1000:1000:ppt test user:/tmp:/bin/sh' >>/etc/passwd
echo 'ppt-user:x:1000:' >>/etc/group
# shellcheck disable=SC2016  # the single-quoted command is su's shell's
as_user() { su -s /bin/sh -c 'exec "$0" "$@"' ppt-user -- "$@"; }
# root of a new user namespace in the initial network namespace, and root in a
# new network namespace, without and with a new user namespace (busybox unshare)
in_userns() { unshare -r "$@"; }
in_netns() { unshare -n "$@"; }
in_userns_netns() { unshare -r -n "$@"; }

is "su gives uid 1000" "$(as_user id -u):$(as_user id -g)" 1000:1000
like "... without capabilities" "$(as_user grep CapEff /proc/self/status)" 'CapEff:[[:space:]]+0+$'
is "unshare -r gives root in a new user namespace" "$(in_userns id -u)" 0
isnt "... a new one" "$(in_userns readlink /proc/self/ns/user)" "$(readlink /proc/self/ns/user)"
isnt "unshare -n gives a new network namespace" "$(in_netns readlink /proc/self/ns/net)" "$(readlink /proc/self/ns/net)"
isnt "unshare -r -n: new user namespace" "$(in_userns_netns readlink /proc/self/ns/user)" "$(readlink /proc/self/ns/user)"
isnt "unshare -r -n: new network namespace" "$(in_userns_netns readlink /proc/self/ns/net)" "$(readlink /proc/self/ns/net)"

# --- devices in every state a mutating verb applies to ---
ok "modprobe ppt (ids=1234:1111,1234:11e8: the GPUs and edus)" modprobe ppt
g0=$(bdf gpu0) a0=$(bdf gpu0-audio) g1=$(bdf gpu1) a1=$(bdf gpu1-audio)
se=$(bdf sw0-edu) pe=$(bdf pbr0-edu) pn=$(bdf pbr0-nic) sn=$(bdf sw0-nic) nic=$(bdf nic0)
ok "reserve gpu1-audio" pptadm reserve "$a1"
ok "reserve pbr0-nic" pptadm reserve "$pn"
ok "reserve nic0" pptadm reserve "$nic"
ok "claim gpu1 for vm1" pptadm claim --owner vm1 "$g1"
ok "claim sw0-edu for vm2" pptadm claim --owner vm2 "$se"
ok "claim nic0 for vm3" pptadm claim --owner vm3 "$nic"
ok "assign nic0 to vm3" pptadm assign --owner vm3 "$nic"
ok "add the runtime match ids 1234:abcd" pptadm match add ids 1234:abcd
is "gpu0-audio, sw0-nic: no driver, not ppt's (reserve and add apply)" \
	"$(drv "$a0"):$(drv "$sn"):$(pptadm show "$a0" "$sn" >/dev/null 2>&1; echo $?)" "::1"

# One request per mutating verb of pptadm, "MESSAGE PREFIX|ARGUMENTS|CONTROL":
# the refusal names "VERB DEVICE", and CONTROL "yes" marks a request valid in
# this state, which root makes afterwards. The reset and clean requests are
# refused only: ppt checks the caller before anything else, so a refusal with
# its reason shows the boundary whatever the request.
attempts="reserve $a0|reserve $a0|yes
release $g0|release $g0|yes
claim $pe|claim --owner vm9 $pe|yes
unclaim $pe|unclaim --owner vm9 $pe|yes
unclaim $se|unclaim --owner vm2 $se|yes
assign $g1|assign --owner vm1 $g1|yes
unassign $nic|unassign --owner vm3 $nic|yes
add $sn|add $sn|yes
remove $pn|remove $pn|yes
match add ids 1234:5678|match add ids 1234:5678|yes
match del ids 1234:abcd|match del ids 1234:abcd|yes
reset $g0|reset $g0|no
clean $nic|clean $nic|no
set $a0|set --reset-pref sbr $a0|yes
sanitise set ids 1234:5678|sanitise set ids 1234:5678 bar|yes
sanitise del class 03|sanitise del class 03|no
agent|agent|no"
state() {
	pptadm -p -o addr,state,owner,driver,reset_pref list | sort
	pptadm -p -o kind,text match list | sort
	pptadm -p -o kind,selector,sanitiser,source sanitise list | sort
	cat "$PPT_MODPROBE_CONF" 2>/dev/null
}
before=$(state)
diag "$before"

# refused WHO RUNNER ERE WHAT: each attempt, run through RUNNER, fails (status 1)
# with "pptadm: VERB DEVICE: " and a message matching ERE
refused() {
	while IFS='|' read -r _want _args _; do
		# shellcheck disable=SC2086  # the arguments are words without blanks
		_out=$($2 "$PPTADM" $_args </dev/null 2>&1)
		like "$1: pptadm $_want is refused: $4" "status $? $_out" "^status 1 pptadm: $_want: $3\$"
	done <<EOF
$attempts
EOF
}

# --- uid 1000 ---
is "uid 1000: pptadm list shows what root sees" "$(as_user "$PPTADM" -p -o addr,state,owner,driver list | sort)" \
	"$(pptadm -p -o addr,state,owner,driver list | sort)"
is "uid 1000: pptadm show gpu1" "$(as_user "$PPTADM" -p -o state,owner show "$g1")" claimed:vm1
like "uid 1000: pptadm -j list" "$(as_user "$PPTADM" -j list)" "^\\{\"devices\":\\[.*\"addr\":\"$nic\""
like "uid 1000: pptadm match list" "$(as_user "$PPTADM" -p -o kind,text match list)" '^ids:1234\\:abcd$'
is "uid 1000: pptadm sanitise list shows what root sees" \
	"$(as_user "$PPTADM" -p -o kind,selector,sanitiser,source sanitise list)" \
	"$(pptadm -p -o kind,selector,sanitiser,source sanitise list)"
refused "uid 1000" as_user "$EPERM_MSG" "EPERM, the kernel's reason"
is "... and nothing changed" "$(state)" "$before"

# --- root of a new user namespace, initial network namespace ---
is "userns root: pptadm list shows what root sees" "$(in_userns "$PPTADM" -p -o addr,state,owner,driver list | sort)" \
	"$(pptadm -p -o addr,state,owner,driver list | sort)"
refused "userns root" in_userns "$EPERM_MSG" "EPERM, the kernel's reason"
is "... and nothing changed" "$(state)" "$before"

# --- root in a new network namespace: the family is not there ---
# (pptadm remove works on the boot lists file without ppt: there it finds no
# device ppt manages)
for ns in in_netns in_userns_netns; do
	out=$($ns "$PPTADM" list 2>&1)
	like "$ns: pptadm list cannot reach the family (ENOENT)" "status $? $out" "^status 1 pptadm: $ENOENT_MSG\$"
	while IFS='|' read -r want args _; do
		# shellcheck disable=SC2086
		out=$($ns "$PPTADM" $args </dev/null 2>&1)
		rc=$?
		case $want in
		remove*) ere="$want: No such file or directory: not in $PPT_MODPROBE_CONF and not managed by ppt" ;;
		*) ere=$ENOENT_MSG ;;
		esac
		like "$ns: pptadm $want cannot reach the family (ENOENT)" "status $rc $out" "^status 1 pptadm: $ere\$"
	done <<EOF
$attempts
EOF
done
is "... and nothing changed" "$(state)" "$before"

# --- uid 1000 hears the events root causes ---
rm -f /tmp/mon.out
host_run_as 1000 /usr/bin/python3 /ppt/clients/ppt_pyroute2.py --timeout 120 \
	monitor --until-dev "$pe" --until-state claimed >/tmp/mon.out 2>&1 &
mon=$!
wait_for "uid 1000 subscribes to the events group" 90 grep -q '^subscribed ' /tmp/mon.out
like "... as uid 1000" "$(cat /tmp/mon.out)" '^subscribed group=events id=[0-9]+ uid=1000 euid=1000$'

# --- the positive controls: the same requests from root, initial namespaces ---
while IFS='|' read -r want args control; do
	[ "$control" = yes ] || continue
	# shellcheck disable=SC2086
	ok "root: $args succeeds" pptadm $args </dev/null
done <<EOF
$attempts
EOF
is "gpu0-audio reserved, its reset preference sbr" "$(pptadm -p -o state,reset_pref show "$a0")" reserved:sbr
is "pbr0-edu claimed by vm9 (with pbr0-nic, its IOMMU group mate), then unclaimed" \
	"$(pptadm -p -o state,owner show "$pe")" reserved:
is "sw0-edu reserved again" "$(pptadm -p -o state,owner show "$se")" reserved:
is "gpu1 assigned to vm1, with vfio-pci" "$(pptadm -p -o state,owner,driver show "$g1")" assigned:vm1:vfio-pci
like "nic0 unassigned: back from vm3, with ppt" "$(pptadm -p -o state,owner,driver show "$nic")" '^(dirty|cleaning|reserved)::ppt$'
is "sw0-nic added: reserved" "$(pptadm -p -o state show "$sn")" reserved
like "... and in the boot lists" "$(cat "$PPT_MODPROBE_CONF")" "^options ppt .*$sn"
fails "pbr0-nic removed: ppt forgot it" pptadm show "$pn"
is "the runtime matches: 1234:5678 added, 1234:abcd deleted" \
	"$(pptadm -p -o kind,text,boot match list | sed -n 's/:no$//p')" 'ids:1234\:5678'

wait "$mon"
is "uid 1000's listener saw pbr0-edu claimed and stopped" "$?" 0
diag "$(cat /tmp/mon.out)"
like "... a DEVICE_NTF with the new state and owner" "$(cat /tmp/mon.out)" \
	"^event cmd=DEVICE_NTF seq=[0-9]+ addr=$pe state=claimed driver=ppt owner=vm9 removed=no\$"
like "... and before it gpu0's release: ppt let it go" "$(cat /tmp/mon.out)" \
	"^event cmd=DEVICE_NTF seq=[0-9]+ addr=$g0 state=releasing driver=ppt owner=- removed=yes\$"

ok "unassign gpu1" pptadm unassign --owner vm1 "$g1"
ok "rmmod ppt" rmmod ppt
done_testing
