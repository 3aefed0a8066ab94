#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# `make install DESTDIR=...` installs exactly the files README.md lists
# between its "install-list" markers, and `make uninstall` removes them
# all.  Prints TAP.
set -uo pipefail

src=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
notok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }

sed -n '/<!-- install-list begin -->/,/<!-- install-list end -->/p' "$src/README.md" |
	grep -o '^/[^ ]*' | sort >"$tmp/documented"
if [ -s "$tmp/documented" ]; then
	ok "README.md lists $(wc -l <"$tmp/documented") installed files"
else
	notok "README.md lists the installed files (between <!-- install-list begin/end -->)"
fi
if make -s -C "$src" install DESTDIR="$tmp/root" PREFIX=/usr/local >"$tmp/log" 2>&1; then
	ok "make install DESTDIR=... PREFIX=/usr/local"
else
	notok "make install DESTDIR=... PREFIX=/usr/local"
	sed 's/^/#   /' "$tmp/log" | tail -n 20
fi
(cd "$tmp/root" && find . \( -type f -o -type l \) | sed 's/^\.//' | sort) >"$tmp/installed"
if diff -u "$tmp/documented" "$tmp/installed" >"$tmp/diff"; then
	ok "the installed files are the documented ones"
else
	notok "the installed files are the documented ones (- documented, + installed)"
	sed 's/^/#   /' "$tmp/diff"
fi
make -s -C "$src" uninstall DESTDIR="$tmp/root" PREFIX=/usr/local >"$tmp/log" 2>&1
left=$(cd "$tmp/root" && find . \( -type f -o -type l \) | sed 's/^\.//')
if [ -z "$left" ]; then
	ok "make uninstall removes them all"
else
	notok "make uninstall removes them all (left: $(echo $left))"
fi
echo "1..$n"
[ "$failed" -eq 0 ]
