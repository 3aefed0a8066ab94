// SPDX-License-Identifier: GPL-2.0-only
/*
 * Resetting and cleaning the functions ppt holds.
 *
 * A function-level reset goes through the PCI core: auto runs the core's
 * own method list as it is (device-specific quirks and ACPI _RST first,
 * then FLR, PM and the function's bus, in the administrator's order from
 * sysfs reset_method), an explicit method narrows that list to its
 * entries for the one call (ppt_reset_plan.c decides).  So every quirk the
 * PCI core knows (FLR erratum delays, device-specific resets, the D3hot
 * settle time) applies unchanged.
 *
 * A secondary bus reset resets every function below the parent bridge, and
 * the PCI core does not ask who owns them.  So its unit is the reset
 * domain: every function on the bus.  ppt runs one only when it holds
 * every function of the domain and none is with a tenant; the request
 * then takes them all, and pci_reset_bus() resets them as one (through the
 * slot's hotplug controller where there is one, so pciehp does not take
 * the link going down for a removal).  Never on a root bus: it has no
 * bridge.
 *
 * Cleaning is a reset followed by the restore of the config space saved
 * when ppt reserved the function (not what a tenant left in it) and a
 * check that the function came back: it answers config reads with its own
 * ids, its header matches the snapshot, bus mastering is off and no
 * transaction is pending.  A reset is not a sanitiser: FLR and secondary
 * bus reset clear a function's registers, not its memory (a GPU's VRAM, an
 * NVMe namespace).  ppt_clean_sanitise() is where a class-specific
 * sanitiser belongs.
 *
 * Everything here runs on ppt's workqueue with no ppt lock held: a reset
 * sleeps for 100 ms and more (PCIe r6.0 sec 6.6.2), under the function's
 * pci_dev_lock only, so other functions' requests go on meanwhile.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/ktime.h>
#include <linux/slab.h>

#include "ppt.h"
#include "ppt_reset_plan.h"

static const char * const ppt_reset_names[] = PPT_RESET_NAMES;

/**
 * ppt_reset_name() - a reset method's name
 * @method: enum ppt_reset_method
 *
 * Return: a constant string.
 */
const char *ppt_reset_name(unsigned int method)
{
	return method < ARRAY_SIZE(ppt_reset_names) ?
	       ppt_reset_names[method] : "invalid";
}

/*
 * A snapshot of the function's method list.  sysfs reset_method rewrites
 * it without a lock ppt can take: read each entry once.
 */
static void ppt_reset_core_list(struct pci_dev *pdev, u8 *list)
{
	int i;

	for (i = 0; i < PCI_NUM_RESET_METHODS; i++)
		list[i] = READ_ONCE(pdev->reset_methods[i]);
	list[PCI_NUM_RESET_METHODS - 1] = 0;
}

/*
 * ppt resets and restores only functions bound to its own driver.  Someone
 * may have bound the function to another driver while the operation
 * waited (a sysfs unbind and drivers_probe, as driverctl and libvirt do):
 * that driver, and maybe a VM through it, has the function now.  Under the
 * function's device_lock the answer holds until the lock is dropped.
 */
static bool ppt_reset_ours(struct pci_dev *pdev)
{
	return READ_ONCE(pdev->dev.driver) == &ppt_pci_driver.driver;
}

static const char ppt_reset_not_ours_why[] =
	"the device left ppt's driver meanwhile: it was not touched";

/*
 * A dirty function may have no driver at all (vfio-pci let go of it behind
 * ppt's back): bind it to ppt first, so no host driver can take it while
 * it is reset and ppt holds it when it returns to the pool.  The driver
 * core binds only a function without a driver: one that another driver
 * took meanwhile keeps it.
 *
 * Context: process context, no lock held (takes device_lock).
 */
static void ppt_reset_take(struct pci_dev *pdev)
{
	if (READ_ONCE(pdev->dev.driver))
		return;
	if (ppt_set_driver_override(pdev, ppt_pci_driver.name))
		return;
	if (device_attach(&pdev->dev) > 0 && ppt_reset_ours(pdev))
		pci_info(pdev, "had no driver: bound to ppt for its reset\n");
}

/*
 * pci_walk_bus() callback: note a function below that another driver has
 * (one without a driver is nobody's: a bus reset may go on).
 */
static int ppt_reset_find_stranger(struct pci_dev *dev, void *data)
{
	if (pci_is_bridge(dev) || ppt_reset_ours(dev) || !READ_ONCE(dev->dev.driver))
		return 0;
	*(bool *)data = true;
	return 1;
}

