#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# check-abi.sh - fail when libppt's ABI changes incompatibly while its
# soname stays the same.  Prints TAP.
#
#   tests/userspace/check-abi.sh [--src DIR] [--baseline FILE] [--no-self-test]
#   tests/userspace/check-abi.sh --write-baseline
#
# It builds libppt.so from DIR (default: this tree) without sanitizers and
# with debug information, into a temporary directory, and compares it with
# the recorded baseline (default: DIR/userspace/lib/libppt.abi, written by
# abidw from abigail-tools: `make -C userspace abi-baseline` runs
# --write-baseline):
#   soname    the soname is the baseline's; when it is not (an incompatible
#             release), the comparison below is skipped: record the new ABI;
#   abidiff   nothing but additions: abidiff sets its "incompatible" bit (8)
#             only for a removed symbol, and a function whose parameters or
#             return type changed only sets bit 4, so abidiff runs with
#             --no-added-syms and any change it still reports fails;
#   nodes     a symbol the baseline lacks is in a version node the baseline
#             lacks: released nodes never grow (lib/libppt.map);
#   exports   the exported symbols are exactly the functions libppt.h
#             declares: nothing private leaks, nothing public is missing.
# Then it proves it can fail (unless --no-self-test): it runs itself on
# copies of the tree with a function's return type and parameters changed,
# a function taken out of the map, and a function added to the released
# node, and expects each run to fail, naming what changed; and on copies
# with a function added in a new node, and with a function taken out and
# the soname changed, and expects those to pass.
#
# Exit status: 0 every check passed, 1 one failed, 2 usage error.
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
self=$top/tests/userspace/check-abi.sh
src=$top
baseline=
selftest=1
write=

usage() { sed -n '7,8s/^# \{0,1\}//p' "$self"; }
while [ $# -gt 0 ]; do
	case $1 in
	--src)		src=$(cd "$2" && pwd) || exit 2; shift 2 ;;
	--baseline)	baseline=$2; shift 2 ;;
	--no-self-test)	selftest=; shift ;;
	--write-baseline) write=1; shift ;;
	-h|--help)	usage; exit 0 ;;
	*)		usage >&2; exit 2 ;;
	esac
done
baseline=${baseline:-$src/userspace/lib/libppt.abi}

n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
notok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }
note() { sed 's/^/#   /'; }
done_tap() { echo "1..$n"; [ "$failed" -eq 0 ]; exit $?; }

for tool in abidw abidiff nm readelf; do
	if ! command -v $tool >/dev/null; then
		notok "$tool is installed (abigail-tools, binutils: make deps)"
		done_tap
	fi
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The flags of every build compared: debug information for abidw, no
# optimisation (faster, and the types are the same).
ABI_CFLAGS="-O0 -g"
# Public types only (libppt.h and linux/ppt.h), without this machine's paths.
abidw_flags() {
	echo --no-corpus-path --no-comp-dir-path --no-show-locs --drop-private-types \
		--headers-dir "$1/userspace/include" --headers-dir "$1/include/uapi/linux"
}

# build TREE OUT: libppt.so of TREE in OUT; prints the library's path.
build() {
	local tree=$1 out=$2 lib
	if ! make -s -j2 -C "$tree/userspace" O="$out" CFLAGS="$ABI_CFLAGS" \
		"$out/libppt.so" >"$out.log" 2>&1; then
		return 1
	fi
	lib=$(readlink -f "$out/libppt.so")
	[ -f "$lib" ] && echo "$lib"
}

if [ -n "$write" ]; then
	lib=$(build "$src" "$tmp/lib") || { tail -n 20 "$tmp/lib.log" >&2; exit 1; }
	# shellcheck disable=SC2046
	abidw $(abidw_flags "$src") --out-file "$baseline" "$lib" || exit 1
	echo "check-abi: wrote $baseline ($(grep -c '<elf-symbol ' "$baseline") symbols)"
	exit 0
fi

if [ ! -s "$baseline" ]; then
	notok "the baseline $baseline exists (make -C userspace abi-baseline)"
	done_tap
