// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host use of a PCI function (lib/ppt_host.c) on fake /sys, /proc and /dev
 * trees: NICs that carry addresses themselves, through a bridge, a bond
 * under a bridge, a VLAN, or as an Open vSwitch port whose br-ex has them;
 * a root filesystem over NFS, iSCSI and NVMe/TCP; NVMe disks mounted,
 * stacked under dm and md, swap, held as only the exclusive-open probe
 * sees (btrfs, ZFS); and what ppt_host_use() says about each.
 */
#include <stdbool.h>
#include <stdint.h>

#include "ppt_host.h"
#include "faketree.h"
#include "tap.h"

#define PCI "sys/devices/pci0000:00"
#define NICDEV PCI "/0000:00:02.0/0000:02:00.0"
#define NVMEDEV PCI "/0000:00:03.0/0000:03:00.0"
#define NVME NVMEDEV "/nvme/nvme0/nvme0n1"
#define VNET "sys/devices/virtual/net"

#define is_int(got, want, ...)						\
	do {								\
		int g_ = (got), w_ = (want);				\
		if (!ok(g_ == w_, __VA_ARGS__))				\
			printf("#   got:  %d (%s)\n#   want: %d\n", g_, what, w_); \
	} while (0)

static struct ppt_host_env env;
static char what[2048];

/* Interfaces the fake ethtool calls Open vSwitch internal ports. */
static const char *ovs_names[8];

static int fake_driver(const char *ifname, char *driver, size_t len, void *arg)
{
	size_t i;

	(void)arg;
	for (i = 0; i < 8 && ovs_names[i]; i++) {
		if (!strcmp(ovs_names[i], ifname)) {
			snprintf(driver, len, "openvswitch");
			return 0;
		}
	}
	return -EOPNOTSUPP;
}

/* Device nodes the fake exclusive-open probe finds held, or fails on. */
static const char *held_names[8];
static int probe_err;
static int probe_calls;

static int fake_probe(const char *devnode, void *arg)
{
	const char *base = strrchr(devnode, '/') + 1;
	size_t i;

	(void)arg;
	probe_calls++;
	if (probe_err)
		return probe_err;
	for (i = 0; i < 8 && held_names[i]; i++)
		if (!strcmp(held_names[i], base))
			return 1;
	return 0;
}

static int use(const char *addr)
{
	return ppt_host_use(&env, addr, what, sizeof(what));
}

static void abslink(const char *rel_target, const char *rel)
{
	char t[1024];

	snprintf(t, sizeof(t), "%s/%s", ft_root, rel_target);
	ft_link(t, rel);
}

#define ADDRS(a) (a), sizeof(a) / sizeof((a)[0])

/*
 * A fresh tree: an ext4 root on a disk elsewhere, no swap, no interfaces;
 * the host's interface addresses ifa[n] (none when NULL).
 */
static void tree(const struct ppt_host_ifaddr *ifa, size_t n)
{
	static const struct ppt_host_ifaddr none[1];

	ft_cleanup();
	ft_init();
	ft_dir("sys/class/net");
	ft_dir("sys/class/block");
	ft_write("proc/self/mountinfo",
		 "21 1 0:20 / /proc rw - proc proc rw\n"
		 "22 1 8:2 / / rw,relatime shared:1 - ext4 /dev/sda2 rw\n");
	ft_write("proc/swaps", "Filename\t\t\t\tType\t\tSize\tUsed\tPriority\n");
	memset(&env, 0, sizeof(env));
	memset(ovs_names, 0, sizeof(ovs_names));
	memset(held_names, 0, sizeof(held_names));
	probe_err = 0;
	probe_calls = 0;
	env.root = ft_root;
	env.ifaddrs = ifa ? ifa : none;
	env.nifaddrs = n;
	env.if_driver = fake_driver;
	env.busy_probe = fake_probe;
}

static void set_flags(const char *name, const char *flags)
{
	char p[512];

	snprintf(p, sizeof(p), "sys/class/net/%s/flags", name);
	ft_write(p, flags);
}

/* A NIC of PCI function directory dev; flags 0x1003 is up, 0x1002 down. */
static void nic(const char *name, const char *dev, const char *flags)
{
	char dir[512], p[600];

	snprintf(dir, sizeof(dir), "%s/net/%s", dev, name);
	ft_dir(dir);
	snprintf(p, sizeof(p), "%s/device", dir);
	abslink(dev, p);
	snprintf(p, sizeof(p), "sys/class/net/%s", name);
	abslink(dir, p);
	set_flags(name, flags);
}

