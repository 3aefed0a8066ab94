/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * An NVMe controller reached through VFIO, as nvme.c's struct nvme_io:
 * BAR0's registers through the device fd, DMA memory mapped in the
 * device's IOMMU domain.  The sanitiser's way to a controller ppt has
 * given to vfio-pci; a VM test's tenant uses it too.
 */
#ifndef PPTADM_NVME_VFIO_H
#define PPTADM_NVME_VFIO_H

#include <stddef.h>

#include "nvme.h"
#include "vfio_dev.h"

struct nvme_vfio {
	struct vfio_dev *d;
	struct vfio_region_info bar0;
	int err;		/* the first failed register access */
};

/*
 * Open addr through VFIO (d) with bus mastering on, and its BAR0 as io
 * (nv keeps what io's functions need).  0, or a negative errno with why;
 * the caller closes d with vfio_dev_close() after nvme_close().
 */
int nvme_vfio_open(struct vfio_dev *d, struct nvme_vfio *nv, struct nvme_io *io,
		   const char *addr, char *why, size_t whylen);

#endif /* PPTADM_NVME_VFIO_H */
