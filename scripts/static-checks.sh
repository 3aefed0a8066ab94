#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Static checks of the kernel code, as TAP: checkpatch --strict on every
# kernel source file, and a W=1 -Werror build with sparse (C=2) per kernel.
#
#   scripts/static-checks.sh KDIR...
#
# checkpatch.pl comes from Debian's linux-source-6.1 and is cached in
# $PPT_CACHE/checkpatch, keyed by the source package's version.
set -uo pipefail

src=$(cd "$(dirname "$0")/.." && pwd)
cache=${PPT_CACHE:-$HOME/.cache/ppt}
build=${PPT_BUILD:-$src/build}
n=0 failed=0

tap() {	# tap PASS(0/1) DESCRIPTION [DETAIL FILE]
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		[ -n "${3:-}" ] && sed 's/^/#   /' "$3" | head -n 60
		failed=$((failed + 1))
	fi
}

checkpatch_dir() {
	local tarball=/usr/src/linux-source-6.1.tar.xz ver dir
	[ -f "$tarball" ] || { echo "static-checks: $tarball missing; run 'make deps'" >&2; return 1; }
	ver=$(dpkg-query -W -f='${Version}' linux-source-6.1)
	dir=$cache/checkpatch/$ver
	if [ ! -x "$dir/scripts/checkpatch.pl" ]; then
		rm -rf "$dir.tmp" && mkdir -p "$dir.tmp"
		tar -C "$dir.tmp" --strip-components=1 -xJf "$tarball" \
			linux-source-6.1/scripts/checkpatch.pl \
			linux-source-6.1/scripts/spelling.txt \
			linux-source-6.1/scripts/const_structs.checkpatch || return 1
		rm -rf "$dir" && mv "$dir.tmp" "$dir"
	fi
	echo "$dir"
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if cp_dir=$(checkpatch_dir); then
	cd "$src"
	for f in kernel/*.[ch] kernel/compat/*.c include/uapi/linux/ppt.h tests/kunit/*.[ch]; do
		[ -f "$f" ] || continue
		"$cp_dir/scripts/checkpatch.pl" --strict --no-tree --terse --show-types \
			--ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG -f "$f" >"$tmp/cp" 2>&1
		if grep -q ': \(ERROR\|WARNING\|CHECK\):' "$tmp/cp"; then
			tap 1 "checkpatch --strict $f" "$tmp/cp"
		else
			tap 0 "checkpatch --strict $f"
		fi
	done
else
	echo "static-checks: cannot get checkpatch.pl" >"$tmp/cp"
	tap 1 "checkpatch available" "$tmp/cp"
fi

for kdir in "$@"; do
	krel=$(sed -n 's/^#define UTS_RELEASE "\(.*\)"/\1/p' "$kdir/include/generated/utsrelease.h")
	out=$build/static/$krel
	rm -rf "$out"
	"$src/scripts/build-kmod.sh" "$kdir" "$out" W=1 C=2 KCFLAGS=-Werror >"$tmp/b" 2>&1
	rc=$?
	# sparse and W=1 both report as "warning:"/"error:" lines
	grep -E '(warning|error):' "$tmp/b" >"$tmp/w"
	if [ $rc -eq 0 ] && [ ! -s "$tmp/w" ]; then
		tap 0 "W=1 -Werror build with sparse against $krel"
	else
		[ -s "$tmp/w" ] || tail -n 30 "$tmp/b" >"$tmp/w"
		tap 1 "W=1 -Werror build with sparse against $krel" "$tmp/w"
	fi
done
echo "1..$n"
[ "$failed" -eq 0 ]
