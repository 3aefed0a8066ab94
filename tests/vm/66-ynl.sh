#!/bin/sh
# 66-ynl.sh - the family through the kernel's own netlink tool, which nobody
# here wrote: ynl's cli.py (tools/net/ynl of linux-source-6.12, which
# scripts/ynl-tools.sh extracted into the host's cache), knowing the family
# only from the project's spec (docs/netlink/ppt.yaml, here
# /ppt/clients/ppt.yaml). It validates the spec against the genetlink-c
# schema and lists the operations; dumps the devices (the ids= edu device,
# reserved, every attribute decoded by the spec: hex ids, flags, reset
# methods by name); with a listener on the events group, reserves the nvme
# (nvme holds it: force) and the e1000e (pci-stub holds it, a driver that
# works for someone else: force, and it comes in dirty, tainted and gated),
# reads the e1000e back, resets the nvme (auto) and the edu (sbr, by name),
# releases the nvme to nvme and the e1000e as it is (unclean); every reply
# carries a request id, and the listener hears each request-ntf and the
# device-ntf of every change (states and reset methods by name, the taint,
# the gate, the inferred last reset, the removal), numbered without a gap.
# The sanitise agent's commands: agent-register from cli.py's socket (which
# goes with it), agent-get then finding none.
# topology: basic
# sanitise: policy
# append: ppt.ids=1234:11e8
# kernels: 6.1 6.12
# (Not on debug kernels: it needs hostfs, virtio-9p, and they have no virtio.)
# hostfs: yes
# timeout: 420
# shellcheck source=tests/vm/lib.sh
. /ppt/lib.sh

[ -n "$RIG_KMODS" ] || bail_out "no ppt.ko in this initramfs (run with --kmod)"
host_run true || bail_out "no host file system (hostfs) in this VM"
[ -n "${RIG_HOST_CACHE:-}" ] || bail_out "the rig names no host cache (RIG_HOST_CACHE in /ppt/rig.env)"
ynl=
for f in /host"$RIG_HOST_CACHE"/ynl/*/tools/net/ynl/cli.py; do
	[ -f "$f" ] && ynl=${f#/host}
done
[ -n "$ynl" ] || bail_out "no ynl tools in the host's $RIG_HOST_CACHE/ynl/: run scripts/ynl-tools.sh on the host (make check's userspace stage does)"
schema=${ynl%/tools/net/ynl/cli.py}/Documentation/netlink/genetlink-c.yaml
spec=/ppt/clients/ppt.yaml
diag "ynl: $ynl"

# cli ARGS...: ynl's cli.py with the project's spec, JSON out
cli() { host_run /usr/bin/python3 "$ynl" --spec "$spec" --no-schema --output-json "$@"; }

# objs: the top-level objects of a JSON list (or the one object), one a line
objs() {
	awk 'BEGIN { RS = "\001" } {
		d = 0; s = 0; o = ""
		for (i = 1; i <= length($0); i++) {
			c = substr($0, i, 1)
			if (s) {
				o = o c
				if (c == "\\") { i++; o = o substr($0, i, 1) }
				else if (c == "\"") s = 0
				continue
			}
			if (c == "\"") s = 1
			if (c == "{") d++
			if (d > 0) o = o c
			if (c == "}" && --d == 0) { print o; o = "" }
		}
	}'
}
# field OBJECT KEY: the value of KEY as JSON text (a string keeps its quotes)
field() {
	printf '%s\n' "$1" | sed -nE 's/.*"'"$2"'": ("[^"]*"|\[[^]]*\]|[^,}]*).*/\1/p'
}
# of ADDR: the lines of stdin about device ADDR
of() { grep -F "\"dev-addr\": \"$1\""; }
# logged CMD ADDR...: the kernel logged "ADDR: CMD by ...: done" for each ADDR
# (the audit line ppt writes just before the request-ntf)
logged() {
	_c=$1
	shift
	for _a; do
		dmesg | grep -q "ppt: $_a: $_c by .*: done\$" || return 1
	done
}

e=$(bdf edu0) n=$(bdf nvme0) nic=$(bdf nic0)
ok "modprobe ppt" modprobe ppt
is "edu0 ($e) is held by ppt (ids=)" "$(drv "$e")" ppt
ok "nvme0 ($n) bound to nvme" bind_host_driver "$n"
is "... nvme holds it" "$(drv "$n")" nvme
modprobe pci-stub
echo pci-stub >"/sys/bus/pci/devices/$nic/driver_override"
echo "$nic" >/sys/bus/pci/drivers_probe 2>/dev/null
is "nic0 ($nic) bound to pci-stub, a driver that works for someone else" "$(drv "$nic")" pci-stub

