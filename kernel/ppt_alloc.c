// SPDX-License-Identifier: GPL-2.0-only
/*
 * Allocation: claiming several devices for one owner at once
 * (PPT_CMD_CLAIM), and a restarted owner taking its devices back
 * (PPT_CMD_TAKE).
 *
 * A claim is all or nothing and happens under one hold of ppt_table_lock,
 * so concurrent claimers never see, let alone take, each other's devices.
 * IOMMU groups are read before the lock is taken (walking a group takes
 * the IOMMU core's group mutex, which must not nest inside the table
 * lock); the states are then checked and changed under it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/iommu.h>
#include <linux/slab.h>
#include <linux/sort.h>

#include "ppt.h"
#include "ppt_pick.h"

/**
 * struct ppt_alloc_cand - a candidate device and its IOMMU group
 * @pdev: the candidate; holds a reference
 * @group: its group, as an identity only (no reference); NULL without one
 * @mates: the other endpoints of its group (bridges excluded: they carry
 *	other devices' traffic and are never handed over); hold references
 * @nmates: how many
 * @blocker: when its group is not available, the device in the way
 * @why: and why it is in the way
 */
struct ppt_alloc_cand {
	struct pci_dev *pdev;
	struct iommu_group *group;
	struct pci_dev **mates;
	int nmates;
	struct pci_dev *blocker;
	const char *why;
};

static void ppt_alloc_cands_free(struct ppt_alloc_cand *c, int n)
{
	int i, j;

	for (i = 0; i < n; i++) {
		for (j = 0; j < c[i].nmates; j++)
			pci_dev_put(c[i].mates[j]);
		kfree(c[i].mates);
		pci_dev_put(c[i].pdev);
	}
	kfree(c);
}

static int ppt_alloc_addr_cmp(const struct pci_dev *a, const struct pci_dev *b)
{
	int da = pci_domain_nr(a->bus), db = pci_domain_nr(b->bus);

	if (da != db)
		return da < db ? -1 : 1;
	if (a->bus->number != b->bus->number)
		return a->bus->number < b->bus->number ? -1 : 1;
	return (int)a->devfn - (int)b->devfn;
}

static int ppt_alloc_cand_cmp(const void *a, const void *b)
{
	return ppt_alloc_addr_cmp(((const struct ppt_alloc_cand *)a)->pdev,
				  ((const struct ppt_alloc_cand *)b)->pdev);
}

static int ppt_alloc_pdev_cmp(const void *a, const void *b)
{
	return ppt_alloc_addr_cmp(*(struct pci_dev * const *)a,
				  *(struct pci_dev * const *)b);
}

/* Read a candidate's IOMMU group.  Called without ppt_table_lock. */
static int ppt_alloc_read_group(struct ppt_alloc_cand *c)
{
	struct iommu_group *group = iommu_group_get(&c->pdev->dev);
	int n;

	if (!group)
		return 0;
	c->group = group;
	n = ppt_group_mates(group, c->pdev, &c->mates);
	iommu_group_put(group);
	if (n < 0)
		return n;
	c->nmates = n;
	return 0;
}

/* Can @pdev be claimed now?  If not, why. */
static bool ppt_alloc_avail(struct pci_dev *pdev, const char **why)
{
	struct ppt_device *pd = ppt_table_find(pdev);

	lockdep_assert_held(&ppt_table_lock);
	if (!pd || pd->state == PPT_STATE_DETACHED) {
		*why = "device not managed by ppt";
		return false;
	}
	if (pd->state != PPT_STATE_RESERVED) {
		if (ppt_state_check(pd->state, PPT_STATE_CLAIMED, why))
			return false;
		*why = "device is not reserved";
		return false;
	}
	if (pd->failed) {
		*why = "device reported a fatal error and awaits cleaning";
		return false;
	}
	if (ppt_sriov_removing(pdev)) {
		*why = "its PF is removing its VFs";
		return false;
	}
	return true;
}

/*
 * Is the candidate's whole group available?  On failure names the device
 * that is not, and why.
 */
static bool ppt_alloc_unit_avail(const struct ppt_alloc_cand *c,
				 struct pci_dev **blocker, const char **why)
{
	int j;

	if (!ppt_alloc_avail(c->pdev, why)) {
		*blocker = c->pdev;
		return false;
	}
	for (j = 0; j < c->nmates; j++) {
		if (!ppt_alloc_avail(c->mates[j], why)) {
			*why = "another device of the IOMMU group is not available";
			*blocker = c->mates[j];
			return false;
		}
	}
	return true;
}

