#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# `make check`'s demo stage: the README's first command, `make demo`, run as
# a new user runs it, from a tree with nothing built (the tracked and new
# files of this tree copied to a temporary directory, as a fresh clone has
# them), and what it shows checked.  The guest side (scripts/demo/guest.sh)
# asserts each step as a TAP case; this adds the host side: the demo
# exits 0 and prints its narrative.
#
#   scripts/demo-check.sh [KERNEL]     (default 6.12, as make demo)
set -uo pipefail

src=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

n=0 failed=0
tap() {	# tap STATUS DESCRIPTION
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=$((failed + 1)); fi
}

# a fresh clone's files: tracked and untracked-but-not-ignored, nothing built
(cd "$src" && git ls-files -z --cached --others --exclude-standard |
	cpio -0 -pdm --quiet "$tmp/tree" 2>/dev/null)
[ ! -e "$tmp/tree/build" ]
tap $? "the copied tree has no build directory"

# the same kernel cache as the rest of make check, nothing else shared
(cd "$tmp/tree" && unset PPT_BUILD && scripts/demo.sh "${1:-6.12}") >"$tmp/demo.out" 2>&1
rc=$?
sed 's/^/# /' "$tmp/demo.out" | sed 's/\x1b\[[0-9;]*m//g'
tap $rc "make demo runs from a tree with nothing built (exit status $rc)"
grep -q '^ok [0-9]* - demo ran' "$tmp/demo.out"
tap $? "the demo's guest narrative ran to its end"
! grep -q '^not ok' "$tmp/demo.out"
tap $? "every step the demo shows did what it says"
echo "1..$n"
echo "demo: $((n - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
