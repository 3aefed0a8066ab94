// SPDX-License-Identifier: GPL-2.0-only
/*
 * Leases: claims bound to the netlink socket that made them.
 *
 * An orchestrator's agent claims devices with PPT_A_LEASE so that a crash
 * cannot leave them claimed forever.  The netlink core tells every
 * listener when a socket is released (NETLINK_URELEASE); when the socket
 * that holds a lease goes away, its claimed devices become reserved at
 * once.  Its assigned devices are different: a VM may still be using
 * them, and taking a device from a running VM would crash the guest or
 * leave the device mid-DMA.  They are marked lease_ended and a reaper
 * (delayed work) returns them when nobody holds their VFIO device any
 * more: unassign, clean, reserved.  A restarted agent that takes its
 * devices back (PPT_CMD_TAKE) before then cancels the return.
 *
 * The notifier runs in the releasing task's context with no ppt lock
 * held; it only changes states under ppt_table_lock and kicks the reaper.
 * The reaper starts ordinary unassign and clean operations, so those keep
 * their own checks and events.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/netlink.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include <net/net_namespace.h>

#include "ppt.h"

/* How often the reaper looks again while a returned device is busy. */
#define PPT_LEASE_POLL_MS	250

/*
 * A device whose unassign or clean the reaper cannot even start (refused:
 * a group mate in the way, no reset method) is tried again after a wait
 * that doubles up to this, and logged once per reason.
 */
#define PPT_LEASE_BACKOFF_MAX_MS	30000

/* A batch of devices the reaper handles per pass. */
#define PPT_LEASE_BATCH		32

static void ppt_lease_reap(struct work_struct *work);
static DECLARE_DELAYED_WORK(ppt_lease_work, ppt_lease_reap);

/* Set by ppt_lease_exit() so the reaper stops requeueing itself. */
static bool ppt_lease_stopping;

static void ppt_lease_kick(unsigned long delay)
{
	if (!READ_ONCE(ppt_lease_stopping))
		mod_delayed_work(system_wq, &ppt_lease_work, delay);
}

/*
 * End every lease of @portid: claimed devices are unclaimed now, the
 * others are marked for the reaper.
 */
static void ppt_lease_end(u32 portid)
{
	struct ppt_device *pd;
	int unclaimed = 0, held = 0;

	mutex_lock(&ppt_table_lock);
	list_for_each_entry(pd, &ppt_table, node) {
		if (pd->lease != portid)
			continue;
		pd->lease = 0;
		if (pd->state == PPT_STATE_CLAIMED) {
			pci_info(pd->pdev, "lease of owner \"%s\" ended: unclaimed\n",
				 pd->owner);
			ppt_table_set_state(pd, PPT_STATE_RESERVED);
			unclaimed++;
		} else {
			pci_info(pd->pdev, "lease of owner \"%s\" ended: returned once its VFIO device is closed\n",
				 pd->owner);
			pd->lease_ended = true;
			/* returned, not recycled: its owner is gone */
			pd->recycle = false;
			ppt_table_gen++;
			held++;
		}
		ppt_nl_notify_device(pd, false);
	}
	/* one expiry per lease that held devices, not one per device */
	if (unclaimed || held)
		ppt_stats_lease_expired();
	mutex_unlock(&ppt_table_lock);
	if (held)
		ppt_lease_kick(0);
}

static int ppt_lease_notify(struct notifier_block *nb, unsigned long event,
			    void *ptr)
{
	struct netlink_notify *n = ptr;

	if (event != NETLINK_URELEASE || n->protocol != NETLINK_GENERIC ||
	    !net_eq(n->net, &init_net) || !n->portid)
		return NOTIFY_DONE;
	ppt_lease_end(n->portid);
	return NOTIFY_DONE;
}

static struct notifier_block ppt_lease_nb = {
	.notifier_call = ppt_lease_notify,
};

/*
 * Record how the reaper's attempt to start returning a device went.  A
 * refusal is kept as the device's reason (pptadm show says it), logged
 * when it is new, and the next attempt waits longer: a device that cannot
 * be returned must not fill the log or keep a CPU busy.  Reasons are
 * constant strings.
 */
