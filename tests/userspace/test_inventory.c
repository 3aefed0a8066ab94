// SPDX-License-Identifier: GPL-2.0-only
/*
 * list -a's merge of libpci's view with the kernel's, and the address
 * order; both without hardware.  The fields schedulers place by from a
 * fake sysfs, and the Device Serial Number from a fake config space
 * (libpci's dump method: no emulated device of the VM tests has a DSN).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <pci/pci.h>

#include "faketree.h"
#include "inventory.h"
#include "tap.h"

static struct out_device host(const char *addr, const char *driver, int64_t group)
{
	struct out_device d = { .host_only = true };

	snprintf(d.info.addr, sizeof(d.info.addr), "%s", addr);
	snprintf(d.info.driver, sizeof(d.info.driver), "%s", driver);
	snprintf(d.info.path, sizeof(d.info.path), "0000:00/1c.0/%s", addr + 8);
	snprintf(d.info.slot, sizeof(d.info.slot), "%s", "7");
	d.info.iommu_group = group;
	d.info.last_reset = -1;
	return d;
}

static void topology(void)
{
	char rc[24], port[16];

	ok(!inventory_topology("../../../devices/pci0000:00/0000:00:1c.0/0000:01:00.0",
			       rc, sizeof(rc), port, sizeof(port)) &&
	   !strcmp(rc, "pci0000:00") && !strcmp(port, "0000:00:1c.0"),
	   "behind a root port: pcieRoot pci0000:00, root port 00:1c.0");
	ok(!inventory_topology("../../../devices/pci0000:00/0000:00:03.0/0000:01:00.0/0000:02:01.0/0000:03:00.0",
			       rc, sizeof(rc), port, sizeof(port)) &&
	   !strcmp(rc, "pci0000:00") && !strcmp(port, "0000:00:03.0"),
	   "behind a switch: the root port is the top bridge");
	ok(!inventory_topology("../../../devices/pci0001:80/0001:80:02.0",
			       rc, sizeof(rc), port, sizeof(port)) &&
	   !strcmp(rc, "pci0001:80") && !port[0],
	   "on the root bus (an integrated endpoint): pcieRoot of domain 1 bus 80, no root port");
	ok(!inventory_topology("../../../devices/platform/ACPI0016:00/pci10000:e0/10000:e0:01.0/10000:e1:00.0",
			       rc, sizeof(rc), port, sizeof(port)) &&
	   !strcmp(rc, "pci10000:e0") && !strcmp(port, "10000:e0:01.0"),
	   "a VMD domain (five digits) below a platform device");
	ok(inventory_topology("../../../devices/virtual/foo", rc, sizeof(rc), port,
			      sizeof(port)) == -EINVAL && !rc[0] && !port[0],
	   "no root complex in the link: nothing");
	inventory_link_speed("8.0 GT/s PCIe", rc, sizeof(rc));
	is_str(rc, "8.0 GT/s", "link speed: the kernel's \" PCIe\" dropped");
	inventory_link_speed("2.5 GT/s", rc, sizeof(rc));
	is_str(rc, "2.5 GT/s", "link speed of an older kernel as it is");
	inventory_link_speed("Unknown", rc, sizeof(rc));
	is_str(rc, "", "Unknown: none");
}

static void hw(void)
{
	struct out_device d[2];

	memset(d, 0, sizeof(d));
	ft_init();
	ft_link("../../../devices/pci0000:00/0000:00:1c.0/0000:01:00.0",
		"sys/bus/pci/devices/0000:01:00.0");
	ft_write("sys/devices/pci0000:00/0000:00:1c.0/0000:01:00.0/numa_node", "1\n");
	ft_write("sys/devices/pci0000:00/0000:00:1c.0/0000:01:00.0/current_link_speed",
		 "16.0 GT/s PCIe\n");
	ft_write("sys/devices/pci0000:00/0000:00:1c.0/0000:01:00.0/current_link_width", "8\n");
	ft_write("sys/devices/pci0000:00/0000:00:1c.0/0000:01:00.0/sriov_totalvfs", "7\n");
	ft_link("../../../devices/pci0000:00/0000:00:02.0", "sys/bus/pci/devices/0000:00:02.0");
	ft_write("sys/devices/pci0000:00/0000:00:02.0/numa_node", "-1\n");
	ft_write("sys/devices/pci0000:00/0000:00:02.0/current_link_speed", "Unknown\n");
	ft_write("sys/devices/pci0000:00/0000:00:02.0/current_link_width", "0\n");
	ft_link("../0000:00:01.0", "sys/devices/pci0000:00/0000:00:02.0/physfn");
	ft_dir("sys/devices/pci0000:00/0000:00:02.0/vfio-dev/vfio3");
	ft_write("dev/vfio/12", "");
	ft_write("dev/vfio/devices/vfio3", "");

	snprintf(d[0].info.addr, sizeof(d[0].info.addr), "0000:01:00.0");
	snprintf(d[0].info.driver, sizeof(d[0].info.driver), "ppt");
	d[0].info.iommu_group = 11;
	snprintf(d[1].info.addr, sizeof(d[1].info.addr), "0000:00:02.0");
	snprintf(d[1].info.driver, sizeof(d[1].info.driver), "vfio-pci");
	d[1].info.iommu_group = 12;
	inventory_hw(ft_root, d, 2, false);
	ok(d[0].hw.has_numa && d[0].hw.numa_node == 1, "numa_node 1");
	is_str(d[0].hw.pcie_root, "pci0000:00", "pcie_root from the sysfs link");
	is_str(d[0].hw.root_port, "0000:00:1c.0", "root_port from the sysfs link");
	is_str(d[0].hw.link_speed, "16.0 GT/s", "link_speed");
	ok(d[0].hw.link_width == 8, "link_width 8");
	ok(d[0].hw.sriov_pf && !d[0].hw.sriov_vf, "sriov_totalvfs 7: a PF");
	ok(!d[0].hw.vfio_group[0] && !d[0].hw.vfio_cdev[0], "not on vfio-pci: no VFIO nodes");
	ok(!d[1].hw.has_numa, "numa_node -1: none");
	ok(!d[1].hw.root_port[0], "on the root bus: no root port");
	ok(!d[1].hw.link_speed[0] && !d[1].hw.link_width, "Unknown speed, width 0: none");
	ok(d[1].hw.sriov_vf && !d[1].hw.sriov_pf, "a physfn link: a VF");
	is_str(d[1].hw.vfio_group, "/dev/vfio/12", "on vfio-pci: its group node");
	is_str(d[1].hw.vfio_cdev, "/dev/vfio/devices/vfio3", "... and its cdev where there is one");
	ft_rm("dev/vfio/devices/vfio3");
	inventory_hw(ft_root, d, 2, false);
	ok(d[1].hw.vfio_group[0] && !d[1].hw.vfio_cdev[0], "no cdev node: none");
	ft_cleanup();
}

/* A config space as lspci -xxxx prints it, for libpci's dump method. */
static const char dump[] =
	"01:00.0 Ethernet controller: fake\n"
	"00: 86 80 d3 10 00 00 10 00 00 00 00 02 00 00 00 00\n"
	"30: 00 00 00 00 40 00 00 00 00 00 00 00 00 00 00 00\n"
	"40: 10 00 02 00 00 00 00 00 00 00 00 00 00 00 00 00\n"
	"100: 03 00 01 14 55 44 33 fe ff 22 11 00 00 00 00 00\n"
	"140: 01 00 01 00 00 00 00 00 00 00 00 00 00 00 00 00\n"
	"ff0: 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00\n"
	"02:00.0 Ethernet controller: fake without a DSN\n"
	"00: 86 80 d3 10 00 00 10 00 00 00 00 02 00 00 00 00\n"
	"30: 00 00 00 00 40 00 00 00 00 00 00 00 00 00 00 00\n"
	"40: 10 00 02 00 00 00 00 00 00 00 00 00 00 00 00 00\n"
	"100: 01 00 01 00 00 00 00 00 00 00 00 00 00 00 00 00\n"
	"ff0: 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00\n";