fi
if ! lib=$(build "$src" "$tmp/lib"); then
	notok "libppt.so builds with $ABI_CFLAGS"
	tail -n 20 "$tmp/lib.log" | note
	done_tap
fi

want=$(sed -n "s/.*<abi-corpus [^>]*soname='\([^']*\)'.*/\1/p" "$baseline" | head -n 1)
got=$(readelf -d "$lib" | sed -n 's/.*Library soname: \[\(.*\)\].*/\1/p')
if [ "$want" != "$got" ]; then
	ok "soname $got is not the baseline's $want: an incompatible release may change anything"
	echo "#   record its ABI with make -C userspace abi-baseline, so later changes are checked"
	done_tap
fi
ok "soname $got is the baseline's"

# shellcheck disable=SC2046
abidiff --no-added-syms --hd2 "$src/userspace/include" --hd2 "$src/include/uapi/linux" \
	"$baseline" "$lib" >"$tmp/diff" 2>&1
rc=$?
if [ $((rc & 3)) -ne 0 ]; then
	notok "abidiff runs (status $rc)"
	note <"$tmp/diff"
elif [ $((rc & 12)) -ne 0 ]; then
	notok "no incompatible change with soname $got (abidiff status $rc: $([ $((rc & 8)) -ne 0 ] && echo "a symbol removed" || echo "a function's type changed")); bump SOVERSION, or undo it"
	note <"$tmp/diff"
else
	abidiff --hd2 "$src/userspace/include" --hd2 "$src/include/uapi/linux" \
		"$baseline" "$lib" >"$tmp/added" 2>&1
	added=$(grep -c "^  \[A\]" "$tmp/added")
	ok "no incompatible change since the baseline (functions added: $added)"
	[ "$added" -eq 0 ] || grep "^  \[A\]" "$tmp/added" | note
fi

# symbol@node of the baseline and of the build
sed -n "s/.*<elf-symbol name='\([^']*\)' version='\([^']*\)'.*/\1@\2/p" "$baseline" |
	sort -u >"$tmp/base.syms"
nm -D --defined-only --with-symbol-versions "$lib" | awk '$2 != "A" { print $3 }' |
	sed 's/@@*/@/' | sort -u >"$tmp/lib.syms"
cut -d@ -f2 "$tmp/base.syms" | sort -u >"$tmp/base.nodes"
grown=$(comm -13 "$tmp/base.syms" "$tmp/lib.syms" | while IFS=@ read -r sym node; do
	grep -qx "$node" "$tmp/base.nodes" && echo "$sym@$node"
done)
if [ -z "$grown" ]; then
	ok "released version nodes did not grow ($(tr '\n' ' ' <"$tmp/base.nodes"| sed 's/ $//'))"
else
	notok "released version nodes did not grow: add new calls in a new node (lib/libppt.map)"
	echo "$grown" | note
fi

# the functions libppt.h declares, and the symbols the library exports
cc -E -P -I"$src/userspace/include" -I"$src/include/uapi" \
	"$src/userspace/include/libppt.h" | tr -s ' \n\t' ' ' |
	grep -o '\bppt_[a-z0-9_]* *(' | tr -d ' (' | sort -u >"$tmp/declared"
cut -d@ -f1 "$tmp/lib.syms" | sort -u >"$tmp/exported"
if diff "$tmp/declared" "$tmp/exported" >"$tmp/exp.diff"; then
	ok "the library exports exactly what libppt.h declares ($(wc -l <"$tmp/exported") functions)"
else
	notok "the library exports exactly what libppt.h declares (< declared only, > exported only)"
	note <"$tmp/exp.diff"
fi

[ -n "$selftest" ] || done_tap

# A copy of the sources the library is built from.
copy_tree() {
	mkdir -p "$1/userspace" "$1/include"
	cp -r "$src/userspace/lib" "$src/userspace/include" "$src/userspace/Makefile" "$1/userspace/"
	cp -r "$src/include/uapi" "$1/include/"
	cp "$src/VERSION" "$1/"
}

