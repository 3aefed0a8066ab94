#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# check-guide-vm.sh - the guides' examples that a VM test produces.
#
#   tests/userspace/check-guide-vm.sh
#
# Some examples in docs/integration/ can only come from a real kernel: a
# VM test prints them and compares them with a literal it keeps, marked
# "example NAME" in a comment, in a shell variable assignment spanning
# the lines between its quotes.  This checks that each such literal is the
# guide's block after "<!-- example: NAME -->", so the guide shows what the
# test saw.  It proves it can fail: a guide block changed by one character
# must not match.
#
# Prints TAP.  Exit status: 0 every check passed, 1 one failed.
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
notok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }

# the fenced block after "<!-- example: NAME -->" in FILE
block() {
	awk -v m="<!-- example: $2 -->" '$0 == m { f = 1; next }
		f && /^```/ { c++; if (c == 2) exit; next }
		f && c == 1' "$1"
}
# the literal VAR='...' after the comment naming "example NAME" in FILE,
# without its first and last (empty) lines
literal() {
	awk -v e="(example $2;" -v v="$3='" 'index($0, e) { f = 1 }
		f && index($0, v) == 1 { in_lit = 1; next }
		in_lit && $0 == "\x27" { exit }
		in_lit' "$1"
}

# guide file, example name, VM test, variable
examples=(
	"docs/integration/kubevirt.md kubevirt-pool tests/vm/61-recycle.sh pool_listing"
)
for e in "${examples[@]}"; do
	read -r doc name test var <<<"$e"
	want=$(literal "$top/$test" "$name" "$var")
	got=$(block "$top/$doc" "$name")
	if [ -z "$want" ]; then
		notok "$test keeps the example $name in $var"
		continue
	fi
	if [ "$got" = "$want" ]; then
		ok "$doc: example $name is what $test saw"
	else
		notok "$doc: example $name is what $test saw"
		diff <(echo "$want") <(echo "$got") | sed 's/^/#   /'
	fi
	# self-test: one character off must not pass
	if [ "${got/assigned/assignee}" != "$want" ]; then
		ok "self-test: $doc's $name changed by a character does not match"
	else
		notok "self-test: $doc's $name changed by a character does not match"
	fi
done
echo "1..$n"
[ "$failed" -eq 0 ]
