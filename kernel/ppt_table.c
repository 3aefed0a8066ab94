// SPDX-License-Identifier: GPL-2.0-only
/*
 * The table of devices ppt manages.
 *
 * Locking: ppt_table_lock (a mutex) guards the list, every entry's state,
 * owner and flags, and ppt_table_gen.  It is a leaf lock: nothing that
 * takes device_lock, the genetlink locks, the IOMMU core or a PCI reset is
 * called while it is held, so it may be taken from probe/remove and the bus
 * notifier (which run under device_lock) and from netlink handlers alike.
 * See docs/design.md.
 */
#include <linux/iommu.h>
#include <linux/mutex.h>
#include <linux/slab.h>

#include "ppt.h"

/* Guards ppt_table, every entry's state, owner and flags, and ppt_table_gen. */
DEFINE_MUTEX(ppt_table_lock);
LIST_HEAD(ppt_table);

/*
 * Bumped on every change to the table, so a netlink dump that spans several
 * messages can tell its reader that the table changed underneath it.
 */
unsigned int ppt_table_gen;

/**
 * ppt_table_find() - look a device up in the table
 * @pdev: the PCI function
 *
 * Context: ppt_table_lock held.
 * Return: the entry, or NULL when ppt does not manage @pdev.
 */
struct ppt_device *ppt_table_find(struct pci_dev *pdev)
{
	struct ppt_device *pd;

	lockdep_assert_held(&ppt_table_lock);
	list_for_each_entry(pd, &ppt_table, node)
		if (pd->pdev == pdev)
			return pd;
	return NULL;
}

/**
 * ppt_table_find_name() - look a device up by its PCI address
 * @name: address as pci_name() prints it, "dddd:bb:dd.f"
 *
 * Context: ppt_table_lock held.
 * Return: the entry, or NULL when ppt manages no device of that name.
 */
struct ppt_device *ppt_table_find_name(const char *name)
{
	struct ppt_device *pd;

	lockdep_assert_held(&ppt_table_lock);
	list_for_each_entry(pd, &ppt_table, node)
		if (!strcmp(pci_name(pd->pdev), name))
			return pd;
	return NULL;
}

/**
 * ppt_table_insert() - start managing a device
 * @pdev: the PCI function
 * @state: its first state
 * @boot_listed: whether a boot list names it
 *
 * Context: ppt_table_lock held; may sleep (allocates).
 * Return: the new entry, or NULL when out of memory.
 */
struct ppt_device *ppt_table_insert(struct pci_dev *pdev,
				    enum ppt_state state, bool boot_listed)
{
	struct ppt_device *pd;

	lockdep_assert_held(&ppt_table_lock);
	pd = kzalloc(sizeof(*pd), GFP_KERNEL);
	if (!pd)
		return NULL;
	pd->pdev = pci_dev_get(pdev);
	pd->state = state;
	pd->boot_listed = boot_listed;
	pd->reset_pref = ppt_match_reset_pref(pdev);
	list_add_tail(&pd->node, &ppt_table);
	ppt_table_gen++;
	return pd;
}

/**
 * ppt_table_remove() - stop managing a device and free its entry
 * @pd: the entry
 *
 * Context: ppt_table_lock held.
 */
void ppt_table_remove(struct ppt_device *pd)
{
	lockdep_assert_held(&ppt_table_lock);
	list_del(&pd->node);
	ppt_table_gen++;
	ppt_table_free(pd);
}

/**
 * ppt_table_free() - free an entry that is off the table
 * @pd: the entry
 */
void ppt_table_free(struct ppt_device *pd)
{
	ppt_snapshot_free(pd->snap);
	kfree(pd->last_sanitise);
	pci_dev_put(pd->pdev);
	kfree(pd);
}

/**
 * ppt_table_set_state() - move a device to a new state
 * @pd: the entry
 * @state: the new state; the caller has checked it with ppt_state_check()
 *	or is recording what happened to the device behind ppt's back
 *
 * This is the one place that enforces ppt's promise to the next tenant:
 * a device that may hold a tenant's data (@pd->tainted) is never
 * reserved, whichever path asks for it: it becomes dirty instead.  Only
 * ppt_table_mark_clean(), called when a clean succeeded, clears the taint.
 * (Claimed and assigned need reserved first, so they are covered too.)
 * A quarantined device is in an unknown state, so quarantine taints; each
 * move into quarantined is counted here (ppt_stats.c).
 *
 * Only claimed and assigned devices (and those on their way between) have
 * an owner and a lease; every other state clears them.  A device whose
 * lease ended is returned once it is reserved, quarantined or detached.
 *
 * Context: ppt_table_lock held.
 */
