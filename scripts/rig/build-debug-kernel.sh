#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# build-debug-kernel.sh - build (or find in the cache) ppt's debug test kernel.
#
# Builds an x86_64 kernel from Debian's /usr/src/linux-source-VERSION.tar.xz
# (package linux-source-VERSION): `make tinyconfig`, then the config
# fragment(s) in scripts/rig/debug-kernel/ are merged on top, every symbol the
# fragments name is checked in the final .config, then the kernel and its
# modules are built and installed into a cache directory:
#
#   ${PPT_CACHE:-$HOME/.cache/ppt}/kernels/<variant>-<version>-<hash>/
#     vmlinux        boots under QEMU with `-kernel vmlinux` (PVH entry point;
#                    not in debug-kasan, see ppt-debug-kasan.config: boot bzImage)
#     bzImage        the same kernel as a bzImage
#     kernelrelease  `uname -r` of that kernel (e.g. 6.1.192-ppt-debug)
#     config         the final .config
#     build/         the O= build tree: usable as KDIR for out-of-tree modules
#                    (`make -C .../build M=$PWD modules`; has Module.symvers)
#     modules/lib/modules/<kernelrelease>/   installed modules, depmod done
#     build.log      full build log
#     build-info     what went into the hash, and how long the build took
#
# <hash> covers the fragments' settings, the source package version and
# tarball, the compiler version and this script's RECIPE_VERSION; when the
# directory already exists nothing is built. The build happens in a temporary
# sibling directory that is renamed into place only when complete, so an
# interrupted or failed build never looks cached. Concurrent invocations for
# the same kernel serialise on a lock file.
#
# The cache directory is printed as the last line of stdout; progress goes to
# stderr. Exit status: 0 ok, 1 build or config failure, 2 usage/environment.
#
# Variants (-v/--variant):
#   debug        ppt-debug.config                          (LOCALVERSION -ppt-debug)
#   debug-kasan  ppt-debug.config + ppt-debug-kasan.config (LOCALVERSION -ppt-debug-kasan)
#
# Source versions (-s/--source VERSION, or the VERSION argument; default 6.1):
#   6.1    linux-source-6.1   (e.g. 6.1.192-ppt-debug)
#   6.12   linux-source-6.12  (e.g. 6.12.117-ppt-debug); adds source-6.12.config
# The same fragments apply to every source version; what one version needs on
# top of them goes in debug-kernel/source-VERSION.config, applied after the
# variant's fragments when it exists (and part of the hash like them). The
# source version is part of the cache directory's name and of the hash.
#
# Environment:
#   PPT_CACHE            cache root (default $HOME/.cache/ppt)
#   PPT_KERNEL_JOBS      make -j value (default: nproc)
#   PPT_KERNEL_SRC_DIR   where linux-source-VERSION.tar.xz lives (default /usr/src)
#   PPT_KEEP_FAILED=1    keep the temporary build tree of a failed build
#
# --force rebuilds even on a cache hit; --prune deletes this variant's stale
# builds (other hashes) and temporary trees instead of building.
#
# Build dependencies (Debian): linux-source-6.1 (linux-source-6.12 for
# --source 6.12) build-essential flex bison bc
# libelf-dev libssl-dev kmod cpio.

set -euo pipefail

# Bump when a change to this script changes what gets built (build steps,
# targets, make variables). Cosmetic edits must not force a 6-minute rebuild.
readonly RECIPE_VERSION=1
readonly ARCH=x86_64
readonly BASE_CONFIG=tinyconfig

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
readonly SCRIPT_DIR
readonly FRAGMENT_DIR=$SCRIPT_DIR/debug-kernel
readonly PROG=${0##*/}

die() {
	echo "$PROG: error: $*" >&2
	exit 1
}

readonly USAGE="usage: $PROG [-v|--variant debug|debug-kasan] [-s|--source VERSION] [--force|--prune] [VERSION (default 6.1)]"

usage_error() {
	echo "$PROG: $*" >&2
	echo "$USAGE" >&2
	exit 2
}

log() {
	echo "$PROG: $*" >&2
}

usage() {
	sed -n '/^# build-debug-kernel.sh/,/^# libelf-dev/{s/^# \{0,1\}//;p}' "$0"
	echo
	echo "$USAGE"
}

variant=debug
version=6.1
force=0
prune=0
while (($#)); do
	case $1 in
	-h | --help)
		usage
		exit 0
		;;
	-v | --variant)
		(($# >= 2)) || usage_error "$1 needs an argument"
		variant=$2
		shift 2
		;;
	--variant=*)
		variant=${1#*=}
		shift
		;;
	-s | --source)
		(($# >= 2)) || usage_error "$1 needs an argument"
		version=$2
		shift 2
		;;
	--source=*)
		version=${1#*=}
		shift
		;;
	--force)
		force=1
		shift
		;;
	--prune)
		prune=1
		shift
		;;
	-*) usage_error "unknown option: $1" ;;
	*)
		version=$1
		shift
		;;
	esac
