// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfio-test - use a PCI device through VFIO the way QEMU does, for VM tests.
 *
 *   vfio-test [--dma] [--scribble] [--hold] BDF
 *
 * Opens the device the way a VMM does with the legacy VFIO container/group
 * interface (container, group, IOMMU type, device fd) and reads its vendor and
 * device ids through the VFIO config region.  Then, in this order:
 *
 *   --dma       (QEMU "edu" device 1234:11e8 only) maps a buffer into the
 *               IOMMU with VFIO_IOMMU_MAP_DMA and has edu's DMA engine copy a
 *               pattern from it into the device and back into a second part
 *               of the buffer; checks the copy; unmaps.
 *   --scribble  writes garbage over config space as a hostile tenant would:
 *               command register (memory and bus master on), BAR0..BAR5 =
 *               0xffffffff, interrupt line = 0xff (vfio-pci virtualises the
 *               BARs and the interrupt line: only the command register
 *               reaches the device).
 *   --hold      prints "ready" and keeps every fd open until SIGTERM, SIGINT
 *               or EOF on stdin; SIGUSR1 re-reads the ids through VFIO.
 *               Note: a non-interactive shell gives a background job
 *               /dev/null as stdin (immediate EOF): redirect stdin from a
 *               FIFO or a pipe that stays open.
 *
 * Output (stdout, line-buffered), one line per step, for tests to grep:
 *   group BDF N
 *   iommu type1v2|type1
 *   device BDF regions N irqs N reset yes|no
 *   config BDF VVVV:DDDD                       (again on each SIGUSR1)
 *   bar0 BDF size 0xN mmap|rw                  (--dma)
 *   dma map iova 0xN size N                    (--dma)
 *   dma ok N bytes                             (--dma)
 *   scribbled                                  (--scribble)
 *   ready                                      (--hold)
 *   exit on SIGTERM|SIGINT|EOF                 (--hold)
 * A failing step prints "vfio-test: STEP: REASON" on stderr and exits 1;
 * usage errors exit 2.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include <linux/vfio.h>

/* PCI config space (linux/pci_regs.h is not used: libc + vfio.h only) */
#define PCI_VENDOR_ID		0x00
#define PCI_DEVICE_ID		0x02
#define PCI_COMMAND		0x04
#define  PCI_COMMAND_MEMORY	0x0002
#define  PCI_COMMAND_MASTER	0x0004
#define PCI_BASE_ADDRESS_0	0x10
#define PCI_INTERRUPT_LINE	0x3c

/* QEMU's edu device (docs/specs/edu.rst in QEMU) */
#define EDU_VENDOR		0x1234
#define EDU_DEVICE		0x11e8
#define EDU_ID			0x00	/* 0xRRrr00ed */
#define EDU_LIVENESS		0x04	/* reads back the inverse of what was written */
#define EDU_DMA_SRC		0x80
#define EDU_DMA_DST		0x88
#define EDU_DMA_COUNT		0x90
#define EDU_DMA_CMD		0x98
#define  EDU_DMA_CMD_START	0x1	/* cleared by the device when done */
#define  EDU_DMA_CMD_TO_RAM	0x2	/* 0: RAM -> edu buffer, 1: edu buffer -> RAM */
#define EDU_BUF			0x40000	/* edu's internal DMA buffer ... */
#define EDU_BUF_SIZE		4096	/* ... and its size */
/*
 * Bytes per transfer.  QEMU 7.2's edu rejects a transfer that ends at the
 * end of its buffer (an off-by-one in edu_check_range(), fixed later) with
 * hw_error(), which aborts QEMU: never reach the last byte.
 */
#define EDU_DMA_LEN		2048
#define EDU_DMA_MASK		((1ULL << 28) - 1)	/* edu's default dma_mask */

/*
 * IOVA of the test buffer: below edu's 28-bit DMA mask and away from the
 * regions the Intel IOMMU reserves (the MSI window at 0xfee00000).
 */
#define DMA_IOVA		0x100000ULL
#define DMA_TIMEOUT_MS		10000	/* edu completes after 100 ms of virtual time */

static const char *prog = "vfio-test";

struct vt {
	char bdf[64];		/* full address, 0000:00:00.0 */
	int groupno;
	int container;		/* /dev/vfio/vfio */
	int group;		/* /dev/vfio/N */
	int device;		/* from VFIO_GROUP_GET_DEVICE_FD */
	struct vfio_device_info info;
	struct vfio_region_info cfg;	/* VFIO_PCI_CONFIG_REGION_INDEX */
};

