// SPDX-License-Identifier: GPL-2.0-only
/*
 * The DMA-ownership gate: keeping host drivers and other VMMs off a
 * tenant's leftovers.
 *
 * A driver cannot refuse to be unbound, but the IOMMU core can refuse a
 * bind.  A driver that uses the kernel's DMA API (every host driver) takes
 * a use of its IOMMU group's default domain when it probes, and that fails
 * with EBUSY while someone else owns the group's DMA
 * (iommu_group_claim_dma_owner(): vfio's container or iommufd, and here
 * ppt).  A VFIO user cannot open the group either while ppt owns it.  So
 * while a function that may hold a tenant's data (tainted: dirty,
 * quarantined, cleaning, or unbound from ppt behind its back) is not with
 * a tenant, ppt owns its group's DMA: whatever driver override someone
 * writes and whatever they probe, no host driver gets the leftovers until
 * a clean has removed them.  Owning the group also puts it in the IOMMU's
 * blocking domain: a device the tenant left mid-DMA reaches no memory.
 *
 * The same ownership answers "does a VM hold this group?" without
 * blocking: claiming it fails while a VFIO user owns it.  ppt holds it
 * across every unbind of vfio-pci, so vfio-pci's remove, which waits for
 * the VFIO user to let go, never waits: no work item of ppt's can block on
 * a VM.
 *
 * Claiming needs every device of the group to be unbound or with a driver
 * that manages DMA itself (ppt, vfio-pci): a group with a host driver on
 * one function cannot be gated, and is left as it is (its tainted function
 * is still with ppt's driver or no driver, and keeps the override "ppt").
 * Without an IOMMU there are no groups and no gate: only the override
 * keeps host drivers off (docs/design.md says what that means).
 *
 * Locking: ppt_gate_lock serialises claiming and releasing groups.  It is
 * taken with no ppt lock held, or under device_lock (probe, bus
 * notifier); the IOMMU core's group mutex is taken inside it (claim and
 * release), and ppt_table_lock briefly inside it.  Nothing takes
 * device_lock under it.  The list of gated groups changes under both
 * ppt_gate_lock and ppt_table_lock, so it can be read under either: the
 * netlink code reports "gated" under ppt_table_lock alone.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/iommu.h>
#include <linux/mutex.h>
#include <linux/slab.h>

#include "ppt.h"

/**
 * struct ppt_gate - a group whose DMA ownership ppt holds
 * @node: entry in ppt_gates
 * @group: the group; holds a reference
 * @pins: operations that hold the group while they bind or unbind
 *	vfio-pci (ppt_gate_hold()); it is not let go while one does
 */
struct ppt_gate {
	struct list_head node;
	struct iommu_group *group;
	int pins;
};

/* Serialises claims and releases; see the locking note above. */
static DEFINE_MUTEX(ppt_gate_lock);
/* The gated groups: changed under ppt_gate_lock and ppt_table_lock. */
static LIST_HEAD(ppt_gates);

/* The owner cookie ppt claims groups with: only compared, never used. */
static const char ppt_gate_owner[] = "ppt";

static struct ppt_gate *ppt_gate_find(struct iommu_group *group)
{
	struct ppt_gate *g;

	list_for_each_entry(g, &ppt_gates, node)
		if (g->group == group)
			return g;
	return NULL;
}

/*
 * Take the group's DMA ownership for ppt.  Returns 0 (also when ppt holds
 * it already), or -EBUSY when a VFIO user or a host driver holds the
 * group.
 */
static int ppt_gate_claim(struct iommu_group *group, int pin)
{
	struct ppt_gate *g;
	int ret;

	lockdep_assert_held(&ppt_gate_lock);
	g = ppt_gate_find(group);
	if (g) {
		g->pins += pin;
		return 0;
	}
	g = kzalloc(sizeof(*g), GFP_KERNEL);
	if (!g)
		return -ENOMEM;
	ret = iommu_group_claim_dma_owner(group, (void *)ppt_gate_owner);
	if (ret) {
		kfree(g);
		return -EBUSY;
	}
	g->group = iommu_group_ref_get(group);
	g->pins = pin;
	mutex_lock(&ppt_table_lock);
	list_add(&g->node, &ppt_gates);
	mutex_unlock(&ppt_table_lock);
	return 0;
}

