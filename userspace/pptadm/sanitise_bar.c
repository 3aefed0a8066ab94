// SPDX-License-Identifier: GPL-2.0-only
/*
 * The bar sanitiser (sanitise_bar.h).  A BAR is written through its VFIO
 * mapping when vfio-pci offers one for the whole BAR, otherwise through
 * pread/pwrite on the device fd (a BAR with the MSI-X table in it, whose
 * mapping is sparse).  Every BAR is read before up to its first byte of
 * data (did it hold anything?), zeroed, then read back in full.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <linux/pci_regs.h>

#include "sanitise_bar.h"

#define BAR_CHUNK	(1u << 20)

int bar_select_parse(const char *text, enum bar_which *which, uint32_t *mask,
		     char *err, size_t errlen)
{
	const char *p = text;

	*mask = 0;
	if (!strcmp(text, "prefetchable")) {
		*which = BARS_PREFETCHABLE;
		return 0;
	}
	if (!strcmp(text, "memory")) {
		*which = BARS_MEMORY;
		return 0;
	}
	*which = BARS_LISTED;
	for (;;) {
		size_t len = strcspn(p, ",");

		if (len != 1 || *p < '0' || *p >= '0' + BAR_COUNT) {
			snprintf(err, errlen,
				 "bad BAR '%.*s' in '%s' (prefetchable, memory, or BAR numbers 0-5 joined by commas)",
				 (int)len, p, text);
			return -EINVAL;
		}
		*mask |= 1u << (*p - '0');
		if (!p[len])
			return 0;
		p += len + 1;
	}
}

/* A BAR's config register: I/O, 64-bit (the next register is its top), prefetchable. */
static int bar_flags(struct vfio_dev *d, unsigned int n, uint32_t *reg)
{
	return vfio_dev_cfg_read(d, PCI_BASE_ADDRESS_0 + 4 * n, reg, sizeof(*reg));
}

static void size_text(uint64_t bytes, char *buf, size_t len)
{
	if (bytes >= (1ull << 30) && !(bytes & ((1ull << 30) - 1)))
		snprintf(buf, len, "%" PRIu64 " GiB", bytes >> 30);
	else if (bytes >= (1ull << 20) && !(bytes & ((1ull << 20) - 1)))
		snprintf(buf, len, "%" PRIu64 " MiB", bytes >> 20);
	else if (bytes >= 1024 && !(bytes & 1023))
		snprintf(buf, len, "%" PRIu64 " KiB", bytes >> 10);
	else
		snprintf(buf, len, "%" PRIu64 " bytes", bytes);
}

static bool all_zero(const uint8_t *p, size_t len)
{
	return !len || (!p[0] && !memcmp(p, p + 1, len - 1));
}

/*
 * One BAR: bytes of it, zeroed and read back.  map: its whole mapping, or
 * NULL for pread/pwrite.  *held: it was not all zero before.  Returns 0,
 * or a negative errno with why.
 */
static int zero_bar(struct vfio_dev *d, const struct vfio_region_info *ri, volatile uint8_t *map,
		    unsigned int n, bool *held, char *why, size_t whylen)
{
	uint8_t *buf = malloc(BAR_CHUNK), *zero = calloc(1, BAR_CHUNK);
	uint64_t off;
	int ret = 0;

	*held = false;
	if (!buf || !zero) {
		ret = -ENOMEM;
		snprintf(why, whylen, "BAR%u: out of memory", n);
		goto out;
	}
	for (int pass = 0; pass < 3 && !ret; pass++) {
		/*
		 * pass 0: read until the first data (held data?), 1: zero,
		 * 2: read back all of it.  Reads of a BAR are uncached, one
		 * bus transaction each: pass 0 stops as soon as it knows.
		 */
		for (off = 0; off < ri->size && !(pass == 0 && *held); off += BAR_CHUNK) {
			size_t len = ri->size - off < BAR_CHUNK ? ri->size - off : BAR_CHUNK;

			if (map && pass == 1) {
				/* 8-byte stores: BAR mappings are uncached, no memset tricks */
				for (size_t i = 0; i < len; i += 8)
					*(volatile uint64_t *)(map + off + i) = 0;
				continue;
			}
			if (map) {
				for (size_t i = 0; i < len; i += 8)
					*(uint64_t *)(buf + i) = *(volatile uint64_t *)(map + off + i);
			} else {
				ret = vfio_dev_region_rw(d, ri, off, pass == 1 ? zero : buf, len,
							 pass == 1);
				if (ret) {
					snprintf(why, whylen, "BAR%u: %s at offset 0x%" PRIx64 ": %s",
						 n, pass == 1 ? "write" : "read", off, strerror(-ret));
					break;
				}
			}
			if (pass == 0 && !all_zero(buf, len))
				*held = true;
			if (pass == 2 && !all_zero(buf, len)) {
				size_t i = 0;

				while (!buf[i])
					i++;
				snprintf(why, whylen,
					 "BAR%u does not read back zero: byte 0x%" PRIx64 " is 0x%02x after zeroing",
					 n, off + i, buf[i]);
				ret = -EIO;
				break;
			}
		}
	}
out:
	free(buf);
	free(zero);
	return ret;
}