void ppt_table_set_state(struct ppt_device *pd, enum ppt_state state)
{
	lockdep_assert_held(&ppt_table_lock);
	if (state == PPT_STATE_RESERVED && pd->tainted)
		state = PPT_STATE_DIRTY;
	if (state == PPT_STATE_QUARANTINED) {
		pd->tainted = true;
		if (pd->state != PPT_STATE_QUARANTINED)
			ppt_stats_quarantined();
	}
	pd->state = state;
	switch (state) {
	case PPT_STATE_CLAIMED:
	case PPT_STATE_ASSIGNING:
	case PPT_STATE_ASSIGNED:
	case PPT_STATE_UNASSIGNING:
		break;
	default:
		pd->owner[0] = '\0';
		pd->lease = 0;
	}
	/* a returned device is done with its ended lease */
	if (state == PPT_STATE_RESERVED || state == PPT_STATE_QUARANTINED ||
	    state == PPT_STATE_DETACHED) {
		pd->lease_ended = false;
		pd->reap_wait = 0;
	}
	if (state == PPT_STATE_RESERVED)
		pd->reason = NULL;
	ppt_table_gen++;
}

/**
 * ppt_table_mark_clean() - a clean succeeded: the device holds nothing of a tenant
 * @pd: the entry, just reset, restored and verified
 *
 * The one place the taint is cleared.  Called only when a clean succeeded
 * (ppt_ops.c: a clean, or a release that cleans first), before the
 * caller records the state the device goes to.  A reset clears registers,
 * not media or memory: a device whose policy names a sanitiser keeps its
 * taint (and so becomes dirty, never reserved) until a sanitiser has run
 * since its tenant (ppt_sanitise_owed()).
 *
 * Context: ppt_table_lock held.
 * Return: true when the taint was cleared.
 */
bool ppt_table_mark_clean(struct ppt_device *pd)
{
	char spec[PPT_SANITISER_MAX];

	lockdep_assert_held(&ppt_table_lock);
	ppt_table_gen++;
	if (ppt_sanitise_owed(pd, spec, sizeof(spec))) {
		pd->reason = "reset, but its sanitiser has not run since its tenant";
		return false;
	}
	pd->tainted = false;
	pd->sanitised = false;
	pd->reason = NULL;
	return true;
}

/**
 * ppt_table_idle_tainted() - is the device tainted and with no tenant?
 * @pd: the entry
 *
 * Such a device's IOMMU group is gated (ppt_gate.c); a tenant's VFIO user
 * owns the group while the device is on its way to, with or back from it,
 * and the sanitise agent while it is sanitised.
 *
 * Context: ppt_table_lock held.
 * Return: true when it is.
 */
bool ppt_table_idle_tainted(struct ppt_device *pd)
{
	lockdep_assert_held(&ppt_table_lock);
	return pd->tainted && pd->state != PPT_STATE_ASSIGNING &&
	       pd->state != PPT_STATE_ASSIGNED &&
	       pd->state != PPT_STATE_UNASSIGNING &&
	       pd->state != PPT_STATE_SANITISING;
}

/**
 * ppt_table_notify_group() - announce the devices of an IOMMU group again
 * @pdev: a function of the group (alone when it has none)
 *
 * For a change that is not a state change: the group became gated or was
 * let go (ppt_gate.c).
 *
 * Context: process context; takes ppt_table_lock.
 */
void ppt_table_notify_group(struct pci_dev *pdev)
{
	struct iommu_group *group = iommu_group_get(&pdev->dev);
	struct ppt_device *pd;

	mutex_lock(&ppt_table_lock);
	list_for_each_entry(pd, &ppt_table, node) {
		struct iommu_group *g = iommu_group_get(&pd->pdev->dev);

		/* a reference only to compare */
		iommu_group_put(g);
		if (pd->pdev != pdev && (!group || g != group))
			continue;
		ppt_table_gen++;
		ppt_nl_notify_device(pd, false);
	}
	mutex_unlock(&ppt_table_lock);
	iommu_group_put(group);
}