/* Claim @pdev for the request if it is not claimed by it already. */
static int ppt_alloc_take_one(struct ppt_req *req, struct pci_dev *pdev,
			      struct pci_dev **got, int ngot)
{
	struct ppt_device *pd = ppt_table_find(pdev);

	if (pd->state == PPT_STATE_CLAIMED)
		return ngot;
	ppt_table_set_state(pd, PPT_STATE_CLAIMED);
	strscpy(pd->owner, req->owner, sizeof(pd->owner));
	pd->lease = req->lease ? req->portid : 0;
	pd->lease_ended = false;
	ppt_nl_notify_device(pd, false);
	got[ngot] = pci_dev_get(pdev);
	return ngot + 1;
}

/*
 * Gather the devices ppt manages that @m matches and that are reserved now
 * (only they can be chosen; the choice checks again under the lock).
 * Takes ppt_table_lock.
 */
static int ppt_alloc_gather(const struct ppt_id_match *m,
			    struct ppt_alloc_cand **out)
{
	struct ppt_alloc_cand *c;
	struct ppt_device *pd;
	int n = 0, max = 0;

	mutex_lock(&ppt_table_lock);
	list_for_each_entry(pd, &ppt_table, node)
		max++;
	c = kcalloc(max ?: 1, sizeof(*c), GFP_KERNEL);
	if (!c) {
		mutex_unlock(&ppt_table_lock);
		return -ENOMEM;
	}
	list_for_each_entry(pd, &ppt_table, node) {
		struct pci_dev *p = pd->pdev;

		if (pd->state == PPT_STATE_RESERVED && !pd->failed &&
		    ppt_id_match_dev(m, p->vendor, p->device,
				     p->subsystem_vendor, p->subsystem_device,
				     p->class))
			c[n++].pdev = pci_dev_get(p);
	}
	mutex_unlock(&ppt_table_lock);
	*out = c;
	return n;
}

/**
 * ppt_alloc_claim() - claim several devices for an owner, all or nothing
 * @req: the request: owner, lease (@req->lease, @req->portid)
 * @listed: the devices the request lists, or NULL; references stay the
 *	caller's
 * @nlisted: how many
 * @m: a match the candidates must satisfy, or NULL
 * @count: how many candidates to claim; 0: every listed device (with
 *	@m alone: one)
 * @got: receives up to %PPT_CLAIM_MAX claimed devices, in address order,
 *	each with a reference for the caller
 *
 * Context: process context, no ppt lock held.
 * Return: the number of devices claimed, or a negative errno with
 * @req->why (and maybe @req->blocker) set; then nothing was claimed.
 */
int ppt_alloc_claim(struct ppt_req *req, struct pci_dev **listed, int nlisted,
		    const struct ppt_id_match *m, unsigned int count,
		    struct pci_dev **got)
{
	struct ppt_alloc_cand *c = NULL;
	struct ppt_pick_cand *pick = NULL;
	int n = 0, i, j, ret, ngot = 0, at = -1;
	bool *chosen = NULL;

	if (listed) {
		c = kcalloc(nlisted, sizeof(*c), GFP_KERNEL);
		if (!c)
			return -ENOMEM;
		for (i = 0; i < nlisted; i++) {
			struct pci_dev *p = listed[i];

			if (m && !ppt_id_match_dev(m, p->vendor, p->device,
						   p->subsystem_vendor,
						   p->subsystem_device, p->class))
				continue;
			c[n++].pdev = pci_dev_get(p);
		}
	} else {
		n = ppt_alloc_gather(m, &c);
		if (n < 0)
			return n;
		if (!count)
			count = 1;
	}
	/* in a listed claim every device must satisfy the match */
	if (listed && !count && n < nlisted) {
		ret = ppt_refuse(req, -EINVAL, "a listed device does not satisfy the match",
				 NULL);
		goto out;
	}
	sort(c, n, sizeof(*c), ppt_alloc_cand_cmp, NULL);
	for (i = 0; i < n; i++) {
		ret = ppt_alloc_read_group(&c[i]);
		if (ret) {
			ret = ppt_refuse(req, ret, "could not read the IOMMU group",
					 c[i].pdev);
			goto out;
		}
	}
	pick = kcalloc(n ?: 1, sizeof(*pick), GFP_KERNEL);
	chosen = kcalloc(n ?: 1, sizeof(*chosen), GFP_KERNEL);
	if (!pick || !chosen) {
		ret = -ENOMEM;
		goto out;
	}
	for (i = 0; i < n; i++) {
		pick[i].unit = i;
		for (j = 0; j < i; j++)
			if (c[i].group && c[j].group == c[i].group) {
				pick[i].unit = pick[j].unit;
				break;
			}
	}

