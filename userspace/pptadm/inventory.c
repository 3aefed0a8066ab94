// SPDX-License-Identifier: GPL-2.0-only
/*
 * The host's PCI devices through libpci; see inventory.h.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <pci/pci.h>

#include "inventory.h"
#include "vfio_nodes.h"

static struct pci_access *pacc;
static bool pacc_scanned;

static void pci_quiet(char *msg, ...)
{
	(void)msg;
}

static _Noreturn void pci_fatal(char *msg, ...)
{
	va_list ap;

	va_start(ap, msg);
	fputs("pptadm: libpci: ", stderr);
	vfprintf(stderr, msg, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

/*
 * libpci with its hooks set: name lookups need no pci_init(), which is
 * what would set them, and libpci calls them from lookups too.
 */
static struct pci_access *get_pacc(void)
{
	if (!pacc) {
		pacc = pci_alloc();
		if (!pacc)
			return NULL;
		pacc->warning = pci_quiet;
		pacc->debug = pci_quiet;
		pacc->error = pci_fatal;
	}
	return pacc;
}

void inventory_cleanup(void)
{
	if (pacc)
		pci_cleanup(pacc);
	pacc = NULL;
	pacc_scanned = false;
}

/* The topology path from the device's link in sysfs, "" when unknown. */
static void host_path(struct pci_access *a, const char *addr, char *out,
		      size_t len)
{
	char *sysfs = pci_get_param(a, "sysfs.path");
	char link[PATH_MAX], target[PATH_MAX];
	ssize_t n;

	out[0] = '\0';
	snprintf(link, sizeof(link), "%s/devices/%s",
		 sysfs && sysfs[0] ? sysfs : "/sys/bus/pci", addr);
	n = readlink(link, target, sizeof(target) - 1);
	if (n <= 0)
		return;
	target[n] = '\0';
	if (path_from_sysfs_link(target, out, len))
		out[0] = '\0';
}

int inventory_host(struct out_device **devs, size_t *n, char *err,
		   size_t errlen)
{
	struct pci_access *a = get_pacc();
	struct out_device *list = NULL, *d;
	struct pci_dev *p;
	size_t count = 0, i = 0;

	if (!a) {
		snprintf(err, errlen, "libpci: out of memory");
		return -ENOMEM;
	}
	if (!pacc_scanned) {
		pci_init(a);
		pci_scan_bus(a);
		pacc_scanned = true;
	}
	for (p = a->devices; p; p = p->next)
		count++;
	list = calloc(count ? count : 1, sizeof(*list));
	if (!list) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	for (p = a->devices; p; p = p->next, i++) {
		const char *s;

		d = &list[i];
		pci_fill_info(p, PCI_FILL_IDENT | PCI_FILL_CLASS | PCI_FILL_CLASS_EXT |
			      PCI_FILL_SUBSYS | PCI_FILL_PHYS_SLOT |
			      PCI_FILL_IOMMU_GROUP | PCI_FILL_DRIVER);
		d->host_only = true;
		snprintf(d->info.addr, sizeof(d->info.addr), "%04x:%02x:%02x.%x",
			 (unsigned int)p->domain, p->bus, p->dev, p->func);
		d->info.vendor = p->vendor_id;
		d->info.device = p->device_id;
		d->info.subvendor = p->subsys_vendor_id;
		d->info.subdevice = p->subsys_id;
		d->info.pci_class = (uint32_t)p->device_class << 8 | p->prog_if;
		d->info.revision = p->rev_id;
		d->info.last_reset = -1;
		d->info.reset_pref = -1;
		s = pci_get_string_property(p, PCI_FILL_IOMMU_GROUP);
		d->info.iommu_group = s ? strtoll(s, NULL, 10) : -1;
		s = pci_get_string_property(p, PCI_FILL_DRIVER);
		snprintf(d->info.driver, sizeof(d->info.driver), "%s", s ? s : "");
		snprintf(d->info.slot, sizeof(d->info.slot), "%s",
			 p->phy_slot ? p->phy_slot : "");
		host_path(a, d->info.addr, d->info.path, sizeof(d->info.path));
	}
	*devs = list;
	*n = count;
	return 0;
}

struct out_device *inventory_from_kernel(const struct dev_info *k, size_t nk)
{
	struct out_device *devs = calloc(nk ? nk : 1, sizeof(*devs));
	size_t i;

	for (i = 0; devs && i < nk; i++)
		devs[i].info = k[i];
	return devs;
}

