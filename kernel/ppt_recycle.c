// SPDX-License-Identifier: GPL-2.0-only
/*
 * Recycling assignments: devices that go back to their owner clean each
 * time their VFIO user closes them.
 *
 * Some consumers never say when they are done with a device.  KubeVirt's
 * device plugin offers every device bound to vfio-pci and has no release
 * hook; Nova with managed='no' hostdevs neither.  An assignment made with
 * PPT_A_RECYCLE stays with its owner, and each time its VFIO user closes
 * it ppt takes the group back, cleans it and assigns it to the owner
 * again.  While it is cleaning it is not with vfio-pci, so its /dev/vfio
 * node is gone and a device plugin reports it unhealthy.
 *
 * vfio has no "closed" notification, but vfio-pci holds a runtime-PM
 * reference for as long as a user has the device open: it resumes the
 * function on the first open and lets it suspend after the last close.
 * ppt registers a device of its own (class ppt_recycle, one per watched
 * function) as the function's runtime-PM supplier through a stateless
 * device link: the PM core resumes the supplier before the function
 * resumes and lets it suspend after the function has suspended.  So the
 * supplier's callbacks see every open and close, without polling:
 *
 * - resume: if a VFIO user owns the group's DMA (iommu_group_dma_owner_
 *   claimed(): a user attaches the group to its container or iommufd
 *   before it opens the device), a tenant has the device: it is "used".
 *   A resume without one (lspci reading config space) is not a tenant.
 *   The callback never fails: a failed resume is sticky in the PM core
 *   (power.runtime_error), and every later open of the function would
 *   fail with it.
 * - suspend: if it was used, it is "closed".  The callback takes the
 *   group's DMA ownership at once (the gate, ppt_gate.c), so the next
 *   user cannot attach the group to a container or an iommufd, and no open
 *   gets the last user's leftovers; the unassign that recycles the
 *   function (from a work item) takes over that hold.  When the ownership
 *   cannot be taken, a user still holds the group (vfio's low-power
 *   feature lets a VM suspend a device it keeps open, and a program may
 *   close the device before its group): the unassign is refused for the
 *   same reason, and the function is watched again.
 *
 * A kernel without CONFIG_PM has no runtime PM: the netlink family refuses
 * PPT_A_RECYCLE there.  What this cannot see: a function whose runtime PM
 * never suspends
 * (vfio-pci's disable_idle_d3, or power/control "on"): no close is ever
 * noticed, and the docs say so.  And vfio-pci drops its reference with an
 * asynchronous idle request: a new user that opens the device in the
 * instant between the close and the suspend finds it still active, and
 * no callback runs.  That window is one PM workqueue item long; orchestra-
 * tors take seconds to start the next VM.
 *
 * Locking: a watch hangs off its table entry (ppt_device.watch) under
 * ppt_table_lock; whoever takes it off the entry under that lock tears it
 * down, outside every ppt lock (device_link_del() and pm_runtime_disable()
 * wait for the PM core).  The flags are atomic bits the PM callbacks set
 * without a lock.  The callbacks run in the PM workqueue or in the opener's
 * context (vfio's open, under vfio's locks): they take no ppt lock and
 * only queue ppt_recycle_work, which finds closed watches in the table.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/device.h>
#include <linux/iommu.h>
#include <linux/pm_runtime.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include "ppt.h"

/* ppt_recycle_watch.flags */
enum {
	PPT_WATCH_USED,		/* a VFIO user had the device open */
	PPT_WATCH_CLOSED,	/* ... and closed it: ppt recycles it */
	PPT_WATCH_PINNED,	/* ... and the gate holds its group for ppt */
};

/**
 * struct ppt_recycle_watch - the runtime-PM supplier watching one function
 * @sup: the supplier device, /sys/class/ppt_recycle/<address>
 * @pdev: the function; holds a reference
 * @group: its IOMMU group; holds a reference
 * @link: the device link from @pdev (consumer) to @sup
 * @flags: PPT_WATCH_* bits
 */
struct ppt_recycle_watch {
	struct device sup;
	struct pci_dev *pdev;
	struct iommu_group *group;
	struct device_link *link;
	unsigned long flags;
};

static void ppt_recycle_scan(struct work_struct *work);
static DECLARE_WORK(ppt_recycle_work, ppt_recycle_scan);

/* Set at unload: no new watch, and the scan starts nothing. */
static bool ppt_recycle_stopping;

