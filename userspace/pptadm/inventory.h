/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The host's PCI devices, as libpci sees them, and their merge with the
 * kernel's view of the devices ppt manages (pptadm list -a).  libpci also
 * supplies the vendor and device names for every listing.
 */
#ifndef PPTADM_INVENTORY_H
#define PPTADM_INVENTORY_H

#include <stdbool.h>
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

/*
 * What schedulers place by (output.h's struct dev_hw), for each device:
 * from sysfs below root ("" for /) its NUMA node, PCIe root complex and
 * root port (from its sysfs link), link speed and width, the VFIO nodes of
 * a device bound to vfio-pci, whether it is an SR-IOV PF or VF; and with
 * dsn, its Device Serial Number through libpci (reading the extended
 * config space needs root: without it there is none).
 */
void inventory_hw(const char *root, struct out_device *devs, size_t n, bool dsn);

/*
 * From a device's sysfs link target ("../../../devices/pci0000:00/
 * 0000:00:1c.0/0000:01:00.0"): its root complex as DRA's pcieRoot
 * ("pci0000:00") and the bridge on the root bus above it ("" for a device
 * on the root bus itself).  Returns 0, or -EINVAL for a target without a
 * root complex.
 */
int inventory_topology(const char *target, char *pcie_root, size_t rootlen,
		       char *root_port, size_t portlen);

/* "8.0 GT/s" from sysfs current_link_speed ("8.0 GT/s PCIe"); "" for unknown. */
void inventory_link_speed(const char *sysfs, char *out, size_t len);

struct pci_dev;
/*
 * A device's Device Serial Number as lspci prints it
 * ("00-11-22-ff-fe-33-44-55"), from its DSN extended capability.
 * Returns false when it has none (or the config space cannot be read).
 */
bool inventory_dsn(struct pci_dev *p, char *buf, size_t len);

/* Release libpci. */
void inventory_cleanup(void);

#endif /* PPTADM_INVENTORY_H */