done

[[ $version =~ ^[0-9]+\.[0-9]+$ ]] || usage_error "VERSION must look like 6.1, got '$version'"

# Fragments applied in order on top of tinyconfig; later ones win.
case $variant in
debug) fragments=("$FRAGMENT_DIR/ppt-debug.config") ;;
debug-kasan) fragments=("$FRAGMENT_DIR/ppt-debug.config" "$FRAGMENT_DIR/ppt-debug-kasan.config") ;;
*) usage_error "unknown variant '$variant' (known: debug, debug-kasan)" ;;
esac
# What this source version needs on top (e.g. 6.12: SLUB_TINY off).
[[ ! -e $FRAGMENT_DIR/source-$version.config ]] ||
	fragments+=("$FRAGMENT_DIR/source-$version.config")
for f in "${fragments[@]}"; do
	[[ -r $f ]] || die "config fragment missing: $f"
done

src_dir=${PPT_KERNEL_SRC_DIR:-/usr/src}
tarball=$src_dir/linux-source-$version.tar.xz
[[ -r $tarball ]] || {
	echo "$PROG: error: $tarball not found; install it with: apt-get install linux-source-$version" >&2
	exit 2
}

cache_root=${PPT_CACHE:-$HOME/.cache/ppt}

# The lines of a fragment that Kconfig reads: CONFIG_X=... and "# CONFIG_X is not set".
fragment_settings() {
	grep -E '^(CONFIG_[A-Za-z0-9_]+=|# CONFIG_[A-Za-z0-9_]+ is not set)' "$1" || true
}

# --- cache key -----------------------------------------------------------------
# Everything that determines the output. Cheap to compute (< 0.1 s): the source
# is identified by its package version plus the tarball's size and mtime, not
# by hashing 140 MB.
pkg_version=$(dpkg-query -W -f='${Version}' "linux-source-$version" 2>/dev/null || true)
tarball_id=$(stat -L -c '%s %Y' "$tarball")
cc_version=$(gcc --version 2>/dev/null | head -n1 || true)
[[ -n $cc_version ]] || {
	echo "$PROG: error: gcc not found; apt-get install build-essential" >&2
	exit 2
}

key_text=$(
	printf 'recipe %s\narch %s\nbase %s\nvariant %s\nversion %s\n' \
		"$RECIPE_VERSION" "$ARCH" "$BASE_CONFIG" "$variant" "$version"
	printf 'source-package %s\ntarball %s %s\ncc %s\n' \
		"${pkg_version:-none}" "${tarball##*/}" "$tarball_id" "$cc_version"
	# Only the settings count, in order: comment edits do not force a rebuild.
	for f in "${fragments[@]}"; do
		printf 'fragment %s %s\n' "${f##*/}" "$(fragment_settings "$f" | sha256sum | cut -d' ' -f1)"
	done
)
hash=$(printf '%s\n' "$key_text" | sha256sum | cut -c1-12)
name=$variant-$version-$hash
kernels_dir=$cache_root/kernels
out=$kernels_dir/$name

check_complete() {
	local d=$1 krel
	[[ -f $d/vmlinux && -f $d/bzImage && -s $d/kernelrelease && -f $d/build/Module.symvers ]] ||
		return 1
	krel=$(<"$d/kernelrelease")
	[[ -f $d/modules/lib/modules/$krel/modules.dep ]]
}

