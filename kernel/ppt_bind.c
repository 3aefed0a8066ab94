// SPDX-License-Identifier: GPL-2.0-only
/*
 * Claiming functions for ppt, and giving them back.
 *
 * ppt keeps host drivers off a function with the function's own driver
 * override: while it names "ppt", only ppt can bind the function.  (A
 * dynamic id from pci_add_dynid() would make ppt match the function again
 * on every reprobe, so it could never go back to its host driver.)
 *
 * - At load, every function a boot list names that has no driver gets the
 *   override; registering the driver then binds exactly those.  A listed
 *   function that already has a driver is not taken: it is recorded as
 *   detached, and only an explicit forced reserve takes it.
 * - A function that appears later (hotplug, rescan, SR-IOV VF) gets the
 *   override from BUS_NOTIFY_ADD_DEVICE, which runs in device_add() before
 *   the first probe, so no host driver ever sees it.
 * - While a function is with vfio-pci on ppt's behalf its override is
 *   "ppt" again: if vfio-pci lets go of it, ppt takes it back rather than a
 *   host driver, and a reloaded ppt recognises it as one it handed over.
 * - At unload, every clean function ppt holds goes back to host drivers
 *   (override cleared, reprobed).  Functions with vfio-pci stay there, so
 *   their VMs keep running; dirty and quarantined ones stay without a
 *   driver, so no host driver gets a previous tenant's leftovers.  Both
 *   keep the override "ppt", by which a reload recognises them.
 *
 * Bridges are never claimed: they carry other functions' traffic.
 *
 * Who had a function before ppt decides whether it arrives clean.  A host
 * driver is the host's own; a driver that works for someone else (vfio-pci
 * and its variant drivers, uio_pci_generic, pci-stub, xen-pciback) may
 * have given it to a tenant: its leftovers are still in it.  The bus
 * notifier sees every unbind, so it notes the functions such a driver
 * lets go of (the untrusted list); ppt's probe takes the note and the
 * function arrives tainted (dirty), whichever way it was bound to ppt.
 * The one exception is ppt's own lending: an untainted function that a
 * sanitise operation put with vfio-pci for the agent (sanitising).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/device.h>
#include <linux/fs.h>
#include <linux/iommu.h>
#include <linux/slab.h>

#include "ppt.h"

/*
 * Functions ppt takes when they appear: named by a match, or a VF of a PF
 * ppt holds; never a bridge.
 */
static bool ppt_bind_wanted(struct pci_dev *pdev)
{
	return !pci_is_bridge(pdev) &&
	       (ppt_match_wanted(pdev) || ppt_sriov_pf_held(pdev));
}

/*
 * Functions the last driver let go of that works for someone else, until
 * ppt's probe or another driver's bind takes them.  A leaf lock.
 */
static DEFINE_MUTEX(ppt_untrusted_lock);
static LIST_HEAD(ppt_untrusted);

struct ppt_untrusted_fn {
	struct list_head node;
	struct pci_dev *pdev;	/* holds a reference */
};

/**
 * ppt_bind_driver_for_others() - does a driver work for someone else?
 * @drv: the driver, or NULL
 *
 * Someone else: a tenant, a userspace driver, a VMM.
 *
 * Context: any.
 * Return: true for vfio-pci and its variants, uio_pci_generic, pci-stub,
 * xen-pciback.
 */
bool ppt_bind_driver_for_others(struct device_driver *drv)
{
	static const char * const others[] = {
		"uio_pci_generic", "pci-stub", "pciback",
	};
	int i;

	if (!drv || drv == &ppt_pci_driver.driver)
		return false;
	/* vfio-pci and its variant drivers (mlx5_vfio_pci, ...) */
	if (to_pci_driver(drv)->driver_managed_dma)
		return true;
	for (i = 0; i < ARRAY_SIZE(others); i++)
		if (!strcmp(drv->name, others[i]))
			return true;
	return false;
}

/*
 * Is the function bound to a driver that hands it to a VM: vfio-pci or a
 * variant driver (they manage DMA themselves)?  Under device_lock.
 */
static bool ppt_bind_for_a_vm(struct pci_dev *pdev)
{
	struct device_driver *drv = pdev->dev.driver;

	return drv && drv != &ppt_pci_driver.driver &&
	       to_pci_driver(drv)->driver_managed_dma;
}