/*
 * Serialises ppt_recycle_watch(): its supplier device is named after the
 * function, so two watches of one function registered at once (an assign
 * and a refused unassign of the same group, on two workers) would collide
 * in sysfs and stop the recycling.  Taken with no other ppt lock held;
 * ppt_table_lock nests inside it.
 */
static DEFINE_MUTEX(ppt_recycle_watch_lock);

/* Is @pdev watched already? */
static bool ppt_recycle_watched(struct pci_dev *pdev)
{
	struct ppt_device *pd;
	bool watched;

	mutex_lock(&ppt_table_lock);
	pd = ppt_table_find(pdev);
	watched = pd && pd->watch;
	mutex_unlock(&ppt_table_lock);
	return watched;
}

static struct ppt_recycle_watch *to_watch(struct device *dev)
{
	return container_of(dev, struct ppt_recycle_watch, sup);
}

static int __maybe_unused ppt_recycle_runtime_resume(struct device *dev)
{
	struct ppt_recycle_watch *w = to_watch(dev);

	if (!test_bit(PPT_WATCH_CLOSED, &w->flags) &&
	    iommu_group_dma_owner_claimed(w->group))
		set_bit(PPT_WATCH_USED, &w->flags);
	return 0;
}

static int __maybe_unused ppt_recycle_runtime_suspend(struct device *dev)
{
	struct ppt_recycle_watch *w = to_watch(dev);

	if (test_and_clear_bit(PPT_WATCH_USED, &w->flags)) {
		if (!test_bit(PPT_WATCH_PINNED, &w->flags) &&
		    !ppt_gate_hold(w->pdev))
			set_bit(PPT_WATCH_PINNED, &w->flags);
		set_bit(PPT_WATCH_CLOSED, &w->flags);
		if (!READ_ONCE(ppt_recycle_stopping))
			queue_work(system_unbound_wq, &ppt_recycle_work);
	}
	return 0;
}

static const struct dev_pm_ops ppt_recycle_pm = {
	SET_RUNTIME_PM_OPS(ppt_recycle_runtime_suspend,
			   ppt_recycle_runtime_resume, NULL)
};

static struct class ppt_recycle_class = {
	.name = "ppt_recycle",
	.pm = &ppt_recycle_pm,
};

static void ppt_recycle_release(struct device *dev)
{
	struct ppt_recycle_watch *w = to_watch(dev);

	iommu_group_put(w->group);
	pci_dev_put(w->pdev);
	kfree(w);
}

/*
 * Take the link away, wait for callbacks still running, and unregister
 * the supplier.  The function's runtime PM no longer involves ppt.
 * Returns true when a suspend callback took the group's DMA ownership: the
 * caller passes that hold on to the recycle's unassign, or lets go of it
 * (ppt_gate_unpin()).
 */
static bool ppt_recycle_teardown(struct ppt_recycle_watch *w)
{
	bool pinned;

	if (w->link)
		device_link_del(w->link);
	pm_runtime_disable(&w->sup);
	pinned = test_bit(PPT_WATCH_PINNED, &w->flags);
	device_unregister(&w->sup);
	return pinned;
}

/* Tear a watch down that recycles nothing: let go of any hold. */
static void ppt_recycle_drop(struct ppt_recycle_watch *w)
{
	struct pci_dev *pdev = pci_dev_get(w->pdev);

	if (ppt_recycle_teardown(w))
		ppt_gate_unpin(pdev);
	pci_dev_put(pdev);
}

/* Take @pd's watch off its entry, for the caller to tear down. */
static struct ppt_recycle_watch *ppt_recycle_take(struct ppt_device *pd)
{
	struct ppt_recycle_watch *w = pd->watch;

	lockdep_assert_held(&ppt_table_lock);
	pd->watch = NULL;
	return w;
}

