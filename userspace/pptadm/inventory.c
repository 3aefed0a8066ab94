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

#include <pci/pci.h>

#include "inventory.h"

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
