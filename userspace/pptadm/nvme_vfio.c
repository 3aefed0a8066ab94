// SPDX-License-Identifier: GPL-2.0-only
/*
 * nvme.c's transport through VFIO: see nvme_vfio.h.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "nvme_vfio.h"

/*
 * Registers through pread/pwrite of the device fd: vfio-pci turns each
 * into one 32-bit MMIO access, which is what the NVMe registers want
 * (a sparse mapping around the MSI-X table would be the alternative).
 */
static uint32_t nv_rd32(void *ctx, uint32_t off)
{
	struct nvme_vfio *nv = ctx;
	uint32_t v = ~0u;
	int ret = vfio_dev_region_rw(nv->d, &nv->bar0, off, &v, sizeof(v), false);

	if (ret && !nv->err)
		nv->err = ret;
	return ret ? ~0u : v;
}

static void nv_wr32(void *ctx, uint32_t off, uint32_t val)
{
	struct nvme_vfio *nv = ctx;
	int ret = vfio_dev_region_rw(nv->d, &nv->bar0, off, &val, sizeof(val), true);

	if (ret && !nv->err)
		nv->err = ret;
}

static void *nv_dma_alloc(void *ctx, size_t size, uint64_t *iova)
{
	struct nvme_vfio *nv = ctx;

	return vfio_dev_dma_alloc(nv->d, size, iova);
}

static void nv_dma_free(void *ctx, void *p, size_t size)
{
	struct nvme_vfio *nv = ctx;

	(void)size;
	vfio_dev_dma_free(nv->d, p);
}

static void nv_sleep_us(void *ctx, unsigned int us)
{
	struct timespec ts = { .tv_sec = us / 1000000, .tv_nsec = (long)(us % 1000000) * 1000 };

	(void)ctx;
	nanosleep(&ts, NULL);
}

int nvme_vfio_open(struct vfio_dev *d, struct nvme_vfio *nv, struct nvme_io *io,
			  const char *addr, char *why, size_t whylen)
{
	int ret = vfio_dev_open(d, addr, why, whylen);

	if (ret)
		return ret;
	memset(nv, 0, sizeof(*nv));
	nv->d = d;
	ret = vfio_dev_region(d, VFIO_PCI_BAR0_REGION_INDEX, &nv->bar0);
	if (!ret && nv->bar0.size < 0x1008)
		ret = -ENODEV;
	if (!ret)
		ret = vfio_dev_enable(d, true);
	if (ret) {
		snprintf(why, whylen, "%s: BAR0 of an NVMe controller: %s", addr, strerror(-ret));
		vfio_dev_close(d);
		return ret;
	}
	*io = (struct nvme_io){
		.ctx = nv, .rd32 = nv_rd32, .wr32 = nv_wr32,
		.dma_alloc = nv_dma_alloc, .dma_free = nv_dma_free, .sleep_us = nv_sleep_us,
	};
	return 0;
}