/* ppt_recycle_watch() without its checks, under ppt_recycle_watch_lock. */
static void ppt_recycle_watch_new(struct pci_dev *pdev, bool used)
{
	struct ppt_recycle_watch *w;
	struct ppt_device *pd;
	const char *why = NULL;
	int ret;

	w = kzalloc(sizeof(*w), GFP_KERNEL);
	if (!w) {
		why = "out of memory";
		goto stop;
	}
	w->group = iommu_group_get(&pdev->dev);
	if (!w->group) {
		kfree(w);
		why = "it has no IOMMU group: ppt cannot tell a VFIO user from a host";
		goto stop;
	}
	w->pdev = pci_dev_get(pdev);
	device_initialize(&w->sup);
	w->sup.class = &ppt_recycle_class;
	w->sup.release = ppt_recycle_release;
	ret = dev_set_name(&w->sup, "%s", pci_name(pdev));
	if (!ret)
		ret = device_add(&w->sup);
	if (ret) {
		put_device(&w->sup);
		why = "its watch could not be registered";
		goto stop;
	}
	pm_runtime_enable(&w->sup);

	/*
	 * The link starts with the function active and the supplier
	 * resumed on its behalf (DL_FLAG_RPM_ACTIVE); the put below lets
	 * both suspend unless a user has it open.
	 */
	pm_runtime_get_sync(&pdev->dev);
	w->link = device_link_add(&pdev->dev, &w->sup,
				  DL_FLAG_STATELESS | DL_FLAG_PM_RUNTIME |
				  DL_FLAG_RPM_ACTIVE);
	if (!w->link) {
		pm_runtime_put(&pdev->dev);
		ppt_recycle_drop(w);
		why = "its runtime-PM link could not be made";
		goto stop;
	}
	/*
	 * A VM that opened it before the link existed; or a user that closed
	 * the device but still held its group when the recycle's unassign
	 * tried (a program may close the device before the group): the put
	 * below suspends the function again, and that is its close.
	 */
	if (used || iommu_group_dma_owner_claimed(w->group))
		set_bit(PPT_WATCH_USED, &w->flags);
#ifdef CONFIG_PM
	if (!pdev->dev.power.runtime_auto)
		pci_warn(pdev, "runtime PM is off for it (power/control \"on\"): ppt cannot see its VFIO user close it, and will not recycle it until it is \"auto\"\n");
#endif

	mutex_lock(&ppt_table_lock);
	pd = ppt_table_find(pdev);
	if (pd && pd->recycle && pd->state == PPT_STATE_ASSIGNED &&
	    !pd->watch) {
		pd->watch = w;
		w = NULL;
	}
	mutex_unlock(&ppt_table_lock);
	pm_runtime_put(&pdev->dev);
	/* no longer recycled (an unassign or unbind raced): not needed */
	if (w)
		ppt_recycle_drop(w);
	return;

stop:
	mutex_lock(&ppt_table_lock);
	pd = ppt_table_find(pdev);
	if (pd && pd->recycle) {
		pd->recycle = false;
		pd->reason = "recycling stopped: ppt could not watch the device";
		ppt_nl_notify_device(pd, false);
	}
	mutex_unlock(&ppt_table_lock);
	pci_warn(pdev, "not recycled: %s\n", why);
}

/**
 * ppt_recycle_watch() - watch a recycled function for its user's close
 * @pdev: the function, just assigned (with vfio-pci), or still assigned
 *	after a recycle's unassign found a VFIO user holding its group
 * @used: a VFIO user had it (the refused unassign): its next suspend is a
 *	close even if the user lets go of the group before the watch looks
 *
 * Does nothing unless its entry is assigned and recycles, nor when it is
 * watched already (a refused unassign of a group that an assign gave back
 * meanwhile, with its watches).  A function that cannot be watched stops
 * recycling, with the reason.
 *
 * Context: process context, no ppt lock held; takes
 * ppt_recycle_watch_lock.
 */
void ppt_recycle_watch(struct pci_dev *pdev, bool used)
{
	mutex_lock(&ppt_recycle_watch_lock);
	if (!READ_ONCE(ppt_recycle_stopping) && !ppt_recycle_watched(pdev))
		ppt_recycle_watch_new(pdev, used);
	mutex_unlock(&ppt_recycle_watch_lock);
}

/**
 * ppt_recycle_unwatch() - stop watching a function
 * @pdev: the function
 *
 * Context: process context, no ppt lock held.
 */
void ppt_recycle_unwatch(struct pci_dev *pdev)
{
	struct ppt_recycle_watch *w = NULL;
	struct ppt_device *pd;

	mutex_lock(&ppt_table_lock);
	pd = ppt_table_find(pdev);
	if (pd)
		w = ppt_recycle_take(pd);
	mutex_unlock(&ppt_table_lock);
	if (w)
		ppt_recycle_drop(w);
}

/*
 * Start the unassign that recycles a closed function.  @pinned: the gate
 * holds its group for ppt, and the unassign takes that hold over.
 */