static void ppt_gate_drop(struct ppt_gate *g)
{
	lockdep_assert_held(&ppt_gate_lock);
	mutex_lock(&ppt_table_lock);
	list_del(&g->node);
	mutex_unlock(&ppt_table_lock);
	iommu_group_release_dma_owner(g->group);
	iommu_group_put(g->group);
	kfree(g);
}

/**
 * ppt_gate_hold() - take a function's IOMMU group's DMA ownership
 * @pdev: the function
 *
 * For an operation that unbinds vfio-pci (so its remove cannot wait for a
 * VM) or binds it (so no VFIO user opens the group half-bound): pinned
 * until the operation calls ppt_gate_unpin() as it records its outcome;
 * then kept while a tainted function of the group is idle, else released.
 *
 * Context: process context, no ppt lock held (or device_lock only).
 * Return: 0 (also without an IOMMU group: nothing to hold), or -EBUSY
 * when a VFIO user or a host driver holds the group.
 */
int ppt_gate_hold(struct pci_dev *pdev)
{
	struct iommu_group *group = iommu_group_get(&pdev->dev);
	int ret;

	if (!group)
		return 0;
	mutex_lock(&ppt_gate_lock);
	ret = ppt_gate_claim(group, 1);
	mutex_unlock(&ppt_gate_lock);
	iommu_group_put(group);
	return ret;
}

/**
 * ppt_gate_unpin() - an operation is done with a group it held
 * @pdev: the function it passed to ppt_gate_hold()
 *
 * Then ppt_gate_sync() decides whether ppt keeps the group.
 *
 * Context: process context, no ppt lock held.
 */
void ppt_gate_unpin(struct pci_dev *pdev)
{
	struct iommu_group *group = iommu_group_get(&pdev->dev);
	struct ppt_gate *g;

	if (!group)
		return;
	mutex_lock(&ppt_gate_lock);
	g = ppt_gate_find(group);
	if (g && g->pins > 0)
		g->pins--;
	mutex_unlock(&ppt_gate_lock);
	iommu_group_put(group);
	ppt_gate_sync(pdev);
}

/* iommu_group_for_each_dev() callback: a host driver has a function */
static int ppt_gate_host_driver(struct device *dev, void *data)
{
	struct device_driver *drv = READ_ONCE(dev->driver);

	return dev_is_pci(dev) && drv && !to_pci_driver(drv)->driver_managed_dma;
}

/**
 * ppt_gate_group_has_host_driver() - does a host driver have a function
 *	of the group?
 * @pdev: a function of the group
 *
 * A driver that uses the DMA API holds a use of the group's default
 * domain, so no VFIO user can own the group meanwhile (and ppt cannot
 * either).
 *
 * Context: process context, no ppt lock held (takes the group mutex).
 * Return: true when one does.
 */
bool ppt_gate_group_has_host_driver(struct pci_dev *pdev)
{
	struct iommu_group *group = iommu_group_get(&pdev->dev);
	bool ret;

	if (!group)
		return false;
	ret = iommu_group_for_each_dev(group, NULL, ppt_gate_host_driver) != 0;
	iommu_group_put(group);
	return ret;
}

/**
 * ppt_gate_held() - does ppt hold the DMA ownership of a function's group?
 * @pdev: the function
 *
 * Context: ppt_table_lock held (the list of gated groups changes under it).
 * Return: true when it does.
 */
bool ppt_gate_held(struct pci_dev *pdev)
{
	struct iommu_group *group = iommu_group_get(&pdev->dev);
	bool held;

	lockdep_assert_held(&ppt_table_lock);
	if (!group)
		return false;
	held = ppt_gate_find(group);
	iommu_group_put(group);
	return held;
}