/* A virtual interface: a bridge, a bond, a VLAN, an OVS port. */
static void vnet(const char *name, const char *flags)
{
	char dir[512], p[512];

	snprintf(dir, sizeof(dir), VNET "/%s", name);
	ft_dir(dir);
	snprintf(p, sizeof(p), "sys/class/net/%s", name);
	abslink(dir, p);
	set_flags(name, flags);
}

/* upper is stacked on lower; master too for a bridge's, bond's or OVS's port. */
static void stack(const char *lower, const char *upper, bool master)
{
	char p[512], t[512];

	snprintf(t, sizeof(t), VNET "/%s", upper);
	snprintf(p, sizeof(p), "sys/class/net/%s/upper_%s", lower, upper);
	abslink(t, p);
	if (master) {
		snprintf(p, sizeof(p), "sys/class/net/%s/master", lower);
		abslink(t, p);
	}
}

/* A block device in directory dir (below sys/), major:minor majmin. */
static void blockdev(const char *dir, const char *majmin, bool partition)
{
	const char *name = strrchr(dir, '/') + 1;
	char p[512];

	ft_dir(dir);
	snprintf(p, sizeof(p), "%s/dev", dir);
	ft_write(p, majmin);
	if (partition) {
		snprintf(p, sizeof(p), "%s/partition", dir);
		ft_write(p, "1\n");
	}
	snprintf(p, sizeof(p), "sys/class/block/%s", name);
	abslink(dir, p);
	snprintf(p, sizeof(p), "sys/dev/block/%.*s", (int)strcspn(majmin, "\n"), majmin);
	abslink(dir, p);
}

/* A device-mapper or md device stacked on the block device lower. */
static void holder(const char *lower, const char *name, const char *majmin)
{
	char dir[512], p[600];

	snprintf(dir, sizeof(dir), "sys/devices/virtual/block/%s", name);
	blockdev(dir, majmin, false);
	snprintf(p, sizeof(p), "sys/class/block/%s/holders/%s", lower, name);
	abslink(dir, p);
	snprintf(p, sizeof(p), "%s/slaves/%s", dir, lower);
	snprintf(dir, sizeof(dir), "sys/class/block/%s", lower);
	{
		char real[4096], t[4096];

		snprintf(t, sizeof(t), "%s/%s", ft_root, dir);
		if (realpath(t, real))
			ft_link(real, p);
	}
}

static uint32_t crc32c(const unsigned char *p, size_t n)
{
	uint32_t c = 0xffffffff;
	int k;

	while (n--) {
		c ^= *p++;
		for (k = 0; k < 8; k++)
			c = (c >> 1) ^ (0x82f63b78 & -(c & 1));
	}
	return ~c;
}

static void put_le(unsigned char *p, uint64_t v, int n)
{
	while (n--) {
		*p++ = v & 0xff;
		v >>= 8;
	}
}

/*
 * ROOT/dev/name: a 1 MiB device image (libblkid's least for btrfs) with a
 * btrfs superblock at 64 KiB, labelled label.
 */
static void btrfs_image(const char *name, const char *label)
{
	static unsigned char img[1 << 20];
	unsigned char *sb = img + 0x10000;
	char p[256];

	memset(img, 0, sizeof(img));
	put_le(sb + 0x30, 0x10000, 8);		/* bytenr */
	memcpy(sb + 0x40, "_BHRfS_M", 8);	/* magic */
	put_le(sb + 0x48, 1, 8);		/* generation */
	put_le(sb + 0x70, 1 << 30, 8);		/* total_bytes */
	put_le(sb + 0x88, 1, 8);		/* num_devices */
	put_le(sb + 0x90, 4096, 4);		/* sectorsize */
	put_le(sb + 0x94, 16384, 4);		/* nodesize */
	put_le(sb + 0x98, 16384, 4);		/* leafsize */
	memcpy(sb + 0x12b, label, strlen(label));
	put_le(sb, crc32c(sb + 0x20, 0x1000 - 0x20), 4);
	snprintf(p, sizeof(p), "dev/%s", name);
	ft_write_n(p, (const char *)img, sizeof(img));
}

