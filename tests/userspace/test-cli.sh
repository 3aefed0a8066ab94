#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# test-cli.sh - pptadm itself, built with ASan and UBSan: what it prints
# and its exit status for what needs no ppt module (the module is not
# loaded on the build machine; what needs it is tests/vm/'s): -V and
# version, help and its layout, -j and --pretty (-jp), -p, -o, tables,
# write errors on standard output (/dev/full, a closed pipe), and -b
# batches.  Prints TAP.
#
#   tests/userspace/test-cli.sh [PPTADM]     (default: $PPT_PPTADM)
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
P=${1:-${PPT_PPTADM:-}}
version=$(cat "$top/VERSION")
proto=$(sed -n 's/^#define PPT_GENL_VERSION[ \t]*\([0-9]*\).*/\1/p' "$top/include/uapi/linux/ppt.h")

n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
notok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }
skip() { n=$((n + 1)); echo "ok $n # skip $*"; }
note() { sed 's/^/#   /'; }

if [ -z "$P" ] || [ ! -x "$P" ]; then
	notok "a pptadm to run (PPT_PPTADM, or an argument)"
	echo "1..$n"
	exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# t WHAT WANT_STATUS [--out RE] [--err RE] [--no-out] -- ARGS...: run pptadm
# with ARGS; its exit status must be WANT_STATUS, its stdout match each
# --out RE (extended, against the whole output), its stderr each --err RE
t() {
	local what=$1 want=$2 rc bad=
	local -a outs=() errs=()
	local noout=
	shift 2
	while [ "$1" != -- ]; do
		case $1 in
		--out) outs+=("$2"); shift 2 ;;
		--err) errs+=("$2"); shift 2 ;;
		--no-out) noout=1; shift ;;
		esac
	done
	shift
	"$P" "$@" >"$tmp/out" 2>"$tmp/err" <"${T_STDIN:-/dev/null}"
	rc=$?
	[ "$rc" = "$want" ] || bad+="exit status $rc, not $want; "
	for re in "${outs[@]}"; do
		grep -Pzq -- "$re" "$tmp/out" || bad+="stdout does not match $re; "
	done
	for re in "${errs[@]}"; do
		grep -Pzq -- "$re" "$tmp/err" || bad+="stderr does not match $re; "
	done
	[ -z "$noout" ] || [ ! -s "$tmp/out" ] || bad+="stdout is not empty; "
	# a sanitizer's report
	grep -q 'Sanitizer\|runtime error' "$tmp/err" && bad+="a sanitizer spoke; "
	if [ -z "$bad" ]; then
		ok "$what"
	else
		notok "$what"
		echo "#   pptadm $*: $bad"
		head -n 20 "$tmp/out" | note
		head -n 20 "$tmp/err" | note
	fi
}

# full WHAT ARGS...: pptadm ARGS > /dev/full exits 1, saying why
full() {
	local what=$1 rc
	shift
	"$P" "$@" >/dev/full 2>"$tmp/err"
	rc=$?
	if [ $rc = 1 ] && grep -qx 'pptadm: write error: No space left on device' "$tmp/err"; then
		ok "$what > /dev/full: exit 1, write error said"
	else
		notok "$what > /dev/full: exit 1, write error said (exit $rc)"
		note <"$tmp/err"
	fi
}

loaded=
[ -d /sys/module/ppt ] && loaded=1
modline='module not loaded'
[ -z "$loaded" ] || modline='module [^ ]+ \(protocol'

printf '%s\n' '# versions' '' 'version' '  -j   version  # again' >"$tmp/b1"

# --- versions ----------------------------------------------------------
vline="pptadm $version \\(protocol $proto, JSON 1\\)"
t "-V: pptadm's version, its protocol and JSON" 0 --out "^$vline\n$modline" -- -V
t "--version: the same" 0 --out "^$vline\n" -- --version
t "the version command: the same" 0 --out "^$vline\n$modline" -- version
t "-V -j: one JSON object" 0 \
	--out "^\\{\"pptadm\":\"$version\",\"module\":[^,]+,\"protocol\":$proto,\"module_protocol\":[^,]+,\"json\":1\\}\n\$" -- -j -V
