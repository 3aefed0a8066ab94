/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A PCI device opened through VFIO by pptadm itself, as a sanitiser needs
 * it: its config space, its BARs and DMA-able memory mapped through the
 * IOMMU (the legacy group/container interface, which every kernel ppt
 * supports has).  The device must be bound to vfio-pci, its group viable
 * and open by nobody else.
 */
#ifndef PPTADM_VFIO_DEV_H
#define PPTADM_VFIO_DEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/vfio.h>

struct vfio_dma;

struct vfio_dev {
	char addr[32];
	int groupno;
	int container;			/* /dev/vfio/vfio */
	int group;			/* /dev/vfio/N */
	int device;			/* VFIO_GROUP_GET_DEVICE_FD */
	struct vfio_device_info info;
	uint64_t cfg_offset;		/* config space in the device fd */
	uint64_t next_iova;		/* where the next DMA buffer goes */
	struct vfio_dma *dmas;		/* mapped buffers, freed by close */
};

/*
 * The IOMMU group number of ADDR, from its sysfs iommu_group link (the
 * number of its /dev/vfio/N).  0, or a negative errno (-ENOENT: no group).
 */
int vfio_dev_group(const char *addr, int *groupno);

/*
 * Open ADDR (dddd:bb:dd.f) through VFIO.  Returns 0, or a negative errno
 * with the step that failed in err.  On failure nothing stays open.
 */
int vfio_dev_open(struct vfio_dev *d, const char *addr, char *err, size_t errlen);

/* Unmap and free every DMA buffer, close the device, group and container. */
void vfio_dev_close(struct vfio_dev *d);

/* Config space through vfio-pci's config region.  0 or a negative errno. */
int vfio_dev_cfg_read(struct vfio_dev *d, unsigned int off, void *buf, size_t len);
int vfio_dev_cfg_write(struct vfio_dev *d, unsigned int off, const void *buf, size_t len);

/*
 * Turn on memory decoding (and bus mastering when master): vfio-pci
 * leaves the command register as the reset left it.  0 or a negative
 * errno.
 */
int vfio_dev_enable(struct vfio_dev *d, bool master);

/* A region's info (a BAR: VFIO_PCI_BAR0_REGION_INDEX + n).  0 or -errno. */
int vfio_dev_region(struct vfio_dev *d, unsigned int index, struct vfio_region_info *ri);

/* Read or write len bytes at off of a region.  0 or a negative errno. */
int vfio_dev_region_rw(struct vfio_dev *d, const struct vfio_region_info *ri,
		       uint64_t off, void *buf, size_t len, bool write);

/*
 * size bytes of zeroed memory (rounded up to pages) that the device sees at
 * *iova, or NULL (errno set).  Freed by vfio_dev_dma_free or at close.
 */
void *vfio_dev_dma_alloc(struct vfio_dev *d, size_t size, uint64_t *iova);
void vfio_dev_dma_free(struct vfio_dev *d, void *p);

#endif /* PPTADM_VFIO_DEV_H */