int inventory_merge(struct out_device **devs, size_t *n,
		    const struct dev_info *k, size_t nk)
{
	size_t i, j;

	for (i = 0; i < nk; i++) {
		struct out_device *d = NULL;

		for (j = 0; j < *n; j++)
			if (!strcmp((*devs)[j].info.addr, k[i].addr))
				d = &(*devs)[j];
		if (d) {
			struct dev_info host = d->info;

			d->info = k[i];
			d->host_only = false;
			if (!d->info.path[0])
				memcpy(d->info.path, host.path, sizeof(host.path));
			if (!d->info.slot[0])
				memcpy(d->info.slot, host.slot, sizeof(host.slot));
			if (d->info.iommu_group < 0)
				d->info.iommu_group = host.iommu_group;
			continue;
		}
		d = realloc(*devs, (*n + 1) * sizeof(*d));
		if (!d)
			return -ENOMEM;
		*devs = d;
		memset(&d[*n], 0, sizeof(*d));
		d[*n].info = k[i];
		(*n)++;
	}
	return 0;
}

static int dev_cmp(const void *a, const void *b)
{
	const struct out_device *x = a, *y = b;

	return addr_cmp(x->info.addr, y->info.addr);
}

void inventory_sort(struct out_device *devs, size_t n)
{
	if (n > 1)
		qsort(devs, n, sizeof(*devs), dev_cmp);
}

/*
 * Names come from pci.ids only.  For an id pci.ids lacks, libpci 3.9 asks
 * udev's hwdb, and where the hwdb cannot be opened (a minimal system, a
 * container, the test VMs) it creates a udev context on every lookup and
 * keeps only the last: pptadm monitor would leak one per event.  Debian
 * generates the hwdb's PCI names from pci.ids, so nothing is lost there.
 */
#define LOOKUP	PCI_LOOKUP_NO_HWDB

void inventory_names(struct out_device *devs, size_t n)
{
	struct pci_access *a = get_pacc();
	size_t i;

	for (i = 0; a && i < n; i++) {
		struct out_device *d = &devs[i];

		if (!pci_lookup_name(a, d->name, sizeof(d->name),
				     LOOKUP | PCI_LOOKUP_VENDOR | PCI_LOOKUP_DEVICE,
				     d->info.vendor, d->info.device))
			d->name[0] = '\0';
		if (!pci_lookup_name(a, d->vendor_name, sizeof(d->vendor_name),
				     LOOKUP | PCI_LOOKUP_VENDOR | PCI_LOOKUP_NO_NUMBERS,
				     d->info.vendor))
			d->vendor_name[0] = '\0';
		if (!pci_lookup_name(a, d->device_name, sizeof(d->device_name),
				     LOOKUP | PCI_LOOKUP_DEVICE | PCI_LOOKUP_NO_NUMBERS,
				     d->info.vendor, d->info.device))
			d->device_name[0] = '\0';
	}
}

void inventory_cand(const struct out_device *d, struct name_cand *c)
{
	c->addr = d->info.addr;
	c->path = d->info.path;
	c->physfn = d->sriov.physfn;
	c->vendor = d->info.vendor;
	c->device = d->info.device;
	c->subvendor = d->info.subvendor;
	c->subdevice = d->info.subdevice;
	c->pci_class = d->info.pci_class;
}

int inventory_topology(const char *target, char *pcie_root, size_t rootlen,
		       char *root_port, size_t portlen)
{
	const char *p = target, *rc = NULL;
	size_t len;

	pcie_root[0] = '\0';
	root_port[0] = '\0';
	/* the component "pciDDDD:BB" that the kernel names a root bus */
	while (*p) {
		len = strcspn(p, "/");
		if (len > 3 && len < 16 && !strncmp(p, "pci", 3) &&
		    strspn(p + 3, "0123456789abcdef:") >= len - 3 &&
		    memchr(p + 3, ':', len - 3)) {
			rc = p;
			break;
		}
		p += len + (p[len] == '/');
	}
	if (!rc)
		return -EINVAL;
	snprintf(pcie_root, rootlen, "%.*s", (int)len, rc);
	p = rc + len + (rc[len] == '/');
	len = strcspn(p, "/");
	/* the first function below it, when the device is further down */
	if (len && p[len] == '/' && p[len + 1] && len < PPT_ADDR_BUFLEN)
		snprintf(root_port, portlen, "%.*s", (int)len, p);
	return 0;
}

void inventory_link_speed(const char *sysfs, char *out, size_t len)
{
	size_t n = strcspn(sysfs, "\n");

	out[0] = '\0';
	if (!n || !strncmp(sysfs, "Unknown", 7) || sysfs[0] < '0' || sysfs[0] > '9')
		return;
	/* the kernel appends " PCIe" since 5.x; older ones print "8 GT/s" */
	if (n > 5 && !strncmp(sysfs + n - 5, " PCIe", 5))
		n -= 5;
	snprintf(out, len, "%.*s", (int)n, sysfs);
}