/**
 * ppt_bind_for_others() - is the function with a driver that works for others?
 * @pdev: the function
 *
 * Context: process context, no ppt lock held (takes device_lock).
 * Return: true for vfio-pci and its variants, uio_pci_generic, pci-stub,
 * xen-pciback.
 */
bool ppt_bind_for_others(struct pci_dev *pdev)
{
	bool ret;

	device_lock(&pdev->dev);
	ret = ppt_bind_driver_for_others(pdev->dev.driver);
	device_unlock(&pdev->dev);
	return ret;
}

static struct ppt_untrusted_fn *ppt_untrusted_find(struct pci_dev *pdev)
{
	struct ppt_untrusted_fn *u;

	lockdep_assert_held(&ppt_untrusted_lock);
	list_for_each_entry(u, &ppt_untrusted, node)
		if (u->pdev == pdev)
			return u;
	return NULL;
}

static void ppt_untrusted_note(struct pci_dev *pdev)
{
	struct ppt_untrusted_fn *u;

	mutex_lock(&ppt_untrusted_lock);
	if (!ppt_untrusted_find(pdev)) {
		u = kzalloc(sizeof(*u), GFP_KERNEL);
		if (u) {
			u->pdev = pci_dev_get(pdev);
			list_add(&u->node, &ppt_untrusted);
		} else {
			pci_warn(pdev, "out of memory noting that a driver for others let go of it: it will not arrive dirty\n");
		}
	}
	mutex_unlock(&ppt_untrusted_lock);
}

/**
 * ppt_bind_untrusted_take() - did a driver for others let go of it last?
 * @pdev: the function
 *
 * Takes the note, if any.
 *
 * Context: process context (probe, under device_lock).
 * Return: true when the last driver of @pdev worked for someone else.
 */
bool ppt_bind_untrusted_take(struct pci_dev *pdev)
{
	struct ppt_untrusted_fn *u;

	mutex_lock(&ppt_untrusted_lock);
	u = ppt_untrusted_find(pdev);
	if (u)
		list_del(&u->node);
	mutex_unlock(&ppt_untrusted_lock);
	if (!u)
		return false;
	pci_dev_put(u->pdev);
	kfree(u);
	return true;
}

static void ppt_untrusted_forget_all(void)
{
	struct ppt_untrusted_fn *u, *tmp;

	mutex_lock(&ppt_untrusted_lock);
	list_for_each_entry_safe(u, tmp, &ppt_untrusted, node) {
		list_del(&u->node);
		pci_dev_put(u->pdev);
		kfree(u);
	}
	mutex_unlock(&ppt_untrusted_lock);
}

static const char *ppt_driver_name(struct pci_dev *pdev)
{
	struct device_driver *drv = READ_ONCE(pdev->dev.driver);

	return drv ? drv->name : NULL;
}

/*
 * Has ppt lost a function it records as its own?  Called when the
 * function's driver changed, with the entry in a state no operation holds.
 * Reserved, claimed and quarantined functions are with ppt's driver;
 * a dirty one with ppt's or none (vfio-pci let go of it); an assigned one
 * with vfio-pci (handled by the caller).
 *
 * Context: under the function's device_lock and ppt_table_lock.
 */
static bool ppt_bind_lost(struct ppt_device *pd, unsigned long action)
{
	struct device_driver *drv = READ_ONCE(pd->pdev->dev.driver);

	switch (pd->state) {
	case PPT_STATE_RESERVED:
	case PPT_STATE_CLAIMED:
	case PPT_STATE_QUARANTINED:
		return action == BUS_NOTIFY_UNBOUND_DRIVER ||
		       drv != &ppt_pci_driver.driver;
	case PPT_STATE_DIRTY:
		return action == BUS_NOTIFY_BOUND_DRIVER &&
		       drv != &ppt_pci_driver.driver;
	default:
		return false;
	}
}

