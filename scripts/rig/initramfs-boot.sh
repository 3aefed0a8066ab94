#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Boot proof of ppt's initramfs-tools integration: build a real Debian
# initramfs with mkinitramfs for a test kernel, with ppt's installed hook,
# init-top script and modprobe.d softdeps, and boot it in QEMU (gpu
# topology: bochs-display 1234:1111 + its HDA audio function, and an
# e1000e) with ppt.ids=1234:1111.  A test-only init-premount script prints
# each device's driver and the loaded modules on the console and powers
# off.  Prints TAP.
#
#   scripts/rig/initramfs-boot.sh KERNEL [VARIANT...]
#
# KERNEL is 6.1 or 6.12 (scripts/rig/kernel-resolve.sh).  Variants:
#   init-top   ppt loaded by the init-top script before udev (default)
#   softdep    the init-top script left out: udev's coldplug loads bochs,
#              and the softdep loads ppt before it
#
# Nothing of the host's changes: mkinitramfs runs in a private mount
# namespace where /lib/modules/KREL, /lib/modprobe.d and
# /usr/share/initramfs-tools are overlays holding ppt.ko (with depmod) and
# what `make install DESTDIR=...` staged; its configuration is a copy of
# /etc/initramfs-tools (-d) with MODULES=list.
set -uo pipefail

src=$(cd "$(dirname "$0")/../.." && pwd)
build=${PPT_BUILD:-$src/build}
kname=${1:?usage: initramfs-boot.sh KERNEL [init-top|softdep]...}
shift
variants=("$@")
[ ${#variants[@]} -gt 0 ] || variants=(init-top)

eval "$("$src/scripts/rig/kernel-resolve.sh" "$kname")" || exit 2
ko=$build/kmod/$KREL/ppt.ko
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
notok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }

if [ ! -f "$ko" ]; then
	scripts=$src/scripts
	"$scripts/build-kmod.sh" "$KDIR" "$build/kmod/$KREL" >"$tmp/kmod.log" 2>&1 ||
		{ notok "ppt.ko builds for $KREL"; sed 's/^/#   /' "$tmp/kmod.log" | tail -n 20; echo "1..$n"; exit 1; }
fi
if ! make -s -C "$src" install DESTDIR="$tmp/stage" PREFIX=/usr >"$tmp/install.log" 2>&1; then
	notok "make install DESTDIR=... stages the host files"
	sed 's/^/#   /' "$tmp/install.log" | tail -n 20
	echo "1..$n"
	exit 1
fi

# The test's own init-premount script: what holds each device, then off.
mkconf() {	# mkconf DIR
	cp -a /etc/initramfs-tools "$1"
	sed -i -e 's/^MODULES=.*/MODULES=list/' -e 's/^COMPRESS=.*/COMPRESS=gzip/' "$1/initramfs.conf"
	printf '%s\n' bochs snd-hda-intel e1000e >"$1/modules"
	mkdir -p "$1/scripts/init-premount"
	cat >"$1/scripts/init-premount/ppt-test" <<'EOF'
#!/bin/sh
case $1 in prereqs) exit 0 ;; esac
for d in /sys/bus/pci/devices/*; do
	drv=none
	[ -e "$d/driver" ] && drv=$(basename "$(readlink "$d/driver")")
	echo "PPT-TEST dev ${d##*/} $(cat "$d/vendor"):$(cat "$d/device") driver=$drv"
done
echo "PPT-TEST modules $(cut -d' ' -f1 /proc/modules | tr '\n' ' ')"
echo "PPT-TEST done"
echo o >/proc/sysrq-trigger
sleep 30
EOF
	chmod 755 "$1/scripts/init-premount/ppt-test"
}

