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
	pci_dev_put(pd->pdev);
	kfree(pd);
}

/**
 * ppt_table_set_state() - move a device to a new state
 * @pd: the entry
 * @state: the new state; the caller has checked it with ppt_state_check()
 *	or is recording what happened to the device behind ppt's back
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
	    state == PPT_STATE_DETACHED)
		pd->lease_ended = false;
	ppt_table_gen++;
}