t "-jV: combined" 0 --out "^\\{\"pptadm\":\"$version\"" -- -jV
t "-jpV: pretty, over several lines" 0 --out "^\\{\n  \"pptadm\": \"$version\",\n  \"module\": " -- -jpV
t "-V with a command: a usage error" 2 --err 'list does not take -V/--version' --no-out -- -V list
[ -n "$loaded" ] || t "without the module: module null in JSON" 0 --out '"module":null,' -- -jV

# --- help --------------------------------------------------------------
t "help: the match block aligned, one form a line" 0 \
	--out '\n  match add \[--reset-pref METHOD\] ids\|device\|path\|vfs ENTRY\n  match del ids\|device\|path\|vfs ENTRY\n  match list ' -- help
t "help: run's second line under its options" 0 \
	--out '\n  run --owner ID [^\n]*\n      \[--user USER\]' -- help
t "help run: its second line under its options" 0 \
	--out '^usage: pptadm run --owner ID [^\n]*\n                  \[--user USER\]' -- help run
t "help match: each form after usage: pptadm" 0 \
	--out '^usage: pptadm match add [^\n]*\n       pptadm match del [^\n]*\n       pptadm match list ' -- help match
t "help names -b, --pretty, -V and -t" 0 \
	--out '\n  -b, --batch FILE ' --out '\n  --pretty ' --out '\n  -V, --version ' --out '\n  -t, --timestamps ' -- help

# --- SR-IOV ------------------------------------------------------------
t "sriov: a count that is not decimal is a usage error" 2 --no-out \
	--err 'sriov: VF count "0x4" is not a decimal number from 0 to 65535' -- sriov 01:00.0 0x4
t "add --vfs 0: a usage error" 2 --no-out \
	--err 'vfs "0": want a VF count, 1 to 65535' -- add --vfs 0 01:00.0
t "match add vfs with a count: a usage error naming sriov" 2 --no-out \
	--err 'a VF count is for the boot list .*pptadm sriov PF COUNT' -- match add vfs 01:00.0=4
PPT_MODPROBE_CONF=$tmp/ppt-devices.conf \
	t "sriov of a device that is not there: exit 1, named" 1 --no-out \
	--err 'sriov 00fe:00:1f.7: .*no PCI device 00fe:00:1f.7 in sysfs' -- sriov 00fe:00:1f.7 1
PPT_MODPROBE_CONF=$tmp/ppt-devices.conf \
	t "sriov -j: the failure as JSON" 1 \
	--out '"operation":"sriov","device":"00fe:00:1f.7"' -- -j sriov 00fe:00:1f.7 0

# --- formats -----------------------------------------------------------
t "--pretty without -j: a usage error" 2 --err 'needs -j' --no-out -- --pretty version
t "--parseable with -j: a usage error" 2 --err '--parseable and -j exclude each other' -- -j --parseable -o addr list
t "-p without -j or -o: says what -p is" 2 --err '-p needs -o FIELD.*with -j, -p is --pretty' -- -p list
t "-p with a command without -p: a usage error" 2 --err 'reserve does not take -p/--parseable' -- -p reserve 01:00.0
t "-t with list: a usage error" 2 --err 'list does not take -t/--timestamps' -- list -t
if [ -d /sys/bus/pci/devices ] && [ -n "$(ls /sys/bus/pci/devices)" ]; then
	first=$(ls /sys/bus/pci/devices | sort | head -n 1)
	t "list -a: a table" 0 --out '^ADDR +STATE +DRIVER' -- list -a
	if grep -Eq '(^| )--( |$)' "$tmp/out"; then
		notok "list -a: one placeholder for none, -"
		note <"$tmp/out"
	else
		ok "list -a: one placeholder for none, -"
	fi
	first_re=$(printf '%s' "$first" | sed 's/:/\\\\:/g')
	t "-p -o addr,state list -a: escaped colons, state -" 0 \
		--out "^$first_re:-\n" -- -p -o addr,state list -a
	t "-jp list -a: pretty JSON" 0 --out '^\{\n  "devices": \[\n    \{\n      "addr": "' -- -jp list -a -o addr
	t "-o addr,addr: a usage error naming the field" 2 \
		--err '-o names the field "addr" twice' --no-out -- list -a -o addr,addr
	t "-o addr,id: an alias counts" 2 --err '"addr" twice' -- list -a -o addr,id
	full "list -a" list -a
	full "-j list -a -o all" -j list -a -o all
