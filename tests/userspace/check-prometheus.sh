#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# check-prometheus.sh - Prometheus's own promtool on what ppt gives it.
#
#   tests/userspace/check-prometheus.sh [FILE...]
#
# `promtool check metrics` (Debian's prometheus package) must accept, with
# no lint complaint, each FILE (pptadm export prometheus's output, as
# tests/vm/58-metrics.sh saves it) and, without FILE, the prometheus
# example of docs/integration/prometheus.md (test_export.c keeps it equal
# to pptadm's output) and then `promtool check rules` must accept the guide's
# alerting rules. It proves both checks can fail: a sample with a syntax
# error, one that breaks a naming rule (a counter without _total), and a
# rule with a broken expression must each be rejected.
#
# Prints TAP. Exit status: 0 every check passed, 1 one failed.
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
guide=$top/docs/integration/prometheus.md
n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
notok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }
note() { sed 's/^/#   /'; }

if ! command -v promtool >/dev/null; then
	notok "promtool is installed (the prometheus package: scripts/deps.sh)"
	echo "1..$n"
	exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# the fenced block after the marker line "<!-- KIND: NAME -->"
block() {
	awk -v m="<!-- $1: $2 -->" '$0 == m { f = 1; next }
		f && /^```/ { c++; if (c == 2) exit; next }
		f && c == 1' "$guide"
}

# metrics FILE WHAT: accepted, and nothing to say
metrics() {
	local out rc
	out=$(promtool check metrics <"$1" 2>&1)
	rc=$?
	if [ "$rc" -eq 0 ] && [ -z "$out" ]; then
		ok "promtool check metrics accepts $2 with no lint complaint"
	else
		notok "promtool check metrics accepts $2 with no lint complaint (status $rc)"
		printf '%s\n' "$out" | note
	fi
}

# rejected FILE WHAT: promtool must refuse it
rejected() {
	local out rc
	out=$(promtool check metrics <"$1" 2>&1)
	rc=$?
	if [ "$rc" -ne 0 ] && [ -n "$out" ]; then
		ok "self-test: promtool check metrics rejects $2"
	else
		notok "self-test: promtool check metrics rejects $2 (status $rc)"
	fi
}

if [ $# -eq 0 ]; then
	block example prometheus >"$tmp/example.prom"
	if [ -s "$tmp/example.prom" ]; then
		metrics "$tmp/example.prom" "the guide's example"
	else
		notok "docs/integration/prometheus.md has the example prometheus"
	fi
else
	for f in "$@"; do
		metrics "$f" "$f"
	done
fi

# proof that the metrics check can fail
printf '# HELP ppt_devices Devices.\n# TYPE ppt_devices gauge\nppt_devices{state="reserved" 1\n' \
	>"$tmp/syntax.prom"
rejected "$tmp/syntax.prom" "a sample with a syntax error"
printf '# HELP ppt_resets Resets.\n# TYPE ppt_resets counter\nppt_resets{method="flr"} 3\n' \
	>"$tmp/lint.prom"
rejected "$tmp/lint.prom" "a counter without the _total suffix (lint)"

# with FILEs (in a VM test's guest, without the tree): the metrics only
if [ $# -gt 0 ]; then
	echo "1..$n"
	[ "$failed" -eq 0 ]
	exit
fi

# the guide's alerting rules, and proof that that check can fail
block rules ppt-alerts >"$tmp/rules.yml"
out=$(promtool check rules "$tmp/rules.yml" 2>&1)
rc=$?
if [ -s "$tmp/rules.yml" ] && [ "$rc" -eq 0 ]; then
	ok "promtool check rules accepts the guide's alerting rules"
else
	notok "promtool check rules accepts the guide's alerting rules (status $rc)"
	printf '%s\n' "$out" | note
fi
sed 's/> 0$/> > 0/' "$tmp/rules.yml" >"$tmp/bad.yml"
if ! promtool check rules "$tmp/bad.yml" >/dev/null 2>&1 && ! cmp -s "$tmp/rules.yml" "$tmp/bad.yml"; then
	ok "self-test: promtool check rules rejects a broken expression"
else
	notok "self-test: promtool check rules rejects a broken expression"
fi

echo "1..$n"
[ "$failed" -eq 0 ]