static int ppt_bus_notify(struct notifier_block *nb, unsigned long action,
			  void *data)
{
	struct pci_dev *pdev = to_pci_dev(data);
	struct ppt_device *pd;
	bool sync = false;
	int ret;

	switch (action) {
	case BUS_NOTIFY_UNBIND_DRIVER:
		/* under device_lock, the driver still bound: who had it? */
		if (ppt_bind_driver_for_others(pdev->dev.driver)) {
			bool mark, own;

			mutex_lock(&ppt_table_lock);
			pd = ppt_table_find(pdev);
			/*
			 * Lent to vfio-pci by ppt's own sanitise operation while
			 * untainted (an inspection, or a group mate going along
			 * with the function erased): the agent had it, no
			 * tenant, so it comes back as it was.
			 */
			own = pd && pd->state == PPT_STATE_SANITISING &&
			      !pd->tainted;
			if (pd && !own)
				pd->tainted = true;
			mark = pd && (pd->state == PPT_STATE_ASSIGNED ||
				      pd->state == PPT_STATE_DETACHED);
			mutex_unlock(&ppt_table_lock);
			if (!own)
				ppt_untrusted_note(pdev);
			/*
			 * A tenant's device ppt keeps comes back to ppt, never
			 * to a host driver, even when whoever unbinds it
			 * cleared the override first (libvirt's reattach
			 * writes "\n", unbinds, then probes).
			 */
			if (mark && ppt_set_driver_override_locked(pdev, ppt_pci_driver.name))
				pci_warn(pdev, "cannot put ppt's driver override back: the gate alone keeps host drivers off it\n");
		}
		break;
	case BUS_NOTIFY_ADD_DEVICE:
		/* no device_lock here: device_add() takes it only to probe */
		if (!ppt_bind_wanted(pdev))
			break;
		ret = ppt_set_driver_override(pdev, ppt_pci_driver.name);
		if (ret)
			pci_warn(pdev, "listed for ppt, but setting its driver override failed (%d)\n",
				 ret);
		else
			pci_info(pdev, "listed for ppt: held from host drivers\n");
		break;
	case BUS_NOTIFY_BOUND_DRIVER:
	case BUS_NOTIFY_UNBOUND_DRIVER:
		/* ppt's probe took the note, or a host driver has it now */
		if (action == BUS_NOTIFY_BOUND_DRIVER) {
			ppt_bind_untrusted_take(pdev);
			/* a PF's driver is there: its boot VF count? */
			ppt_sriov_driver_bound(pdev);
		}
		/* under device_lock: only the table and the gate */
		mutex_lock(&ppt_table_lock);
		pd = ppt_table_find(pdev);
		if (!pd || ppt_state_is_transitional(pd->state))
			goto unlock;
		sync = true;
		if (action == BUS_NOTIFY_UNBOUND_DRIVER &&
		    pd->state == PPT_STATE_ASSIGNED) {
			/*
			 * vfio-pci let go behind ppt's back (a sysfs unbind,
			 * libvirt's managed detach): the tenant's leftovers are
			 * still in the device.  Its override "ppt" keeps host
			 * drivers off it.
			 */
			ppt_table_set_state(pd, PPT_STATE_DIRTY);
			pd->adopted = false;
			/* its owner did not unassign it: no longer recycled */
			if (pd->recycle) {
				pd->recycle = false;
				ppt_recycle_kick();
			}
			pci_info(pdev, "vfio-pci released it behind ppt's back: dirty\n");
			ppt_nl_notify_device(pd, false);
		} else if (pd->state == PPT_STATE_DETACHED &&
			   action == BUS_NOTIFY_BOUND_DRIVER && pd->lent &&
			   !pd->tainted && ppt_bind_for_a_vm(pdev)) {
			/*
			 * Taken from ppt while clean and bound to vfio-pci
			 * (libvirt's managed hostdev: override, unbind,
			 * probe): assigned to an outside user.  A tainted
			 * device stays detached, gated: its VM cannot open it.
			 */
			ppt_table_set_state(pd, PPT_STATE_ASSIGNED);
			pd->tainted = true;
			pd->adopted = true;
			pd->lent = false;
			pci_info(pdev, "bound to %s behind ppt's back: assigned to an outside user\n",
				 pdev->dev.driver->name);
			ppt_nl_notify_device(pd, false);
		} else if (pd->state == PPT_STATE_DETACHED) {
			/* a detached device's driver changed: say so */
			ppt_nl_notify_device(pd, false);
		} else if (ppt_bind_lost(pd, action)) {
			/*
			 * Another driver took the function (a dirty one that
			 * vfio-pci let go of and someone probed), or ppt's
			 * driver left it while an operation ran and the
			 * operation has finished since: ppt no longer holds
			 * it, as when it is unbound behind ppt's back.
			 */
			ppt_table_set_state(pd, PPT_STATE_DETACHED);
			pd->adopted = false;
			pci_info(pdev, "%s behind ppt's back: detached\n",
				 action == BUS_NOTIFY_BOUND_DRIVER ?
				 "bound to another driver" : "unbound");
			ppt_nl_notify_device(pd, false);
		}
unlock:
		mutex_unlock(&ppt_table_lock);
		/* a tenant's function left vfio-pci: gate its group */
		if (sync)
			ppt_gate_sync(pdev);
		break;
	case BUS_NOTIFY_DEL_DEVICE:
		/* hot-unplug or removal through sysfs, in whatever state */
		ppt_bind_untrusted_take(pdev);
		ppt_recycle_unwatch(pdev);
		mutex_lock(&ppt_table_lock);
		pd = ppt_table_find(pdev);
		if (pd) {
			pci_info(pdev, "removed from the system while %s\n",
				 ppt_state_name(pd->state));
			ppt_nl_notify_device(pd, true);
			ppt_table_remove(pd);
		}
		mutex_unlock(&ppt_table_lock);
		if (pd)
			ppt_gate_sync(pdev);
		break;
	}
	return NOTIFY_DONE;
}

