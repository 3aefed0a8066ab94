/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The bar sanitiser: zero a device's memory BARs through VFIO and read them
 * back.  A GPU's frame buffer aperture (its prefetchable BAR) is where a
 * tenant's images and compute buffers sit; zeroing it erases what the BAR
 * reaches, and no more: VRAM beyond the aperture (a BAR smaller than the
 * memory, without resizable BAR) is out of reach of any host-side write.
 */
#ifndef PPTADM_SANITISE_BAR_H
#define PPTADM_SANITISE_BAR_H

#include <stdint.h>

#include "vfio_dev.h"

#define BAR_COUNT	6

/* What the bar sanitiser did. */
struct bar_report {
	unsigned int bars;		/* BARs zeroed */
	uint64_t bytes;			/* their size */
	unsigned int held_data;		/* BARs that were not all zero before */
	char verified[256];		/* "BAR0 16 MiB (held data)" ... */
	char why[256];			/* on failure */
};

/*
 * Parse --bars: "prefetchable" (the default: every prefetchable memory
 * BAR), "memory" (every memory BAR), or BAR numbers "0,2".  *mask gets bit n
 * for BAR n, or 0 with *which set.  Returns 0, or -EINVAL with the bad part
 * in err.
 */
enum bar_which { BARS_PREFETCHABLE, BARS_MEMORY, BARS_LISTED };
int bar_select_parse(const char *text, enum bar_which *which, uint32_t *mask,
		     char *err, size_t errlen);

/*
 * Zero the chosen BARs of an open device and verify that each reads back
 * zero.  Returns 0; or a negative errno with r->why (no BAR to zero is
 * -ENOENT: a sanitiser that erases nothing must not pass).
 */
int sanitise_bars(struct vfio_dev *d, enum bar_which which, uint32_t mask,
		  struct bar_report *r);

#endif /* PPTADM_SANITISE_BAR_H */