else
	skip "list -a: no PCI devices in /sys here"
fi
full "help" help
full "-jV" -jV
full "-b FILE" -b "$tmp/b1"
"$P" help 2>&1 >/dev/null | grep -q . && notok "help > /dev/null: silent" || ok "help > /dev/null: silent, exit 0"
# a closed pipe with SIGPIPE ignored: EPIPE is a write error too
(trap '' PIPE; sleep 0.3; exec "$P" help) 2>"$tmp/err" | (exec <&-; sleep 1.5)
if grep -q 'write error: Broken pipe' "$tmp/err"; then
	ok "a closed pipe, SIGPIPE ignored: write error: Broken pipe"
else
	notok "a closed pipe, SIGPIPE ignored: write error: Broken pipe"
	note <"$tmp/err"
fi

# --- -b FILE -----------------------------------------------------------
t "-b FILE: each line, comments and blank lines skipped" 0 \
	--out "^$vline\n$modline[^\n]*\n\\{\"pptadm\":\"$version\"[^\n]*\\}\n\$" -- -b "$tmp/b1"
t "-j -b FILE: -j for every line" 0 \
	--out "^\\{\"pptadm\"[^\n]*\n\\{\"pptadm\"[^\n]*\n\$" -- -j -b "$tmp/b1"
t "-jp -b FILE: --pretty too" 0 --out "^\\{\n  \"pptadm\"" -- -jp -b "$tmp/b1"
printf '%s\n' 'version' 'resrve 01:00.0' 'version' >"$tmp/b2"
t "a bad line stops the batch: its status" 2 \
	--out "^$vline\n$modline[^\n]*\n\$" \
	--err "pptadm: $tmp/b2:2: unknown command \"resrve\" \\(did you mean reserve\\?\\)" -- -b "$tmp/b2"
t "--force: the lines after it run; the first failure's status" 2 \
	--out "^$vline\n$modline[^\n]*\n$vline\n" -- -b "$tmp/b2" --force
t "devlink's -batch and -force" 2 --out "^$vline\n$modline[^\n]*\n$vline\n" -- -batch "$tmp/b2" -force
printf '%s\n' "help 'version'" 'help "match"  ' >"$tmp/b3"
t "words quoted as a shell quotes them" 0 --out '^usage: pptadm version\n' --out 'usage: pptadm match add' \
	-- --batch "$tmp/b3"
T_STDIN=$tmp/b1 t "-b -: standard input" 0 --out "^$vline\n" -- -b -
printf '%s\n' 'monitor' >"$tmp/b4"
t "monitor does not run from a batch" 2 --err "$tmp/b4:1: monitor does not run from a batch" -- -b "$tmp/b4"
printf '%s\n' 'run --owner x 01:00.0 -- true' >"$tmp/b4"
t "nor run" 2 --err "$tmp/b4:1: run does not run from a batch" -- -b "$tmp/b4"
printf '%s\n' '-b other' >"$tmp/b4"
t "nor -b" 2 --err "$tmp/b4:1: -b/--batch does not run from a batch" -- -b "$tmp/b4"
printf '%s\n' "version 'unclosed" >"$tmp/b4"
t "a line that cannot be split: a usage error naming it" 2 --err "$tmp/b4:1: a ' is not closed" -- -b "$tmp/b4"
if [ -z "$loaded" ]; then
	printf '%s\n' 'show 0000:01:00.0' 'version' >"$tmp/b5"
	t "a command that fails: status 1, the line named" 1 \
		--err "$tmp/b5:1: the command failed; the lines after it are not run" --no-out -- -b "$tmp/b5"
	t "... -j: its failure as JSON on stdout" 1 --out '^\{"error":\{"errno":"ENOENT"' -- -j -b "$tmp/b5"