/*
 * Can the parent bridge reset the function's bus?  The PCI core lists
 * "bus" for a function only when it was alone on the bus as it was
 * enumerated (so never for function 1 of a slot); ppt asks the bridge.
 */
static bool ppt_reset_bus_possible(struct pci_dev *pdev)
{
	if (pci_is_root_bus(pdev->bus))
		return false;
	return !pci_probe_reset_bus(pdev->bus);
}

/* Is the function the only one on its bus?  (pci_walk_bus() callback) */
static int ppt_reset_count_bus(struct pci_dev *dev, void *data)
{
	struct pci_dev **first = data;

	if (dev->bus == first[0]->bus && dev != first[0])
		first[1] = dev;
	return !!first[1];
}

static bool ppt_reset_alone_on_bus(struct pci_dev *pdev)
{
	struct pci_dev *w[2] = { pdev, NULL };

	pci_walk_bus(pdev->bus, ppt_reset_count_bus, w);
	return !w[1];
}

/**
 * ppt_reset_methods() - the reset methods a function supports
 * @pdev: the function
 *
 * Those of the PCI core's list (as an administrator left it in sysfs
 * reset_method), and sbr when the parent bridge can reset the bus.
 *
 * Context: any process context.
 * Return: a mask with BIT(enum ppt_reset_method) set for each method.
 */
u32 ppt_reset_methods(struct pci_dev *pdev)
{
	u8 list[PCI_NUM_RESET_METHODS];

	ppt_reset_core_list(pdev, list);
	return ppt_reset_mask(list, ppt_reset_bus_possible(pdev));
}

struct ppt_domain_walk {
	struct pci_dev *first;
	struct pci_dev **devs;
	int max, n;
	struct pci_dev *blocker;
	const char *why;
};

/* pci_walk_bus() callback: collect the domain, stop at what blocks it. */
static int ppt_domain_add(struct pci_dev *dev, void *data)
{
	struct ppt_domain_walk *w = data;
	struct device_driver *drv;

	if (dev == w->first)
		return 0;
	if (pci_is_bridge(dev)) {
		w->why = "a bridge below would be reset with the device";
		w->blocker = dev;
		return 1;
	}
	drv = READ_ONCE(dev->dev.driver);
	if (drv != &ppt_pci_driver.driver) {
		w->why =
		"another device on the bus is not held by ppt: a bus reset would reset it too";
		w->blocker = dev;
		return 1;
	}
	if (w->devs) {
		if (w->n == w->max) {
			w->why = "the bus changed while ppt read it";
			return 1;
		}
		w->devs[w->n] = pci_dev_get(dev);
	}
	w->n++;
	return 0;
}

/**
 * ppt_reset_domain() - the other functions a bus reset of @pdev resets
 * @pdev: the function
 * @devs: NULL to count them, or an array of @max to fill (with references
 *	the caller drops)
 * @max: the array's size
 * @why: set to a constant reason when the domain cannot be reset
 * @blocker: set to the function that prevents it (a reference the caller
 *	drops), or NULL
 *
 * Every other function on @pdev's bus must be bound to ppt and none may be
 * a bridge.  (Their states are the caller's to check, under the table
 * lock.)
 *
 * Context: process context, no ppt lock held (walks the bus).
 * Return: the number of other functions, or -EBUSY with @why and maybe
 * @blocker set.
 */
int ppt_reset_domain(struct pci_dev *pdev, struct pci_dev **devs, int max,
		     const char **why, struct pci_dev **blocker)
{
	struct ppt_domain_walk w = {
		.first = pdev, .devs = devs, .max = max,
	};

	pci_walk_bus(pdev->bus, ppt_domain_add, &w);
	if (w.why) {
		while (devs && w.n > 0 && w.n <= max)
			pci_dev_put(devs[--w.n]);
		*why = w.why;
		*blocker = pci_dev_get(w.blocker);
		return -EBUSY;
	}
	return w.n;
}

/**
 * ppt_reset_plan() - choose how to reset a function, or say why not
 * @pdev: the function
 * @method: enum ppt_reset_method asked for
 * @why: set to a constant reason when it cannot be reset
 * @blocker: set to a function that prevents it (a reference the caller
 *	drops), or NULL
 *
 * auto is the PCI core's method list as it is (ppt_reset_plan.c), and a
 * bus reset of the whole reset domain only when nothing in the list can
 * reset the function alone.
 *
 * Context: process context, no ppt lock held (walks the bus).
 * Return: the plan (%PPT_RESET_AUTO: the core's list; %PPT_RESET_SBR: the
 * whole reset domain; else the method the list is narrowed to), or
 * -EINVAL for an unknown method, -EOPNOTSUPP when the function does not
 * support it, -EBUSY when the reset would reset a function ppt does not
 * hold.
 */
