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
# systemd itself reads the installed unit: every key known, every command
# there (pptadm as installed under DESTDIR), nothing to warn about
unit=$tmp/root/lib/systemd/system/ppt-agent.service
verify_unit() { # FILE: systemd-analyze verify, and its complaints
	systemd-analyze verify --man=no "$1" 2>&1
}
if ! command -v systemd-analyze >/dev/null; then
	notok "systemd-analyze is installed (make deps)"
elif [ -f "$unit" ]; then
	mkdir -p "$tmp/unit"
	sed "s|^ExecStart=/|ExecStart=$tmp/root/|" "$unit" >"$tmp/unit/ppt-agent.service"
	out=$(verify_unit "$tmp/unit/ppt-agent.service")
	if [ $? -eq 0 ] && [ -z "$out" ]; then
		ok "systemd-analyze verify accepts ppt-agent.service, with nothing to say"
	else
		notok "systemd-analyze verify accepts ppt-agent.service"
		printf '%s\n' "$out" | sed 's/^/#   /'
	fi
	# proved on a broken copy: a misspelt key is said
	sed 's/^RestartSec=/RestartSecs=/' "$tmp/unit/ppt-agent.service" >"$tmp/unit/bad.service"
	if [ -n "$(verify_unit "$tmp/unit/bad.service")" ]; then
		ok "... and it would say so of a misspelt key"
	else
		notok "... and it would say so of a misspelt key"
	fi
else
	notok "make install installs ppt-agent.service"
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