# --- the spec against the schema; the operations ---
out=$(host_run /usr/bin/python3 "$ynl" --spec "$spec" --schema "$schema" --list-ops 2>&1)
is "cli.py validates the spec against the genetlink-c schema and resolves the family" "$?" 0
diag "$out"
like "... it lists device-get with do and dump" "$out" "^device-get +\[ (do, dump|dump, do) \]"
like "... match-get with dump only" "$out" "^match-get +\[ dump \]"
like "... stats-get with dump only" "$out" "^stats-get +\\[ dump \\]"
like "... sanitise-get with dump only" "$out" "^sanitise-get +\\[ dump \\]"
is "... and 22 in all: every command but the three notifications" "$(printf '%s\n' "$out" | grep -c '\[')" 22

# --- dump ---
out=$(cli --dump device-get 2>&1)
is "cli.py --dump device-get succeeds" "$?" 0
diag "$out"
devs=$(printf '%s\n' "$out" | objs)
is "the dump has the one device ppt holds" \
	"$(printf '%s\n' "$devs" | sed -nE 's/.*"dev-addr": "([^"]*)".*/\1/p')" "$(for _d in /sys/bus/pci/drivers/ppt/*:*; do echo "${_d##*/}"; done)"
d=$(printf '%s\n' "$devs" | of "$e")
is "edu0: dev-state decodes to the enum name \"reserved\"" "$(field "$d" dev-state)" '"reserved"'
is "edu0: dev-driver" "$(field "$d" dev-driver)" '"ppt"'
is "edu0: dev-vendor and dev-device in hex (display-hint)" \
	"$(field "$d" dev-vendor):$(field "$d" dev-device)" '"0x1234":"0x11e8"'
is "edu0: dev-class in hex" "$(field "$d" dev-class)" "\"$(sed 's/^0x0*/0x/' "/sys/bus/pci/devices/$e/class")\""
is "edu0: dev-boot-listed, a flag" "$(field "$d" dev-boot-listed)" true
is "edu0: dev-iommu-group" "$(field "$d" dev-iommu-group)" "$(iommu_group "$e")"
like "edu0: dev-reset-methods decodes to names (bus reset only: sbr)" "$(field "$d" dev-reset-methods)" '^\["sbr"\]$'
is "edu0: no dev-tainted, no dev-gated" "$(field "$d" dev-tainted)$(field "$d" dev-gated)" ""

# --- the sanitiser policy, through cli.py ---
out=$(cli --dump sanitise-get 2>&1)
is "cli.py --dump sanitise-get succeeds" "$?" 0
diag "$out"
r=$(printf '%s\n' "$out" | objs | grep -F '"sanitise-class": "0108"')
is "... the NVMe default: class 0108, nvme, a built-in default" \
	"$(field "$r" sanitiser) $(field "$r" sanitise-default)" '"nvme" true'
is "edu0's dev-sanitiser: none (no rule selects class 00ff00)" "$(field "$d" dev-sanitiser)" '"none"'
out=$(cli --do sanitise-set --json '{"sanitise-class": "00ff", "sanitiser": "bar:memory"}' 2>&1)
is "cli.py --do sanitise-set class 00ff bar:memory succeeds" "$?" 0
d=$(cli --do device-get --json "{\"dev-addr\": \"$e\"}" 2>&1)
is "... edu0's dev-sanitiser follows" "$(field "$d" dev-sanitiser)" '"bar:memory"'
out=$(cli --do sanitise-set --json '{"sanitise-class": "00ff", "sanitiser": "bar:6"}' 2>&1)
isnt "cli.py --do sanitise-set with a bad sanitiser fails" "$?" 0
like "... with the kernel's reason in the extended ack" "$out" 'bar takes prefetchable, memory or BAR numbers 0-5'
out=$(cli --do sanitise-del --json '{"sanitise-class": "00ff"}' 2>&1)
is "cli.py --do sanitise-del class 00ff succeeds" "$?" 0
is "... edu0 is reset only again" "$(field "$(cli --do device-get --json "{\"dev-addr\": \"$e\"}" 2>&1)" dev-sanitiser)" '"none"'

# --- the sanitise agent's commands, through cli.py ---
out=$(cli --do agent-register 2>&1)
is "cli.py --do agent-register succeeds (its socket is the agent while it lives)" "$?" 0
out=$(cli --do agent-get 2>&1)
isnt "cli.py --do agent-get afterwards: none, cli.py's socket closed" "$?" 0
like "... with the kernel's reason" "$out" 'no sanitise agent is registered'

# --- requests, with a listener on the events group ---
# 6.12's cli.py listens only for --sleep SECS and prints what it heard at
# the end; the requests must finish well before: checked below.
listen=$((15 * WAIT_SCALE))
cli --subscribe events --sleep "$listen" >/tmp/ntf.json 2>&1 &
lpid=$!
read -r t0 _ </proc/uptime
# listening: the listener (subscribed before it sleeps) sleeps
listening() {
	for _p in /proc/[0-9]*; do
		tr '\0' ' ' <"$_p/cmdline" 2>/dev/null | grep -q -- '--subscribe events' || continue
		case $(cut -d' ' -f1 "$_p/syscall" 2>/dev/null) in 35 | 230) return 0 ;; esac
		grep -q nanosleep "$_p/wchan" 2>/dev/null && return 0
	done
	return 1
}
wait_for "a cli.py listener subscribed to the events group (--subscribe events --sleep $listen)" 30 listening

out=$(cli --multi device-reserve "{\"dev-addr\": \"$n\", \"force\": true}" \
	--multi device-reserve "{\"dev-addr\": \"$nic\", \"force\": true}" 2>&1)
is "cli.py --multi device-reserve nvme0 and nic0 (force) succeeds" "$?" 0
diag "$out"
r=$(printf '%s\n' "$out" | objs)
rn=$(printf '%s\n' "$r" | of "$n") rc=$(printf '%s\n' "$r" | of "$nic")
id_rn=$(field "$rn" req-id) id_rc=$(field "$rc" req-id)
like "... each reply carries a request id" "$id_rn $id_rc" '^[1-9][0-9]* [1-9][0-9]*$'
is "... req-cmd (device-reserve = 2) and req-errno 0" \
	"$(field "$rn" req-cmd)/$(field "$rn" req-errno) $(field "$rc" req-cmd)/$(field "$rc" req-errno)" "2/0 2/0"
wait_for "the kernel finished both reserves" 30 logged reserve "$n" "$nic"
is "nvme0 and nic0 are held by ppt" "$(drv "$n") $(drv "$nic")" "ppt ppt"

out=$(cli --multi device-get "{\"dev-addr\": \"$nic\"}" \
	--multi device-reset "{\"dev-addr\": \"$n\"}" \
	--multi device-reset "{\"dev-addr\": \"$e\", \"reset-method\": \"sbr\"}" 2>&1)
is "cli.py --multi device-get nic0, device-reset nvme0 (auto) and edu0 (reset-method sbr, by name) succeeds" "$?" 0
diag "$out"
r=$(printf '%s\n' "$out" | objs)
g=$(printf '%s\n' "$r" | of "$nic" | grep -v '"req-id"')
is "nic0 from pci-stub: dirty" "$(field "$g" dev-state)" '"dirty"'
is "... dev-tainted and dev-gated, flags" "$(field "$g" dev-tainted) $(field "$g" dev-gated)" "true true"
id_tn=$(field "$(printf '%s\n' "$r" | of "$n")" req-id) id_te=$(field "$(printf '%s\n' "$r" | of "$e")" req-id)
like "... the resets' replies carry request ids" "$id_tn $id_te" '^[1-9][0-9]* [1-9][0-9]*$'
wait_for "the kernel finished both resets" 30 logged reset "$n" "$e"

out=$(cli --multi device-release "{\"dev-addr\": \"$n\"}" \
	--multi device-release "{\"dev-addr\": \"$nic\", \"unclean\": true}" 2>&1)
is "cli.py --multi device-release nvme0, and nic0 unclean, succeeds" "$?" 0
diag "$out"
r=$(printf '%s\n' "$out" | objs)
id_ln=$(field "$(printf '%s\n' "$r" | of "$n")" req-id) id_lc=$(field "$(printf '%s\n' "$r" | of "$nic")" req-id)
like "... both replies carry request ids" "$id_ln $id_lc" '^[1-9][0-9]* [1-9][0-9]*$'
wait_for "the kernel finished both releases" 30 logged release "$n" "$nic"
has_drv() { [ "$(drv "$1")" = "$2" ]; }
wait_for "nvme0 is back with nvme" 30 has_drv "$n" nvme
read -r t1 _ </proc/uptime
diag "the requests were done $((${t1%.*} - ${t0%.*})) s after the listener started; it listens $listen s"
if kill -0 "$lpid" 2>/dev/null; then
	pass "the listener still listened when the last request finished"
else
	fail "the listener still listened when the last request finished" \
		"its --sleep $listen ended first: a slow host (raise WAIT_SCALE)"
fi

# --- what the listener heard ---
wait "$lpid"
is "the listener (cli.py --subscribe events) exited 0" "$?" 0
diag "$(cat /tmp/ntf.json)"
ntf=$(objs </tmp/ntf.json)
is "it printed nothing but its JSON (no undecodable or unexpected message)" \
	"$(grep -cv '^\[' /tmp/ntf.json)" 0
req() { printf '%s\n' "$ntf" | grep -F '"name": "request-ntf"' | grep -E "\"req-id\": $1[,}]"; }
for x in "nvme0_reserve $n $id_rn 2" "nic0_reserve $nic $id_rc 2" "nvme0_reset $n $id_tn 10" \
	"edu0_reset $e $id_te 10" "nvme0_release $n $id_ln 3" "nic0_release $nic $id_lc 3"; do
	# shellcheck disable=SC2086
	set -- $x
	what=$(echo "$1" | tr _ ' ') a=$2 id=$3 c=$4
	q=$(req "$id")
	is "request-ntf of the $what (req-id $id): its device, req-cmd $c, req-errno 0" \
		"$(field "$q" dev-addr) $(field "$q" req-cmd) $(field "$q" req-errno)" "\"$a\" $c 0"
done
dn=$(printf '%s\n' "$ntf" | grep -F '"name": "device-ntf"')
states() { printf '%s\n' "$dn" | of "$1" | sed -nE 's/.*"dev-state": "([^"]*)".*/\1/p' | tr '\n' ' '; }
is "nvme0's device-ntf states, by name" "$(states "$n")" \
	"reserving reserved resetting reserved releasing releasing "
is "nic0's device-ntf states: in dirty from pci-stub" "$(states "$nic")" "reserving dirty releasing releasing "
is "edu0's device-ntf states" "$(states "$e")" "resetting reserved "
last=$(printf '%s\n' "$dn" | of "$n" | grep '"dev-last-reset"' | tail -n 1)
is "nvme0 after its auto reset: dev-last-reset \"flr\", dev-last-reset-inferred" \
	"$(field "$last" dev-last-reset) $(field "$last" dev-last-reset-inferred)" '"flr" true'
like "... dev-last-reset-usec, a number" "$(field "$last" dev-last-reset-usec)" '^[0-9]+$'
like "... dev-reset-methods by name" "$(field "$last" dev-reset-methods)" '"flr"'
last=$(printf '%s\n' "$dn" | of "$e" | tail -n 1)
is "edu0 after its sbr: dev-last-reset \"sbr\", not inferred" \
	"$(field "$last" dev-last-reset) $(field "$last" dev-last-reset-inferred)" '"sbr" '
d=$(printf '%s\n' "$dn" | of "$nic" | grep -F '"dev-state": "dirty"')
is "nic0's device-ntf in dirty carries dev-tainted and dev-gated" \
	"$(field "$d" dev-tainted) $(field "$d" dev-gated)" "true true"
is "the last device-ntf of nvme0 and of nic0 has dev-removed" \
	"$(field "$(printf '%s\n' "$dn" | of "$n" | tail -n 1)" dev-removed) $(field "$(printf '%s\n' "$dn" | of "$nic" | tail -n 1)" dev-removed)" \
	"true true"
is "every device-ntf's dev-vendor is in hex" \
	"$(printf '%s\n' "$dn" | grep -vc '"dev-vendor": "0x[0-9a-f]*"')" 0
seqs=$(printf '%s\n' "$ntf" | sed -nE 's/.*"event-seq": ([0-9]+).*/\1/p')
is "every notification has an event-seq, counting up by one" \
	"$(printf '%s\n' "$seqs" | awk 'NR > 1 && $1 != p + 1 { bad++ } { p = $1 } END { print (NR > 0 && !bad) }')" 1
diag "$(printf '%s\n' "$ntf" | wc -l) notifications, event-seq $(printf '%s\n' "$seqs" | head -n 1) to $(printf '%s\n' "$seqs" | tail -n 1)"

out=$(cli --dump device-get 2>&1)
is "a last dump: the released devices are gone, edu0 stays" \
	"$(printf '%s\n' "$out" | objs | sed -nE 's/.*"dev-addr": "([^"]*)".*/\1/p')" "$e"
ok "rmmod ppt" rmmod ppt
done_testing