/* A failed step: "vfio-test: STEP: strerror(errno)", exit 1. */
static void __attribute__((noreturn)) die(const char *step)
{
	fprintf(stderr, "%s: %s: %s\n", prog, step, strerror(errno));
	exit(1);
}

/* A failed step with its own reason: "vfio-test: STEP: REASON", exit 1. */
static void __attribute__((noreturn, format(printf, 2, 3)))
die_msg(const char *step, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: %s: ", prog, step);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void __attribute__((noreturn)) usage(int status)
{
	fprintf(status ? stderr : stdout,
		"usage: %s [--dma] [--scribble] [--fill N:BYTE] [--probe N] [--hold] BDF\n"
		"  open BDF through VFIO (it must be bound to vfio-pci, and every device of\n"
		"  its IOMMU group to vfio-pci or to no driver) and print its ids\n"
		"  --dma       copy a pattern through edu's (1234:11e8) DMA engine and back\n"
		"  --scribble  write garbage to the command register, BARs and interrupt line\n"
		"  --fill N:BYTE  write BYTE (hex) over all of BAR N (a tenant's data)\n"
		"  --probe N   print \"bar N zero\", or where BAR N holds data first\n"
		"  --hold      print \"ready\", keep the device open until SIGTERM or EOF on\n"
		"              stdin; SIGUSR1 re-reads the ids\n",
		prog);
	exit(status);
}

/* --- config space through the VFIO config region ------------------------------ */

/*
 * vfio-pci exposes config space as region VFIO_PCI_CONFIG_REGION_INDEX of the
 * device fd, at an offset it reports.  Reads and writes go through vfio-pci's
 * config virtualisation (BARs, interrupt line, MSI are emulated; most other
 * fields reach the device), exactly as a guest's config accesses do in QEMU.
 */
static int cfg_read(struct vt *vt, unsigned int off, void *buf, size_t len)
{
	ssize_t n = pread(vt->device, buf, len, vt->cfg.offset + off);

	if (n == (ssize_t)len)
		return 0;
	if (n >= 0)
		errno = EIO;
	return -1;
}

static int cfg_write(struct vt *vt, unsigned int off, const void *buf, size_t len)
{
	ssize_t n = pwrite(vt->device, buf, len, vt->cfg.offset + off);

	if (n == (ssize_t)len)
		return 0;
	if (n >= 0)
		errno = EIO;
	return -1;
}

/* PCI config space is little-endian, like x86: plain copies suffice here. */
static uint16_t cfg_read16(struct vt *vt, unsigned int off, const char *step)
{
	uint16_t v;

	if (cfg_read(vt, off, &v, sizeof(v)))
		die(step);
	return v;
}

static void cfg_write16(struct vt *vt, unsigned int off, uint16_t v, const char *step)
{
	if (cfg_write(vt, off, &v, sizeof(v)))
		die(step);
}

static void cfg_write32(struct vt *vt, unsigned int off, uint32_t v, const char *step)
{
	if (cfg_write(vt, off, &v, sizeof(v)))
		die(step);
}

static void print_ids(struct vt *vt, uint16_t *vendor, uint16_t *device)
{
	uint16_t ids[2];

	if (cfg_read(vt, PCI_VENDOR_ID, ids, sizeof(ids)))
		die("config read");
	printf("config %s %04x:%04x\n", vt->bdf, ids[0], ids[1]);
	if (vendor)
		*vendor = ids[0];
	if (device)
		*device = ids[1];
}

/* --- opening the device, as QEMU's hw/vfio does ------------------------------- */

static void resolve_group(struct vt *vt)
{
	char path[PATH_MAX], link[PATH_MAX], *p, *end;
	ssize_t n;
	long g;

	/*
	 * The IOMMU group is the unit VFIO hands out: its number names the
	 * group's character device, /dev/vfio/N.
	 */
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/iommu_group", vt->bdf);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		die("iommu_group");
	link[n] = '\0';
	p = strrchr(link, '/');
	p = p ? p + 1 : link;
	errno = 0;
	g = strtol(p, &end, 10);
	if (errno || *end || end == p || g < 0 || g > INT_MAX)
		die_msg("iommu_group", "cannot parse group number from '%s'", link);
	vt->groupno = (int)g;
	printf("group %s %d\n", vt->bdf, vt->groupno);
}

static void open_device(struct vt *vt)
{
	struct vfio_group_status status = { .argsz = sizeof(status) };
	char path[64];
	int api, type;

	/*
	 * The container holds the IOMMU context (one I/O address space); groups
	 * attached to it share the mappings made with VFIO_IOMMU_MAP_DMA.
	 */
	vt->container = open("/dev/vfio/vfio", O_RDWR | O_CLOEXEC);
	if (vt->container < 0)
		die("open /dev/vfio/vfio");
	api = ioctl(vt->container, VFIO_GET_API_VERSION);
	if (api < 0)
		die("VFIO_GET_API_VERSION");
	if (api != VFIO_API_VERSION)
		die_msg("VFIO_GET_API_VERSION", "kernel speaks VFIO API %d, we %d",
			api, VFIO_API_VERSION);

	/*
	 * Type1 is the IOMMU backend for x86 IOMMUs; v2 (what QEMU prefers)
	 * differs in unmap semantics and honours reserved IOVA ranges.
	 */
	if (ioctl(vt->container, VFIO_CHECK_EXTENSION, VFIO_TYPE1v2_IOMMU) > 0)
		type = VFIO_TYPE1v2_IOMMU;
	else if (ioctl(vt->container, VFIO_CHECK_EXTENSION, VFIO_TYPE1_IOMMU) > 0)
		type = VFIO_TYPE1_IOMMU;
	else
		die_msg("VFIO_CHECK_EXTENSION",
			"no type1 IOMMU backend (is vfio_iommu_type1 loaded?)");

	/*
	 * Opening the group fails with EBUSY if someone else (another VMM) has
	 * it open, ENOENT if the group is not (or no longer) VFIO's.
	 */
	snprintf(path, sizeof(path), "/dev/vfio/%d", vt->groupno);
	vt->group = open(path, O_RDWR | O_CLOEXEC);
	if (vt->group < 0) {
		char step[80];

		snprintf(step, sizeof(step), "open %s", path);
		die(step);
	}

	/*
	 * A group is viable only when every device in it is bound to a VFIO
	 * driver or to none: a device left to a host driver could DMA into
	 * the same I/O address space, so VFIO refuses the whole group.
	 */
	if (ioctl(vt->group, VFIO_GROUP_GET_STATUS, &status))
		die("VFIO_GROUP_GET_STATUS");
	if (!(status.flags & VFIO_GROUP_FLAGS_VIABLE))
		die_msg("VFIO_GROUP_GET_STATUS",
			"group %d is not viable (all its devices must be bound to vfio-pci or to no driver)",
			vt->groupno);

	/*
	 * Attaching the group to the container makes VFIO the group's DMA
	 * owner; from here on no host driver can bind to its devices.
	 */
	if (ioctl(vt->group, VFIO_GROUP_SET_CONTAINER, &vt->container))
		die("VFIO_GROUP_SET_CONTAINER");

	/*
	 * Choosing the IOMMU model creates the IOMMU domain and attaches the
	 * group's devices to it: until now they had no DMA access at all.
	 * Needs a group in the container first.
	 */
	if (ioctl(vt->container, VFIO_SET_IOMMU, type))
		die("VFIO_SET_IOMMU");
	printf("iommu %s\n", type == VFIO_TYPE1v2_IOMMU ? "type1v2" : "type1");

	/*
	 * Only now (group viable, in a container with an IOMMU) does VFIO hand
	 * out a device fd; opening it enables the device (vfio-pci saves its
	 * state, resets it when it can, and restores it on the last close).
	 */
	vt->device = ioctl(vt->group, VFIO_GROUP_GET_DEVICE_FD, vt->bdf);
	if (vt->device < 0)
		die("VFIO_GROUP_GET_DEVICE_FD");

	/* What the device offers: its regions (BARs, ROM, config) and IRQs. */
	vt->info.argsz = sizeof(vt->info);
	if (ioctl(vt->device, VFIO_DEVICE_GET_INFO, &vt->info))
		die("VFIO_DEVICE_GET_INFO");
	if (!(vt->info.flags & VFIO_DEVICE_FLAGS_PCI))
		die_msg("VFIO_DEVICE_GET_INFO", "%s is not a VFIO PCI device", vt->bdf);
	printf("device %s regions %u irqs %u reset %s\n", vt->bdf,
	       vt->info.num_regions, vt->info.num_irqs,
	       vt->info.flags & VFIO_DEVICE_FLAGS_RESET ? "yes" : "no");

	/* Where config space sits in the device fd (region offsets are opaque). */
	vt->cfg.argsz = sizeof(vt->cfg);
	vt->cfg.index = VFIO_PCI_CONFIG_REGION_INDEX;
	if (ioctl(vt->device, VFIO_DEVICE_GET_REGION_INFO, &vt->cfg))
		die("VFIO_DEVICE_GET_REGION_INFO config");
	if (vt->cfg.size < 0x40)
		die_msg("VFIO_DEVICE_GET_REGION_INFO config",
			"config region is only %llu bytes", (unsigned long long)vt->cfg.size);
}

/* --- edu DMA through the IOMMU ------------------------------------------------- */

struct bar {
	struct vt *vt;
	struct vfio_region_info info;
	volatile uint8_t *map;	/* NULL: pread/pwrite on the device fd */
};

/* edu takes 4-byte accesses everywhere (and 8-byte ones from 0x80 on). */
static uint32_t bar_read32(struct bar *bar, unsigned int off)
{
	uint32_t v;

	if (bar->map)
		return *(volatile uint32_t *)(bar->map + off);
	errno = 0;
	if (pread(bar->vt->device, &v, sizeof(v), bar->info.offset + off) != sizeof(v))
		die_msg("bar0 read", "offset 0x%x: %s", off, strerror(errno ? errno : EIO));
	return v;
}

static void bar_write32(struct bar *bar, unsigned int off, uint32_t v)
{
	if (bar->map) {
		*(volatile uint32_t *)(bar->map + off) = v;
		return;
	}
	errno = 0;
	if (pwrite(bar->vt->device, &v, sizeof(v), bar->info.offset + off) != sizeof(v))
		die_msg("bar0 write", "offset 0x%x: %s", off, strerror(errno ? errno : EIO));
}

static long elapsed_ms(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

/* Wait until edu's DMA engine is idle (command bit 0 clear). */
static void edu_dma_wait(struct bar *bar, const char *step)
{
	const struct timespec tick = { .tv_nsec = 1000000 };
	struct timespec t0;
	uint32_t cmd;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	while ((cmd = bar_read32(bar, EDU_DMA_CMD)) & EDU_DMA_CMD_START) {
		if (elapsed_ms(&t0) > DMA_TIMEOUT_MS)
			die_msg(step, "timed out after %d ms (command register 0x%x)",
				DMA_TIMEOUT_MS, cmd);
		nanosleep(&tick, NULL);
	}
}

/*
 * One edu transfer.  edu ignores writes to its DMA registers while a transfer
 * runs, so wait for idle first; then program source, destination and count,
 * start, and poll for completion.
 */
static void edu_dma(struct bar *bar, uint64_t src, uint64_t dst, uint32_t count,
		    uint32_t cmd, const char *step)
{
	edu_dma_wait(bar, step);
	/* 4-byte writes zero-extend: every address here is below 4 GiB */
	bar_write32(bar, EDU_DMA_SRC, (uint32_t)src);
	bar_write32(bar, EDU_DMA_DST, (uint32_t)dst);
	bar_write32(bar, EDU_DMA_COUNT, count);
	__sync_synchronize();	/* the buffer and registers before the start bit */
	bar_write32(bar, EDU_DMA_CMD, cmd | EDU_DMA_CMD_START);
	edu_dma_wait(bar, step);
	__sync_synchronize();	/* the device's writes before we read the buffer */
}

static void run_dma(struct vt *vt, uint16_t vendor, uint16_t device)
{
	struct vfio_iommu_type1_info iinfo = { .argsz = sizeof(iinfo) };
	struct vfio_iommu_type1_dma_map map = { .argsz = sizeof(map) };
	struct vfio_iommu_type1_dma_unmap unmap = { .argsz = sizeof(unmap) };
	struct bar bar = { .vt = vt };
	uint64_t pgsize = (uint64_t)sysconf(_SC_PAGESIZE);
	uint8_t *buf, *out, *back;
	uint32_t seed, x, id;
	size_t len, i;
	uint16_t cmd;

	if (vendor != EDU_VENDOR || device != EDU_DEVICE)
		die_msg("dma", "%s is %04x:%04x, --dma needs an edu device (%04x:%04x)",
			vt->bdf, vendor, device, EDU_VENDOR, EDU_DEVICE);

	/*
	 * A device may only issue DMA with Bus Master Enable set; vfio-pci
	 * enables memory decoding when the device is opened but leaves bus
	 * mastering to the user, as a guest's driver would set it.
	 */
	cmd = cfg_read16(vt, PCI_COMMAND, "dma: read command register");
	cfg_write16(vt, PCI_COMMAND, cmd | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER,
		    "dma: enable bus master");

	/* BAR0 holds edu's registers; mmap it when vfio-pci allows (QEMU does). */
	bar.info.argsz = sizeof(bar.info);
	bar.info.index = VFIO_PCI_BAR0_REGION_INDEX;
	if (ioctl(vt->device, VFIO_DEVICE_GET_REGION_INFO, &bar.info))
		die("VFIO_DEVICE_GET_REGION_INFO bar0");
	if (bar.info.size < EDU_DMA_CMD + 4)
		die_msg("VFIO_DEVICE_GET_REGION_INFO bar0", "BAR0 is only %llu bytes",
			(unsigned long long)bar.info.size);
	if (bar.info.flags & VFIO_REGION_INFO_FLAG_MMAP) {
		void *p = mmap(NULL, bar.info.size, PROT_READ | PROT_WRITE, MAP_SHARED,
			       vt->device, bar.info.offset);

		if (p == MAP_FAILED)
			die("mmap bar0");
		bar.map = p;
	}
	printf("bar0 %s size 0x%llx %s\n", vt->bdf, (unsigned long long)bar.info.size,
	       bar.map ? "mmap" : "rw");

	/* Is it really edu, and do its registers answer? */
	id = bar_read32(&bar, EDU_ID);
	if ((id & 0xff) != 0xed)
		die_msg("dma", "edu identification register reads 0x%08x", id);
	bar_write32(&bar, EDU_LIVENESS, 0x12345678);
	x = bar_read32(&bar, EDU_LIVENESS);
	if (x != ~0x12345678U)
		die_msg("dma", "edu liveness register reads 0x%08x, want 0x%08x",
			x, ~0x12345678U);

	/*
	 * The IOMMU's smallest page decides the mapping granularity: both
	 * the IOVA and the size must be multiples of it.
	 */
	if (ioctl(vt->container, VFIO_IOMMU_GET_INFO, &iinfo))
		die("VFIO_IOMMU_GET_INFO");
	if ((iinfo.flags & VFIO_IOMMU_INFO_PGSIZES) && iinfo.iova_pgsizes)
		pgsize = iinfo.iova_pgsizes & -iinfo.iova_pgsizes;
	if (pgsize < (uint64_t)sysconf(_SC_PAGESIZE))
		pgsize = (uint64_t)sysconf(_SC_PAGESIZE);
	len = (2 * EDU_BUF_SIZE + pgsize - 1) & ~(pgsize - 1);
	if (DMA_IOVA % pgsize || DMA_IOVA + len - 1 > EDU_DMA_MASK)
		die_msg("dma", "IOMMU page size 0x%llx does not fit edu's DMA window",
			(unsigned long long)pgsize);

	/* Page-aligned anonymous memory, as a guest's RAM is for QEMU. */
	buf = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED)
		die("mmap buffer");
	out = buf;			/* at IOVA DMA_IOVA: RAM -> edu */
	back = buf + EDU_BUF_SIZE;	/* at IOVA DMA_IOVA + 4096: edu -> RAM */

	/*
	 * Map the buffer at DMA_IOVA in the container's IOMMU domain: vfio pins
	 * the pages and programs the IOMMU, so the device's bus addresses
	 * DMA_IOVA.. reach this memory and nothing else.
	 */
	map.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE;
	map.vaddr = (uintptr_t)buf;
	map.iova = DMA_IOVA;
	map.size = len;
	if (ioctl(vt->container, VFIO_IOMMU_MAP_DMA, &map))
		die("VFIO_IOMMU_MAP_DMA");
	printf("dma map iova 0x%llx size %zu\n", DMA_IOVA, len);

	/*
	 * A pattern that differs from run to run: a stale copy in edu's buffer
	 * from an earlier run cannot pass for a working transfer.
	 */
	seed = (uint32_t)time(NULL) ^ ((uint32_t)getpid() << 16);
	x = seed | 1;
	for (i = 0; i < EDU_DMA_LEN; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		out[i] = (uint8_t)x;
	}
	memset(back, 0, EDU_BUF_SIZE);

	edu_dma(&bar, DMA_IOVA, EDU_BUF, EDU_DMA_LEN, 0, "dma to device");
	edu_dma(&bar, EDU_BUF, DMA_IOVA + EDU_BUF_SIZE, EDU_DMA_LEN, EDU_DMA_CMD_TO_RAM,
		"dma from device");

	for (i = 0; i < EDU_DMA_LEN; i++)
		if (back[i] != out[i])
			die_msg("dma", "mismatch at offset 0x%zx (got 0x%02x, want 0x%02x)",
				i, back[i], out[i]);

	/* Unmap: vfio unpins the pages; the device can no longer reach them. */
	unmap.iova = DMA_IOVA;
	unmap.size = len;
	if (ioctl(vt->container, VFIO_IOMMU_UNMAP_DMA, &unmap))
		die("VFIO_IOMMU_UNMAP_DMA");
	if (unmap.size != len)
		die_msg("VFIO_IOMMU_UNMAP_DMA", "unmapped %llu bytes of %zu",
			(unsigned long long)unmap.size, len);
	munmap(buf, len);
	if (bar.map)
		munmap((void *)bar.map, bar.info.size);
	printf("dma ok %d bytes\n", EDU_DMA_LEN);
}

/* --- a hostile tenant ------------------------------------------------------------ */

static void scribble(struct vt *vt)
{
	uint16_t cmd;
	uint8_t line = 0xff;
	int i;

	/*
	 * What a guest may leave behind: decoding and bus mastering on (these
	 * bits reach the device), every BAR sized (vfio-pci virtualises BARs
	 * and the interrupt line, but a tenant does not know or care).
	 */
	cmd = cfg_read16(vt, PCI_COMMAND, "scribble: read command register");
	cfg_write16(vt, PCI_COMMAND, cmd | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER,
		    "scribble: command register");
	for (i = 0; i < 6; i++)
		cfg_write32(vt, PCI_BASE_ADDRESS_0 + 4 * i, 0xffffffff, "scribble: BAR");
	if (cfg_write(vt, PCI_INTERRUPT_LINE, &line, sizeof(line)))
		die("scribble: interrupt line");
	printf("scribbled\n");
}

/* --- a tenant's data in a BAR ------------------------------------------------------ */

/*
 * --fill N:BYTE writes BYTE over all of BAR N, as a tenant's frame buffer
 * would hold its images; --probe N reads BAR N and prints "bar N zero" or
 * "bar N data at OFFSET: 0xBB", as the next tenant would find it.
 */
static void bar_fill_probe(struct vt *vt, int n, int fill)
{
	struct vfio_region_info ri = { .argsz = sizeof(ri), .index = VFIO_PCI_BAR0_REGION_INDEX + n };
	static uint8_t buf[1 << 16];
	uint16_t cmd;
	uint64_t off;

	if (ioctl(vt->device, VFIO_DEVICE_GET_REGION_INFO, &ri))
		die("bar region info");
	if (!ri.size)
		die_msg("bar region info", "BAR %d has no size", n);
	cmd = cfg_read16(vt, PCI_COMMAND, "bar: read command register");
	cfg_write16(vt, PCI_COMMAND, cmd | PCI_COMMAND_MEMORY, "bar: command register");
	if (fill >= 0)
		memset(buf, fill, sizeof(buf));
	for (off = 0; off < ri.size; off += sizeof(buf)) {
		size_t len = ri.size - off < sizeof(buf) ? ri.size - off : sizeof(buf);
		ssize_t r = fill >= 0 ? pwrite(vt->device, buf, len, ri.offset + off) :
				       pread(vt->device, buf, len, ri.offset + off);

		if (r != (ssize_t)len)
			die(fill >= 0 ? "bar write" : "bar read");
		if (fill >= 0)
			continue;
		for (size_t i = 0; i < len; i++) {
			if (buf[i]) {
				printf("bar %d data at 0x%llx: 0x%02x\n", n,
				       (unsigned long long)(off + i), buf[i]);
				return;
			}
		}
	}
	if (fill >= 0)
		printf("bar %d filled with 0x%02x (%llu bytes)\n", n, fill,
		       (unsigned long long)ri.size);
	else
		printf("bar %d zero\n", n);
}

/* --- holding the device ------------------------------------------------------------ */

static void hold(struct vt *vt, int sfd)
{
	struct pollfd pfd[2] = {
		{ .fd = sfd, .events = POLLIN },
		{ .fd = STDIN_FILENO, .events = POLLIN },
	};
	struct signalfd_siginfo si;
	char junk[256];
	ssize_t n;

	printf("ready\n");
	fflush(stdout);

	for (;;) {
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			die("poll");
		}
		if (pfd[1].revents & POLLNVAL) {
			pfd[1].fd = -1;		/* no stdin at all: signals only */
		} else if (pfd[1].revents) {
			n = read(STDIN_FILENO, junk, sizeof(junk));
			if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN)) {
				printf("exit on EOF\n");
				break;
			}
		}
		if (!(pfd[0].revents & POLLIN))
			continue;
		if (read(sfd, &si, sizeof(si)) != sizeof(si))
			die("signalfd read");
		if (si.ssi_signo == SIGUSR1) {
			/* the device still answers through VFIO? */
			print_ids(vt, NULL, NULL);
			fflush(stdout);
			continue;
		}
		printf("exit on %s\n", si.ssi_signo == SIGTERM ? "SIGTERM" : "SIGINT");
		break;
	}
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "dma", no_argument, NULL, 'd' },
		{ "hold", no_argument, NULL, 'H' },
		{ "scribble", no_argument, NULL, 's' },
		{ "fill", required_argument, NULL, 'f' },
		{ "probe", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct vt vt = { .container = -1, .group = -1, .device = -1 };
	bool do_dma = false, do_hold = false, do_scribble = false;
	int fill_bar = -1, fill_byte = -1, probe_bar = -1;
	unsigned int fb, fv;
	uint16_t vendor, device;
	const char *arg;
	int c, sfd = -1;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			do_dma = true;
			break;
		case 'H':
			do_hold = true;
			break;
		case 's':
			do_scribble = true;
			break;
		case 'f':
			if (sscanf(optarg, "%u:%x", &fb, &fv) != 2 || fb > 5 || fv > 0xff)
				usage(2);
			fill_bar = (int)fb;
			fill_byte = (int)fv;
			break;
		case 'p':
			if (sscanf(optarg, "%u", &fb) != 1 || fb > 5)
				usage(2);
			probe_bar = (int)fb;
			break;
		case 'h':
			usage(0);
		default:
			usage(2);
		}
	}
	if (optind != argc - 1)
		usage(2);

	/* BDF: DDDD:BB:DD.F, or BB:DD.F in domain 0000 */
	arg = argv[optind];
	if (!*arg || strchr(arg, '/') || strlen(arg) > 32)
		usage(2);
	snprintf(vt.bdf, sizeof(vt.bdf), "%s%s",
		 strchr(arg, ':') == strrchr(arg, ':') ? "0000:" : "", arg);

	/* Tests read our output through pipes and files: one line at a time. */
	setvbuf(stdout, NULL, _IOLBF, 0);

	if (do_hold) {
		sigset_t set;

		/*
		 * Take the signals through a signalfd, blocked from the start
		 * so an early SIGUSR1 waits for the hold loop instead of
		 * killing us.  Reset dispositions: a background job of a
		 * non-interactive shell inherits SIGINT ignored.
		 */
		signal(SIGTERM, SIG_DFL);
		signal(SIGINT, SIG_DFL);
		signal(SIGUSR1, SIG_DFL);
		sigemptyset(&set);
		sigaddset(&set, SIGTERM);
		sigaddset(&set, SIGINT);
		sigaddset(&set, SIGUSR1);
		if (sigprocmask(SIG_BLOCK, &set, NULL))
			die("sigprocmask");
		sfd = signalfd(-1, &set, SFD_CLOEXEC);
		if (sfd < 0)
			die("signalfd");
	}

	resolve_group(&vt);
	open_device(&vt);
	print_ids(&vt, &vendor, &device);

	if (do_dma)
		run_dma(&vt, vendor, device);
	if (do_scribble)
		scribble(&vt);
	if (fill_bar >= 0)
		bar_fill_probe(&vt, fill_bar, fill_byte);
	if (probe_bar >= 0)
		bar_fill_probe(&vt, probe_bar, -1);
	if (do_hold)
		hold(&vt, sfd);

	/* Release in QEMU's order: device, group (leaves the container), container. */
	close(vt.device);
	close(vt.group);
	close(vt.container);
	return 0;
}