# mutant NAME EXPECT PATTERN: run this check on the copy in $tmp/m/NAME;
# EXPECT is pass or fail, and a failure's output must match PATTERN.
mutant() {
	local name=$1 expect=$2 pattern=$3 out rc
	out=$("$self" --src "$tmp/m/$name" --baseline "$baseline" --no-self-test 2>&1)
	rc=$?
	if [ "$expect" = pass ] && [ $rc -eq 0 ]; then
		ok "self-test: $name passes"
	elif [ "$expect" = fail ] && [ $rc -ne 0 ] && grep -q "^not ok.*$pattern" <<<"$out"; then
		ok "self-test: $name fails ($pattern)"
	else
		notok "self-test: $name should $expect${pattern:+ ($pattern)} (status $rc)"
		note <<<"$out"
	fi
}

# a function's return type and parameters changed
copy_tree "$tmp/m/changed"
sed -i 's/^uint16_t ppt_dev_vendor(const struct ppt_dev \*d);/uint32_t ppt_dev_vendor(const struct ppt_dev *d, int which);/' \
	"$tmp/m/changed/userspace/include/libppt.h"
sed -i -e 's/^uint16_t ppt_dev_vendor(const struct ppt_dev \*d)$/uint32_t ppt_dev_vendor(const struct ppt_dev *d, int which)/' \
	-e 's/^\treturn d->vendor;$/\treturn d->vendor + (uint32_t)which;/' "$tmp/m/changed/userspace/lib/ppt_dev.c"
mutant changed fail "a function's type changed"

# a function taken out of the released node (and of the header)
copy_tree "$tmp/m/removed"
sed -i '/^\t\tppt_dev_dup;$/d' "$tmp/m/removed/userspace/lib/libppt.map"
sed -i '/^struct ppt_dev \*ppt_dev_dup(const struct ppt_dev \*d);$/d' \
	"$tmp/m/removed/userspace/include/libppt.h"
mutant removed fail "a symbol removed"

# a function added to the released node
copy_tree "$tmp/m/grown"
printf '\nint ppt_dev_new_call(const struct ppt_dev *d);\n' >>"$tmp/m/grown/userspace/include/libppt.h"
printf '\nint ppt_dev_new_call(const struct ppt_dev *d)\n{\n\treturn d != NULL;\n}\n' \
	>>"$tmp/m/grown/userspace/lib/ppt_dev.c"
sed -i 's/^\t\tppt_dev_dup;$/&\n\t\tppt_dev_new_call;/' "$tmp/m/grown/userspace/lib/libppt.map"
mutant grown fail "released version nodes did not grow"

# the same function in a node of its own: compatible
copy_tree "$tmp/m/added"
cp "$tmp/m/grown/userspace/include/libppt.h" "$tmp/m/added/userspace/include/"
cp "$tmp/m/grown/userspace/lib/ppt_dev.c" "$tmp/m/added/userspace/lib/"
# (a node after the map's last one, inheriting it)
last=$(sed -n 's/^\(LIBPPT_[0-9]*\.[0-9]*\) {$/\1/p' "$src/userspace/lib/libppt.map" | tail -n 1)
next=${last%.*}.$((${last##*.} + 1))
printf '\n%s {\n\tglobal:\n\t\tppt_dev_new_call;\n} %s;\n' "$next" "$last" \
	>>"$tmp/m/added/userspace/lib/libppt.map"
mutant added pass ""

# a function the header declares but the map does not export
copy_tree "$tmp/m/unlisted"
cp "$tmp/m/grown/userspace/include/libppt.h" "$tmp/m/unlisted/userspace/include/"
cp "$tmp/m/grown/userspace/lib/ppt_dev.c" "$tmp/m/unlisted/userspace/lib/"
mutant unlisted fail "exports exactly what libppt.h declares"

# the removal again, with a new soname: an incompatible release
cp -r "$tmp/m/removed" "$tmp/m/resonamed"
sed -i 's/^SOVERSION := 1$/SOVERSION := 2/' "$tmp/m/resonamed/userspace/Makefile"
mutant resonamed pass ""

done_tap