static void test_nics(void)
{
	struct ppt_host_ifaddr ifa[] = {
		{ "eth0", "10.0.2.15/24" }, { "eth0", "fd00::5/64" }, { "eth0", "fe80::5/64" },
		{ "lo", "127.0.0.1/8" },
	};
	struct ppt_host_ifaddr ll[] = { { "eth0", "fe80::5/64" } };

	tree(ADDRS(ifa));
	nic("eth0", NICDEV, "0x1003\n");
	vnet("lo", "0x9\n");
	is_int(use("0000:02:00.0"), 1, "a NIC that is up with addresses is host-critical");
	is_str(what, "eth0 (up, 10.0.2.15/24, fd00::5/64)",
	       "... named with its addresses, the IPv6 link-local one left out");
	is_int(use("0000:00:02.0"), 1, "the port above it is too");
	is_int(use("0000:02:00.1"), 0, "another function is not");
	is_int(use("0000:00:02.1"), 0, "nor a function whose address shares a prefix");
	is_str(what, "", "... and nothing is said");

	set_flags("eth0", "0x1002\n");
	is_int(use("0000:02:00.0"), 0, "a NIC that is down is not host-critical");
	set_flags("eth0", "0x1003\n");
	env.ifaddrs = ll;
	env.nifaddrs = 1;
	is_int(use("0000:02:00.0"), 0, "nor one that is up with only an IPv6 link-local address");
	env.nifaddrs = 0;
	is_int(use("0000:02:00.0"), 0, "nor one that is up without addresses");
}

static void test_bridges(void)
{
	struct ppt_host_ifaddr ifa[] = {
		{ "vmbr0", "10.0.2.15/24" }, { "eth0.100", "192.168.100.5/24" },
	};

	tree(ADDRS(ifa));
	nic("enp2s0", NICDEV, "0x1003\n");
	vnet("vmbr0", "0x1003\n");
	stack("enp2s0", "vmbr0", true);
	is_int(use("0000:02:00.0"), 1, "a port of a bridge that has the host's address is host-critical");
	is_str(what, "enp2s0 (vmbr0, up, 10.0.2.15/24)", "... the bridge named");
	set_flags("vmbr0", "0x1002\n");
	is_int(use("0000:02:00.0"), 0, "not when the bridge is down");

	tree(ADDRS(ifa));
	nic("enp2s0", NICDEV, "0x1803\n");
	vnet("bond0", "0x1403\n");
	vnet("vmbr0", "0x1003\n");
	stack("enp2s0", "bond0", true);
	stack("bond0", "vmbr0", true);
	is_int(use("0000:02:00.0"), 1, "a bond's slave under a bridge with the address is host-critical");
	is_str(what, "enp2s0 (bond0 → vmbr0, up, 10.0.2.15/24)", "... the path named");
	set_flags("enp2s0", "0x1802\n");
	is_int(use("0000:02:00.0"), 1, "... even while the slave itself is down");

	tree(ADDRS(ifa));
	nic("eth0", NICDEV, "0x1003\n");
	vnet("eth0.100", "0x1003\n");
	stack("eth0", "eth0.100", false);
	is_int(use("0000:02:00.0"), 1, "a NIC under a VLAN with an address is host-critical");
	is_str(what, "eth0 (eth0.100, up, 192.168.100.5/24)", "... the VLAN named");
}

static void test_ovs(void)
{
	struct ppt_host_ifaddr ifa[] = {
		{ "br-ex", "10.0.0.5/24" }, { "dummy0", "10.9.9.9/24" }, { "br-int", "fe80::1/64" },
	};

	tree(ADDRS(ifa));
	ovs_names[0] = "ovs-system";
	ovs_names[1] = "br-ex";
	ovs_names[2] = "br-int";
	nic("eth0", NICDEV, "0x1103\n");
	vnet("ovs-system", "0x1002\n");
	vnet("br-ex", "0x1003\n");
	vnet("br-int", "0x1003\n");
	vnet("dummy0", "0x10c3\n");
	stack("eth0", "ovs-system", true);
	is_int(use("0000:02:00.0"), 1, "an Open vSwitch port whose br-ex has the address is host-critical");
	is_str(what, "eth0 is a port of Open vSwitch datapath ovs-system, whose br-ex is up with 10.0.0.5/24",
	       "... the datapath and the bridge named; other interfaces not");
	set_flags("br-ex", "0x1002\n");
	is_int(use("0000:02:00.0"), 0, "not when br-ex is down");
	set_flags("br-ex", "0x1003\n");
	ovs_names[1] = NULL;
	is_int(use("0000:02:00.0"), 0, "an interface ethtool does not call openvswitch is not a port of it");
}

