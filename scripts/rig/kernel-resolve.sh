#!/bin/bash
# kernel-resolve.sh - map a test-kernel name to the files the VM rig needs.
#
# Usage: scripts/rig/kernel-resolve.sh NAME
#   NAME  6.1 | 6.12      newest installed Debian kernel of that series
#         debug           debug kernel: scripts/rig/build-debug-kernel.sh 6.1
#         debug-VARIANT   another debug variant, e.g. debug-kasan:
#                         scripts/rig/build-debug-kernel.sh --variant debug-kasan 6.1
#         (source version: ${PPT_DEBUG_VERSION:-6.1})
#         debug-N.N, debug-VARIANT-N.N
#                         the same from linux-source-N.N, e.g. debug-6.12:
#                         scripts/rig/build-debug-kernel.sh --source 6.12
#
# Prints shell-evalable lines (eval "$(scripts/rig/kernel-resolve.sh 6.1)"):
#   KNAME    the name asked for
#   KREL     kernel release (uname -r of the guest)
#   KIMAGE   what QEMU boots with -kernel: for Debian kernels a vmlinux extracted
#            from /boot/vmlinuz-KREL (booted via PVH), cached under
#            ${PPT_CACHE:-$HOME/.cache/ppt}/vmlinux/KREL-SHA/; for debug kernels the
#            builder's vmlinux if it has a PVH entry note, else its bzImage
#   KMODDIR  the lib/modules/KREL tree modules are taken from
#   KDIR     kernel build/headers dir for out-of-tree modules (make -C KDIR M=...)
# Everything else (progress, errors) goes to stderr; exit status 1 on any error.
set -euo pipefail

RIG_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PROG=kernel-resolve.sh

die() { echo "$PROG: $*" >&2; exit 1; }

# Single-quote a value so the output is safe to eval in any POSIX shell.
q() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; }

emit() {
	printf 'KNAME=%s\nKREL=%s\nKIMAGE=%s\nKMODDIR=%s\nKDIR=%s\n' \
		"$(q "$NAME")" "$(q "$KREL")" "$(q "$KIMAGE")" "$(q "$KMODDIR")" "$(q "$KDIR")"
}

is_elf() { [ "$(head -c4 "$1" 2>/dev/null | od -An -tx1 | tr -d ' \n')" = 7f454c46 ]; }

# Does this ELF kernel have a PVH entry point (Xen ELF note XEN_ELFNOTE_PHYS32_ENTRY)?
has_pvh_note() {
	command -v readelf >/dev/null || die "readelf not found (install binutils)"
	readelf -n "$1" 2>/dev/null |
		grep -Eq '^[[:space:]]*Xen[[:space:]].*(\(0x00000012\)|PHYS32_ENTRY)'
}

# Extract the vmlinux ELF from a bzImage, as the kernel's scripts/extract-vmlinux
# does: find each candidate magic of a compressed payload, decompress from there and
# keep the first result that is an ELF file.
extract_vmlinux() { # IMG OUT
	local img=$1 out=$2 tmp pos magic marker tool
	tmp=$(mktemp "$out.XXXXXX")
	# magic (as tr(1) octal escapes), a marker string, decompressor
	local -a methods=(
		'\3757zXZ\000|abcde|xz -dc'
		'(\265/\375|xxx|zstd -dcq'
		'\037\213\010|xy|gzip -dc'
		'\002!L\030|xxx|lz4 -dc'
		'BZh|xy|bzip2 -dc'
		']\000\000\000|xxx|xz -dc --format=lzma'
	)
	for m in "${methods[@]}"; do
		IFS='|' read -r magic marker tool <<<"$m"
		command -v "${tool%% *}" >/dev/null || continue
		for pos in $(tr "$magic\n$marker" "\n$marker=" <"$img" | grep -abo "^$marker" || true); do
			pos=${pos%%:*}
			tail -c+"$pos" "$img" | $tool >"$tmp" 2>/dev/null || true
			if is_elf "$tmp"; then
				chmod 0644 "$tmp"
				mv -f "$tmp" "$out"
				return 0
			fi
		done
	done
	rm -f "$tmp"
	return 1
}

