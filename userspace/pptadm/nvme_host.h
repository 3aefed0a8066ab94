/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * An NVMe controller the host's nvme driver runs, reached through that
 * driver's admin command passthrough (/dev/nvmeN, NVME_IOCTL_ADMIN_CMD):
 * its baseline before ppt reserves it, while it is still the host's and no
 * tenant has had it.
 */
#ifndef PPTADM_NVME_HOST_H
#define PPTADM_NVME_HOST_H

#include <stddef.h>

#include "nvme.h"

/*
 * The baseline of the controller at PCI address addr, which the host's
 * nvme driver must have bound (its character device under
 * /sys/bus/pci/devices/ADDR/nvme/).  0 with *b filled; -ENODEV when the
 * host's nvme driver does not have it (nothing to read, nothing said);
 * another negative errno with why.
 */
int nvme_host_baseline(const char *addr, struct nvme_baseline *b, char *why, size_t whylen);

#endif /* PPTADM_NVME_HOST_H */