# --prune: remove this variant's builds for other hashes (stale), their
# failed-build logs, leftover temporary trees and lock files; never anything
# of the current hash, nor of a build in progress (its lock is held). Does not
# build.
if ((prune)); then
	shopt -s nullglob
	re="^\\.?(tmp\\.)?(${variant}-${version//./\\.}-[0-9a-f]{12})(\\..*)?\$"
	for d in "$kernels_dir/$variant-$version-"* "$kernels_dir/.tmp.$variant-$version-"* \
		"$kernels_dir/.$variant-$version-"*.lock; do
		[[ ${d##*/} =~ $re ]] || continue
		other=${BASH_REMATCH[2]}
		[[ $other != "$name" ]] || continue
		if [[ -e $kernels_dir/.$other.lock ]] && ! flock -n "$kernels_dir/.$other.lock" true; then
			log "build in progress, kept: $d"
			continue
		fi
		log "removing $d"
		rm -rf "$d"
	done
	exit 0
fi

if ((!force)) && [[ -d $out ]]; then
	check_complete "$out" ||
		die "$out exists but is incomplete; remove it (or use --force)"
	echo "$out"
	exit 0
fi

# --- preflight: tools the build needs --------------------------------------
missing=()
for tool in make gcc ld flex bison bc perl xz tar depmod cpio; do
	command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
[[ -e /usr/include/gelf.h ]] || missing+=("libelf-dev (gelf.h)")
[[ -e /usr/include/openssl/opensslv.h ]] || missing+=("libssl-dev (openssl headers)")
if ((${#missing[@]})); then
	echo "$PROG: error: missing build dependencies: ${missing[*]}" >&2
	echo "$PROG: try: apt-get install --no-install-recommends build-essential flex bison bc libelf-dev libssl-dev kmod cpio xz-utils" >&2
	exit 2
fi

mkdir -p "$kernels_dir" "$cache_root/src"

# Serialise builds of this kernel; a second caller waits, then hits the cache.
exec 9>"$kernels_dir/.$name.lock"
if ! flock -n 9; then
	log "another build of $name is running; waiting for it"
	flock 9
fi
if ((!force)) && [[ -d $out ]] && check_complete "$out"; then
	echo "$out"
	exit 0
fi

start=$(date +%s)

# --- unpack the source once (shared by all variants) ---------------------------
srcroot=$cache_root/src/linux-source-$version-${pkg_version:-unknown}-$(printf '%s' "$tarball_id" | sha256sum | cut -c1-8)
exec 8>"$srcroot.lock"
flock 8
if [[ ! -f $srcroot/Makefile ]]; then
	log "unpacking $tarball into $srcroot"
	rm -rf "$srcroot.tmp"
	mkdir -p "$srcroot.tmp"
	tar -xJf "$tarball" -C "$srcroot.tmp" --strip-components=1 ||
		die "could not unpack $tarball"
	[[ -f $srcroot.tmp/Makefile ]] || die "$tarball does not look like a kernel source tree"
	rm -rf "$srcroot"
	mv "$srcroot.tmp" "$srcroot"
fi
flock -u 8
exec 8>&-
# The source tree must stay pristine: builds use O=, and Kbuild refuses an O=
# build when the source tree itself has been configured.
[[ ! -e $srcroot/.config ]] || die "$srcroot has a .config; it must be clean (make mrproper there)"

# --- build in a temporary directory --------------------------------------------
rm -rf "$kernels_dir/.tmp.$name."*
tmp=$(mktemp -d "$kernels_dir/.tmp.$name.XXXXXX")
chmod 755 "$tmp"
cleanup() {
	local rc=$?
	if [[ -n ${tmp:-} && -d $tmp ]]; then
		if ((rc != 0)) && [[ ${PPT_KEEP_FAILED:-0} == 1 ]]; then
			log "kept failed build tree: $tmp"
		else
			rm -rf "$tmp"
		fi
	fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

buildlog=$tmp/build.log
failed_log=$kernels_dir/$name.failed.log
jobs=${PPT_KERNEL_JOBS:-$(nproc)}
kmake=(make -C "$srcroot" O="$tmp/build" ARCH="$ARCH" -j"$jobs")

printf '%s\n' "$key_text" >"$tmp/build-info"

# Runs a build step with its output appended to the log; on failure shows the
# log's tail, keeps a copy next to the cache and exits.
step() {
	local what=$1
	shift
	log "$what"
	printf '\n=== %s: %s\n' "$what" "$*" >>"$buildlog"
	if ! "$@" >>"$buildlog" 2>&1; then
		cp "$buildlog" "$failed_log" 2>/dev/null || true
		echo "$PROG: error: step failed: $what" >&2
		echo "$PROG: --- last 40 lines of the build log (full log: $failed_log) ---" >&2
		tail -n 40 "$buildlog" >&2
		exit 1
	fi
}

# Prints fragment symbols whose final value differs from what was asked for.
verify_config() {
	local config=$1
	shift
	awk '
		FNR == NR {
			if (match($0, /^CONFIG_[A-Za-z0-9_]+=/)) {
				sym = substr($0, 1, RLENGTH - 1)
				have[sym] = substr($0, RLENGTH + 1)
			}
			next
		}
		/^CONFIG_[A-Za-z0-9_]+=/ {
			match($0, /^CONFIG_[A-Za-z0-9_]+=/)
			sym = substr($0, 1, RLENGTH - 1)
			want[sym] = substr($0, RLENGTH + 1)
			if (!(sym in order)) { order[sym] = ++n; list[n] = sym }
			next
		}
		/^# CONFIG_[A-Za-z0-9_]+ is not set/ {
			sym = $2
			want[sym] = "n"
			if (!(sym in order)) { order[sym] = ++n; list[n] = sym }
		}
		END {
			bad = 0
			for (i = 1; i <= n; i++) {
				sym = list[i]
				got = (sym in have) ? have[sym] : "n"
				if (got != want[sym]) {
					printf "  %s: wanted %s, got %s\n", sym, want[sym], \
						(sym in have) ? got : "n (unset or dependencies not met)"
					bad = 1
				}
			}
			exit bad
		}
	' "$config" "$@"
}

log "building $variant kernel $version ($name) with -j$jobs; log: $buildlog"
step "configure: $BASE_CONFIG" "${kmake[@]}" "$BASE_CONFIG"
step "configure: merge ${fragments[*]##*/}" \
	"$srcroot/scripts/kconfig/merge_config.sh" -m -O "$tmp/build" \
	"$tmp/build/.config" "${fragments[@]}"
step "configure: olddefconfig" "${kmake[@]}" olddefconfig
if ! bad=$(verify_config "$tmp/build/.config" "${fragments[@]}"); then
	cp "$buildlog" "$failed_log" 2>/dev/null || true
	echo "$PROG: error: Kconfig did not keep these fragment settings (missing dependencies?):" >&2
	echo "$bad" >&2
	exit 1
fi
cp "$tmp/build/.config" "$tmp/config"

step "build: vmlinux bzImage modules" "${kmake[@]}" vmlinux bzImage modules
krel=$(make -s -C "$srcroot" O="$tmp/build" ARCH="$ARCH" kernelrelease)
[[ -n $krel ]] || die "could not determine kernelrelease"
printf '%s\n' "$krel" >"$tmp/kernelrelease"

step "install: modules (depmod)" "${kmake[@]}" modules_install INSTALL_MOD_PATH="$tmp/modules"
moddir=$tmp/modules/lib/modules/$krel
[[ -f $moddir/modules.dep ]] || die "modules_install did not run depmod ($moddir/modules.dep missing)"
# modules_install points these at absolute paths of the temporary tree; make
# them relative so they survive the rename below.
rm -f "$moddir/build" "$moddir/source"
ln -s ../../../../build "$moddir/build"
ln -s "$srcroot" "$moddir/source"

cp "$tmp/build/vmlinux" "$tmp/vmlinux"
cp "$tmp/build/arch/x86/boot/bzImage" "$tmp/bzImage"
[[ -s $tmp/build/Module.symvers ]] ||
	log "note: Module.symvers is empty (no exported symbols?)"

end=$(date +%s)
printf 'built %s in %d s (-j%s) on %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
	"$((end - start))" "$jobs" "$(uname -n)" >>"$tmp/build-info"
check_complete "$tmp" || die "build finished but output is incomplete in $tmp"

if [[ -d $out ]]; then
	# --force: move the old tree out of the way first (rename is atomic).
	mv "$out" "$kernels_dir/.old.$name.$$"
	rm -rf "$kernels_dir/.old.$name.$$"
fi
mv "$tmp" "$out"
tmp=
rm -f "$failed_log"
log "done in $((end - start)) s: $krel"
echo "$out"