/**
 * ppt_gate_vfio_busy() - does a VFIO user (a VM) hold a function's group?
 * @pdev: the function
 *
 * A VFIO user owns the group's DMA; ppt's claim fails then.  When ppt
 * holds the group itself, nobody else can.
 *
 * Context: process context, no ppt lock held.
 * Return: true while someone other than ppt owns the group's DMA.
 */
bool ppt_gate_vfio_busy(struct pci_dev *pdev)
{
	struct iommu_group *group = iommu_group_get(&pdev->dev);
	bool busy = false;

	if (!group)
		return false;
	mutex_lock(&ppt_gate_lock);
	if (!ppt_gate_find(group)) {
		busy = iommu_group_claim_dma_owner(group,
						   (void *)ppt_gate_owner) != 0;
		if (!busy)
			iommu_group_release_dma_owner(group);
	}
	mutex_unlock(&ppt_gate_lock);
	iommu_group_put(group);
	return busy;
}

/*
 * Should ppt hold @group's DMA ownership?  While one of its functions is
 * tainted and not on its way to, with or back from a tenant (the tenant's
 * VFIO user owns the group then, or the operation holds it itself).
 */
static bool ppt_gate_wanted(struct iommu_group *group)
{
	struct ppt_device *pd;
	bool want = false;

	mutex_lock(&ppt_table_lock);
	list_for_each_entry(pd, &ppt_table, node) {
		struct iommu_group *g;

		if (!ppt_table_idle_tainted(pd))
			continue;
		/* a reference only to compare: iommu_group_get() is a kobject_get() */
		g = iommu_group_get(&pd->pdev->dev);
		iommu_group_put(g);
		if (g == group) {
			want = true;
			break;
		}
	}
	mutex_unlock(&ppt_table_lock);
	return want;
}

/**
 * ppt_gate_sync() - hold or let go of a function's group, as the table says
 * @pdev: a function whose state or taint may have changed
 *
 * Held while a tainted function of the group is idle (see
 * ppt_gate_wanted()); released once none is, so the next tenant's VFIO
 * user, or a host driver after a release, can have the group.  A group
 * that cannot be held (a host driver or VFIO user has it) is logged once
 * per attempt and left alone.
 *
 * Context: process context, no ppt lock held (or device_lock only).
 */
void ppt_gate_sync(struct pci_dev *pdev)
{
	struct iommu_group *group = iommu_group_get(&pdev->dev);
	struct ppt_gate *g;
	bool want, changed = false;
	int ret = 0;

	if (!group)
		return;
	mutex_lock(&ppt_gate_lock);
	want = ppt_gate_wanted(group);
	g = ppt_gate_find(group);
	if (want && !g) {
		ret = ppt_gate_claim(group, 0);
		changed = !ret;
	} else if (!want && g && !g->pins) {
		ppt_gate_drop(g);
		changed = true;
	}
	mutex_unlock(&ppt_gate_lock);
	if (ret)
		pci_warn(pdev, "tainted, but its IOMMU group %d cannot be held (%d): a host driver or VFIO user has the group\n",
			 iommu_group_id(group), ret);
	else if (changed)
		pci_info(pdev, "IOMMU group %d %s\n", iommu_group_id(group),
			 want ? "held by ppt: no host driver or VFIO user until it is clean" :
			 "let go by ppt");
	iommu_group_put(group);
	/* "gated" is in the devices' attributes: announce the change */
	if (changed)
		ppt_table_notify_group(pdev);
}

/**
 * ppt_gate_exit() - let go of every group, at unload
 *
 * The functions ppt leaves dirty or quarantined keep the driver override
 * "ppt" (no host driver binds them by itself); a reloaded ppt gates them
 * again.  An owner left behind by an unloaded module could never be told
 * from a VFIO user, so nothing is kept.
 *
 * Context: module exit, with no operation, notifier or netlink handler left.
 */
void ppt_gate_exit(void)
{
	struct ppt_gate *g, *tmp;

	mutex_lock(&ppt_gate_lock);
	list_for_each_entry_safe(g, tmp, &ppt_gates, node)
		ppt_gate_drop(g);
	mutex_unlock(&ppt_gate_lock);
}
