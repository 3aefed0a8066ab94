#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# topology: basic
# kernels: debug
# timeout: 300
#
# run-in-guest.sh - guest side of the KUnit run (busybox sh, inside the test VM).
#
# Loads ppt_kunit.ko (installed by the rig from --kmod into
# /lib/modules/$(uname -r)/extra/), which runs its KUnit suites during the
# load, and prints the results as KTAP on stdout:
#
#   KTAP version 1
#       KTAP version 1              <- each suite as KUnit printed it to the
#       # Subtest: ppt_parse           kernel log (taken from dmesg, complete)
#       1..11
#       ...
#   ok 1 ppt_parse                  <- the suite's result, renumbered
#   ...
#   ok 3 - debugfs results agree with the kernel log
#   ok 4 - no kernel warnings while the tests ran
#   ok 5 - rmmod ppt_kunit
#   1..5
#
# The kernel log is the primary source because KUnit 6.1 keeps at most 512
# bytes per test case in /sys/kernel/debug/kunit/<suite>/results and silently
# truncates there (a parameterised case loses its own result line); debugfs
# is only used to cross-check each suite's final status.
#
# Run by scripts/rig/kunit-run.py; by hand:
#   scripts/rig/run-vm.py --kernel debug --test tests/kunit/run-in-guest.sh --kmod DIR
# Exit status: 0 all passed, 1 something failed or is missing.

set -u

MOD=ppt_kunit
MARK="ppt-kunit-run: start $$"
KTAP=/tmp/kunit.ktap
n=0
failed=0

tap() { # STATUS DESC
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		failed=$((failed + 1))
	fi
}

diag() { printf '%s\n' "$@" | sed 's/^/# /'; }

finish() {
	echo "1..$n"
	[ "$failed" -eq 0 ] && exit 0
	exit 1
}

echo "KTAP version 1"

krel=$(uname -r)
ko=/lib/modules/$krel/extra/$MOD.ko
if [ ! -e "$ko" ]; then
	tap 1 "$MOD.ko is installed"
	diag "$ko not found; pass --kmod DIR (a directory holding $MOD.ko) to run-vm.py"
	finish
fi

if [ ! -d /sys/kernel/debug/kunit ]; then
	mountpoint -q /sys/kernel/debug || mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
fi

# Everything the kernel logs after this marker belongs to this run.
echo "$MARK" >/dev/kmsg

# KUnit runs a module's suites from its module notifier, inside this insmod.
if ! out=$(insmod "$ko" 2>&1); then
	tap 1 "insmod $MOD"
	diag "$out"
	finish
fi

# The kernel log since the marker, without printk timestamps.
dmesg | sed -n "/$MARK/,\$p" | sed -E 's/^\[ *[0-9]+\.[0-9]+\] ?//' >/tmp/kunit.log

# Keep each suite's KTAP block: from its "    KTAP version 1" / "    # Subtest:"
# header to its result line at column 0 ("ok N name"), which is renumbered,
# and list "SUITE ok" / "SUITE not ok" in /tmp/kunit.summary.
awk -v summary=/tmp/kunit.summary '
	function flush_header() {
		if (hdr != "") { printf "%s", hdr; hdr = "" }
	}
	/^    KTAP version 1$/ && !in_suite { hdr = $0 "\n"; next }
	/^    # Subtest: / && !in_suite {
		in_suite = 1
		flush_header()
		print
		next
	}
	in_suite && /^(not )?ok [0-9]+ / {
		status = ($1 == "ok") ? "ok" : "not ok"
		rest = $0
		sub(/^(not )?ok [0-9]+ /, "", rest)
		nsuites++
		printf "%s %d %s\n", status, nsuites, rest
		split(rest, w, " ")
		printf "%s %s\n", w[1], status > summary
		if (status != "ok")
			nfailed++
		in_suite = 0
		next
	}
	in_suite { print; next }
	{ hdr = "" }
	END {
		if (in_suite) {
			print "    # incomplete: the kernel log ends inside this suite"
			nsuites++
			printf "not ok %d %s\n", nsuites, "(incomplete suite)"
			printf "(incomplete) not ok\n" > summary
		}
		close(summary)
	}
' /tmp/kunit.log >"$KTAP"
: >>/tmp/kunit.summary
cat "$KTAP"
suites=$(wc -l </tmp/kunit.summary)
n=$suites
failed=$(grep -c ' not ok$' /tmp/kunit.summary)

if [ "$suites" -eq 0 ]; then
	tap 1 "$MOD ran KUnit suites"
	diag "no KUnit suite output in the kernel log after insmod; the log since the marker:"
	diag "$(cat /tmp/kunit.log)"
fi

# Cross-check each suite's final status with debugfs.
mismatch=
for dir in /sys/kernel/debug/kunit/*/; do
	[ -r "$dir/results" ] || continue
	suite=$(basename "$dir")
	want=$(grep "^$suite " /tmp/kunit.summary | sed "s/^$suite //")
	[ -n "$want" ] || continue	# a suite of another module
	got=$(sed -n '$p' "$dir/results" | sed -E 's/ [0-9]+ .*//')
	[ "$got" = "$want" ] || mismatch="$mismatch $suite(log:$want,debugfs:$got)"
done
if [ -z "$mismatch" ]; then
	tap 0 "debugfs results agree with the kernel log"
else
	tap 1 "debugfs results agree with the kernel log"
	diag "differing suites:$mismatch"
fi

# A WARN/BUG/lockdep report during the run fails it even if every case passed.
splat=$(grep -E '(WARNING:|BUG:|Oops|general protection fault|INFO: possible|INFO: task .* blocked|UBSAN:|KASAN:|kernel BUG)' /tmp/kunit.log)
if [ -z "$splat" ]; then
	tap 0 "no kernel warnings while the tests ran"
else
	tap 1 "no kernel warnings while the tests ran"
	diag "$splat"
fi

if out=$(rmmod "$MOD" 2>&1); then
	tap 0 "rmmod $MOD"
else
	tap 1 "rmmod $MOD"
	diag "$out"
fi

finish