else
	skip "a command that fails (ppt is loaded here)"
fi
t "-b FILE that does not exist: exit 1" 1 --err "$tmp/none: No such file or directory" -- -b "$tmp/none"
t "-b with a command: a usage error" 2 --err 'list does not take -b/--batch' -- -b "$tmp/b1" list
t "-b with a command's option: a usage error" 2 \
	--err '-b/--batch takes -j, --pretty, --variants and --force, not --owner' -- -b "$tmp/b1" --owner x
(trap '' PIPE; sleep 0.3; exec "$P" -b "$tmp/b1" --force) \
	2>"$tmp/err" | (exec <&-; sleep 1.5)
if grep -q '^pptadm: write error' "$tmp/err" && [ "$(grep -c 'write error' "$tmp/err")" = 1 ]; then
	ok "-b --force into a closed pipe: one write error, the batch stops"
else
	notok "-b --force into a closed pipe: one write error, the batch stops"
	note <"$tmp/err"
fi

# --- export ----------------------------------------------------------------
printf 'v100 gpu 10de:1db4\nv100-audio gpu-audio 10de:10f0\n' >"$tmp/variants.conf"
t "export without a format: a usage error" 2 --err 'export needs a FORMAT: nova, kubevirt, cdi, triton or prometheus' -- export
t "export of an unknown format names it" 2 \
	--err 'unknown export format "graphite" \(want nova, kubevirt, cdi, triton or prometheus\)' -- export graphite
t "export prometheus --kind: not prometheus's" 2 --err 'export prometheus does not take --kind' -- export prometheus --kind a.io/b
t "export nova --prefix: not nova's" 2 --err 'export nova does not take --prefix' -- export nova --prefix a.io
t "export cdi --numa-policy: not cdi's" 2 --err 'export cdi does not take --numa-policy' -- export cdi --numa-policy legacy
t "export kubevirt DEVICE: no operands" 2 --err 'export kubevirt takes no DEVICE \("01:00.0" is one too many\)' -- \
	export kubevirt 01:00.0
t "--numa-policy names the bad value" 2 --err '--numa-policy "strict": want required, legacy, preferred or socket' -- \
	export nova --numa-policy strict
t "--prefix must be a DNS name" 2 --err '--prefix "PPT.io"' -- export kubevirt --prefix PPT.io
t "--kind must be VENDOR/CLASS" 2 --err '--kind "vfio": want VENDOR/CLASS' -- export cdi --kind vfio
t "export -o \"\": a usage error" 2 --err 'want a file to write' -- export kubevirt -o ''
t "export kubevirt needs no module: YAML" 0 \
	--out '^permittedHostDevices:\n  pciHostDevices:\n  - pciVendorSelector: "10de:1db4"\n    resourceName: "ppt.io/v100"\n    externalResourceProvider: false\n' -- \
	--variants "$tmp/variants.conf" export kubevirt
t "export kubevirt -o FILE: nothing on stdout" 0 --no-out -- \
	--variants "$tmp/variants.conf" export kubevirt -j -o "$tmp/kv.json"
if [ "$(cat "$tmp/kv.json" 2>/dev/null)" = "$("$P" --variants "$tmp/variants.conf" export kubevirt -j)" ] &&
   [ -z "$(find "$tmp" -name 'kv.json.*')" ]; then
	ok "export -o FILE: the file has the output, no temporary file is left"
else
	notok "export -o FILE: the file has the output, no temporary file is left"
