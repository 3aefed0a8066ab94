// SPDX-License-Identifier: GPL-2.0-only
/*
 * The table of devices ppt manages.
 *
 * Locking: ppt_table_lock (a mutex) guards the list, every entry's state
 * and owner, and ppt_table_gen.  It is a leaf lock: nothing that takes
 * device_lock, the genetlink locks or a PCI reset is called while it is
 * held, so it may be taken from probe/remove (which run under device_lock)
 * and from netlink handlers alike.
 */
#include <linux/mutex.h>
#include <linux/slab.h>

#include "ppt.h"

/* Guards ppt_table, every entry's state and owner, and ppt_table_gen. */
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
 * ppt_table_add() - start managing a device, in state reserved
 * @pdev: the PCI function, bound to ppt
 * @boot_listed: whether a boot list named it
 *
 * Context: process context; takes ppt_table_lock.
 * Return: 0, -ENOMEM, or -EEXIST when @pdev is in the table already.
 */
int ppt_table_add(struct pci_dev *pdev, bool boot_listed)
{
	struct ppt_device *pd;
	int ret = 0;

	pd = kzalloc(sizeof(*pd), GFP_KERNEL);
	if (!pd)
		return -ENOMEM;
	pd->pdev = pci_dev_get(pdev);
	pd->state = PPT_STATE_RESERVED;
	pd->boot_listed = boot_listed;

	mutex_lock(&ppt_table_lock);
	if (ppt_table_find(pdev)) {
		ret = -EEXIST;
		goto unlock;
	}
	list_add_tail(&pd->node, &ppt_table);
	ppt_table_gen++;
	pd = NULL;
unlock:
	mutex_unlock(&ppt_table_lock);
	if (pd) {
		pci_dev_put(pd->pdev);
		kfree(pd);
	}
	return ret;
}

/**
 * ppt_table_del() - stop managing a device
 * @pdev: the PCI function
 *
 * Context: process context; takes ppt_table_lock.
 */
void ppt_table_del(struct pci_dev *pdev)
{
	struct ppt_device *pd;

	mutex_lock(&ppt_table_lock);
	pd = ppt_table_find(pdev);
	if (pd) {
		list_del(&pd->node);
		ppt_table_gen++;
	}
	mutex_unlock(&ppt_table_lock);
	if (pd) {
		pci_dev_put(pd->pdev);
		kfree(pd);
	}
}