static void dsn(void)
{
	char path[] = "/tmp/ppt-dsn.XXXXXX", buf[32];
	struct pci_access *a = pci_alloc();
	struct pci_dev *p, *with = NULL, *without = NULL;
	int fd = mkstemp(path);

	if (fd < 0 || write(fd, dump, sizeof(dump) - 1) != (ssize_t)(sizeof(dump) - 1)) {
		perror(path);
		exit(2);
	}
	close(fd);
	a->method = PCI_ACCESS_DUMP;
	pci_set_param(a, "dump.name", path);
	pci_init(a);
	pci_scan_bus(a);
	for (p = a->devices; p; p = p->next) {
		if (p->bus == 1)
			with = p;
		if (p->bus == 2)
			without = p;
	}
	ok(with && without, "libpci reads the fake config spaces");
	ok(with && inventory_dsn(with, buf, sizeof(buf)), "the DSN capability is found");
	is_str(with ? buf : "", "00-11-22-ff-fe-33-44-55",
	       "formatted as lspci does: high dword first, most significant byte first");
	ok(without && !inventory_dsn(without, buf, sizeof(buf)) && !buf[0],
	   "a device without one (AER only): none");
	pci_cleanup(a);
	unlink(path);
}

int main(void)
{
	struct out_device *devs = calloc(3, sizeof(*devs));
	struct dev_info k[2];
	struct name_cand c;
	size_t n = 3;

	memset(k, 0, sizeof(k));
	devs[0] = host("0000:00:1f.0", "lpc_ich", 4);
	devs[1] = host("0000:01:00.0", "", 9);
	devs[2] = host("0000:00:02.0", "i915", 2);

	snprintf(k[0].addr, sizeof(k[0].addr), "%s", "0000:01:00.0");
	k[0].state = PPT_STATE_CLAIMED;
	snprintf(k[0].owner, sizeof(k[0].owner), "%s", "vm1");
	snprintf(k[0].driver, sizeof(k[0].driver), "%s", "ppt");
	k[0].iommu_group = -1;
	k[0].last_reset = -1;
	snprintf(k[1].addr, sizeof(k[1].addr), "%s", "0001:00:00.0");
	k[1].state = PPT_STATE_DIRTY;
	k[1].iommu_group = 30;
	k[1].last_reset = -1;

	ok(inventory_merge(&devs, &n, k, 2) == 0 && n == 4,
	   "merge: one device matched, one the host list lacked appended");
	ok(!devs[1].host_only && devs[1].info.state == PPT_STATE_CLAIMED,
	   "the managed device takes the kernel's state");
	is_str(devs[1].info.owner, "vm1", "... and owner");
	is_str(devs[1].info.driver, "ppt", "... and driver");
	is_str(devs[1].info.path, "0000:00/1c.0/00.0", "... keeps libpci's path where the kernel has none");
	is_str(devs[1].info.slot, "7", "... and slot");
	ok(devs[1].info.iommu_group == 9, "... and IOMMU group");
	ok(devs[0].host_only && devs[2].host_only, "the others stay host-only");
	ok(!devs[3].host_only && devs[3].info.iommu_group == 30, "the appended one is managed");

	inventory_sort(devs, n);
	is_str(devs[0].info.addr, "0000:00:02.0", "sorted: 00:02.0 first");
	is_str(devs[1].info.addr, "0000:00:1f.0", "then 00:1f.0");
	is_str(devs[2].info.addr, "0000:01:00.0", "then 01:00.0");
	is_str(devs[3].info.addr, "0001:00:00.0", "domain 1 last");

	inventory_cand(&devs[2], &c);
	ok(!strcmp(c.addr, "0000:01:00.0") && !strcmp(c.path, "0000:00/1c.0/00.0"),
	   "candidate fields for name matching");
	{
		struct out_device *kd = inventory_from_kernel(k, 2);

		ok(kd && !kd[0].host_only && !strcmp(kd[1].info.addr, "0001:00:00.0"),
		   "the kernel's list as pptadm prints it");
		free(kd);
	}
	free(devs);
	topology();
	hw();
	dsn();
	return tap_done();
}
