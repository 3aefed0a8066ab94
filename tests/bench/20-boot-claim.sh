#!/bin/sh
# 20-boot-claim.sh - the boot claim, measured side by side in one VM (the
# scale topology: 64 edus behind their own root ports, 142 functions):
# ppt loaded with 64 functions listed against 1, as from the initramfs with
# ppt.devices= on the command line.  At load ppt sets the override of each
# listed function and registers its driver, whose probe records the
# function and saves its config space: that is the boot claim.
#  - ppt's init time (the kernel's own timestamps, from parsing the boot
#    lists to "loaded") with devices= naming 64 functions against 1: total,
#    and per function: the init time less that of a load whose list names
#    no function present (the fixed cost: the family, the driver's
#    registration), per function listed (goal: a function costs no more among 64 than alone);
#  - the same 64 named by one ids= entry against 64 devices= entries (each
#    function is matched against each entry: goal, matching is not the cost);
#  - modprobe's wall time, 64 against 1 (module load and init).
# Seven loads of each, interleaved; medians.  Prints "# BENCH
# name|baseline|measured|ratio|goal" lines for scripts/bench.sh.
# topology: scale
# timeout: 600
# shellcheck source=tests/vm/lib.sh
. /ppt/lib.sh

T=/ppt/bin/ppt-timeit
[ -x "$T" ] || bail_out "no $T in this initramfs"
# ppt logs each function it takes; on the rig's emulated serial console a
# line costs the guest milliseconds, which a host's console does not
dmesg -n 4

all=
for i in $(seq 0 63); do
	all="$all${all:+,}$(bdf "edu$i")" || bail_out "no edu$i"
done
one=${all%%,*}
is "64 edus in the topology" "$(echo "$all" | tr ',' '\n' | wc -l)" 64

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b / a }'; }
# dmesg's timestamp of the first line matching ERE, in us
stamp() {
	dmesg | grep -E "$1" | head -n 1 |
		sed -n 's/^\[ *\([0-9]*\)\.\([0-9]*\)\].*/\1 \2/p' | awk '{ print $1 * 1000000 + $2 }'
}

# load ARGS...: load ppt with ARGS, check it took N functions, append its init
# time (us) to /tmp/init.NAME and modprobe's wall time to /tmp/wall.NAME; unload
load() { # NAME N ARGS...
	_name=$1 _n=$2
	shift 2
	dmesg -c >/dev/null
	_w=$("$T" /sbin/modprobe ppt "$@") || bail_out "modprobe ppt $*: $_w"
	_got=$(pptadm -p -o state list | grep -c '^reserved$')
	[ "$_got" -eq "$_n" ] || bail_out "ppt took $_got functions, not $_n ($*)"
	_t0=$(stamp 'ppt: boot lists') _t1=$(stamp 'ppt: loaded')
	if [ -z "$_t0" ] || [ -z "$_t1" ]; then bail_out "no init timestamps in dmesg"; fi
	echo $((_t1 - _t0)) >>"/tmp/init.$_name"
	echo "${_w#time }" >>"/tmp/wall.$_name"
	rmmod ppt || bail_out "rmmod ppt"
}

for name in 0 1 64 ids; do : >"/tmp/init.$name"; : >"/tmp/wall.$name"; done
load warmup 64 devices="$all"
for _ in 1 2 3 4 5 6 7; do
	load 0 0 devices=0000:7f:1f.7
	load 1 1 devices="$one"
	load 64 64 devices="$all"
	load ids 64 ids=1234:11e8
done
pass "29 loads and unloads, each taking the functions listed"
for name in 0 1 64 ids; do
	diag "$name: init $(tr '\n' ' ' <"/tmp/init.$name")us; modprobe $(tr '\n' ' ' <"/tmp/wall.$name")us"
done
t0=$(median </tmp/init.0)
t1=$(median </tmp/init.1)
t64=$(median </tmp/init.64)
tids=$(median </tmp/init.ids)
w1=$(median </tmp/wall.1)
w64=$(median </tmp/wall.64)
c1=$((t1 - t0))
c64=$(((t64 - t0) / 64))
diag "fixed cost (a list naming nothing present) $t0 us; per function: alone $c1 us, among 64 $c64 us"

diag "BENCH boot claim: ppt's init with 64 functions listed vs 1 (devices=, kernel time)|$t1 us|$t64 us|$(ratio "$t1" "$t64")x|<= 64x (linear)"
diag "BENCH boot claim per function (init time less the fixed cost, per function listed), 64 vs 1|$c1 us|$c64 us|$(ratio "$c1" "$c64")x|<= 1.0x"
diag "BENCH the same 64 by one ids= entry vs by 64 devices= entries (init time)|$t64 us|$tids us|$(ratio "$t64" "$tids")x|~1.0x: matching is not the cost"
diag "BENCH boot claim wall time (modprobe ppt), 64 functions listed vs 1|$w1 us|$w64 us|$(ratio "$w1" "$w64")x|<= 64x (linear)"
done_testing