static void test_root_over_network(void)
{
	struct ppt_host_ifaddr ifa[] = { { "eth0", "10.0.2.15/24" } };

	tree(ADDRS(ifa));
	nic("eth0", NICDEV, "0x1003\n");
	ft_write("proc/self/mountinfo",
		 "21 1 0:20 / /proc rw - proc proc rw\n"
		 "22 1 0:44 / / rw,relatime - nfs4 10.0.2.2:/srv/root rw,vers=4.2\n");
	is_int(use("0000:02:00.0"), 1, "root on NFS: a NIC up with an address is host-critical");
	is_str(what, "eth0 (up, 10.0.2.15/24); eth0 may carry the host's root filesystem "
	       "(nfs4 from 10.0.2.2:/srv/root)", "... and said to carry the root filesystem");
	set_flags("eth0", "0x1002\n");
	is_int(use("0000:02:00.0"), 0, "... not when it is down");
	set_flags("eth0", "0x1003\n");

	blockdev("sys/devices/platform/host2/session1/target2:0:0/2:0:0:0/block/sda", "8:0\n", false);
	blockdev("sys/devices/platform/host2/session1/target2:0:0/2:0:0:0/block/sda/sda1", "8:1\n", true);
	ft_write("proc/self/mountinfo", "22 1 8:1 / / rw - ext4 /dev/sda1 rw\n");
	is_int(use("0000:02:00.0"), 1, "root on iSCSI: host-critical");
	is_str(what, "eth0 (up, 10.0.2.15/24); eth0 may carry the host's root filesystem "
	       "(ext4 on iSCSI, sda1)", "... the transport named");

	blockdev("sys/devices/virtual/nvme-fabrics/ctl/nvme1/nvme1n1", "259:5\n", false);
	ft_write("sys/devices/virtual/nvme-fabrics/ctl/nvme1/transport", "tcp\n");
	abslink("sys/devices/virtual/nvme-fabrics/ctl/nvme1", "sys/class/nvme/nvme1");
	holder("nvme1n1", "dm-0", "254:0\n");
	ft_write("proc/self/mountinfo", "22 1 254:0 / / rw - xfs /dev/mapper/vg-root rw\n");
	is_int(use("0000:02:00.0"), 1, "root on LVM on NVMe/TCP: host-critical");
	is_str(what, "eth0 (up, 10.0.2.15/24); eth0 may carry the host's root filesystem "
	       "(xfs on NVMe over tcp, nvme1)", "... traced through the volume's slaves");
	ft_write("sys/devices/virtual/nvme-fabrics/ctl/nvme1/transport", "pcie\n");
	is_int(use("0000:02:00.0"), 1, "root on local NVMe: the NIC is still host-critical");
	is_str(what, "eth0 (up, 10.0.2.15/24)", "... but not said to carry the root");
}