int ppt_reset_plan(struct pci_dev *pdev, unsigned int method,
		   const char **why, struct pci_dev **blocker)
{
	u8 list[PCI_NUM_RESET_METHODS];
	struct ppt_reset_choice c;
	int ret;

	/* a PF with a VF out never gets here: ppt_op_prepare() refuses it */
	*blocker = NULL;
	ppt_reset_core_list(pdev, list);
	ret = ppt_reset_choose(list, method, ppt_reset_alone_on_bus(pdev),
			       ppt_reset_bus_possible(pdev), &c, why);
	if (ret)
		return ret;
	if (c.plan != PPT_RESET_SBR)
		return c.plan;
	ret = ppt_reset_domain(pdev, NULL, 0, why, blocker);
	return ret < 0 ? ret : PPT_RESET_SBR;
}

/*
 * Run one function-level reset as planned, under pci_dev_lock: auto is the
 * core's own list, untouched; an explicit method narrows the list to its
 * entries for the call and then puts the administrator's list back.  The
 * list is read again here, under the lock, because the administrator may
 * have changed it since the plan was made.
 */
static int ppt_reset_locked(struct pci_dev *pdev, enum ppt_reset_method plan,
			    bool alone, struct ppt_reset_result *res)
{
	u8 list[PCI_NUM_RESET_METHODS];
	struct ppt_reset_choice c;
	int ret;

	ppt_reset_core_list(pdev, list);
	ret = ppt_reset_choose(list, plan, alone, false, &c, &res->why);
	if (ret)
		return ret;
	res->method = c.reported;
	res->inferred = c.inferred;
	res->touched = true;
	if (c.plan == PPT_RESET_AUTO)
		return __pci_reset_function_locked(pdev);
	memcpy(pdev->reset_methods, c.narrow, sizeof(c.narrow));
	ret = __pci_reset_function_locked(pdev);
	if (!ppt_reset_narrowed_restore(pdev->reset_methods, c.narrow, list))
		pci_info(pdev, "sysfs reset_method was written during ppt's %s reset: the new list stays\n",
			 ppt_reset_name(plan));
	return ret;
}

/**
 * ppt_reset_run() - reset one function, saving and restoring its config space
 * @pdev: the function; ppt holds it and no operation but this one runs on it
 * @plan: from ppt_reset_plan(): auto or a function-level method
 * @res: receives the method that ran, whether that is inferred, whether
 *	the hardware was touched, how long the whole reset took, and on
 *	failure a reason for the caller
 * @snap: config space to restore after the reset (a clean's reserve-time
 *	snapshot), or NULL to restore what was there before it
 *
 * The locks are those pci_reset_function() takes (the upstream bridge's
 * too, as 6.12 does, so its config stays consistent while the function
 * resets): a function reset here is one the core would do, with ppt's
 * snapshot restored instead of the state before it.  A failure after the
 * hardware was touched leaves the function in an unknown state.
 *
 * A function without a driver is bound to ppt first.
 *
 * Context: process context, no ppt lock held; takes pci_dev_lock of the
 * bridge and the function, and sleeps for the reset.
 * Return: 0, -ENODEV when the function is not with ppt's driver (nothing
 * was touched), -EOPNOTSUPP when the method went away meanwhile (nothing
 * was touched), or a negative errno from the reset.
 */
int ppt_reset_run(struct pci_dev *pdev, enum ppt_reset_method plan,
		  struct ppt_reset_result *res,
		  const struct ppt_snapshot *snap)
{
	struct pci_dev *bridge = pci_upstream_bridge(pdev);
	ktime_t start = ktime_get();
	bool alone;
	int ret;

	res->touched = false;
	ppt_reset_take(pdev);
	/* walks the bus: pci_bus_sem is taken outside device_lock, as AER does */
	alone = ppt_reset_alone_on_bus(pdev);
	if (bridge)
		pci_dev_lock(bridge);
	pci_dev_lock(pdev);
	if (!ppt_reset_ours(pdev)) {
		ret = -ENODEV;
		res->why = ppt_reset_not_ours_why;
		goto unlock;
	}
	/*
	 * A function ppt holds was never enabled by a driver, so the PM core
	 * may not know it in D0, and a PM reset (D3hot and back) starts only
	 * from D0.
	 */
	pci_set_power_state(pdev, PCI_D0);
	if (!snap)
		pci_save_state(pdev);
	/* quiesce: no interrupts, no DMA, no decoding while it resets */
	pci_write_config_word(pdev, PCI_COMMAND, PCI_COMMAND_INTX_DISABLE);
	ret = ppt_reset_locked(pdev, plan, alone, res);
	if (snap)
		pci_load_saved_state(pdev, snap->state);
	pci_restore_state(pdev);
	if (ret && res->touched)
		res->why = "the reset failed: the device's state is unknown";
unlock:
	pci_dev_unlock(pdev);
	if (bridge)
		pci_dev_unlock(bridge);
	res->usec = ktime_us_delta(ktime_get(), start);
	return ret;
}

