#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Run TAP-producing test programs and count their results.
#
#   scripts/tap-run.sh [--name NAME] PROGRAM...
#   scripts/tap-run.sh [--name NAME] -- COMMAND [ARG...]   (one command with arguments)
#
# Prints each program's output, then "NAME: N passed, N failed".  A program
# that exits non-zero without reporting a failure (a crash, a sanitizer
# abort), or whose plan does not match what it ran, counts as one more
# failure.  When PPT_CHECK_COUNTS names a file, "NAME PASSED FAILED" is
# appended to it for `make check`'s summary.  Exit status 1 on any failure.
set -uo pipefail

name=tests
if [ "${1:-}" = --name ]; then
	name=$2
	shift 2
fi

one=
if [ "${1:-}" = -- ]; then
	shift
	one=1
fi

passed=0 failed=0
for prog in "$@"; do
	if [ -n "$one" ]; then
		prog="$*"
		echo "# $prog"
		out=$("$@" 2>&1)
	else
		echo "# $prog"
		out=$("$prog" 2>&1)
	fi
	rc=$?
	printf '%s\n' "$out"
	p=$(grep -c '^ok ' <<<"$out")
	f=$(grep -c '^not ok ' <<<"$out")
	plan=$(sed -n 's/^1\.\.\([0-9][0-9]*\).*/\1/p' <<<"$out" | tail -n1)
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "not ok - $prog exited with status $rc"
		f=$((f + 1))
	elif [ -z "$plan" ] || [ "$plan" -ne $((p + f)) ]; then
		echo "not ok - $prog: plan ${plan:-missing}, ran $((p + f))"
		f=$((f + 1))
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	[ -z "$one" ] || break
done
echo "$name: $passed passed, $failed failed"
[ -n "${PPT_CHECK_COUNTS:-}" ] && echo "$name $passed $failed" >> "$PPT_CHECK_COUNTS"
[ "$failed" -eq 0 ]