fi
t "export -o into a missing directory: named, exit 1" 1 --err "cannot create a temporary file beside $tmp/none/kv.json" -- \
	--variants "$tmp/variants.conf" export kubevirt -o "$tmp/none/kv.json"
t "export kubevirt with a missing variants file: exit 1" 1 --err 'nonexistent' -- \
	--variants "$tmp/nonexistent" export kubevirt

t "sanitise list -o with an unknown field: usage error, the field named" 2 \
	--err 'unknown output field "bogus" \(fields: kind,selector,sanitiser,source\)' -- sanitise list -o kind,bogus

t "agent --jobs 0: usage error" 2 --err '\-\-jobs "0": want a number, 1 to 64' -- agent --jobs 0
t "agent status --jobs 2: usage error" 2 --err 'agent status does not take --jobs' -- agent status --jobs 2
t "agent with an unknown subcommand: usage error" 2 --err 'unknown agent command "stop"' -- agent stop
t "agent -j: usage error (it logs lines)" 2 --err 'agent logs lines on standard error' -- -j agent
t "agent from a batch: refused" 2 --err 'agent does not run from a batch' -- -b <(echo agent)
t "agent restore --jobs 2: usage error" 2 --err 'agent restore does not take --jobs' -- agent restore --jobs 2
t "agent restore -j: usage error" 2 --err 'agent restore takes no -j' -- -j agent restore
printf '# kept\n0000:00/03.0/00.0\n0000:zz:00.0\n' > "$tmp/tainted"
PPT_TAINTED_FILE="$tmp/tainted" t "agent restore with a bad line: file and line named, nothing given, exit 1" 1 \
	--err "agent restore: $tmp/tainted:3: \"0000:zz:00.0\" is neither a PCI address nor a topology path" -- agent restore
PPT_TAINTED_FILE="$tmp/none/tainted" t "agent restore with no file kept: nothing to give, exit 0" 0 \
	--out "^0 devices kept as tainted in $tmp/none/tainted given to ppt" -- agent restore

# --- without the module --------------------------------------------------
if [ -z "$loaded" ]; then
	t "agent without the module: exit 1" 1 --err 'cannot reach the ppt netlink family' -- agent --jobs 2
	printf '0000:00/03.0/00.0\n' > "$tmp/tainted"
	PPT_TAINTED_FILE="$tmp/tainted" t "agent restore without the module: said, exit 1" 1 \
		--err 'tainted does not exist: ppt is not loaded, or is too old to take tainted=' -- agent restore
	t "agent status -j without the module: the error object, exit 1" 1 \
		--out '^\{"error":\{"errno":"ENOENT",.*"operation":"agent status"' -- -j agent status
	t "sanitise list without the module: exit 1" 1 --err 'cannot reach the ppt netlink family' -- sanitise list
	t "-j show without the module: the error object, exit 1" 1 \
		--out '^\{"error":\{"errno":"ENOENT","code":2,.*"operation":"show","device":null' -- -j show 01:00.0
	t "-jp reserve: the error object, pretty" 1 --out '^\{\n  "error": \{\n    "errno": "ENOENT",' -- -jp reserve 01:00.0
	t "export nova without the module: exit 1" 1 --err 'cannot reach the ppt netlink family' -- \
		--variants "$tmp/variants.conf" export nova
	t "export triton without the module: exit 1, as list" 1 --err 'cannot reach the ppt netlink family' -- export triton
	t "monitor -t without the module: exit 1" 1 --err 'cannot reach the ppt netlink family' -- monitor -t
	t "check: INFO and SKIP lines, exit 1 (the module FAILs)" 1 --out '\nSKIP group +ppt manages no devices' -- check
	t "check -q: neither INFO nor SKIP" 1 --out '^FAIL ' -- check -q
	if grep -q 'INFO\|SKIP\|PASS' "$tmp/out"; then
		notok "check -q: only WARN and FAIL lines"
	else
		ok "check -q: only WARN and FAIL lines"
	fi
else
	skip "without the module (ppt is loaded here)"
fi

echo "1..$n"
[ "$failed" -eq 0 ]
