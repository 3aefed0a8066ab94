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
 * - At unload, every function ppt holds goes back to host drivers (override
 *   cleared, reprobed), except those with vfio-pci, whose VMs keep running.
 *
 * Bridges are never claimed: they carry other functions' traffic.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/device.h>
#include <linux/slab.h>

#include "ppt.h"

/* Functions ppt takes when they appear: named by a boot list, not a bridge. */
static bool ppt_bind_wanted(struct pci_dev *pdev)
{
	return !pci_is_bridge(pdev) && ppt_match_boot_listed(pdev);
}

static const char *ppt_driver_name(struct pci_dev *pdev)
{
	struct device_driver *drv = READ_ONCE(pdev->dev.driver);

	return drv ? drv->name : NULL;
}

static int ppt_bus_notify(struct notifier_block *nb, unsigned long action,
			  void *data)
{
	struct pci_dev *pdev = to_pci_dev(data);
	struct ppt_device *pd;
	int ret;

	switch (action) {
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
	case BUS_NOTIFY_DEL_DEVICE:
		/* hot-unplug or removal through sysfs, in whatever state */
		mutex_lock(&ppt_table_lock);
		pd = ppt_table_find(pdev);
		if (pd) {
			pci_info(pdev, "removed from the system while %s\n",
				 ppt_state_name(pd->state));
			ppt_table_remove(pd);
		}
		mutex_unlock(&ppt_table_lock);
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

/* Record a function in the table, unless it is there already. */
static void ppt_bind_record(struct pci_dev *pdev, enum ppt_state state,
			    bool listed)
{
	mutex_lock(&ppt_table_lock);
	if (!ppt_table_find(pdev) && !ppt_table_insert(pdev, state, listed))
		pci_warn(pdev, "out of memory recording it as %s\n",
			 ppt_state_name(state));
	mutex_unlock(&ppt_table_lock);
}

/**
 * ppt_bind_claim_present() - claim the listed functions already present
 *
 * Sets the driver override of every listed function without a driver, so
 * registering ppt's driver binds them.  Functions that carry the override
 * from an earlier load of ppt are recognised: with vfio-pci they are
 * adopted as assigned; without a driver they are recorded as dirty (they
 * may have been with a tenant).
 *
 * Context: module init, before pci_register_driver(); takes device_lock.
 */
void ppt_bind_claim_present(void)
{
	struct pci_dev *pdev = NULL;
	const char *drv;
	bool listed, ours;
	int ret;

	for_each_pci_dev(pdev) {
		if (pci_is_bridge(pdev))
			continue;
		listed = ppt_match_boot_listed(pdev);
		ours = ppt_driver_override_is(pdev, ppt_pci_driver.name);
		if (!listed && !ours)
			continue;

		device_lock(&pdev->dev);
		drv = ppt_driver_name(pdev);
		if (ours && drv && !strcmp(drv, "vfio-pci")) {
			ppt_bind_record(pdev, PPT_STATE_ASSIGNED, listed);
			pci_info(pdev, "with vfio-pci since an earlier load of ppt: adopted as assigned\n");
		} else if (drv) {
			ppt_bind_record(pdev, PPT_STATE_DETACHED, listed);
			pci_info(pdev, "listed for ppt but bound to %s: not taken (a forced reserve takes it)\n",
				 drv);
		} else if (ours) {
			ppt_bind_record(pdev, PPT_STATE_DIRTY, listed);
		}
		device_unlock(&pdev->dev);

		if (!drv && !ours) {
			ret = ppt_set_driver_override(pdev, ppt_pci_driver.name);
			if (ret)
				pci_warn(pdev, "listed for ppt, but setting its driver override failed (%d)\n",
					 ret);
		}
	}
}

/**
 * ppt_bind_return_to_host() - give back what ppt holds, at unload
 *
 * Called after ppt's driver was unregistered (which unbound every function
 * from ppt while ppt_exiting kept their entries): functions with vfio-pci
 * stay there, keeping the override "ppt" as the mark a reloaded ppt adopts
 * them by; every other function loses the override and is offered to host
 * drivers.  Empties the table.
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

		if (pd->state != PPT_STATE_ASSIGNED &&
		    ppt_driver_override_is(pdev, ppt_pci_driver.name)) {
			ppt_set_driver_override(pdev, NULL);
			if (device_attach(&pdev->dev) > 0)
				pci_info(pdev, "returned to %s\n",
					 ppt_driver_name(pdev) ?: "a host driver");
		}
		list_del(&pd->node);
		pci_dev_put(pdev);
		kfree(pd);
	}
}
