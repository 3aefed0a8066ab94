/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Choosing the devices of a multi-device claim (PPT_CMD_CLAIM): pure logic,
 * no locking or hardware access, so KUnit tests it (tests/kunit).
 */
#ifndef PPT_PICK_H
#define PPT_PICK_H

#include <linux/types.h>

/**
 * struct ppt_pick_cand - one candidate device, as the claim sees it
 * @unit: its claim unit: candidates with the same @unit are endpoints of
 *	one IOMMU group and are claimed together or not at all
 * @avail: the candidate and every other endpoint of its unit can be
 *	claimed (reserved, known good)
 */
struct ppt_pick_cand {
	int unit;
	bool avail;
};

/*
 * Choose units for a claim.  @cands are in the order candidates are
 * preferred.  With @count 0 every candidate must be available (a listed
 * claim); otherwise the first @count units with an available candidate are
 * chosen (a candidate whose unit is already chosen does not count again).
 *
 * On success returns the number of units chosen and sets @chosen[i] for
 * each candidate whose unit is chosen.  Fails with -EBUSY (setting
 * *@blocker to the first unavailable candidate) for a listed claim, and
 * with -ENOSPC when fewer than @count units are available; @chosen is
 * then all false.
 */
int ppt_pick(const struct ppt_pick_cand *cands, int n, unsigned int count,
	     bool *chosen, int *blocker);

#endif /* PPT_PICK_H */