bool inventory_dsn(struct pci_dev *p, char *buf, size_t len)
{
	struct pci_cap *cap = pci_find_cap(p, PCI_EXT_CAP_ID_DSN, PCI_CAP_EXTENDED);
	uint32_t lo, hi;

	buf[0] = '\0';
	if (!cap)
		return false;
	lo = pci_read_long(p, cap->addr + 4);
	hi = pci_read_long(p, cap->addr + 8);
	snprintf(buf, len, "%02x-%02x-%02x-%02x-%02x-%02x-%02x-%02x",
		 hi >> 24, (hi >> 16) & 0xff, (hi >> 8) & 0xff, hi & 0xff,
		 lo >> 24, (lo >> 16) & 0xff, (lo >> 8) & 0xff, lo & 0xff);
	return true;
}

/* A sysfs attribute's first line, "" when it cannot be read. */
static bool read_attr(const char *root, const char *addr, const char *attr,
		      char *buf, size_t len)
{
	char path[PATH_MAX];
	FILE *f;
	bool ok;

	buf[0] = '\0';
	snprintf(path, sizeof(path), "%s/sys/bus/pci/devices/%s/%s", root, addr, attr);
	f = fopen(path, "re");
	if (!f)
		return false;
	ok = fgets(buf, (int)len, f) != NULL;
	fclose(f);
	if (!ok)
		buf[0] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return ok;
}

static void hw_dsn(struct out_device *d)
{
	struct pci_access *a = get_pacc();
	unsigned int dom, bus, dev, fn;
	struct pci_dev *p;

	if (!a || sscanf(d->info.addr, "%x:%x:%x.%x", &dom, &bus, &dev, &fn) != 4)
		return;
	if (!pacc_scanned) {
		pci_init(a);
		pci_scan_bus(a);
		pacc_scanned = true;
	}
	for (p = a->devices; p; p = p->next)
		if ((unsigned int)p->domain == dom && p->bus == bus &&
		    p->dev == dev && p->func == fn)
			break;
	if (p)
		inventory_dsn(p, d->hw.serial, sizeof(d->hw.serial));
}

void inventory_hw(const char *root, struct out_device *devs, size_t n, bool dsn)
{
	char path[PATH_MAX], target[PATH_MAX], buf[64];
	struct stat st;
	size_t i;

	for (i = 0; i < n; i++) {
		struct out_device *d = &devs[i];
		struct dev_hw *hw = &d->hw;
		const char *addr = d->info.addr;
		char *end;
		long v;
		ssize_t len;

		memset(hw, 0, sizeof(*hw));
		if (read_attr(root, addr, "numa_node", buf, sizeof(buf))) {
			v = strtol(buf, &end, 10);
			if (end != buf && v >= 0 && v < INT_MAX) {
				hw->has_numa = true;
				hw->numa_node = (int)v;
			}
		}
		snprintf(path, sizeof(path), "%s/sys/bus/pci/devices/%s", root, addr);
		len = readlink(path, target, sizeof(target) - 1);
		if (len > 0) {
			target[len] = '\0';
			inventory_topology(target, hw->pcie_root, sizeof(hw->pcie_root),
					   hw->root_port, sizeof(hw->root_port));
		}
		if (read_attr(root, addr, "current_link_speed", buf, sizeof(buf)))
			inventory_link_speed(buf, hw->link_speed, sizeof(hw->link_speed));
		if (read_attr(root, addr, "current_link_width", buf, sizeof(buf))) {
			v = strtol(buf, &end, 10);
			if (end != buf && v > 0 && v <= 32)
				hw->link_width = (int)v;
		}
		if (read_attr(root, addr, "sriov_totalvfs", buf, sizeof(buf)))
			hw->sriov_pf = strtol(buf, NULL, 10) > 0;
		snprintf(path, sizeof(path), "%s/sys/bus/pci/devices/%s/physfn", root, addr);
		hw->sriov_vf = !lstat(path, &st);
		if (!strcmp(d->info.driver, "vfio-pci") && d->info.iommu_group >= 0) {
			char nodes[VFIO_MAX_NODES][VFIO_NODE_PATH];
			size_t k, nn = vfio_nodes_of(root, addr, d->info.iommu_group, nodes);
			size_t skip = strlen(root);

			for (k = 0; k < nn; k++) {
				const char *node = nodes[k] + skip;

				if (!strncmp(node, "/dev/vfio/devices/", 18))
					snprintf(hw->vfio_cdev, sizeof(hw->vfio_cdev), "%s", node);
				else
					snprintf(hw->vfio_group, sizeof(hw->vfio_group), "%s", node);
			}
		}
		if (dsn)
			hw_dsn(d);
	}
}