static void test_disks(void)
{
	tree(NULL, 0);
	blockdev(NVME, "259:0\n", false);
	blockdev(NVME "/nvme0n1p1", "259:1\n", true);
	blockdev(NVME "/nvme0n1p2", "259:2\n", true);
	blockdev(NVME "/nvme0n1p3", "259:3\n", true);
	ft_write("proc/self/mountinfo",
		 "21 1 0:20 / /proc rw - proc proc rw\n"
		 "22 1 259:2 / / rw,relatime shared:1 - ext4 /dev/nvme0n1p2 rw\n"
		 "23 22 259:2 /var/lib/x /mnt/bind rw - ext4 /dev/nvme0n1p2 rw\n");
	is_int(use("0000:03:00.0"), 1, "a disk with a mounted partition is host-critical");
	is_str(what, "nvme0n1p2 (mounted on /, ext4)", "... the mount named once, bind mounts not");
	is_int(probe_calls, 2, "... the unused partitions probed, the whole disk not");
	is_int(use("0000:00:03.0"), 1, "the port above it is too");
	is_int(use("0000:03:00.1"), 0, "another function is not");

	ft_write("proc/swaps", "Filename\t\t\t\tType\t\tSize\tUsed\tPriority\n"
		 "/dev/nvme0n1p3                          partition\t1024\t0\t-2\n");
	is_int(use("0000:03:00.0"), 1, "swap: host-critical");
	is_str(what, "nvme0n1p2 (mounted on /, ext4); nvme0n1p3 (swap)", "... named as swap");

	holder("nvme0n1p1", "md0", "9:0\n");
	is_int(use("0000:03:00.0"), 1, "a partition in an md array: host-critical");
	is_str(what, "nvme0n1p1 (held by md0); nvme0n1p2 (mounted on /, ext4); nvme0n1p3 (swap)",
	       "... named as held by md0");
	ft_write("proc/self/mountinfo", "30 1 9:0 / /srv rw - ext4 /dev/md0 rw\n");
	ft_write("proc/swaps", "Filename Type Size Used Priority\n");
	is_int(use("0000:03:00.0"), 1, "... and the array's mount named as well");
	is_str(what, "nvme0n1p1 (held by md0); md0 (mounted on /srv, ext4)", "... through holders");

	tree(NULL, 0);
	blockdev(NVME, "259:0\n", false);
	ft_write("proc/self/mountinfo", "22 1 0:33 / / rw - btrfs /dev/nvme0n1 rw\n");
	is_int(use("0000:03:00.0"), 1, "a btrfs mount (0:N) of the disk: host-critical");
	is_str(what, "nvme0n1 (mounted on /, btrfs)", "... traced by its source");

	ft_write("proc/self/mountinfo", "22 1 0:33 / / rw - btrfs /dev/sda2 rw\n");
	is_int(use("0000:03:00.0"), 0, "a disk nothing holds is not host-critical");
	is_str(what, "", "... and nothing is said");
	held_names[0] = "nvme0n1";
	is_int(use("0000:03:00.0"), 1, "a disk the exclusive open finds held is host-critical");
	is_str(what, "nvme0n1 (held)", "... named as held");
	btrfs_image("nvme0n1", "data");
	is_int(use("0000:03:00.0"), 1, "a second device of a btrfs mounted from another");
	is_str(what, "nvme0n1 (held: btrfs)", "... named with the filesystem libblkid finds");

	tree(NULL, 0);
	blockdev(NVME, "259:0\n", false);
	blockdev(NVME "/nvme0n1p1", "259:1\n", true);
	blockdev(NVME "/nvme0n1p9", "259:9\n", true);
	held_names[0] = "nvme0n1";
	held_names[1] = "nvme0n1p1";
	is_int(use("0000:03:00.0"), 1, "a partition held (a ZFS vdev): host-critical");
	is_str(what, "nvme0n1p1 (held)", "... the partition named, not the disk it claims");

	held_names[0] = held_names[1] = NULL;
	env.busy_probe = NULL;
	ft_write("dev/nvme0n1", "");
	ft_write("dev/nvme0n1p1", "");
	ft_write("dev/nvme0n1p9", "");
	is_int(use("0000:03:00.0"), 0, "the real exclusive open finds free nodes free");
	probe_err = -EACCES;
	env.busy_probe = fake_probe;
	is_int(use("0000:03:00.0"), -EACCES, "a probe that fails: cannot tell");
	ok(strstr(what, "cannot tell whether nvme0n1p1 is in use: ") &&
	   strstr(what, "/dev/nvme0n1p1: Permission denied"), "... and says why (%s)", what);
	ft_write("proc/self/mountinfo", "22 1 259:1 / / rw - ext4 /dev/nvme0n1p1 rw\n");
	is_int(use("0000:03:00.0"), 1, "... unless it is host-critical anyway");
	probe_err = 0;
	ft_rm("proc/self/mountinfo");
	is_int(use("0000:03:00.0"), -ENOENT, "no mountinfo: cannot tell");
	ok(strstr(what, "/proc/self/mountinfo: No such file or directory") != NULL,
	   "... and says why (%s)", what);
}

static void test_unreadable(void)
{
	tree(NULL, 0);
	env.root = "/nonexistent/ppt-root";
	is_int(use("0000:02:00.0"), -ENOENT, "a root without /sys: an error");
	is_str(what, "cannot read /nonexistent/ppt-root/sys/class/net: No such file or directory",
	       "... that says what it could not read");
	env.root = ft_root;
	is_int(use(""), -EINVAL, "an empty address: -EINVAL");
}

static void test_ifaddrs(void)
{
	struct ppt_host_ifaddr *a;
	size_t n, i, ll = 0;

	is_int(ppt_host_ifaddrs(&a, &n), 0, "the host's addresses are read");
	for (i = 0; i < n; i++)
		ll += !strncmp(a[i].addr, "fe80:", 5) || strchr(a[i].ifname, ':') != NULL;
	is_int((int)ll, 0, "... without IPv6 link-local ones or alias labels");
	free(a);
}

int main(void)
{
	ft_init();
	test_nics();
	test_bridges();
	test_ovs();
	test_root_over_network();
	test_disks();
	test_unreadable();
	test_ifaddrs();
	ft_cleanup();
	return tap_done();
}