static struct notifier_block ppt_bus_nb = {
	.notifier_call = ppt_bus_notify,
};

/**
 * ppt_bind_init() - start watching the PCI bus for functions to claim
 *
 * Context: module init, before ppt_bind_claim_present(), so a function
 * added while the present ones are scanned is not missed.
 * Return: 0 or a negative errno.
 */
int ppt_bind_init(void)
{
	return bus_register_notifier(&pci_bus_type, &ppt_bus_nb);
}

/**
 * ppt_bind_exit() - stop watching the PCI bus
 *
 * Context: module exit or init failure.
 */
void ppt_bind_exit(void)
{
	bus_unregister_notifier(&pci_bus_type, &ppt_bus_nb);
}

static void ppt_bind_load_owner(struct pci_dev *pdev, char *owner);
static bool ppt_bind_left_sanitising(struct pci_dev *pdev);
static bool ppt_bound_to(struct pci_dev *pdev, const char *name);

/* Record a function in the table, unless it is there already. */
static void ppt_bind_record(struct pci_dev *pdev, enum ppt_state state,
			    bool listed, const char *owner)
{
	struct ppt_device *pd;

	mutex_lock(&ppt_table_lock);
	if (ppt_table_find(pdev))
		goto unlock;
	pd = ppt_table_insert(pdev, state, listed);
	if (!pd) {
		pci_warn(pdev, "out of memory recording it as %s\n",
			 ppt_state_name(state));
		goto unlock;
	}
	if (state == PPT_STATE_ASSIGNED) {
		pd->adopted = true;
		strscpy(pd->owner, owner, sizeof(pd->owner));
	}
	/*
	 * With a tenant, or left by one, or by a sanitiser (detached but
	 * ours): only a clean makes it reserved.
	 */
	pd->tainted = state == PPT_STATE_ASSIGNED || state == PPT_STATE_DIRTY ||
		      (state == PPT_STATE_DETACHED && ppt_bind_left_sanitising(pdev));
	/*
	 * The family is registered by now: a listener that dumped the table
	 * before this entry existed learns of it here.
	 */
	ppt_nl_notify_device(pd, false);
unlock:
	mutex_unlock(&ppt_table_lock);
}

/**
 * ppt_bind_claim_present() - claim the listed functions already present
 *
 * Sets the driver override of every listed function without a driver, so
 * registering ppt's driver binds them.  The override is set first and the
 * driver checked after: a host driver that udev loads meanwhile either
 * bound before (and keeps the function, which is recorded as detached) or
 * finds the override and cannot bind.  Functions that carry the override
 * from an earlier load of ppt are recognised: with vfio-pci they are
 * adopted as assigned; without a driver they are recorded as dirty (they
 * may have been with a tenant).
 *
 * Context: module init, before pci_register_driver(); takes device_lock.
 */