/**
 * ppt_reset_bus_run() - secondary bus reset of a function's reset domain
 * @pdev: a function of the domain; ppt holds every function on its bus
 *	and the caller's operation holds them all
 * @res: receives %PPT_RESET_SBR, whether the hardware was touched, the
 *	duration, and on failure a reason
 *
 * pci_reset_bus() saves and restores the config space of every function
 * below the bridge.  It only trylocks them, so a lock held for a moment
 * elsewhere (a sysfs reader) is waited out with a few retries.  @pdev, if
 * it has no driver, is bound to ppt first.
 *
 * Context: process context, no ppt lock held; sleeps for the reset (the
 * bridge's reset pulse, then up to a minute for the link and the devices).
 * Return: 0, -ENODEV when another driver has a function below the bridge
 * or -EAGAIN when one stayed locked (nothing was reset in either case), or
 * a negative errno from pci_reset_bus() (-ENOTTY: the link did not come
 * back).
 */
int ppt_reset_bus_run(struct pci_dev *pdev, struct ppt_reset_result *res)
{
	ktime_t start = ktime_get();
	int tries = 0, ret;
	bool stranger;

	res->method = PPT_RESET_SBR;
	res->inferred = false;
	res->touched = false;
	ppt_reset_take(pdev);
	for (;;) {
		/*
		 * pci_reset_bus() takes the functions' locks itself, so this
		 * cannot be checked under them: it is checked just before.
		 */
		stranger = false;
		pci_walk_bus(pdev->bus, ppt_reset_find_stranger, &stranger);
		if (stranger) {
			ret = -ENODEV;
			break;
		}
		ret = pci_reset_bus(pdev);
		if (ret != -EAGAIN || ++tries == 10)
			break;
		msleep(20);
	}
	res->usec = ktime_us_delta(ktime_get(), start);
	/* pci_reset_bus() locks every function before it touches any */
	res->touched = ret != -EAGAIN && !stranger;
	if (stranger)
		res->why = ppt_reset_not_ours_why;
	else if (ret == -EAGAIN)
		res->why = "a function of the reset domain stayed locked: nothing was reset";
	else if (ret)
		res->why = "the bus reset failed: the devices' state is unknown";
	return ret;
}

/**
 * ppt_snapshot_take() - save a function's config space as its clean state
 * @pdev: the function, just bound to ppt
 *
 * Bus mastering is recorded as off: a clean function does no DMA.
 *
 * Context: process context, under the function's device_lock (probe).
 * Return: the snapshot, or NULL when out of memory.
 */
struct ppt_snapshot *ppt_snapshot_take(struct pci_dev *pdev)
{
	struct ppt_snapshot *snap = kzalloc(sizeof(*snap), GFP_KERNEL);
	int i;

	if (!snap)
		return NULL;
	pci_clear_master(pdev);
	pci_save_state(pdev);
	snap->state = pci_store_saved_state(pdev);
	if (!snap->state) {
		kfree(snap);
		return NULL;
	}
	for (i = 0; i < ARRAY_SIZE(snap->header); i++)
		pci_read_config_dword(pdev, i * 4, &snap->header[i]);
	return snap;
}

/**
 * ppt_snapshot_free() - free a snapshot; NULL is allowed
 * @snap: the snapshot
 */
void ppt_snapshot_free(struct ppt_snapshot *snap)
{
	if (!snap)
		return;
	kfree(snap->state);
	kfree(snap);
}

/*
 * The header dwords a clean function must give back as they were saved:
 * ids, command (bus master), BARs, subsystem ids, ROM BAR, interrupt line
 * and pin.  Status, class/revision (some devices change the revision they
 * report), the cache line / latency / BIST dword and the capability pointer
 * are left out.
 */