# mkinit VARIANT OUT: the initramfs, built in a private mount namespace.
mkinit() {
	local v=$1 out=$2 w=$tmp/ns-$1
	mkdir -p "$w"
	mkconf "$w/conf"
	unshare -m bash -euo pipefail -c '
		w=$1 krel=$2 ko=$3 stage=$4 v=$5 out=$6
		mount -t tmpfs ppt-test "$w/ov"
		ovl() {	# ovl DIR NAME: DIR becomes a writable overlay
			mkdir -p "$w/ov/$2/up" "$w/ov/$2/work"
			mount -t overlay overlay -o "lowerdir=$1,upperdir=$w/ov/$2/up,workdir=$w/ov/$2/work" "$1"
		}
		mkdir -p /lib/modprobe.d
		ovl "/lib/modules/$krel" modules
		ovl /lib/modprobe.d modprobe
		ovl /usr/share/initramfs-tools itools
		mkdir -p "/lib/modules/$krel/updates/dkms"
		cp "$ko" "/lib/modules/$krel/updates/dkms/ppt.ko"
		depmod "$krel"
		cp "$stage/lib/modprobe.d/ppt.conf" /lib/modprobe.d/
		cp -a "$stage/usr/share/initramfs-tools/." /usr/share/initramfs-tools/
		[ "$v" != softdep ] || rm /usr/share/initramfs-tools/scripts/init-top/ppt
		mkinitramfs -d "$w/conf" -o "$out" "$krel"
	' mkinit "$w" "$KREL" "$ko" "$tmp/stage" "$v" "$out" >"$w/mkinitramfs.log" 2>&1
}

for v in "${variants[@]}"; do
	out=$build/vm/$kname/initramfs-$v
	mkdir -p "$out" "$tmp/ns-$v/ov"
	rm -f "$out"/*
	if ! mkinit "$v" "$out/initrd.img"; then
		notok "$kname $v: mkinitramfs with ppt's hook"
		sed 's/^/#   /' "$tmp/ns-$v/mkinitramfs.log" | tail -n 20
		continue
	fi
	cp "$tmp/ns-$v/mkinitramfs.log" "$out/"
	lsinitramfs "$out/initrd.img" >"$out/initrd.list" 2>/dev/null
	if grep -q '/ppt.ko' "$out/initrd.list" && grep -q 'modprobe.d/ppt.conf' "$out/initrd.list"; then
		ok "$kname $v: the initramfs holds ppt.ko and modprobe.d/ppt.conf"
	else
		notok "$kname $v: the initramfs holds ppt.ko and modprobe.d/ppt.conf"
	fi
	timeout 180 qemu-system-x86_64 -accel tcg -M q35 -cpu max -smp 2 -m 1G \
		-nodefaults -nographic -no-reboot -monitor none -serial "file:$out/console.log" \
		-device intel-iommu,intremap=on,caching-mode=on \
		-device pcie-root-port,id=rp1,bus=pcie.0,chassis=1,slot=101,addr=0x4,x-speed=5,io-reserve=0 \
		-device bochs-display,id=gpu0,bus=rp1,addr=0.0,multifunction=on \
		-device ich9-intel-hda,id=gpu0-audio,bus=rp1,addr=0.1 \
		-device pcie-root-port,id=rp2,bus=pcie.0,chassis=1,slot=102,addr=0x5,x-speed=5,io-reserve=0 \
		-device e1000e,id=nic0,bus=rp2 \
		-kernel "$KIMAGE" -initrd "$out/initrd.img" \
		-append "console=ttyS0 intel_iommu=on panic=-1 ppt.ids=1234:1111" \
		>"$out/qemu.log" 2>&1
	rc=$?
	c=$out/console.log
	if ! grep -q 'PPT-TEST done' "$c"; then
		notok "$kname $v: the initramfs ran its test script (qemu status $rc)"
		tail -n 25 "$c" | sed 's/^/#   /'
		continue
	fi
	ok "$kname $v: Debian's initramfs booted and ran the test script"
	grep -o 'PPT-TEST.*' "$c" | tr -d '\r' | sed 's/^/# /'
	mods=$(sed -n 's/^PPT-TEST modules //p' "$c" | tr -d '\r')
	case " $mods " in
	*" ppt "*" bochs "* | *" bochs "*" ppt "*) ok "$kname $v: ppt and bochs both loaded" ;;
	*) notok "$kname $v: ppt and bochs both loaded (got: $mods)" ;;
	esac
	chk() {	# chk IDS WANT DESC
		local got
		got=$(sed -n "s/^PPT-TEST dev [^ ]* 0x${1%:*}:0x${1#*:} driver=//p" "$c" | tr -d '\r' | head -n 1)
		if [ "$got" = "$2" ]; then ok "$kname $v: $3"; else notok "$kname $v: $3 (driver: ${got:-no such device})"; fi
	}
	chk 1234:1111 ppt "the fake GPU (ppt.ids=1234:1111) is held by ppt, not bochs"
	chk 8086:293e snd_hda_intel "its audio function, not listed, has its host driver"
	chk 8086:10d3 e1000e "the e1000e, not listed, has its host driver"
done
echo "1..$n"
[ "$failed" -eq 0 ]
