// SPDX-License-Identifier: GPL-2.0-only
/*
 * Choosing the devices of a multi-device claim.  See ppt_pick.h.
 *
 * Units are IOMMU groups: a group's endpoints can only go to one VM
 * together (they share one DMA address space), so a claim takes a whole
 * group or none of it, and counts it once.
 */
#include <linux/errno.h>
#include <linux/string.h>

#include "ppt_pick.h"

/* Is @unit chosen already (by an earlier candidate of the same group)? */
static bool ppt_pick_unit_chosen(const struct ppt_pick_cand *cands,
				 const bool *chosen, int upto, int unit)
{
	int i;

	for (i = 0; i < upto; i++)
		if (chosen[i] && cands[i].unit == unit)
			return true;
	return false;
}

int ppt_pick(const struct ppt_pick_cand *cands, int n, unsigned int count,
	     bool *chosen, int *blocker)
{
	unsigned int units = 0;
	int i;

	memset(chosen, 0, n * sizeof(*chosen));
	for (i = 0; i < n; i++) {
		if (count && units == count)
			break;
		if (ppt_pick_unit_chosen(cands, chosen, i, cands[i].unit)) {
			chosen[i] = true;
			continue;
		}
		if (!cands[i].avail) {
			if (count)
				continue;
			*blocker = i;
			memset(chosen, 0, n * sizeof(*chosen));
			return -EBUSY;
		}
		chosen[i] = true;
		units++;
	}
	if (count && units < count) {
		memset(chosen, 0, n * sizeof(*chosen));
		return -ENOSPC;
	}
	/* later candidates of a chosen unit come along */
	for (; i < n; i++)
		if (ppt_pick_unit_chosen(cands, chosen, i, cands[i].unit))
			chosen[i] = true;
	return units;
}