void ppt_bind_claim_present(void)
{
	struct pci_dev *pdev = NULL;
	char owner[PPT_OWNER_MAX];
	bool listed, ours, set;
	const char *drv;
	int ret;

	for_each_pci_dev(pdev) {
		if (pci_is_bridge(pdev))
			continue;
		listed = ppt_match_wanted(pdev);
		ours = ppt_driver_override_is(pdev, ppt_pci_driver.name);
		if (!listed && !ours)
			continue;
		set = false;
		if (!ours) {
			ret = ppt_set_driver_override(pdev, ppt_pci_driver.name);
			if (ret)
				pci_warn(pdev, "listed for ppt, but setting its driver override failed (%d)\n",
					 ret);
			set = !ret;
		}

		ppt_bind_load_owner(pdev, owner);
		device_lock(&pdev->dev);
		drv = ppt_driver_name(pdev);
		if (ours && drv && !strcmp(drv, "vfio-pci") &&
		    ppt_bind_left_sanitising(pdev)) {
			ppt_bind_record(pdev, PPT_STATE_DETACHED, listed, NULL);
			pci_warn(pdev, "left with vfio-pci while it was sanitised by an earlier load of ppt: detached and tainted, not a tenant's (reserve --force and clean it)\n");
		} else if (ours && drv && !strcmp(drv, "vfio-pci")) {
			ppt_bind_record(pdev, PPT_STATE_ASSIGNED, listed, owner);
			pci_info(pdev, "with vfio-pci since an earlier load of ppt: adopted as assigned to \"%s\"\n",
				 owner);
		} else if (drv) {
			ppt_bind_record(pdev, PPT_STATE_DETACHED, listed, NULL);
			pci_info(pdev, "listed for ppt but bound to %s: not taken (a forced reserve takes it)\n",
				 drv);
		} else if (ours) {
			ppt_bind_record(pdev, PPT_STATE_DIRTY, listed, NULL);
		}
		device_unlock(&pdev->dev);

		/* a host driver was first: the function stays its own */
		if (drv && set)
			ppt_set_driver_override(pdev, NULL);
		if (!drv && ours)
			ppt_gate_sync(pdev);
	}
}

/**
 * ppt_bind_unclaim_present() - undo the overrides of a load that failed
 *
 * Every function with the override "ppt" that the table does not hold
 * (ppt_bind_return_to_host() decides for those) got it from this load:
 * from ppt_bind_claim_present() or from the bus notifier.  Without ppt's
 * driver nothing could ever bind them: clear it.
 *
 * Context: module init failure, after the bus notifier is gone and before
 * ppt_bind_return_to_host().
 */
void ppt_bind_unclaim_present(void)
{
	struct pci_dev *pdev = NULL;
	bool known;

	for_each_pci_dev(pdev) {
		if (!ppt_driver_override_is(pdev, ppt_pci_driver.name))
			continue;
		mutex_lock(&ppt_table_lock);
		known = ppt_table_find(pdev);
		mutex_unlock(&ppt_table_lock);
		if (!known)
			ppt_set_driver_override(pdev, NULL);
	}
}

/**
 * ppt_bind_take_unbound() - reserve present functions a new match names
 * @got: receives the functions bound, with references for the caller
 * @max: room in @got; functions beyond it are bound but not reported
 *
 * Every function that a match names, that no driver holds and that ppt
 * does not know yet gets the override and is bound to ppt.  Functions
 * bound to a host driver are left alone: taking one is a forced reserve.
 *
 * Context: process context (ppt's workqueue: the driver core may wait),
 * no ppt lock held; takes device_lock.
 * Return: the number of functions bound.
 */
int ppt_bind_take_unbound(struct pci_dev **got, int max)
{
	struct pci_dev *pdev = NULL;
	bool known, unbound;
	int n = 0;

	for_each_pci_dev(pdev) {
		if (!ppt_bind_wanted(pdev))
			continue;
		mutex_lock(&ppt_table_lock);
		known = ppt_table_find(pdev);
		mutex_unlock(&ppt_table_lock);
		device_lock(&pdev->dev);
		unbound = !pdev->dev.driver;
		device_unlock(&pdev->dev);
		if (known || !unbound)
			continue;
		if (ppt_set_driver_override(pdev, ppt_pci_driver.name))
			continue;
		if (device_attach(&pdev->dev) > 0 &&
		    ppt_bound_to(pdev, ppt_pci_driver.name)) {
			if (n < max)
				got[n] = pci_dev_get(pdev);
			n++;
		} else {
			ppt_set_driver_override(pdev, NULL);
		}
	}
	return min(n, max);
}

/*
 * At unload a PF ppt holds with VFs enabled stays without a driver, with
 * the override "ppt": a host driver's probe could reset it (an NVMe
 * controller reset takes its VFs offline) under VMs that hold its VFs.
 * Its VFs stay with it.  A reload finds them all by the mark.
 */
