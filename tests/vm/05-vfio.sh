#!/bin/sh
# 05-vfio.sh - the VFIO helper /ppt/bin/vfio-test (tests/vm/bin/vfio-test.c) works,
# without ppt: edu0 and nvme0 bound to vfio-pci by hand (driver_override); config
# reads through VFIO, edu DMA through the IOMMU, holding the device (SIGUSR1,
# SIGTERM, EOF), config scribbling, and its error paths.
# topology: basic
# kernels: 6.1 6.12
# (Not on the debug kernels: CI's time budget; they run it when named.)
# timeout: 240
#
# Run: make -C tests/vm/bin && scripts/rig/run-vm.py --kernel 6.12 \
#          --test tests/vm/05-vfio.sh --bin build/tests/vm-bin/vfio-test
# shellcheck source=tests/vm/lib.sh
. /ppt/lib.sh

VT=/ppt/bin/vfio-test
[ -x "$VT" ] || bail_out "no $VT: run-vm.py --bin build/tests/vm-bin/vfio-test (make -C tests/vm/bin)"

# to_vfio BDF: hand BDF to vfio-pci, as an admin does without ppt.
to_vfio() {
	unbind "$1" && echo vfio-pci >"/sys/bus/pci/devices/$1/driver_override" &&
		echo "$1" >/sys/bus/pci/drivers_probe && [ "$(drv "$1")" = vfio-pci ]
}

