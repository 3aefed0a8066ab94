// SPDX-License-Identifier: GPL-2.0-only
/*
 * A device opened through VFIO for a sanitiser (vfio_dev.h), the way a VMM
 * opens it: container, group, IOMMU model, device fd.  Everything that
 * fails is said with the step it failed at, and undone.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/pci_regs.h>

#include "vfio_dev.h"

/*
 * DMA buffers are mapped from 1 MiB up: below the x86 MSI window
 * (0xfee00000), which type1 reserves, for any buffer a sanitiser needs.
 */
#define VFIO_DEV_IOVA_BASE	0x100000ULL

struct vfio_dma {
	struct vfio_dma *next;
	void *p;
	size_t size;
	uint64_t iova;
};

static int fail(char *err, size_t errlen, int e, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* err = "STEP: strerror(e)"; returns -e. */
static int fail(char *err, size_t errlen, int e, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	n = strlen(err);
	if (e && n < errlen)
		snprintf(err + n, errlen - n, ": %s", strerror(e));
	return -e;
}

int vfio_dev_group(const char *addr, int *groupno)
{
	char path[PATH_MAX], link[PATH_MAX], *p, *end;
	ssize_t n;
	long g;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/iommu_group", addr);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		return -errno;
	link[n] = '\0';
	p = strrchr(link, '/');
	p = p ? p + 1 : link;
	errno = 0;
	g = strtol(p, &end, 10);
	if (errno || *end || end == p || g < 0 || g > INT_MAX)
		return -EINVAL;
	*groupno = (int)g;
	return 0;
}

int vfio_dev_open(struct vfio_dev *d, const char *addr, char *err, size_t errlen)
{
	struct vfio_group_status status = { .argsz = sizeof(status) };
	struct vfio_region_info cfg = { .argsz = sizeof(cfg) };
	char path[64];
	int ret, type;

	memset(d, 0, sizeof(*d));
	d->container = d->group = d->device = -1;
	d->next_iova = VFIO_DEV_IOVA_BASE;
	snprintf(d->addr, sizeof(d->addr), "%s", addr);

	ret = vfio_dev_group(addr, &d->groupno);
	if (ret)
		return fail(err, errlen, -ret, "%s: its IOMMU group", addr);
	d->container = open("/dev/vfio/vfio", O_RDWR | O_CLOEXEC);
	if (d->container < 0) {
		ret = fail(err, errlen, errno, "open /dev/vfio/vfio");
		goto out;
	}
	if (ioctl(d->container, VFIO_GET_API_VERSION) != VFIO_API_VERSION) {
		ret = fail(err, errlen, EPROTO, "/dev/vfio/vfio: VFIO API version");
		goto out;
	}
	/*
	 * type1v2 honours the IOMMU's reserved ranges; type1 is the fallback.
	 * vfio only names vfio_iommu_type1 as a soft dependency: a modprobe
	 * that ignores softdeps (busybox's) leaves it out.
	 */
	if (ioctl(d->container, VFIO_CHECK_EXTENSION, VFIO_TYPE1v2_IOMMU) > 0)
		type = VFIO_TYPE1v2_IOMMU;
	else if (ioctl(d->container, VFIO_CHECK_EXTENSION, VFIO_TYPE1_IOMMU) > 0)
		type = VFIO_TYPE1_IOMMU;
	else {
		ret = fail(err, errlen, ENODEV,
			   "no VFIO type1 IOMMU backend (modprobe vfio_iommu_type1)");
		goto out;
	}
	/* EBUSY: another user (a VMM) has the group open */
	snprintf(path, sizeof(path), "/dev/vfio/%d", d->groupno);
	d->group = open(path, O_RDWR | O_CLOEXEC);
	if (d->group < 0) {
		ret = fail(err, errlen, errno, "%s: open %s", addr, path);
		goto out;
	}
	if (ioctl(d->group, VFIO_GROUP_GET_STATUS, &status)) {
		ret = fail(err, errlen, errno, "%s: VFIO_GROUP_GET_STATUS", path);
		goto out;
	}
	/* a group mate bound to a host driver could DMA into the same space */
	if (!(status.flags & VFIO_GROUP_FLAGS_VIABLE)) {
		ret = fail(err, errlen, 0,
			   "%s: IOMMU group %d is not viable (a device in it is bound to a host driver)",
			   addr, d->groupno);
		ret = -EBUSY;
		goto out;
	}
	if (ioctl(d->group, VFIO_GROUP_SET_CONTAINER, &d->container)) {
		ret = fail(err, errlen, errno, "%s: VFIO_GROUP_SET_CONTAINER", path);
		goto out;
	}
	if (ioctl(d->container, VFIO_SET_IOMMU, type)) {
		ret = fail(err, errlen, errno, "%s: VFIO_SET_IOMMU", path);
		goto out;
	}
	d->device = ioctl(d->group, VFIO_GROUP_GET_DEVICE_FD, addr);
	if (d->device < 0) {
		ret = fail(err, errlen, errno, "%s: VFIO_GROUP_GET_DEVICE_FD", addr);
		goto out;
	}
	d->info.argsz = sizeof(d->info);
	if (ioctl(d->device, VFIO_DEVICE_GET_INFO, &d->info) ||
	    !(d->info.flags & VFIO_DEVICE_FLAGS_PCI)) {
		ret = fail(err, errlen, errno ? errno : ENODEV, "%s: VFIO_DEVICE_GET_INFO", addr);
		goto out;
	}
	cfg.index = VFIO_PCI_CONFIG_REGION_INDEX;
	if (ioctl(d->device, VFIO_DEVICE_GET_REGION_INFO, &cfg)) {
		ret = fail(err, errlen, errno, "%s: config region", addr);
		goto out;
	}
	d->cfg_offset = cfg.offset;
	return 0;
out:
	vfio_dev_close(d);
	return ret;
}

void vfio_dev_close(struct vfio_dev *d)
{
	while (d->dmas)
		vfio_dev_dma_free(d, d->dmas->p);
	if (d->device >= 0)
		close(d->device);
	if (d->group >= 0)
		close(d->group);
	if (d->container >= 0)
		close(d->container);
	d->device = d->group = d->container = -1;
}

int vfio_dev_cfg_read(struct vfio_dev *d, unsigned int off, void *buf, size_t len)
{
	ssize_t n = pread(d->device, buf, len, (off_t)(d->cfg_offset + off));

	return n == (ssize_t)len ? 0 : n < 0 ? -errno : -EIO;
}

int vfio_dev_cfg_write(struct vfio_dev *d, unsigned int off, const void *buf, size_t len)
{
	ssize_t n = pwrite(d->device, buf, len, (off_t)(d->cfg_offset + off));

	return n == (ssize_t)len ? 0 : n < 0 ? -errno : -EIO;
}

int vfio_dev_enable(struct vfio_dev *d, bool master)
{
	uint16_t cmd;
	int ret;

	ret = vfio_dev_cfg_read(d, PCI_COMMAND, &cmd, sizeof(cmd));
	if (ret)
		return ret;
	cmd |= PCI_COMMAND_MEMORY | (master ? PCI_COMMAND_MASTER : 0);
	return vfio_dev_cfg_write(d, PCI_COMMAND, &cmd, sizeof(cmd));
}

int vfio_dev_region(struct vfio_dev *d, unsigned int index, struct vfio_region_info *ri)
{
	memset(ri, 0, sizeof(*ri));
	ri->argsz = sizeof(*ri);
	ri->index = index;
	return ioctl(d->device, VFIO_DEVICE_GET_REGION_INFO, ri) ? -errno : 0;
}

int vfio_dev_region_rw(struct vfio_dev *d, const struct vfio_region_info *ri,
		       uint64_t off, void *buf, size_t len, bool write)
{
	off_t pos = (off_t)(ri->offset + off);
	uint8_t *p = buf;

	if (off > ri->size || len > ri->size - off)
		return -ERANGE;
	while (len) {
		ssize_t n = write ? pwrite(d->device, p, len, pos) : pread(d->device, p, len, pos);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		p += n;
		pos += n;
		len -= (size_t)n;
	}
	return 0;
}

void *vfio_dev_dma_alloc(struct vfio_dev *d, size_t size, uint64_t *iova)
{
	struct vfio_iommu_type1_dma_map map = { .argsz = sizeof(map) };
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	struct vfio_dma *dma;
	void *p;

	size = (size + page - 1) & ~(page - 1);
	dma = calloc(1, sizeof(*dma));
	if (!dma)
		return NULL;
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		free(dma);
		return NULL;
	}
	/* type1 pins the pages: the device may write them at any time */
	map.vaddr = (uintptr_t)p;
	map.size = size;
	map.iova = d->next_iova;
	map.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE;
	if (ioctl(d->container, VFIO_IOMMU_MAP_DMA, &map)) {
		int e = errno;

		munmap(p, size);
		free(dma);
		errno = e;
		return NULL;
	}
	dma->p = p;
	dma->size = size;
	dma->iova = map.iova;
	dma->next = d->dmas;
	d->dmas = dma;
	d->next_iova += size;
	*iova = dma->iova;
	return p;
}

void vfio_dev_dma_free(struct vfio_dev *d, void *p)
{
	struct vfio_iommu_type1_dma_unmap unmap = { .argsz = sizeof(unmap) };
	struct vfio_dma **pp, *dma;

	for (pp = &d->dmas; *pp && (*pp)->p != p; pp = &(*pp)->next)
		;
	dma = *pp;
	if (!dma)
		return;
	*pp = dma->next;
	unmap.iova = dma->iova;
	unmap.size = dma->size;
	/* a failed unmap leaves the pages pinned, never reused: leak them */
	if (ioctl(d->container, VFIO_IOMMU_UNMAP_DMA, &unmap) == 0)
		munmap(dma->p, dma->size);
	free(dma);
}