static void ppt_recycle_start(struct pci_dev *pdev, bool pinned)
{
	struct ppt_req req = {
		.cmd = PPT_CMD_DEVICE_UNASSIGN,
		.method = PPT_RESET_AUTO,
		.recycle = true,
		.pinned = pinned,
	};
	struct ppt_device *pd;
	bool due;

	mutex_lock(&ppt_table_lock);
	pd = ppt_table_find(pdev);
	due = pd && pd->recycle && pd->state == PPT_STATE_ASSIGNED;
	if (due)
		strscpy(req.owner, pd->owner, sizeof(req.owner));
	mutex_unlock(&ppt_table_lock);
	if (!due) {
		if (pinned)
			ppt_gate_unpin(pdev);
		return;
	}
	pci_info(pdev, "closed by its VFIO user: recycling it for \"%s\"\n",
		 req.owner);
	if (ppt_op_start_own(&req, pdev)) {
		if (pinned)
			ppt_gate_unpin(pdev);
		pci_warn(pdev, "closed by its VFIO user, but not recycled: %s\n",
			 req.why ?: "-");
		/* watch again: the next close tries again */
		ppt_recycle_watch(pdev, true);
	}
	ppt_req_release(&req);
}

#define PPT_RECYCLE_BATCH	32

/*
 * Find the watches to end: closed ones (their function is recycled) and
 * those of functions that are no longer assigned and recycled.
 */
static void ppt_recycle_scan(struct work_struct *work)
{
	struct ppt_recycle_watch *ws[PPT_RECYCLE_BATCH];
	bool start[PPT_RECYCLE_BATCH];
	struct ppt_device *pd;
	bool more = false;
	int n = 0, i;

	mutex_lock(&ppt_table_lock);
	list_for_each_entry(pd, &ppt_table, node) {
		struct ppt_recycle_watch *w = pd->watch;
		bool keep = pd->recycle && pd->state == PPT_STATE_ASSIGNED;

		if (!w || (keep && !test_bit(PPT_WATCH_CLOSED, &w->flags)))
			continue;
		if (n == PPT_RECYCLE_BATCH) {
			more = true;
			break;
		}
		start[n] = keep;
		ws[n++] = ppt_recycle_take(pd);
	}
	mutex_unlock(&ppt_table_lock);

	for (i = 0; i < n; i++) {
		struct pci_dev *pdev = pci_dev_get(ws[i]->pdev);
		bool pinned = ppt_recycle_teardown(ws[i]);

		if (start[i] && !READ_ONCE(ppt_recycle_stopping))
			ppt_recycle_start(pdev, pinned);
		else if (pinned)
			ppt_gate_unpin(pdev);
		pci_dev_put(pdev);
	}
	if (more)
		queue_work(system_unbound_wq, &ppt_recycle_work);
}

/**
 * ppt_recycle_kick() - look for watches to end
 *
 * Called when a watched function left its recycling assignment behind
 * ppt's back (vfio-pci unbound): its watch goes.
 *
 * Context: any context that may queue work.
 */
void ppt_recycle_kick(void)
{
	if (!READ_ONCE(ppt_recycle_stopping))
		queue_work(system_unbound_wq, &ppt_recycle_work);
}

/**
 * ppt_recycle_init() - register the supplier devices' class
 *
 * Return: 0 or a negative errno.
 */
int ppt_recycle_init(void)
{
	return class_register(&ppt_recycle_class);
}

/**
 * ppt_recycle_stop() - start no more recycling
 *
 * Context: module exit, before ppt_ops_close(): the operations that are
 * running finish, and none of them makes a new watch.
 */
void ppt_recycle_stop(void)
{
	WRITE_ONCE(ppt_recycle_stopping, true);
	cancel_work_sync(&ppt_recycle_work);
}

/**
 * ppt_recycle_exit() - end every watch and unregister the class
 *
 * Recycled functions stay assigned: an unload never takes a device from
 * a VM.  A reload adopts them as assigned to their owner, not recycled.
 *
 * Context: module exit after ppt_ops_close(), or init failure.
 */
void ppt_recycle_exit(void)
{
	struct ppt_recycle_watch *w;
	struct ppt_device *pd;

	WRITE_ONCE(ppt_recycle_stopping, true);
	cancel_work_sync(&ppt_recycle_work);
	for (;;) {
		w = NULL;
		mutex_lock(&ppt_table_lock);
		list_for_each_entry(pd, &ppt_table, node) {
			pd->recycle = false;
			if (pd->watch) {
				w = ppt_recycle_take(pd);
				break;
			}
		}
		mutex_unlock(&ppt_table_lock);
		if (!w)
			break;
		ppt_recycle_drop(w);
	}
	class_unregister(&ppt_recycle_class);
}
