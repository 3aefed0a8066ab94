// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host-critical devices on a fake /proc and /sys: a NIC that is up with
 * addresses, NVMe partitions mounted directly, through device-mapper, or
 * as swap; a port above them; what critical_find() says about each.
 */
#include "critical.h"
#include "faketree.h"
#include "tap.h"

#define NVME "sys/devices/pci0000:00/0000:00:03.0/0000:03:00.0/nvme/nvme0/nvme0n1"
#define NIC "sys/devices/pci0000:00/0000:00:02.0/0000:02:00.0"

static void abslink(const char *rel_target, const char *rel)
{
	char t[1024];

	snprintf(t, sizeof(t), "%s/%s", ft_root, rel_target);
	ft_link(t, rel);
}

static void part(const char *name, const char *majmin)
{
	char dir[512], p[512];

	snprintf(dir, sizeof(dir), NVME "/%s", name);
	ft_dir(dir);
	snprintf(p, sizeof(p), "sys/class/block/%s", name);
	abslink(dir, p);
	snprintf(p, sizeof(p), "sys/dev/block/%s", majmin);
	abslink(dir, p);
}

int main(void)
{
	struct critical_ifaddr ifa[] = { { "eth0", "10.0.2.15/24" }, { "eth0", "fd00::5/64" },
					 { "lo", "127.0.0.1/8" } };
	struct critical_env e;
	char what[1024];

	ft_init();
	e.root = ft_root;
	e.ifaddrs = ifa;
	e.nifaddrs = 3;

	ft_dir(NIC "/net/eth0");
	ft_write(NIC "/net/eth0/flags", "0x1003\n");
	abslink(NIC, NIC "/net/eth0/device");
	abslink(NIC "/net/eth0", "sys/class/net/eth0");
	ft_dir("sys/devices/virtual/net/lo");
	ft_write("sys/devices/virtual/net/lo/flags", "0x9\n");
	abslink("sys/devices/virtual/net/lo", "sys/class/net/lo");

	ok(critical_find(&e, "0000:02:00.0", what, sizeof(what)), "a NIC that is up with addresses is critical");
	is_str(what, "eth0 (up, 10.0.2.15/24, fd00::5/64)", "... named with its state and addresses");
	e.nifaddrs = 0;
	ok(!critical_find(&e, "0000:02:00.0", what, sizeof(what)), "up without addresses: not critical");
	e.nifaddrs = 3;
	ft_write(NIC "/net/eth0/flags", "0x1002\n");
	ok(!critical_find(&e, "0000:02:00.0", what, sizeof(what)), "down: not critical");
	is_str(what, "", "... and says nothing");

	part("nvme0n1p1", "259:1");
	part("nvme0n1p2", "259:2");
	part("nvme0n1p3", "259:3");
	ft_dir("sys/devices/virtual/block/dm-0");
	abslink(NVME "/nvme0n1p2", "sys/devices/virtual/block/dm-0/slaves/nvme0n1p2");
	abslink("sys/devices/virtual/block/dm-0", "sys/dev/block/254:0");
	ft_write("proc/self/mountinfo",
		 "21 1 0:20 / /proc rw - proc proc rw\n"
		 "22 1 259:1 / /mnt rw,relatime shared:1 - ext2 /dev/nvme0n1p1 rw\n"
		 "23 1 254:0 / /data rw - xfs /dev/mapper/vg-data rw\n");
	ft_write("proc/swaps", "Filename\t\t\t\tType\t\tSize\tUsed\tPriority\n"
		 "/dev/nvme0n1p3                          partition\t1024\t0\t-2\n");
	ok(critical_find(&e, "0000:03:00.0", what, sizeof(what)), "an NVMe with mounts and swap is critical");
	is_str(what, "nvme0n1p1 (mounted on /mnt, ext2); dm-0 (mounted on /data, xfs); nvme0n1p3 (swap)",
	       "... each use named: a partition, device-mapper on a partition, swap");
	ok(critical_find(&e, "0000:00:03.0", what, sizeof(what)), "the port above it is too");
	ok(!critical_find(&e, "0000:03:00.1", what, sizeof(what)), "another function is not");
	ok(!critical_find(&e, "0000:00:03.1", what, sizeof(what)), "nor a prefix-sharing address");

	/* a filesystem with major 0 (btrfs): traced by its source's name */
	ft_write("proc/self/mountinfo", "22 1 0:33 / / rw - btrfs /dev/nvme0n1p1 rw\n");
	ft_write("proc/swaps", "Filename Type Size Used Priority\n");
	ok(critical_find(&e, "0000:03:00.0", what, sizeof(what)), "major 0 (btrfs): traced by /dev name");
	is_str(what, "nvme0n1p1 (mounted on /, btrfs)", "... named");
	ft_write("proc/self/mountinfo", "22 1 0:33 / / rw - tmpfs tmpfs rw\n");
	ok(!critical_find(&e, "0000:03:00.0", what, sizeof(what)), "unmounted: not critical");

	ft_cleanup();
	return tap_done();
}
