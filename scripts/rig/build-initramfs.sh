#!/bin/bash
# build-initramfs.sh - build the gzip'd cpio initramfs a ppt test VM boots.
#
# Usage:
#   scripts/rig/build-initramfs.sh --kernel NAME --out FILE [--test FILE]
#       [--kmod DIR] [--bin FILE...] [--modules-extra LIST] [--file SRC:DEST]...
#
#   --kernel NAME         6.1 | 6.12 | debug | debug-VARIANT (see kernel-resolve.sh)
#   --out FILE            where to write the initramfs (gzip'd newc cpio)
#   --test FILE           guest test script, installed as /ppt/test.sh
#   --kmod DIR            project modules (*.ko, searched recursively) built for this
#                         kernel; installed in /lib/modules/KREL/extra/ and listed in
#                         /ppt/rig.env as RIG_KMODS
#   --bin FILE...         host executables installed in /ppt/bin (first on the guest's
#                         PATH) with their shared libraries; takes every following
#                         argument up to the next --option
#   --modules-extra LIST  more kernel modules (comma/space separated) to include
#   --file SRC:DEST       copy a host file to DEST in the guest (repeatable)
#
# Contents: busybox-static (+ applet links), kmod as /sbin/{modprobe,insmod,rmmod,
# lsmod,modinfo,depmod}, lspci/setpci + pci.ids, the host drivers the topologies need
# with their dependencies (modules decompressed, depmod -b run), the guest /init
# (scripts/rig/guest-init.sh) and /ppt/lib.sh (tests/vm/lib.sh).
#
# The image is two gzip'd newc archives one after the other (the kernel
# unpacks each in turn): a base with everything above but the test, which
# is the same for every test of a suite run on a kernel and is cached in
# $PPT_BUILD/initramfs-base/ (keyed by a hash of what goes in it: this
# script, the kernel's modules, --kmod, --bin, --modules-extra and the host's
# installed packages), and a small second archive per test: /init, lib.sh,
# the test, --file entries and /ppt/rig.env.  Building the base takes 2-4 s
# (5-9 s beside another VM); the second archive, under one.
set -euo pipefail

RIG_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$RIG_DIR/../.." && pwd)
PROG=build-initramfs.sh

# Host drivers for the emulated devices of scripts/rig/topologies.py, plus VFIO.
# A name that is built into the kernel is fine; one the kernel lacks entirely is
# reported (tests needing it will fail to load it).
DEFAULT_MODULES="vfio vfio-pci vfio_iommu_type1 pci-stub e1000e e1000 nvme bochs
snd_hda_intel virtio_net virtio_pci"

die() { echo "$PROG: $*" >&2; exit 1; }
note() { echo "$PROG: $*" >&2; }
usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"; exit "${1:-0}"; }

KNAME='' OUT='' TEST='' KMOD='' EXTRA_MODULES=''
BINS=() FILES=()
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) KNAME=${2:?--kernel needs a value}; shift 2 ;;
	--out) OUT=${2:?--out needs a value}; shift 2 ;;
	--test) TEST=${2:?--test needs a value}; shift 2 ;;
	--kmod) KMOD=${2:?--kmod needs a value}; shift 2 ;;
	--modules-extra) EXTRA_MODULES="$EXTRA_MODULES ${2:?--modules-extra needs a value}"; shift 2 ;;
	--file) FILES+=("${2:?--file needs SRC:DEST}"); shift 2 ;;
	--bin)
		shift
		while [ $# -gt 0 ] && [ "${1#--}" = "$1" ]; do BINS+=("$1"); shift; done
		;;
	-h | --help) usage 0 ;;
	*) echo "$PROG: unknown argument '$1'" >&2; usage 1 >&2 ;;
	esac
done
[ -n "$KNAME" ] || die "--kernel is required"
[ -n "$OUT" ] || die "--out is required"
[ -z "$TEST" ] || [ -f "$TEST" ] || die "test script '$TEST' not found"
[ -z "$KMOD" ] || [ -d "$KMOD" ] || die "--kmod directory '$KMOD' not found"

for tool in busybox kmod lspci setpci cpio gzip ldd; do
	command -v "$tool" >/dev/null || die "'$tool' not found on the host (Debian packages: busybox-static kmod pciutils cpio gzip)"
done
PCI_IDS=
for f in /usr/share/misc/pci.ids /usr/share/hwdata/pci.ids; do [ -f "$f" ] && PCI_IDS=$f && break; done
[ -n "$PCI_IDS" ] || die "pci.ids not found (Debian package: pci.ids)"