static const u8 ppt_verify_dwords[] = {
	PCI_VENDOR_ID / 4, PCI_COMMAND / 4,
	PCI_BASE_ADDRESS_0 / 4, PCI_BASE_ADDRESS_1 / 4, PCI_BASE_ADDRESS_2 / 4,
	PCI_BASE_ADDRESS_3 / 4, PCI_BASE_ADDRESS_4 / 4, PCI_BASE_ADDRESS_5 / 4,
	PCI_SUBSYSTEM_VENDOR_ID / 4, PCI_ROM_ADDRESS / 4, PCI_INTERRUPT_LINE / 4,
};

/*
 * Is the function back as the snapshot had it?  The command register is
 * compared in its low half only (the high half is the status register).
 */
static int ppt_clean_verify(struct pci_dev *pdev,
			    const struct ppt_snapshot *snap, const char **why)
{
	u32 val, want, mask;
	int i;

	/*
	 * A VF's vendor and device id registers read ffff (SR-IOV: the ids
	 * are its PF's); its command and status registers say it answers,
	 * as the PCI core's own wait after a reset reads them.
	 */
	pci_read_config_dword(pdev, pdev->is_virtfn ? PCI_COMMAND : PCI_VENDOR_ID,
			      &val);
	if (PCI_POSSIBLE_ERROR(val)) {
		*why = "the device does not answer config reads (all-ones)";
		return -EIO;
	}
	if (!pdev->is_virtfn &&
	    ((val & 0xffff) != pdev->vendor || (val >> 16) != pdev->device)) {
		*why = "the device answers with other vendor/device ids";
		return -EIO;
	}
	pci_read_config_dword(pdev, PCI_COMMAND, &val);
	if (val & PCI_COMMAND_MASTER) {
		*why = "bus mastering is still on after the reset";
		return -EIO;
	}
	if (!pci_wait_for_pending_transaction(pdev)) {
		*why = "the device still has transactions pending";
		return -EIO;
	}
	if (!snap)
		return 0;
	for (i = 0; i < ARRAY_SIZE(ppt_verify_dwords); i++) {
		u8 dw = ppt_verify_dwords[i];

		mask = dw == PCI_COMMAND / 4 ? 0xffff : 0xffffffff;
		want = snap->header[dw] & mask;
		pci_read_config_dword(pdev, dw * 4, &val);
		if ((val & mask) != want) {
			pci_warn(pdev, "config dword 0x%02x is %08x after cleaning, %08x when reserved\n",
				 dw * 4, val & mask, want);
			*why = "config space differs from the snapshot taken at reserve";
			return -EIO;
		}
	}
	return 0;
}

/*
 * The hook point for a class-specific sanitiser, run after the reset and
 * the verification, before the function returns to the pool: e.g. an NVMe
 * format or sanitize command, a GPU's VRAM scrub.  ppt ships none: the
 * reset clears what a tenant left in the function's registers and
 * queues, not what it wrote to device memory or media.
 */
static int ppt_clean_sanitise(struct pci_dev *pdev, const char **why)
{
	return 0;
}

/**
 * ppt_clean_finish() - after a reset: restore the snapshot, verify, sanitise
 * @pdev: the function, just reset
 * @snap: its snapshot from ppt_snapshot_take(), or NULL when ppt never saw
 *	it clean (found dirty at load): then the config space from before
 *	the reset stays, bus mastering is turned off, and the header
 *	comparison is skipped
 * @restored: the reset restored @snap already (ppt_reset_run() does; a
 *	bus reset restores the state from before it)
 * @why: set to a constant reason on failure
 *
 * Context: process context, no ppt lock held; takes pci_dev_lock.
 * Return: 0 when the function is clean, -ENODEV when it is not with ppt's
 * driver (nothing was touched), or -EIO.
 */
int ppt_clean_finish(struct pci_dev *pdev, const struct ppt_snapshot *snap,
		     bool restored, const char **why)
{
	int ret;

	pci_dev_lock(pdev);
	if (!ppt_reset_ours(pdev)) {
		pci_dev_unlock(pdev);
		*why = ppt_reset_not_ours_why;
		return -ENODEV;
	}
	if (snap && !restored) {
		pci_load_saved_state(pdev, snap->state);
		pci_restore_state(pdev);
	} else if (!snap) {
		pci_clear_master(pdev);
	}
	ret = ppt_clean_verify(pdev, snap, why);
	pci_dev_unlock(pdev);
	if (ret)
		return ret;
	return ppt_clean_sanitise(pdev, why);
}
