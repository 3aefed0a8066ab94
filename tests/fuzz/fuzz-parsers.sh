#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# fuzz-parsers.sh - a short libFuzzer run of each of pptadm's parsers (the
# variants file, the modprobe.d boot lists, device names, the command
# line), from the seeds committed in tests/fuzz/corpus/NAME/.  Prints TAP;
# the check's userspace stage runs it.
#
#   tests/fuzz/fuzz-parsers.sh [TARGET...]     (default: all four)
#
# Environment: PPT_FUZZ_RUNS (inputs per target, default 50000),
# PPT_FUZZ_SEED (libFuzzer's random seed, default 1: the same inputs each
# run, so a failure reproduces; `make fuzz` explores at random, for long),
# PPT_BUILD (build directory, default build/).  A crash, a leak, undefined
# behaviour or a broken invariant fails the target; its input is kept in
# BUILD/tests/fuzz/artifacts/ and the line to reproduce it is printed.
# Exit status 1 on any failure.
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
build=${PPT_BUILD:-$top/build}
out=$build/tests/fuzz
runs=${PPT_FUZZ_RUNS:-50000}
seed=${PPT_FUZZ_SEED:-1}
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(fuzz_variants fuzz_persist fuzz_names fuzz_args)

n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
notok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if ! command -v "${CLANG:-clang}" >/dev/null; then
	notok "the parser fuzzers build (no clang: make deps installs it)"
	echo "1..$n"
	exit 1
fi
if make -s -C "$top/tests/fuzz" O="$out" parsers >"$tmp/build.log" 2>&1; then
	ok "the parser fuzzers build (clang, -fsanitize=fuzzer,address,undefined)"
else
	notok "the parser fuzzers build (clang, -fsanitize=fuzzer,address,undefined)"
	tail -n 30 "$tmp/build.log" | sed 's/^/#   /'
	echo "1..$n"
	exit 1
fi

mkdir -p "$out/artifacts"
for t in "${targets[@]}"; do
	c=${t#fuzz_}
	seeds=$top/tests/fuzz/corpus/$c
	nseeds=$(find "$seeds" -type f 2>/dev/null | wc -l)
	if [ ! -x "$out/$t" ] || [ "$nseeds" -eq 0 ]; then
		notok "$t: a target with seeds in tests/fuzz/corpus/$c/"
		continue
	fi
	# new inputs go to a scratch directory: the committed seeds stay as they are
	mkdir -p "$tmp/$c"
	if "$out/$t" -runs="$runs" -seed="$seed" -artifact_prefix="$out/artifacts/$t-" \
		"$tmp/$c" "$seeds" >"$tmp/$t.log" 2>&1; then
		ok "$t: $runs inputs from $nseeds seeds, no finding (seed $seed)"
	else
		notok "$t: $runs inputs from $nseeds seeds (seed $seed)"
		grep -E 'ERROR|SUMMARY|runtime error|==[0-9]+==|Test unit written|^#[0-9]+ *(NEW|DONE)' \
			"$tmp/$t.log" | tail -n 25 | sed 's/^/#   /'
		art=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$tmp/$t.log" | tail -n1)
		[ -z "$art" ] || echo "#   reproduce: $out/$t $art"
	fi
done
echo "1..$n"
[ "$failed" -eq 0 ]
