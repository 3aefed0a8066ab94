// SPDX-License-Identifier: GPL-2.0-only
/*
 * The "ppt" PCI driver.  Binding a function to ppt is what keeps host
 * drivers off it: a function has one driver at a time.  ppt's probe and
 * remove do not touch the hardware; they keep the device table true about
 * which functions ppt holds.
 *
 * Both run under the function's device_lock (taken by the driver core) and
 * take ppt_table_lock inside it, the documented order.
 */
#include "ppt.h"

/*
 * No static ids: ppt binds only the functions whose driver override names
 * it (set from the boot lists or by a runtime request), never every
 * function of some model.
 */
static const struct pci_device_id ppt_pci_ids[] = {
	{ }
};
MODULE_DEVICE_TABLE(pci, ppt_pci_ids);

/* Set while the module unloads: remove() then leaves entries to ppt_exit(). */
bool ppt_exiting;

/*
 * A function arrives: bound to ppt by a boot list, a match, a reserve, an
 * operation taking it back, or by hand (driver_override and
 * drivers_probe).  How it arrives is decided here, once: from a host
 * driver or from no driver it is the host's own and arrives reserved,
 * its config space now its clean state; from a driver that works for
 * someone else (the bus notifier noted it), or tainted before, it may hold
 * a tenant's data and arrives dirty (ppt_table_set_state() will not make
 * it reserved), its IOMMU group gated.  An operation that binds ppt
 * itself (a transitional state) records its own outcome.
 */
static int ppt_pci_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct ppt_snapshot *snap;
	struct ppt_device *pd;
	enum ppt_state state;
	bool untrusted, before = false, tainted = false;
	int ret = 0;

	/* bridges carry other functions' traffic: never ppt's */
	if (pci_is_bridge(pdev))
		return -ENODEV;
	untrusted = ppt_bind_untrusted_take(pdev);
	/*
	 * The config space as ppt reserves the function is what cleaning
	 * restores after a tenant.  Config reads only, and bus mastering off.
	 */
	snap = ppt_snapshot_take(pdev);
	ppt_enable_error_reporting(pdev);
	if (!snap)
		pci_warn(pdev, "out of memory saving its config space: cleaning will restore the state before each reset\n");

	mutex_lock(&ppt_table_lock);
	pd = ppt_table_find(pdev);
	if (!pd) {
		pd = ppt_table_insert(pdev, PPT_STATE_RESERVED,
				      ppt_match_boot_listed(pdev));
		if (!pd) {
			ret = -ENOMEM;
			goto unlock;
		}
		pd->tainted = untrusted;
		/* a previous boot's tenant may have left its data: tainted= */
		before = ppt_taint_arrive(pd);
		ppt_table_set_state(pd, PPT_STATE_RESERVED);
		ppt_nl_notify_device(pd, false);
	} else if (pd->state == PPT_STATE_RELEASING) {
		/*
		 * Bound by someone else (a match's rebind, by hand) while a
		 * release gives it back: the release forgets it next, and ppt
		 * would hold a function its table does not know.
		 */
		pci_info(pdev, "not bound: ppt is releasing it\n");
		ret = -EBUSY;
		goto unlock;
	} else {
		pd->tainted |= untrusted;
		pd->lent = false;
		/* known, and arriving again: from a host driver, or by hand */
		if (!pd->tainted && (pd->state == PPT_STATE_DETACHED ||
				     pd->state == PPT_STATE_RESERVING))
			before = ppt_taint_arrive(pd);
		if (pd->state == PPT_STATE_DETACHED) {
			ppt_table_set_state(pd, PPT_STATE_RESERVED);
			ppt_nl_notify_device(pd, false);
		}
	}
	state = pd->state;
	tainted = pd->tainted;
	/* the host's own: its config space now is its clean state */
	if (!tainted && (state == PPT_STATE_RESERVED ||
			 state == PPT_STATE_RESERVING))
		swap(pd->snap, snap);