static void ppt_lease_note(struct pci_dev *pdev, int err, const char *why)
{
	struct ppt_device *pd;
	bool new = false;

	mutex_lock(&ppt_table_lock);
	pd = ppt_table_find(pdev);
	if (!pd)
		goto unlock;
	if (!err) {
		pd->reap_wait = 0;
		goto unlock;
	}
	pd->reap_wait = clamp(pd->reap_wait * 2, PPT_LEASE_POLL_MS,
			      PPT_LEASE_BACKOFF_MAX_MS);
	pd->reap_at = jiffies + msecs_to_jiffies(pd->reap_wait);
	if (pd->reason != why) {
		pd->reason = why;
		new = true;
		ppt_table_gen++;
		ppt_nl_notify_device(pd, false);
	}
unlock:
	mutex_unlock(&ppt_table_lock);
	if (new)
		pci_warn(pdev, "its lease ended, but ppt cannot return it (%d): %s; trying again less often\n",
			 err, why ?: "-");
}

/* Start an unassign or clean of a device whose lease ended. */
static void ppt_lease_start(struct pci_dev *pdev, u8 cmd)
{
	struct ppt_req req = {
		.cmd = cmd,
		.method = PPT_RESET_AUTO,
		.reap = true,
	};
	int ret;

	strscpy(req.owner, "", sizeof(req.owner));
	ret = ppt_op_start_own(&req, pdev);
	/* taken back by its owner meanwhile: nothing to say */
	if (ret != -EAGAIN)
		ppt_lease_note(pdev, ret, req.why);
	ppt_req_release(&req);
}

/*
 * One pass over the devices whose lease ended.  Returns true while some
 * still have to be returned.
 */
static bool ppt_lease_pass(void)
{
	struct pci_dev *pdevs[PPT_LEASE_BATCH];
	enum ppt_state states[PPT_LEASE_BATCH];
	struct ppt_device *pd;
	bool again = false;
	int n = 0, i;

	mutex_lock(&ppt_table_lock);
	list_for_each_entry(pd, &ppt_table, node) {
		if (!pd->lease_ended)
			continue;
		switch (pd->state) {
		case PPT_STATE_CLAIMED:
			/* an assignment that failed fell back to claimed */
			ppt_table_set_state(pd, PPT_STATE_RESERVED);
			ppt_nl_notify_device(pd, false);
			break;
		case PPT_STATE_ASSIGNED:
		case PPT_STATE_DIRTY:
			again = true;
			/* its last attempt was refused: wait */
			if (pd->reap_wait && time_before(jiffies, pd->reap_at))
				break;
			if (n == PPT_LEASE_BATCH)
				break;
			pdevs[n] = pci_dev_get(pd->pdev);
			states[n++] = pd->state;
			break;
		default:
			/* on its way somewhere: look again */
			again = true;
		}
	}
	mutex_unlock(&ppt_table_lock);

	for (i = 0; i < n; i++) {
		if (states[i] == PPT_STATE_DIRTY)
			ppt_lease_start(pdevs[i], PPT_CMD_DEVICE_CLEAN);
		else if (!ppt_gate_vfio_busy(pdevs[i]))
			ppt_lease_start(pdevs[i], PPT_CMD_DEVICE_UNASSIGN);
		pci_dev_put(pdevs[i]);
	}
	return again;
}

static void ppt_lease_reap(struct work_struct *work)
{
	if (ppt_lease_pass())
		ppt_lease_kick(msecs_to_jiffies(PPT_LEASE_POLL_MS));
}

/**
 * ppt_lease_init() - listen for released netlink sockets
 *
 * Return: 0 or a negative errno.
 */
int ppt_lease_init(void)
{
	return netlink_register_notifier(&ppt_lease_nb);
}

/**
 * ppt_lease_exit() - stop listening and stop the reaper
 *
 * Context: module exit, after the family is unregistered (no new leases).
 */
void ppt_lease_exit(void)
{
	netlink_unregister_notifier(&ppt_lease_nb);
	WRITE_ONCE(ppt_lease_stopping, true);
	cancel_delayed_work_sync(&ppt_lease_work);
}