static bool ppt_bind_keeps_sriov(struct pci_dev *pdev)
{
	struct pci_dev *pf = pci_physfn(pdev);

	return pf->is_physfn && pci_num_vf(pf) &&
	       ppt_driver_override_is(pf, ppt_pci_driver.name);
}

/**
 * ppt_bind_return_to_host() - give back what ppt holds, at unload
 *
 * Called after ppt's driver was unregistered (which unbound every function
 * from ppt while ppt_exiting kept their entries): functions with vfio-pci
 * stay there (a tenant's, or a sanitiser's that kept the group), and
 * dirty or quarantined ones stay without a driver, all keeping the
 * override "ppt" as the mark a reloaded ppt knows them by;
 * every other function loses the override and is offered to host drivers.
 * Empties the table.
 *
 * Context: module exit, with the bus notifier and netlink gone.
 */
void ppt_bind_return_to_host(void)
{
	struct ppt_device *pd, *tmp;
	LIST_HEAD(gone);

	mutex_lock(&ppt_table_lock);
	list_splice_init(&ppt_table, &gone);
	ppt_table_gen++;
	mutex_unlock(&ppt_table_lock);

	list_for_each_entry_safe(pd, tmp, &gone, node) {
		struct pci_dev *pdev = pd->pdev;
		bool sriov = ppt_bind_keeps_sriov(pdev);
		/*
		 * A group a sanitiser's VFIO user kept with vfio-pci keeps the
		 * override too: the reload finds it by that and by the
		 * group's sanitising mark, and knows it is no tenant's.
		 */
		bool keep = pd->state == PPT_STATE_ASSIGNED ||
			    pd->state == PPT_STATE_DIRTY ||
			    pd->state == PPT_STATE_QUARANTINED || sriov ||
			    (pd->tainted && ppt_bind_left_sanitising(pdev));

		if (sriov && pd->state != PPT_STATE_ASSIGNED)
			pci_info(pdev, "left without a driver by ppt's unload: %s\n",
				 pdev->is_physfn ?
				 "a host driver could take its VFs offline" :
				 "its PF stays with ppt's mark");
		else if (keep)
			pci_info(pdev, "left %s by ppt's unload\n",
				 ppt_state_name(pd->state));
		else if (ppt_driver_override_is(pdev, ppt_pci_driver.name)) {
			ppt_set_driver_override(pdev, NULL);
			if (device_attach(&pdev->dev) > 0)
				pci_info(pdev, "returned to %s\n",
					 ppt_driver_name(pdev) ?: "a host driver");
		}
		list_del(&pd->node);
		ppt_table_free(pd);
	}
	ppt_untrusted_forget_all();
}

/* Is the function bound to the driver called @name now? */
static bool ppt_bound_to(struct pci_dev *pdev, const char *name)
{
	bool ret;

	device_lock(&pdev->dev);
	ret = pdev->dev.driver && !strcmp(pdev->dev.driver->name, name);
	device_unlock(&pdev->dev);
	return ret;
}

/**
 * ppt_bind_move() - rebind a function to another driver
 * @pdev: the function
 * @to: the driver to bind ("ppt", "vfio-pci"), or NULL for whichever host
 *	driver matches (the override is cleared)
 * @mark: the override to leave once the move is done, or NULL to leave
 *	@to's
 *
 * Unbinds the current driver (whose remove may take a while: a NIC's
 * driver tears down its queues) and lets the driver core bind @to through
 * the function's driver override.
 *
 * Context: process context, no ppt lock held: the driver core takes
 * device_lock, and ppt's probe and remove take ppt_table_lock inside it.
 * Return: 0 when the function ended up bound to @to (with @to NULL: always,
 * even when no host driver wanted it), -EIO when another driver or none
 * bound it, or a negative errno from setting the override.
 */
int ppt_bind_move(struct pci_dev *pdev, const char *to, const char *mark)
{
	int ret;

	ret = ppt_set_driver_override(pdev, to);
	if (ret)
		return ret;
	device_release_driver(&pdev->dev);
	ret = device_attach(&pdev->dev);
	if (ret >= 0)
		ret = !to || ppt_bound_to(pdev, to) ? 0 : -EIO;
	if (mark)
		ppt_set_driver_override(pdev, mark);
	return ret;
}