unlock:
	mutex_unlock(&ppt_table_lock);
	ppt_snapshot_free(snap);
	if (ret)
		return ret;
	if (tainted)
		ppt_gate_sync(pdev);
	/*
	 * A tenant's device given back behind ppt's back (libvirt), or one a
	 * previous boot left tainted: clean it.
	 */
	if ((untrusted || before) && state == PPT_STATE_DIRTY)
		ppt_ops_later(pdev, PPT_CMD_DEVICE_CLEAN);
	pci_info(pdev, "held by ppt, %s%s%s\n", ppt_state_name(state),
		 untrusted ?
		 " (from a driver that works for others: it may hold a tenant's data)" :
		 "",
		 before && !untrusted ?
		 " (a previous boot left it with a tenant's data: tainted=)" : "");
	return 0;
}

static void ppt_pci_remove(struct pci_dev *pdev)
{
	struct ppt_device *pd;

	mutex_lock(&ppt_table_lock);
	pd = ppt_table_find(pdev);
	/*
	 * Unbound behind ppt's back (sysfs unbind, driverctl) or on its way
	 * out of the system: ppt no longer holds it.  An operation in a
	 * transitional state unbinds ppt itself and records the outcome.
	 */
	if (pd && !ppt_exiting && !ppt_state_is_transitional(pd->state)) {
		/* libvirt's managed detach, perhaps: vfio-pci may bind it next */
		pd->lent = !pd->tainted && (pd->state == PPT_STATE_RESERVED ||
					    pd->state == PPT_STATE_CLAIMED);
		ppt_table_set_state(pd, PPT_STATE_DETACHED);
		ppt_nl_notify_device(pd, false);
		pci_info(pdev, "released from ppt behind its back\n");
	}
	mutex_unlock(&ppt_table_lock);
}

/*
 * A function ppt holds reported an uncorrectable error the AER driver
 * (or DPC, or EEH) handles as fatal: whatever it was doing, it is not
 * known good any more.  It is quarantined, and only an administrator's
 * clean, which resets and verifies it, returns it to the pool.  An
 * operation running on it (a clean) sees the mark when it finishes.
 */
static pci_ers_result_t ppt_pci_error_detected(struct pci_dev *pdev,
					       pci_channel_state_t error)
{
	struct ppt_device *pd;

	if (error == pci_channel_io_normal)
		return PCI_ERS_RESULT_CAN_RECOVER;
	mutex_lock(&ppt_table_lock);
	pd = ppt_table_find(pdev);
	if (pd) {
		pd->failed = true;
		if (!ppt_state_is_transitional(pd->state) &&
		    pd->state != PPT_STATE_QUARANTINED) {
			ppt_table_set_state(pd, PPT_STATE_QUARANTINED);
			pd->reason = "the device reported a fatal PCI error";
			ppt_nl_notify_device(pd, false);
		}
	}
	mutex_unlock(&ppt_table_lock);
	/* quarantined is tainted: gate its group */
	if (pd)
		ppt_gate_sync(pdev);
	pci_warn(pdev, "%s PCI error: quarantined\n",
		 error == pci_channel_io_perm_failure ? "permanent" : "fatal");
	/* ppt has nothing to recover; let the core reset the link */
	return error == pci_channel_io_perm_failure ?
	       PCI_ERS_RESULT_DISCONNECT : PCI_ERS_RESULT_NEED_RESET;
}

static pci_ers_result_t ppt_pci_slot_reset(struct pci_dev *pdev)
{
	return PCI_ERS_RESULT_RECOVERED;
}

static const struct pci_error_handlers ppt_pci_err_handlers = {
	.error_detected	= ppt_pci_error_detected,
	.slot_reset	= ppt_pci_slot_reset,
};

struct pci_driver ppt_pci_driver = {
	.name			= KBUILD_MODNAME,
	.id_table		= ppt_pci_ids,
	.probe			= ppt_pci_probe,
	.remove			= ppt_pci_remove,
	.err_handler		= &ppt_pci_err_handlers,
	/* a PF ppt holds can create VFs, held by ppt too (ppt_sriov.c) */
	.sriov_configure	= ppt_sriov_configure,
	/*
	 * ppt never does DMA with the functions it holds, so it leaves the
	 * IOMMU group's DMA ownership alone; without this, vfio could not
	 * take a group in which ppt holds a function.
	 */
	.driver_managed_dma	= true,
};