	mutex_lock(&ppt_table_lock);
	for (i = 0; i < n; i++)
		pick[i].avail = ppt_alloc_unit_avail(&c[i], &c[i].blocker,
						     &c[i].why);
	ret = ppt_pick(pick, n, count, chosen, &at);
	if (ret == -EBUSY) {
		ret = ppt_refuse(req, -EBUSY, c[at].why, c[at].blocker);
	} else if (ret == -ENOSPC) {
		ret = ppt_refuse(req, -ENOSPC,
				 "not enough available devices match the claim",
				 NULL);
	} else {
		/* the size of the answer bounds a claim, mates included */
		for (i = 0, j = 0; i < n; i++)
			if (chosen[i])
				j += 1 + c[i].nmates;
		if (j > PPT_CLAIM_MAX)
			ret = ppt_refuse(req, -E2BIG,
					 "the claim exceeds PPT_CLAIM_MAX devices",
					 NULL);
	}
	if (ret >= 0) {
		for (i = 0; i < n; i++) {
			if (!chosen[i])
				continue;
			ngot = ppt_alloc_take_one(req, c[i].pdev, got, ngot);
			for (j = 0; j < c[i].nmates; j++)
				ngot = ppt_alloc_take_one(req, c[i].mates[j],
							  got, ngot);
		}
		ret = ngot;
	}
	mutex_unlock(&ppt_table_lock);
	sort(got, max(ngot, 0), sizeof(*got), ppt_alloc_pdev_cmp, NULL);
	if (ret > 0)
		for (i = 0; i < ngot; i++)
			pr_info("%s: claim by uid %u pid %d owner \"%s\"%s: done\n",
				pci_name(got[i]), req->uid, req->pid, req->owner,
				req->lease ? " (leased)" : "");
out:
	if (ret < 0)
		pr_info("claim by uid %u pid %d owner \"%s\": failed (%d): %s\n",
			req->uid, req->pid, req->owner, ret, req->why ?: "-");
	kfree(chosen);
	kfree(pick);
	ppt_alloc_cands_free(c, n);
	return ret;
}

/**
 * ppt_alloc_take() - put every device an owner holds under the request's lease
 * @req: the request: owner, and lease (@req->lease: the sender's socket;
 *	else no lease)
 * @got: receives up to %PPT_CLAIM_MAX devices, with references
 *
 * Claimed and assigned devices move, including those whose lease ended
 * and that wait for their VFIO device to close: their return is
 * cancelled.  Devices on their way back from the owner (unassigning) are
 * not the owner's any more.
 *
 * Context: process context, no ppt lock held.
 * Return: the number of devices, or -ENOENT with @req->why set.
 */
int ppt_alloc_take(struct ppt_req *req, struct pci_dev **got)
{
	struct ppt_device *pd;
	int n = 0;

	mutex_lock(&ppt_table_lock);
	list_for_each_entry(pd, &ppt_table, node) {
		if (n == PPT_CLAIM_MAX)
			break;
		if (strcmp(pd->owner, req->owner) ||
		    (pd->state != PPT_STATE_CLAIMED &&
		     pd->state != PPT_STATE_ASSIGNING &&
		     pd->state != PPT_STATE_ASSIGNED))
			continue;
		pd->lease = req->lease ? req->portid : 0;
		pd->lease_ended = false;
		ppt_table_gen++;
		ppt_nl_notify_device(pd, false);
		got[n++] = pci_dev_get(pd->pdev);
	}
	mutex_unlock(&ppt_table_lock);
	if (!n)
		return ppt_refuse(req, -ENOENT,
				  "no device is claimed or assigned by this owner",
				  NULL);
	sort(got, n, sizeof(*got), ppt_alloc_pdev_cmp, NULL);
	pr_info("take by uid %u pid %d owner \"%s\"%s: %d device%s\n",
		req->uid, req->pid, req->owner, req->lease ? " (leased)" : "",
		n, n == 1 ? "" : "s");
	return n;
}