int sanitise_bars(struct vfio_dev *d, enum bar_which which, uint32_t mask,
		  struct bar_report *r)
{
	size_t vlen = 0;
	int ret;

	memset(r, 0, sizeof(*r));
	ret = vfio_dev_enable(d, false);
	if (ret) {
		snprintf(r->why, sizeof(r->why), "enabling memory decoding: %s", strerror(-ret));
		return ret;
	}
	for (unsigned int n = 0; n < BAR_COUNT; n++) {
		struct vfio_region_info ri;
		volatile uint8_t *map = NULL;
		char size[32];
		uint32_t reg;
		bool held;

		if (which == BARS_LISTED && !(mask & (1u << n)))
			continue;
		ret = vfio_dev_region(d, VFIO_PCI_BAR0_REGION_INDEX + n, &ri);
		if (!ret)
			ret = bar_flags(d, n, &reg);
		if (ret) {
			snprintf(r->why, sizeof(r->why), "BAR%u: %s", n, strerror(-ret));
			return ret;
		}
		/* size 0: no BAR, or the top half of a 64-bit one */
		if (!ri.size || (reg & PCI_BASE_ADDRESS_SPACE_IO) ||
		    !(ri.flags & VFIO_REGION_INFO_FLAG_WRITE)) {
			if (which == BARS_LISTED) {
				snprintf(r->why, sizeof(r->why), "BAR%u is %s", n,
					 !ri.size ? "not a BAR of this device" :
					 (reg & PCI_BASE_ADDRESS_SPACE_IO) ? "an I/O BAR, not memory" :
					 "not writable through VFIO");
				return -EINVAL;
			}
			continue;
		}
		if (which == BARS_PREFETCHABLE && !(reg & PCI_BASE_ADDRESS_MEM_PREFETCH))
			continue;
		/* a sparse mapping (caps) leaves holes: use pread/pwrite then */
		if ((ri.flags & VFIO_REGION_INFO_FLAG_MMAP) && !(ri.flags & VFIO_REGION_INFO_FLAG_CAPS)) {
			void *p = mmap(NULL, ri.size, PROT_READ | PROT_WRITE, MAP_SHARED, d->device,
				       (off_t)ri.offset);

			if (p != MAP_FAILED)
				map = p;
		}
		ret = zero_bar(d, &ri, map, n, &held, r->why, sizeof(r->why));
		if (map)
			munmap((void *)map, ri.size);
		if (ret)
			return ret;
		r->bars++;
		r->bytes += ri.size;
		r->held_data += held;
		size_text(ri.size, size, sizeof(size));
		if (vlen < sizeof(r->verified))
			vlen += (size_t)snprintf(r->verified + vlen, sizeof(r->verified) - vlen,
						 "%sBAR%u %s%s", vlen ? ", " : "", n, size,
						 held ? " (held data)" : "");
	}
	if (!r->bars) {
		snprintf(r->why, sizeof(r->why), "no %s BAR to zero",
			 which == BARS_PREFETCHABLE ? "prefetchable memory" : "memory");
		return -ENOENT;
	}
	if (vlen < sizeof(r->verified))
		snprintf(r->verified + vlen, sizeof(r->verified) - vlen, ": zeroed, read back zero");
	return 0;
}