/* The driver bound to the function now, or NULL; for messages. */
const char *ppt_bind_driver_name(struct pci_dev *pdev)
{
	return ppt_driver_name(pdev);
}

/*
 * The owner of an assigned group survives a reload of ppt in the IOMMU
 * group's iommu_data: memory the IOMMU core owns and frees with
 * kfree_link() (a kfree() with the release callback's signature, built
 * into the kernel), so nothing points into ppt's code after it unloads.
 * x86's IOMMU drivers leave iommu_data unused; where someone else uses it,
 * ppt stores nothing.
 */
#define PPT_OWNER_RECORD_MAGIC	0x70707431	/* "ppt1" */
/*
 * The same record with this magic marks a group ppt bound to vfio-pci for
 * its sanitiser (no owner): a reload must not take it for a tenant's.
 */
#define PPT_SANITISING_RECORD_MAGIC	0x70707332	/* "pps2" */

struct ppt_owner_record {
	u32 magic;
	char owner[PPT_OWNER_MAX];
};

/* The group's record of @magic, or NULL. */
static struct ppt_owner_record *ppt_record_of(struct iommu_group *group,
					      u32 magic)
{
	struct ppt_owner_record *rec = iommu_group_get_iommudata(group);

	return rec && rec->magic == magic ? rec : NULL;
}

static struct ppt_owner_record *ppt_owner_record(struct iommu_group *group)
{
	return ppt_record_of(group, PPT_OWNER_RECORD_MAGIC);
}

/* Keep a record of @magic for @pdev's group (NULL @owner: none). */
static void ppt_bind_save_record(struct pci_dev *pdev, u32 magic,
				 const char *owner)
{
	struct iommu_group *group = iommu_group_get(&pdev->dev);
	struct ppt_owner_record *old, *rec = NULL;

	if (!group)
		return;
	old = ppt_owner_record(group) ?:
	      ppt_record_of(group, PPT_SANITISING_RECORD_MAGIC);
	if (!old && iommu_group_get_iommudata(group)) {
		pci_info(pdev, "IOMMU group data in use: what ppt knows of the group will not survive a reload of ppt\n");
		goto out;
	}
	if (owner) {
		rec = kzalloc(sizeof(*rec), GFP_KERNEL);
		if (!rec)
			goto out;
		rec->magic = magic;
		strscpy(rec->owner, owner, sizeof(rec->owner));
	}
	iommu_group_set_iommudata(group, rec, rec ? kfree_link : NULL);
	kfree(old);
out:
	iommu_group_put(group);
}

/**
 * ppt_bind_save_owner() - remember an assigned group's owner across reloads
 * @pdev: a function of the group
 * @owner: the owner, or NULL to forget it (and a sanitising mark)
 *
 * Context: process context, no ppt lock held.
 */
void ppt_bind_save_owner(struct pci_dev *pdev, const char *owner)
{
	ppt_bind_save_record(pdev, PPT_OWNER_RECORD_MAGIC, owner);
}

/**
 * ppt_bind_save_sanitising() - mark a group ppt bound to vfio-pci for its sanitiser
 * @pdev: a function of the group
 *
 * A reload of ppt that finds the group still with vfio-pci records it as
 * detached and tainted, not as a tenant's assignment.
 * ppt_bind_save_owner(pdev, NULL) forgets the mark.
 *
 * Context: process context, no ppt lock held.
 */
void ppt_bind_save_sanitising(struct pci_dev *pdev)
{
	ppt_bind_save_record(pdev, PPT_SANITISING_RECORD_MAGIC, "");
}

/* Did an earlier load of ppt leave the group with vfio-pci for a sanitiser? */
static bool ppt_bind_left_sanitising(struct pci_dev *pdev)
{
	struct iommu_group *group = iommu_group_get(&pdev->dev);
	bool left;

	if (!group)
		return false;
	left = ppt_record_of(group, PPT_SANITISING_RECORD_MAGIC);
	iommu_group_put(group);
	return left;
}

/* Copy the owner an earlier load of ppt saved for the group into @owner. */
static void ppt_bind_load_owner(struct pci_dev *pdev, char *owner)
{
	struct iommu_group *group = iommu_group_get(&pdev->dev);
	struct ppt_owner_record *rec;

	owner[0] = '\0';
	if (!group)
		return;
	rec = ppt_owner_record(group);
	if (rec)
		strscpy(owner, rec->owner, PPT_OWNER_MAX);
	iommu_group_put(group);
}
