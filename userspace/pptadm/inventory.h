/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The host's PCI devices, as libpci sees them, and their merge with the
 * kernel's view of the devices ppt manages (pptadm list -a).  libpci also
 * supplies the vendor and device names for every listing.
 */
#ifndef PPTADM_INVENTORY_H
#define PPTADM_INVENTORY_H

#include <stddef.h>

#include "names.h"
#include "output.h"

/*
 * Every PCI function on the host (libpci: ids, class, revision, subsystem,
 * driver, IOMMU group, physical slot; the topology path from its sysfs
 * link), each marked host_only.  Returns 0 or a negative errno with the
 * reason in err.
 */
int inventory_host(struct out_device **devs, size_t *n, char *err,
		   size_t errlen);

/* The kernel's devices as pptadm prints them (malloc()ed). */
struct out_device *inventory_from_kernel(const struct dev_info *k, size_t nk);

/*
 * Merge the kernel's view into a host list: a device ppt manages takes the
 * kernel's state and attributes (keeping libpci's path, slot and group
 * where the kernel has none); one libpci did not see is appended.
 * Returns 0 or -ENOMEM.
 */
int inventory_merge(struct out_device **devs, size_t *n,
		    const struct dev_info *k, size_t nk);

/* Sort by PCI address (domain, bus, device, function). */
void inventory_sort(struct out_device *devs, size_t n);

/* Fill vendor_name, device_name and name from pci.ids. */
void inventory_names(struct out_device *devs, size_t n);

/* What device names are matched against. */
void inventory_cand(const struct out_device *d, struct name_cand *c);

/* Release libpci. */
void inventory_cleanup(void);

#endif /* PPTADM_INVENTORY_H */