# fd_links PID: where the process's fds point, one a line.
fd_links() {
	for _fl in /proc/"$1"/fd/*; do readlink "$_fl"; done 2>/dev/null
}

e=$(bdf edu0) || bail_out "no edu0"
n=$(bdf nvme0) || bail_out "no nvme0"
eg=$(iommu_group "$e")
ng=$(iommu_group "$n")

# --- usage errors ---
"$VT" >/dev/null 2>&1
is "vfio-test without a device is a usage error (2)" "$?" 2
"$VT" --bogus "$e" >/dev/null 2>&1
is "vfio-test with an unknown option is a usage error (2)" "$?" 2

# --- bind by hand ---
ok "modprobe vfio-pci" modprobe vfio-pci
ok "vfio_iommu_type1 was loaded too (softdep)" test -d /sys/module/vfio_iommu_type1
out=$("$VT" "$e" 2>&1)
is "vfio-test on a device vfio-pci does not have fails (1)" "$?" 1
like "... at the group's /dev/vfio node" "$out" "^vfio-test: open /dev/vfio/$eg: No such file or directory$"
ok "edu0 ($e) bound to vfio-pci" to_vfio "$e"
ok "nvme0 ($n) bound to vfio-pci" to_vfio "$n"
ok "/dev/vfio/$eg exists" test -c "/dev/vfio/$eg"

# --- edu DMA through VFIO_IOMMU_MAP_DMA ---
out=$("$VT" --dma "$e" 2>&1)
is "vfio-test --dma edu0 exits 0" "$?" 0
diag "$out"
like "group line" "$out" "^group $e $eg$"
like "IOMMU type" "$out" "^iommu type1(v2)?$"
like "device info" "$out" "^device $e regions [0-9]+ irqs [0-9]+ reset (yes|no)$"
like "config read through VFIO: 1234:11e8" "$out" "^config $e 1234:11e8$"
like "BAR0 mapped" "$out" "^bar0 $e size 0x100000 (mmap|rw)$"
like "edu DMA round trip through the IOMMU" "$out" "^dma ok 2048 bytes$"

# --- holding the device: the fds stay open; SIGUSR1 re-reads config; SIGTERM ends ---
# A background job's stdin would be /dev/null (instant EOF): feed it a FIFO we keep
# open on fd 3.
rm -f /tmp/hold.in && mkfifo /tmp/hold.in
"$VT" --hold "$e" </tmp/hold.in >/tmp/hold.out 2>&1 &
pid=$!
exec 3>/tmp/hold.in
wait_for "vfio-test --hold says ready" 60 grep -qx ready /tmp/hold.out
links=$(fd_links "$pid")
diag "fds of $pid:" "$links"
like "holder has the container open" "$links" "^/dev/vfio/vfio$"
like "holder has the group open" "$links" "^/dev/vfio/$eg$"
like "holder has a VFIO device fd" "$links" "^anon_inode:\[?vfio-device\]?$"
out=$("$VT" "$e" 2>&1)
is "a second user of the held group fails (1)" "$?" 1
like "... with EBUSY on the group" "$out" "^vfio-test: open /dev/vfio/$eg: Device or resource busy$"
is "edu0 still bound to vfio-pci while held" "$(drv "$e")" vfio-pci
ok "SIGUSR1 sent" kill -USR1 "$pid"
wait_for "second config line after SIGUSR1" 60 \
	sh -c "[ \$(grep -c '^config $e 1234:11e8\$' /tmp/hold.out) -eq 2 ]"
ok "SIGTERM sent" kill -TERM "$pid"
wait "$pid"
is "vfio-test --hold exits 0 on SIGTERM" "$?" 0
exec 3>&-
diag "$(cat /tmp/hold.out)"
ok "it said so" grep -qx "exit on SIGTERM" /tmp/hold.out
ok "its fds are gone with it" sh -c "! test -d /proc/$pid"

# --- holding ends on EOF too ---
"$VT" --hold "$e" </tmp/hold.in >/tmp/hold.out 2>&1 &
pid=$!
exec 3>/tmp/hold.in
wait_for "vfio-test --hold ready again" 60 grep -qx ready /tmp/hold.out
exec 3>&-
wait "$pid"
is "vfio-test --hold exits 0 on EOF on stdin" "$?" 0
ok "it said so" grep -qx "exit on EOF" /tmp/hold.out

# --- a hostile tenant's config writes; the device works for the next user ---
# vfio-pci passes command register writes to the device but virtualises the BARs and
# the interrupt line: only the command register shows in the real config space.
hwcfg() { echo "command $(setpci -s "$e" COMMAND.w) BAR0 $(setpci -s "$e" BASE_ADDRESS_0.l)" \
	"interrupt line $(setpci -s "$e" INTERRUPT_LINE.b)"; }
diag "edu0 config before: $(hwcfg)"
"$VT" --scribble --hold "$e" </tmp/hold.in >/tmp/hold.out 2>&1 &
pid=$!
exec 3>/tmp/hold.in
wait_for "vfio-test --scribble --hold ready" 60 grep -qx ready /tmp/hold.out
ok "it scribbled" grep -qx scribbled /tmp/hold.out
diag "edu0 config while held: $(hwcfg)"
cmd=$(setpci -s "$e" COMMAND.w)
is "memory and bus master on in the device's command register" "$((0x$cmd & 6))" 6
exec 3>&-
wait "$pid"
is "vfio-test --scribble --hold exits 0" "$?" 0
diag "edu0 config after release: $(hwcfg)"
out=$("$VT" --dma "$e" 2>&1)
is "edu DMA still works after the scribbler released it" "$?" 0
like "... dma ok" "$out" "^dma ok 2048 bytes$"

# --- nvme0: config only; --dma refuses a non-edu device ---
out=$("$VT" "$n" 2>&1)
is "vfio-test nvme0 exits 0" "$?" 0
diag "$out"
like "nvme0 config read through VFIO: 1b36:0010" "$out" "^config $n 1b36:0010$"
like "nvme0 is in its own group" "$out" "^group $n $ng$"
out=$("$VT" --dma "$n" 2>&1)
is "vfio-test --dma on nvme0 fails (1)" "$?" 1
like "... saying it needs edu" "$out" "^vfio-test: dma: $n is 1b36:0010, --dma needs an edu device"

# --- released: vfio-pci lets go without blocking ---
ok "edu0 unbinds from vfio-pci" unbind "$e"
ok "nvme0 unbinds from vfio-pci" unbind "$n"

done_testing