eval "$("$RIG_DIR/kernel-resolve.sh" "$KNAME")"
: "${KREL:?}" "${KMODDIR:?}"

# project modules (--kmod): their names go in rig.env, the files in the base
KOS=() KMODS=()
if [ -n "$KMOD" ]; then
	mapfile -t KOS < <(find "$KMOD" -name '*.ko' -type f | LC_ALL=C sort)
	[ ${#KOS[@]} -gt 0 ] || die "--kmod $KMOD contains no .ko files"
	for ko in "${KOS[@]}"; do KMODS+=("$(basename "$ko" .ko)"); done
fi
for b in "${BINS[@]}"; do
	[ -f "$b" ] || die "--bin $b: not found"
	[ -x "$b" ] || die "--bin $b: not executable"
done

# The base's key: everything that decides its content.  Host programs and
# the libraries ldd finds for them change only when packages do (dpkg's
# status file); a kernel's module tree changes with its modules.dep.
base_key() {
	{
		printf '%s\n' "$KNAME" "$KREL" "$KMODDIR" "$EXTRA_MODULES" "$PCI_IDS"
		printf '%s\n' "${BINS[@]}"
		for f in /var/lib/dpkg/status "$KMODDIR/modules.dep" "$KMODDIR/modules.builtin"; do
			[ ! -e "$f" ] || stat -L -c '%n %s %Y' "$f"
		done
		for t in busybox kmod lspci setpci; do stat -L -c '%n %s %Y' "$(command -v "$t")"; done
		sha256sum "${BASH_SOURCE[0]}" "${KOS[@]}" "${BINS[@]}"
	} | sha256sum | cut -c 1-16
}
BASEDIR=${PPT_BUILD:-$ROOT/build}/initramfs-base
BASE=$BASEDIR/$KREL-$(base_key).cpio.gz

STAGE=$(mktemp -d "${TMPDIR:-/tmp}/ppt-initramfs.XXXXXX")
TOP=$(mktemp -d "${TMPDIR:-/tmp}/ppt-initramfs-test.XXXXXX")
BASE_STAGE=$STAGE
# the half-written archives too, when a step fails
TMP_BASE='' TMP_OUT=''
trap 'rm -rf "$BASE_STAGE" "$TOP" ${TMP_BASE:+"$TMP_BASE"} ${TMP_OUT:+"$TMP_OUT"}' EXIT
MODDST=$STAGE/lib/modules/$KREL

# Copy one host file (following symlinks) to a path inside the image.
put() { # SRC DEST [MODE]
	mkdir -p "$STAGE$(dirname "$2")"
	cp -L "$1" "$STAGE$2"
	[ -z "${3:-}" ] || chmod "$3" "$STAGE$2"
}

# Install an executable plus the shared libraries and loader it needs (per ldd).
# Scripts and static binaries have no libraries.
put_exe() { # SRC DEST
	# absolute, so that ldd names a library next to it by an absolute path
	local src dst=$2 out lib
	src=$(readlink -f "$1")
	put "$src" "$dst" 0755
	# A library next to the binary (a project .so) is found too.
	if ! out=$(LC_ALL=C LD_LIBRARY_PATH=$(dirname "$src") ldd "$src" 2>&1); then
		case $out in
		*"not a dynamic executable"* | *"statically linked"*) return 0 ;;
		*) die "ldd $src failed: $out" ;;
		esac
	fi
	if grep -q 'not found' <<<"$out"; then
		die "$src needs shared libraries that are not installed on the host: $(grep 'not found' <<<"$out" | tr -s '\t ' ' ')"
	fi
	# "libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x...)" or "/lib64/ld-linux-x86-64.so.2 (0x...)"
	for lib in $(awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}' <<<"$out"); do
		case $lib in
		/lib/* | /lib64/* | /usr/lib/*) [ -e "$STAGE$lib" ] || put "$lib" "$lib" ;;
		*) put "$lib" "/lib/x86_64-linux-gnu/$(basename "$lib")" ;; # guest loader's default path
		esac
	done
}

# A tiny hand-made newc archive with the device nodes the kernel needs before /init
# mounts devtmpfs (/dev/console for init's stdio), so no root/mknod is needed here.
newc() { # NAME MODE(octal) RDEVMAJOR RDEVMINOR INO
	local nsz=$((${#1} + 1))
	printf '070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X' \
		"$5" $((8#$2)) 0 0 1 0 0 0 0 "$3" "$4" "$nsz" 0
	printf '%s\0' "$1"
	head -c $(((4 - (110 + nsz) % 4) % 4)) /dev/zero
}
devnodes() {
	newc dev 040755 0 0 1
	newc dev/console 020600 5 1 2
	newc dev/null 020666 1 3 3
	newc TRAILER!!! 0 0 0 0
}
# build_base: stage the base in $STAGE and archive it to $BASE.
build_base() {
mkdir -p "$STAGE"/{bin,sbin,usr/bin,usr/sbin,lib,lib64,etc,proc,sys,dev,tmp,run,root,ppt/bin,var/log} "$MODDST"

# --- busybox, kmod, pciutils ----------------------------------------------------
put_exe "$(command -v busybox)" /bin/busybox
for applet in $(busybox --list-full); do
	[ -e "$STAGE/$applet" ] || ln -s /bin/busybox "$STAGE/$applet"
done
# kmod's modprobe, not busybox's: the kernel's request_module() runs /sbin/modprobe
# and only kmod honours softdeps (vfio-pci -> vfio_iommu_type1).
put_exe "$(command -v kmod)" /bin/kmod
for t in modprobe insmod rmmod lsmod modinfo depmod; do ln -sfn /bin/kmod "$STAGE/sbin/$t"; done
put_exe "$(command -v lspci)" /usr/bin/lspci
put_exe "$(command -v setpci)" /usr/bin/setpci
put "$PCI_IDS" /usr/share/misc/pci.ids

cat >"$STAGE/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
EOF
cat >"$STAGE/etc/group" <<'EOF'
root:x:0:
EOF
echo ppt-vm >"$STAGE/etc/hostname"
# Login shell (--shell): the test helpers (and kmod wrappers) are at hand.
cat >"$STAGE/etc/profile" <<'EOF'
. /ppt/lib.sh
PS1='ppt-vm:$PWD# '
EOF
ln -s /proc/mounts "$STAGE/etc/mtab"

# --- project modules (--kmod) ---------------------------------------------------
local WANT=() ko name vermagic dep b m deps kind path rel plain f missing=()
local -A seen=()
if [ ${#KOS[@]} -gt 0 ]; then
	mkdir -p "$MODDST/extra"
	for ko in "${KOS[@]}"; do
		name=$(basename "$ko" .ko)
		[ ! -e "$MODDST/extra/$name.ko" ] || die "two modules named $name.ko under $KMOD"
		vermagic=$(modinfo -F vermagic "$ko") || die "modinfo $ko failed"
		[ "${vermagic%% *}" = "$KREL" ] ||
			die "$ko was built for kernel '${vermagic%% *}', not $KREL (kernel '$KNAME')"
		cp "$ko" "$MODDST/extra/"
		# modules it links against (e.g. vfio) must come from the kernel's tree
		for dep in $(modinfo -F depends "$ko" | tr ',' ' '); do WANT+=("$dep"); done
	done
fi

# --- kernel modules with their dependencies -------------------------------------
# modprobe --show-depends resolves hard dependencies and softdeps against the
# kernel's own modules.dep; -C /dev/null keeps the host's modprobe.d out of it.
MODBASE=${KMODDIR%/lib/modules/"$KREL"}
[ "$MODBASE/lib/modules/$KREL" = "$KMODDIR" ] || die "KMODDIR $KMODDIR does not end in lib/modules/$KREL"
MPARGS=(-C /dev/null -S "$KREL")
[ -z "$MODBASE" ] || MPARGS+=(-d "$MODBASE")
MODCACHE=${PPT_CACHE:-$HOME/.cache/ppt}/modules/$KREL
for m in $DEFAULT_MODULES "${WANT[@]}" $(tr ',' ' ' <<<"$EXTRA_MODULES"); do
	case " ${KMODS[*]} " in *" $m "*) continue ;; esac
	if ! deps=$(modprobe "${MPARGS[@]}" --show-depends "$m" 2>&1); then
		missing+=("$m")
		case " $EXTRA_MODULES ${WANT[*]} " in
		*" $m "*) die "module '$m' not found in $KMODDIR (asked for by --modules-extra or a --kmod module): $deps" ;;
		esac
		continue
	fi
	while read -r kind path _; do
		[ "$kind" = insmod ] || continue
		[ -z "${seen[$path]:-}" ] || continue
		seen[$path]=1
		rel=${path#"$KMODDIR"/}
		[ "$rel" != "$path" ] || die "modprobe resolved $m to $path, outside $KMODDIR"
		mkdir -p "$MODDST/$(dirname "$rel")"
		# Decompress on the host (faster than in a TCG guest), cached per kernel.
		case $path in
		*.ko.xz | *.ko.zst | *.ko.gz)
			plain=$MODCACHE/${rel%.*}
			if [ ! -f "$plain" ] || [ "$path" -nt "$plain" ]; then
				mkdir -p "$(dirname "$plain")"
				case $path in
				*.xz) xz -dc "$path" >"$plain.tmp.$$" ;;
				*.zst) zstd -dcq "$path" >"$plain.tmp.$$" ;;
				*.gz) gzip -dc "$path" >"$plain.tmp.$$" ;;
				esac
				mv -f "$plain.tmp.$$" "$plain"
			fi
			cp "$plain" "$MODDST/${rel%.*}"
			;;
		*.ko) cp "$path" "$MODDST/$rel" ;;
		*) die "unexpected module file $path" ;;
		esac
	done <<<"$deps"
done
[ ${#missing[@]} -eq 0 ] ||
	note "kernel $KREL has no module or built-in for: ${missing[*]} (tests that need them will fail to load them)"
for f in modules.builtin modules.builtin.modinfo modules.order; do
	[ ! -f "$KMODDIR/$f" ] || cp "$KMODDIR/$f" "$MODDST/"
done
[ -f "$MODDST/modules.builtin" ] || die "$KMODDIR/modules.builtin missing"
depmod_err=$(depmod -b "$STAGE" "$KREL" 2>&1) || die "depmod -b failed: $depmod_err"
[ -z "$depmod_err" ] || note "depmod: $depmod_err"

# --- binaries --------------------------------------------------------------------
for b in "${BINS[@]}"; do
	put_exe "$b" "/ppt/bin/$(basename "$b")"
done

# --- archive --------------------------------------------------------------------
mkdir -p "$BASEDIR"
TMP_BASE=$(mktemp "$BASE.XXXXXX")
rm -rf "${STAGE:?}/dev"
{
	devnodes
	(cd "$STAGE" && find . -mindepth 1 | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0)
} | gzip -1 >"$TMP_BASE"
chmod 0644 "$TMP_BASE"
mv -f "$TMP_BASE" "$BASE"
TMP_BASE=
# keep the newest bases: a full run uses three per kernel (plain, with the
# hostfs modules, and with bridge and bonding too) on five kernels
find "$BASEDIR" -name '*.cpio.gz' -printf '%T@ %p\n' | sort -rn | tail -n +21 |
	cut -d ' ' -f 2- | xargs -r rm -f
}

[ -f "$BASE" ] || build_base

# --- the test's own archive: test, helpers, extra files ---------------------------
# put's destination is $STAGE: the second archive is staged in $TOP
STAGE=$TOP
mkdir -p "$STAGE/ppt"
put "$RIG_DIR/guest-init.sh" /init 0755
put "$ROOT/tests/vm/lib.sh" /ppt/lib.sh 0644
if [ -n "$TEST" ]; then
	put "$TEST" /ppt/test.sh 0755
	TESTNAME=$(basename "$TEST" .sh)
else
	printf '#!/bin/sh\necho "1..0 # SKIP no test script given (build-initramfs.sh --test)"\n' >"$STAGE/ppt/test.sh"
	chmod 0755 "$STAGE/ppt/test.sh"
	TESTNAME=none
fi
for f in "${FILES[@]}"; do
	src=${f%%:*} dst=${f#*:}
	if [ "$src" = "$f" ] || [ "${dst#/}" = "$dst" ]; then
		die "--file wants SRC:/ABSOLUTE/DEST, got '$f'"
	fi
	[ -f "$src" ] || die "--file $src: not found"
	put "$src" "$dst"
done
{
	printf 'RIG_KNAME=%q\nRIG_KREL=%q\nRIG_TEST=%q\n' "$KNAME" "$KREL" "$TESTNAME"
	printf 'RIG_KMODS=%q\n' "${KMODS[*]}"
	# the host's cache, which hostfs tests reach through host_run
	printf 'RIG_HOST_CACHE=%q\n' "${PPT_CACHE:-$HOME/.cache/ppt}"
} >"$STAGE/ppt/rig.env"

mkdir -p "$(dirname "$OUT")"
TMP_OUT=$(mktemp "$OUT.XXXXXX")
{
	cat "$BASE"
	(cd "$STAGE" && find . -mindepth 1 | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0) |
		gzip -1
} >"$TMP_OUT"
chmod 0644 "$TMP_OUT"
mv -f "$TMP_OUT" "$OUT"
TMP_OUT=