resolve_debian() { # SERIES (6.1 / 6.12)
	local series=$1 img sum cache pkg
	case $series in
	6.1) pkg=linux-image-amd64 ;;
	*) pkg=linux-image-$series-amd64 ;;
	esac
	img=$(ls -1 /boot/vmlinuz-"$series".*-amd64 2>/dev/null | sort -V | tail -n1 || true)
	[ -n "$img" ] || die "no /boot/vmlinuz-$series.*-amd64 installed (Debian package: $pkg)"
	KREL=${img#/boot/vmlinuz-}
	KMODDIR=/lib/modules/$KREL
	[ -f "$KMODDIR/modules.dep" ] || die "$KMODDIR/modules.dep missing: modules of $KREL are not installed"
	KDIR=$KMODDIR/build
	[ -f "$KDIR/Makefile" ] ||
		die "$KDIR/Makefile missing: install the headers package for $KREL (linux-headers-$KREL)"
	sum=$(sha256sum "$img" | cut -c1-16)
	cache=${PPT_CACHE:-$HOME/.cache/ppt}/vmlinux/$KREL-$sum
	KIMAGE=$cache/vmlinux
	if [ ! -f "$KIMAGE" ]; then
		mkdir -p "$cache"
		echo "$PROG: extracting vmlinux from $img into $cache" >&2
		case $series in
		6.12) command -v zstd >/dev/null || die "zstd not found: needed to unpack $img (apt-get install zstd)" ;;
		*) command -v xz >/dev/null || die "xz not found: needed to unpack $img (apt-get install xz-utils)" ;;
		esac
		extract_vmlinux "$img" "$KIMAGE" || die "could not extract a vmlinux ELF from $img"
	fi
}

resolve_debug() { # NAME: debug[-VARIANT][-N.N]
	local variant=$1 ver=${PPT_DEBUG_VERSION:-6.1} builder=$RIG_DIR/build-debug-kernel.sh out dir
	# A trailing -N.N names the source version: debug-6.12, debug-kasan-6.12.
	case $variant in
	*-[0-9]*.[0-9]*)
		ver=${variant##*-}
		variant=${variant%-*}
		;;
	esac
	[ -x "$builder" ] || die "$builder not found or not executable (needed for kernel '$NAME')"
	# The builder prints the path of its cache dir (last line of stdout); its
	# progress goes to stderr, which we pass through.
	out=$("$builder" --variant "$variant" "$ver") || die "$builder --variant $variant $ver failed"
	dir=$(printf '%s\n' "$out" | sed '/^[[:space:]]*$/d' | tail -n1)
	[ -d "$dir" ] || die "$builder printed '$dir', which is not a directory"
	[ -s "$dir/kernelrelease" ] || die "$dir/kernelrelease missing (debug builder output incomplete)"
	KREL=$(head -n1 "$dir/kernelrelease")
	KMODDIR=$dir/modules/lib/modules/$KREL
	KDIR=$dir/build
	[ -d "$KMODDIR" ] || die "$KMODDIR missing (debug builder output incomplete)"
	[ -d "$KDIR" ] || die "$KDIR missing (debug builder output incomplete)"
	if [ -f "$dir/vmlinux" ] && has_pvh_note "$dir/vmlinux"; then
		KIMAGE=$dir/vmlinux
	elif [ -f "$dir/bzImage" ]; then
		KIMAGE=$dir/bzImage
	else
		die "$dir has neither a PVH-bootable vmlinux nor a bzImage"
	fi
}

[ $# -eq 1 ] || die "usage: $PROG 6.1|6.12|debug[-VARIANT][-N.N]"
NAME=$1
case $NAME in
6.1 | 6.12) resolve_debian "$NAME" ;;
debug | debug-*) resolve_debug "$NAME" ;;
*) die "unknown kernel name '$NAME' (expected 6.1, 6.12, debug, debug-VARIANT, debug-N.N or debug-VARIANT-N.N)" ;;
esac
emit
