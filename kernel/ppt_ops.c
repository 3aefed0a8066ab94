// SPDX-License-Identifier: GPL-2.0-only
/*
 * The operations requests start.
 *
 * Claim and unclaim only change state and answer at once.  Reserve,
 * release, assign and unassign wait on the driver core (a host driver's
 * remove, vfio-pci's probe), and reset and clean on the hardware (100 ms
 * and more per reset), so they run on ppt's own workqueue: the
 * request moves every function it touches to a transitional state under
 * ppt_table_lock (which makes every other request for them fail with EBUSY
 * instead of waiting), the caller is answered, and a work item does the
 * binding with no ppt lock held and records the outcome.  The workqueue is
 * unbound, so a slow operation on one device delays no other.
 *
 * Every entry point has the same shape: look up and check under
 * ppt_table_lock, change state, unlock; nothing else is ever called with
 * the lock held.  See docs/design.md.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/iommu.h>
#include <linux/kmod.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include "ppt.h"

static struct workqueue_struct *ppt_wq;

/*
 * Set under ppt_table_lock when the module starts unloading: no new
 * operation starts, so the queued ones can be drained while the netlink
 * family is still there to announce their outcomes.
 */
static bool ppt_ops_closing;

/* A recycle whose unassign found the group held tries again after this. */
#define PPT_RECYCLE_RETRY_MS	200

static atomic64_t ppt_req_ids = ATOMIC64_INIT(0);

/**
 * ppt_req_new_id() - a new asynchronous request id
 *
 * Return: an id, never 0, unique for the module's life.
 */
u64 ppt_req_new_id(void)
{
	return atomic64_inc_return(&ppt_req_ids);
}

/**
 * struct ppt_op_dev - one function an operation moves
 * @pdev: the function; holds a reference
 * @prev: its state before the operation, restored if the operation fails
 * @new_entry: the operation added it to the table (a reserve); a failure
 *	removes it again
 * @snap: a clean operation's borrowed snapshot of the function; given back
 *	to its entry when the operation finishes
 * @skip: an unassign's group mate that left vfio-pci already (dirty): the
 *	operation leaves its state alone, and only binds it to ppt if it has
 *	no driver
 * @reassign: a clean gave a recycled function back to its owner
 *	(claimed): assign it again once the operation has finished
 * @owed: a sanitise operation's function that its sanitiser (@spec) must
 *	erase; the others of the group only go along to vfio-pci
 * @spec: that sanitiser
 * @job: the function's request to the agent (ppt_agent.c)
 */
struct ppt_op_dev {
	struct pci_dev *pdev;
	enum ppt_state prev;
	bool new_entry;
	struct ppt_snapshot *snap;
	bool skip;
	bool reassign;
	bool owed;
	char spec[PPT_SANITISER_MAX];
	struct ppt_sanitise_job *job;
};

/**
 * struct ppt_op - an asynchronous operation
 * @work: runs ppt_op_work() on ppt_wq
 * @req: the request, copied; its outcome is reported with its id
 * @reset: a reset's or clean's method, duration and failure reason
 * @plan: a reset's or clean's method from ppt_reset_plan(); %PPT_RESET_SBR
 *	resets every function in @devs (the reset domain) together
 * @clean_first: a release of a tainted device: clean it (and its reset
 *	domain) first, and release it only if the clean succeeds
 * @cleaned: the clean succeeded: the functions are fit for a tenant
 * @pinned: the operation holds the IOMMU group of @devs[0] (ppt_gate.c)
 *	while it binds or unbinds vfio-pci; let go when it finishes
 * @sanitise: the first step of a clean (or of a release that cleans) of a
 *	function that owes a sanitiser: @devs is its IOMMU group, bound to
 *	vfio-pci while the agent erases it (ppt_run_sanitise()); the request
 *	itself is prepared again once the sanitisers succeeded
 * @sanitised: every sanitiser of a sanitise operation succeeded
 * @jobs_left: a sanitise operation's jobs that have not ended, plus one
 *	while ppt_run_sanitise() submits them
 * @sanitise_end: runs ppt_sanitise_end_work() once @jobs_left reaches 0
 * @n: number of functions in @devs
 * @devs: the functions, the one the request named first
 */
struct ppt_op {
	struct work_struct work;
	struct ppt_req req;
	struct ppt_reset_result reset;
	int plan;
	bool clean_first;
	bool cleaned;
	bool pinned;
	bool sanitise;
	bool sanitised;
	atomic_t jobs_left;
	struct work_struct sanitise_end;
	int n;
	struct ppt_op_dev devs[];
};

static const char * const ppt_cmd_names[] = {
	[PPT_CMD_DEVICE_GET]		= "get",
	[PPT_CMD_DEVICE_RESERVE]	= "reserve",
	[PPT_CMD_DEVICE_RELEASE]	= "release",
	[PPT_CMD_DEVICE_CLAIM]		= "claim",
	[PPT_CMD_DEVICE_UNCLAIM]	= "unclaim",
	[PPT_CMD_DEVICE_ASSIGN]		= "assign",
	[PPT_CMD_DEVICE_UNASSIGN]	= "unassign",
	[PPT_CMD_DEVICE_RESET]		= "reset",
	[PPT_CMD_DEVICE_CLEAN]		= "clean",
	[PPT_CMD_MATCH_ADD]		= "match-add",
	[PPT_CMD_MATCH_DEL]		= "match-del",
	[PPT_CMD_DEVICE_SET]		= "set",
	[PPT_CMD_CLAIM]			= "claim-set",
	[PPT_CMD_TAKE]			= "take",
	[PPT_CMD_STATS_GET]		= "stats-get",
	[PPT_CMD_SANITISE_SET]		= "sanitise-set",
	[PPT_CMD_SANITISE_DEL]		= "sanitise-del",
	[PPT_CMD_SANITISE_GET]		= "sanitise-get",
	[PPT_CMD_AGENT_REGISTER]	= "agent-register",
	[PPT_CMD_AGENT_GET]		= "agent-get",
	[PPT_CMD_SANITISE_DONE]		= "sanitise-done",
};

/*
 * The devices of a claim or an unclaim: every endpoint of the named
 * device's IOMMU group, as PPT_CMD_CLAIM takes them.  A buffer of
 * %PPT_CLAIM_MAX, NULL when out of memory.
 */
static struct pci_dev **ppt_op_got_alloc(void)
{
	return kcalloc(PPT_CLAIM_MAX, sizeof(struct pci_dev *), GFP_KERNEL);
}

static void ppt_op_got_free(struct pci_dev **got, int n)
{
	while (n > 0)
		pci_dev_put(got[--n]);
	kfree(got);
}

/**
 * ppt_cmd_name() - a command's name for the kernel log
 * @cmd: enum ppt_cmd
 *
 * Return: a constant string.
 */
const char *ppt_cmd_name(u8 cmd)
{
	if (cmd < ARRAY_SIZE(ppt_cmd_names) && ppt_cmd_names[cmd])
		return ppt_cmd_names[cmd];
	return "unknown";
}

/*
 * Log a mutation with who asked and how it ended, for the audit trail.
 * Always "ppt: ADDR: ...", whichever driver holds the device by then.
 */
static void ppt_audit(const struct ppt_req *req, struct pci_dev *pdev, int err)
{
	const char *what = req->inspect ? "inspect" : ppt_cmd_name(req->cmd);

	if (err)
		pr_info("%s: %s by uid %u pid %d owner \"%s\": failed (%d): %s\n",
			pci_name(pdev), what, req->uid, req->pid, req->owner,
			err, req->why ?: "-");
	else
		pr_info("%s: %s by uid %u pid %d owner \"%s\": done\n",
			pci_name(pdev), what, req->uid, req->pid, req->owner);
}

/**
 * ppt_req_release() - drop what a request holds
 * @req: the request
 */
void ppt_req_release(struct ppt_req *req)
{
	pci_dev_put(req->blocker);
	req->blocker = NULL;
}

/**
 * ppt_refuse() - fail a request: record the reason and the device that blocks it
 * @req: the request
 * @err: the negative errno, returned
 * @why: a constant reason
 * @blocker: the device in the way, or NULL; the request takes a reference
 *
 * Return: @err.
 */
int ppt_refuse(struct ppt_req *req, int err, const char *why,
	       struct pci_dev *blocker)
{
	req->why = why;
	if (blocker && !req->blocker)
		req->blocker = pci_dev_get(blocker);
	return err;
}

/* Move a device to a new state, checked, and announce it. */
static int ppt_move(struct ppt_req *req, struct ppt_device *pd,
		    enum ppt_state to)
{
	const char *why;
	int ret;

	lockdep_assert_held(&ppt_table_lock);
	ret = ppt_state_check(pd->state, to, &why);
	if (ret)
		return ppt_refuse(req, ret, why, NULL);
	ppt_table_set_state(pd, to);
	ppt_nl_notify_device(pd, false);
	return 0;
}

/* The entry of a device ppt manages, or NULL with the request refused. */
static struct ppt_device *ppt_find(struct ppt_req *req, struct pci_dev *pdev)
{
	struct ppt_device *pd = ppt_table_find(pdev);

	if (!pd)
		ppt_refuse(req, -ENODEV, "device not managed by ppt", NULL);
	return pd;
}

/**
 * ppt_op_claim() - give a reserved device an owner, with its IOMMU group
 * @req: the request, with its owner (and lease)
 * @pdev: the device
 *
 * Endpoints of one IOMMU group share one DMA address space: they can only
 * go to one VM together, so a claim takes the whole group (as
 * PPT_CMD_CLAIM does, through the same code) or nothing.  Two owners can
 * never each hold half a group.
 *
 * Context: process context; takes ppt_table_lock.
 * Return: 0 or a negative errno, with @req->why set.
 */
int ppt_op_claim(struct ppt_req *req, struct pci_dev *pdev)
{
	struct pci_dev **got;
	struct ppt_device *pd;
	int ret;

	/* the named device's own state gives the most specific answer */
	mutex_lock(&ppt_table_lock);
	pd = ppt_find(req, pdev);
	ret = pd ? ppt_state_check(pd->state, PPT_STATE_CLAIMED, &req->why) :
		   -ENODEV;
	mutex_unlock(&ppt_table_lock);
	if (ret) {
		ppt_audit(req, pdev, ret);
		return ret;
	}
	got = ppt_op_got_alloc();
	if (!got)
		return -ENOMEM;
	ret = ppt_alloc_claim(req, &pdev, 1, NULL, 0, got);
	ppt_op_got_free(got, max(ret, 0));
	return min(ret, 0);
}

/**
 * ppt_op_unclaim() - make a claimed device reserved again, with its group
 * @req: the request; its owner must be the device's
 * @pdev: the device
 *
 * The other endpoints of its IOMMU group that the same owner claimed go
 * back too: they were claimed with it.
 *
 * Context: process context; takes ppt_table_lock and walks the IOMMU
 * group (never under the table lock).
 * Return: 0 or a negative errno, with @req->why set.
 */
int ppt_op_unclaim(struct ppt_req *req, struct pci_dev *pdev)
{
	struct iommu_group *group = iommu_group_get(&pdev->dev);
	struct pci_dev **mates = NULL;
	struct ppt_device *pd;
	int n = 0, i, ret;

	if (group) {
		n = ppt_group_mates(group, pdev, &mates);
		iommu_group_put(group);
		if (n < 0)
			return ppt_refuse(req, n, "the IOMMU group changed while ppt read it",
					  NULL);
	}
	mutex_lock(&ppt_table_lock);
	pd = ppt_find(req, pdev);
	if (!pd) {
		ret = -ENODEV;
		goto unlock;
	}
	if (pd->state == PPT_STATE_CLAIMED && strcmp(pd->owner, req->owner)) {
		ret = ppt_refuse(req, -EPERM, "device is claimed by another owner",
				 NULL);
		goto unlock;
	}
	ret = ppt_move(req, pd, PPT_STATE_RESERVED);
	for (i = 0; !ret && i < n; i++) {
		pd = ppt_table_find(mates[i]);
		if (!pd || pd->state != PPT_STATE_CLAIMED ||
		    strcmp(pd->owner, req->owner))
			continue;
		ppt_table_set_state(pd, PPT_STATE_RESERVED);
		ppt_nl_notify_device(pd, false);
		ppt_audit(req, mates[i], 0);
	}
unlock:
	mutex_unlock(&ppt_table_lock);
	ppt_audit(req, pdev, ret);
	for (i = 0; i < n; i++)
		pci_dev_put(mates[i]);
	kfree(mates);
	return ret;
}

/**
 * ppt_op_set() - change a device's settings: its reset preference
 * @req: the request; @req->method is the preference
 * @pdev: the device
 *
 * Context: process context; takes ppt_table_lock.
 * Return: 0 or a negative errno, with @req->why set.
 */
int ppt_op_set(struct ppt_req *req, struct pci_dev *pdev)
{
	struct ppt_device *pd;
	int ret = 0;

	if (req->method != PPT_RESET_AUTO &&
	    !(ppt_reset_methods(pdev) & BIT(req->method))) {
		ret = ppt_refuse(req, -EOPNOTSUPP,
				 "the device does not support this reset method", NULL);
		goto out;
	}
	mutex_lock(&ppt_table_lock);
	pd = ppt_find(req, pdev);
	if (pd && pd->state == PPT_STATE_DETACHED)
		ret = ppt_refuse(req, -ENODEV,
				 "device is bound to another driver, not to ppt", NULL);
	else if (!pd)
		ret = -ENODEV;
	if (!ret && pd->reset_pref != req->method) {
		pd->reset_pref = req->method;
		ppt_table_gen++;
		ppt_nl_notify_device(pd, false);
	}
	mutex_unlock(&ppt_table_lock);
out:
	ppt_audit(req, pdev, ret);
	return ret;
}

static void ppt_op_free(struct ppt_op *op)
{
	int i;

	for (i = 0; i < op->n; i++) {
		ppt_agent_job_free(op->devs[i].job);
		pci_dev_put(op->devs[i].pdev);
		ppt_snapshot_free(op->devs[i].snap);
	}
	ppt_req_release(&op->req);
	kfree(op);
}

struct ppt_group_walk {
	struct pci_dev *first;
	struct pci_dev **mates;
	int n, max;
};

static int ppt_group_count(struct device *dev, void *data)
{
	(*(int *)data)++;
	return 0;
}

static int ppt_group_add(struct device *dev, void *data)
{
	struct ppt_group_walk *w = data;
	struct pci_dev *pdev;

	if (!dev_is_pci(dev))
		return 0;
	pdev = to_pci_dev(dev);
	/* bridges carry other functions' traffic: never handed over */
	if (pdev == w->first || pci_is_bridge(pdev))
		return 0;
	if (w->n == w->max)
		return -E2BIG;
	w->mates[w->n++] = pci_dev_get(pdev);
	return 0;
}

/**
 * ppt_group_mates() - the other endpoints of a function's IOMMU group
 * @group: the group of @pdev
 * @pdev: the function
 * @mates: receives a kcalloc()ed array of the others, bridges left out,
 *	each with a reference; NULL when there are none
 *
 * Walking a group takes the IOMMU core's group mutex: never call this
 * with ppt_table_lock held.
 *
 * Context: process context.
 * Return: how many, or -ENOMEM, or -E2BIG when the group grew meanwhile.
 */
int ppt_group_mates(struct iommu_group *group, struct pci_dev *pdev,
		    struct pci_dev ***mates)
{
	struct ppt_group_walk w = { .first = pdev };
	int ret;

	*mates = NULL;
	iommu_group_for_each_dev(group, &w.max, ppt_group_count);
	if (w.max <= 1)
		return 0;
	w.mates = kcalloc(w.max, sizeof(*w.mates), GFP_KERNEL);
	if (!w.mates)
		return -ENOMEM;
	ret = iommu_group_for_each_dev(group, &w, ppt_group_add);
	if (ret) {
		while (w.n)
			pci_dev_put(w.mates[--w.n]);
		kfree(w.mates);
		return ret;
	}
	*mates = w.mates;
	return w.n;
}

/*
 * Allocate an operation for @pdev, with the other endpoints of its IOMMU
 * group when @whole_group.  Called without ppt_table_lock: walking a group
 * takes the IOMMU core's group mutex.
 */
static struct ppt_op *ppt_op_alloc(struct ppt_req *req, struct pci_dev *pdev,
				   bool whole_group, int *err)
{
	struct iommu_group *group = NULL;
	struct pci_dev **mates = NULL;
	struct ppt_op *op = NULL;
	int n = 0, i;

	if (whole_group) {
		group = iommu_group_get(&pdev->dev);
		if (!group) {
			*err = ppt_refuse(req, -EOPNOTSUPP,
					  "device has no IOMMU group: is the IOMMU enabled?",
					  NULL);
			return NULL;
		}
		n = ppt_group_mates(group, pdev, &mates);
		iommu_group_put(group);
		if (n < 0) {
			*err = ppt_refuse(req, n, "the IOMMU group changed while ppt read it",
					  NULL);
			return NULL;
		}
	}
	op = kzalloc(struct_size(op, devs, n + 1), GFP_KERNEL);
	if (!op) {
		*err = -ENOMEM;
		for (i = 0; i < n; i++)
			pci_dev_put(mates[i]);
		kfree(mates);
		return NULL;
	}
	op->req = *req;
	op->req.blocker = NULL;
	op->devs[0].pdev = pci_dev_get(pdev);
	/* the mates' references move to the operation */
	for (i = 0; i < n; i++)
		op->devs[i + 1].pdev = mates[i];
	op->n = n + 1;
	kfree(mates);
	return op;
}

/*
 * Allocate a reset or clean operation for @pdev's whole reset domain (a
 * bus reset): @pdev first, then every other function on its bus.
 */
static struct ppt_op *ppt_op_alloc_domain(struct ppt_req *req,
					  struct pci_dev *pdev, int *err)
{
	struct pci_dev **others;
	struct ppt_op *op;
	int n, i;

	n = ppt_reset_domain(pdev, NULL, 0, &req->why, &req->blocker);
	if (n < 0) {
		*err = n;
		return NULL;
	}
	op = kzalloc(struct_size(op, devs, n + 1), GFP_KERNEL);
	/* room for the n others counted: one more now is a changed bus */
	others = kcalloc(n, sizeof(*others), GFP_KERNEL);
	if (!op || !others) {
		kfree(op);
		kfree(others);
		*err = -ENOMEM;
		return NULL;
	}
	op->req = *req;
	op->req.blocker = NULL;
	op->devs[0].pdev = pci_dev_get(pdev);
	op->n = 1;
	/* the bus may have changed since it was counted: fewer is fine */
	*err = ppt_reset_domain(pdev, others, n, &req->why, &req->blocker);
	for (i = 0; i < *err; i++)
		op->devs[op->n++].pdev = others[i];
	kfree(others);
	if (*err < 0) {
		ppt_op_free(op);
		return NULL;
	}
	*err = 0;
	return op;
}

/* The state each command moves its functions to while it runs. */
static enum ppt_state ppt_op_transitional(u8 cmd)
{
	switch (cmd) {
	case PPT_CMD_DEVICE_RESERVE:
		return PPT_STATE_RESERVING;
	case PPT_CMD_DEVICE_RELEASE:
		return PPT_STATE_RELEASING;
	case PPT_CMD_DEVICE_ASSIGN:
		return PPT_STATE_ASSIGNING;
	case PPT_CMD_DEVICE_RESET:
		return PPT_STATE_RESETTING;
	case PPT_CMD_DEVICE_CLEAN:
		return PPT_STATE_CLEANING;
	default:
		return PPT_STATE_UNASSIGNING;
	}
}

/*
 * Does a release clean the device first?  When it may hold a tenant's data
 * and ppt can reach it: with ppt's driver or none (one another driver
 * took is that driver's already: releasing only forgets it).  Unless the
 * request says to release it unclean.
 */
static bool ppt_op_release_cleans(const struct ppt_req *req,
				  struct ppt_device *pd)
{
	struct device_driver *drv = READ_ONCE(pd->pdev->dev.driver);

	return pd->tainted && !req->unclean &&
	       (!drv || drv == &ppt_pci_driver.driver);
}

/*
 * An unassign's group mate that already left vfio-pci behind ppt's back
 * (a sysfs unbind, libvirt's managed detach): dirty, or tainted and
 * detached with no driver.  Its tenant is gone; the unassign takes the
 * rest of the group without it and leaves it dirty.
 */
static bool ppt_op_mate_left(struct ppt_device *pd)
{
	return pd->state == PPT_STATE_DIRTY ||
	       (pd->state == PPT_STATE_DETACHED && pd->tainted &&
		!READ_ONCE(pd->pdev->dev.driver));
}

/*
 * Check that every function of an assignment or unassignment may go, and
 * say which one blocks it.  The function the request named must itself be
 * claimed (assign) or assigned (unassign) by the request's owner; the
 * other endpoints of its group go along when reserved or claimed by the
 * same owner (assign), or assigned to it (unassign); an unassign leaves
 * mates that already left vfio-pci where they are (@op->devs[i].skip).
 */
static int ppt_op_check_group(struct ppt_req *req, struct ppt_op *op)
{
	bool assign = req->cmd == PPT_CMD_DEVICE_ASSIGN;
	enum ppt_state want = assign ? PPT_STATE_CLAIMED : PPT_STATE_ASSIGNED;
	struct ppt_device *pd;
	int i;

	for (i = 0; i < op->n; i++) {
		struct pci_dev *pdev = op->devs[i].pdev;

		pd = ppt_table_find(pdev);
		if (i && !assign && pd && ppt_op_mate_left(pd)) {
			op->devs[i].skip = true;
			continue;
		}
		if (!pd || pd->state == PPT_STATE_DETACHED)
			return ppt_refuse(req, -EBUSY, i ?
					  "another device of the IOMMU group is not held by ppt" :
					  "device not managed by ppt",
					  i ? pdev : NULL);
		if (!i && req->reap && !pd->lease_ended)
			return ppt_refuse(req, -EAGAIN,
					  "the device was taken back by its owner",
					  NULL);
		if (i && assign && pd->state == PPT_STATE_RESERVED)
			continue;
		if (pd->state != want) {
			const char *why;
			int ret = ppt_state_check(pd->state,
						  ppt_op_transitional(req->cmd),
						  &why);

			if (i)
				return ppt_refuse(req, -EBUSY,
						  "another device of the IOMMU group is in use",
						  pdev);
			return ppt_refuse(req, ret ?: -EINVAL, why, NULL);
		}
		if ((assign || req->owner[0]) && strcmp(pd->owner, req->owner))
			return ppt_refuse(req, -EPERM, i ?
					  "another device of the IOMMU group has another owner" :
					  "device is claimed by another owner",
					  i ? pdev : NULL);
	}
	return 0;
}

/*
 * An inspection (%PPT_A_INSPECT) reads a device with its sanitiser and
 * erases nothing, so it is only for a reserved device that holds no
 * tenant's data: one that may hold some is cleaned, which erases it.
 * Its sanitiser goes to @spec.
 */
static int ppt_op_inspect_check(struct ppt_req *req, struct ppt_device *pd,
				char *spec, size_t len)
{
	lockdep_assert_held(&ppt_table_lock);
	if (pd->state != PPT_STATE_RESERVED)
		return ppt_refuse(req, -EINVAL,
				  "only a reserved device is inspected", NULL);
	if (pd->tainted)
		return ppt_refuse(req, -EUCLEAN,
				  "the device may hold a tenant's data: clean it, which runs its sanitiser",
				  NULL);
	ppt_sanitise_lookup(pd->pdev, spec, len);
	if (!strcmp(spec, "none"))
		return ppt_refuse(req, -EOPNOTSUPP,
				  "the device's sanitiser policy is none: nothing inspects it",
				  NULL);
	return 0;
}

/*
 * Check a request and move its functions to their transitional state.
 * Reserve adds a function ppt does not know yet.
 */
static int ppt_op_begin(struct ppt_req *req, struct ppt_op *op)
{
	enum ppt_state to = op->sanitise ? PPT_STATE_SANITISING :
			    ppt_op_transitional(req->cmd);
	bool clean = (req->cmd == PPT_CMD_DEVICE_CLEAN || op->clean_first) &&
		     !op->sanitise;
	struct ppt_device *pd;
	const char *why;
	int i, ret = 0;

	lockdep_assert_held(&ppt_table_lock);
	if (ppt_ops_closing)
		return ppt_refuse(req, -ESHUTDOWN, "ppt is being unloaded", NULL);
	if (req->cmd == PPT_CMD_DEVICE_ASSIGN ||
	    req->cmd == PPT_CMD_DEVICE_UNASSIGN) {
		ret = ppt_op_check_group(req, op);
		if (ret)
			return ret;
	} else {
		pd = ppt_table_find(op->devs[0].pdev);
		if (!pd && req->cmd == PPT_CMD_DEVICE_RESERVE) {
			pd = ppt_table_insert(op->devs[0].pdev, to,
					      ppt_match_boot_listed(op->devs[0].pdev));
			if (!pd)
				return -ENOMEM;
			op->devs[0].new_entry = true;
			op->devs[0].prev = PPT_STATE_DETACHED;
			ppt_nl_notify_device(pd, false);
			return 0;
		}
		if (!pd && !ppt_find(req, op->devs[0].pdev))
			return -ENODEV;
		ret = ppt_state_check(pd->state, to, &why);
		if (ret)
			return ppt_refuse(req, ret, why, NULL);
		if (req->inspect) {
			ret = ppt_op_inspect_check(req, pd, op->devs[0].spec,
						   sizeof(op->devs[0].spec));
			if (ret)
				return ret;
		}
		/* planned from an earlier look: the device changed since */
		if (req->cmd == PPT_CMD_DEVICE_RELEASE && !op->sanitise &&
		    ppt_op_release_cleans(req, pd) != op->clean_first)
			return ppt_refuse(req, -EAGAIN,
					  "the device changed while ppt planned the release: try again",
					  NULL);
		/*
		 * The rest of a reset domain, or of a sanitised function's
		 * IOMMU group: held by ppt, with no tenant.
		 */
		for (i = 1; i < op->n; i++) {
			pd = ppt_table_find(op->devs[i].pdev);
			if (!pd || ppt_state_check(pd->state, to, &why))
				return ppt_refuse(req, -EBUSY, op->sanitise ?
						  "another device of the IOMMU group is in use" :
						  "another device in the reset domain is in use",
						  op->devs[i].pdev);
		}
	}
	for (i = 0; i < op->n; i++) {
		if (op->devs[i].skip)
			continue;
		pd = ppt_table_find(op->devs[i].pdev);
		op->devs[i].prev = pd->state;
		if (clean) {
			op->devs[i].snap = pd->snap;
			pd->snap = NULL;
			/* the clean's own reset and checks judge it afresh */
			pd->failed = false;
		}
		if (req->cmd == PPT_CMD_DEVICE_ASSIGN)
			strscpy(pd->owner, req->owner, sizeof(pd->owner));
		/* an inspection reads the function it names, none else */
		if (req->inspect)
			op->devs[i].owed = !i;
		else if (op->sanitise)
			op->devs[i].owed = ppt_sanitise_owed(pd, op->devs[i].spec,
							     sizeof(op->devs[i].spec));
		ppt_table_set_state(pd, to);
		ppt_nl_notify_device(pd, false);
	}
	return 0;
}

/*
 * The state a function really ends an operation in, given the one the
 * operation meant (@to): someone may have unbound or rebound it while the
 * operation ran (driverctl, libvirt), and ppt's remove and bus notifier
 * leave functions in transitional states to the operation.  Reserved,
 * claimed and quarantined mean ppt's driver has it; dirty, ppt's or none;
 * assigned, vfio-pci's.
 */
static enum ppt_state ppt_op_actual(struct pci_dev *pdev, enum ppt_state to)
{
	struct device_driver *drv = READ_ONCE(pdev->dev.driver);
	bool ppt = drv == &ppt_pci_driver.driver;

	switch (to) {
	case PPT_STATE_RESERVED:
	case PPT_STATE_CLAIMED:
	case PPT_STATE_QUARANTINED:
		return ppt ? to : PPT_STATE_DETACHED;
	case PPT_STATE_DIRTY:
		return ppt || !drv ? to : PPT_STATE_DETACHED;
	case PPT_STATE_ASSIGNED:
		if (drv && !strcmp(drv->name, "vfio-pci"))
			return to;
		return ppt || !drv ? PPT_STATE_DIRTY : PPT_STATE_DETACHED;
	default:
		return to;
	}
}

/* Assign the functions a clean gave back to their recycling owner. */
static void ppt_op_reassign(struct ppt_op *op)
{
	int i;

	for (i = 0; i < op->n; i++)
		if (op->devs[i].reassign)
			ppt_ops_later(op->devs[i].pdev, PPT_CMD_DEVICE_ASSIGN);
}

/*
 * A recycling assignment (ppt_recycle.c) through an operation's end:
 * an assign with %PPT_A_RECYCLE starts it; a clean that succeeded gives
 * the function back to its owner, claimed, to be assigned again; every
 * other way out (an owner's unassign, a failed clean, a release) ends it.
 */
static void ppt_op_finish_recycle(struct ppt_op *op, int i,
				  struct ppt_device *pd)
{
	if (pd->state == PPT_STATE_ASSIGNED && op->req.recycle &&
	    !pd->recycle) {
		pd->recycle = true;
		pd->recycles = 0;
		strscpy(pd->recycle_owner, op->req.owner,
			sizeof(pd->recycle_owner));
	}
	if (!pd->recycle)
		return;
	if (pd->state == PPT_STATE_RESERVED && op->cleaned) {
		ppt_table_set_state(pd, PPT_STATE_CLAIMED);
		strscpy(pd->owner, pd->recycle_owner, sizeof(pd->owner));
		pd->recycles++;
		op->devs[i].reassign = true;
		return;
	}
	switch (pd->state) {
	case PPT_STATE_ASSIGNED:
	case PPT_STATE_CLAIMED:
		return;
	case PPT_STATE_DIRTY:
		/* on its way to the clean that recycles it */
		if (op->req.cmd == PPT_CMD_DEVICE_UNASSIGN && op->req.recycle)
			return;
		/* sanitised, on its way to the rest of that clean */
		if (op->sanitised)
			return;
		break;
	default:
		break;
	}
	pd->recycle = false;
	pci_info(op->devs[i].pdev, "recycling for \"%s\" ended: %s\n",
		 pd->recycle_owner, ppt_state_name(pd->state));
}

/*
 * Record the outcome: each function moves to @to, or back to where it was
 * when @to is PPT_STATE_UNSPEC, or to what it really is now when someone
 * rebound it meanwhile (ppt_op_actual()).  A function that left the system
 * meanwhile has no entry any more and is skipped.  A function handed to a
 * tenant is tainted from then on; a clean that succeeded (@op->cleaned)
 * is the only way a tainted function becomes reserved.  Then each
 * function's IOMMU group is gated or let go to match (ppt_gate.c).
 */
static void ppt_op_finish(struct ppt_op *op, enum ppt_state to)
{
	struct ppt_device *pd;
	enum ppt_state st;
	int i;

	mutex_lock(&ppt_table_lock);
	for (i = 0; i < op->n; i++) {
		if (op->devs[i].skip)
			continue;
		pd = ppt_table_find(op->devs[i].pdev);
		if (!pd)
			continue;
		if (to == PPT_STATE_UNSPEC && op->devs[i].new_entry) {
			ppt_nl_notify_device(pd, true);
			ppt_table_remove(pd);
			continue;
		}
		if (to == PPT_STATE_ASSIGNED) {
			pd->tainted = true;
			pd->sanitised = false;
		}
		st = ppt_op_actual(op->devs[i].pdev,
				   to == PPT_STATE_UNSPEC ? op->devs[i].prev : to);
		if (op->cleaned)
			ppt_table_mark_clean(pd);
		ppt_table_set_state(pd, st);
		ppt_op_finish_recycle(op, i, pd);
		/* a fatal error while the operation ran: not known good */
		if (pd->failed && pd->state != PPT_STATE_ASSIGNED &&
		    pd->state != PPT_STATE_DETACHED) {
			ppt_table_set_state(pd, PPT_STATE_QUARANTINED);
			pd->reason = "the device reported a fatal PCI error";
		}
		if (pd->state != PPT_STATE_ASSIGNED)
			pd->adopted = false;
		ppt_nl_notify_device(pd, false);
	}
	mutex_unlock(&ppt_table_lock);
	if (op->pinned) {
		op->pinned = false;
		ppt_gate_unpin(op->devs[0].pdev);
	}
	for (i = 0; i < op->n; i++)
		ppt_gate_sync(op->devs[i].pdev);
	ppt_op_reassign(op);
}

/* Hold the group of the operation's first function until it finishes. */
static int ppt_op_pin(struct ppt_op *op)
{
	int ret = ppt_gate_hold(op->devs[0].pdev);

	op->pinned = !ret;
	return ret;
}

/*
 * The driver a function is bound to works for someone else (vfio-pci and
 * its variants, uio, pci-stub, xen-pciback: ppt_bind_for_others()): a
 * tenant may have had it.  Unbinding vfio-pci waits while a VFIO user
 * holds the device, so take the group's DMA ownership first: then none
 * can, and the unbind cannot block (a work item blocked on a VM would
 * hold up rmmod for ever).  A group with a host driver on another
 * function has no VFIO user either (the host driver's use of the DMA API
 * rules it out), and cannot be claimed: go on without.
 */
static int ppt_op_hold_from_others(struct ppt_op *op, struct pci_dev *pdev)
{
	int ret = ppt_op_pin(op);

	if (ret == -EBUSY && ppt_gate_group_has_host_driver(pdev))
		return 0;
	if (ret)
		return ppt_refuse(&op->req, -EBUSY,
				  "a VFIO user (a VM or program) holds the device's IOMMU group",
				  NULL);
	return 0;
}

static int ppt_run_reserve(struct ppt_op *op)
{
	struct pci_dev *pdev = op->devs[0].pdev;
	bool others = false;
	const char *drv = NULL;
	int ret;

	device_lock(&pdev->dev);
	if (pdev->dev.driver && pdev->dev.driver != &ppt_pci_driver.driver)
		drv = pdev->dev.driver->name;
	device_unlock(&pdev->dev);
	if (drv && !op->req.force) {
		ret = ppt_refuse(&op->req, -EBUSY,
				 "device is bound to a host driver: force takes it",
				 pdev);
		goto fail;
	}
	if (drv)
		others = ppt_bind_for_others(pdev);
	if (others) {
		ret = ppt_op_hold_from_others(op, pdev);
		if (ret)
			goto fail;
	} else if (drv && !op->req.force_host &&
		   ppt_host_uses(pdev, op->req.msg, sizeof(op->req.msg))) {
		ret = ppt_refuse(&op->req, -EBUSY, op->req.msg, NULL);
		goto fail;
	}
	ret = ppt_bind_move(pdev, ppt_pci_driver.name, NULL);
	if (ret) {
		ppt_refuse(&op->req, ret, "ppt could not bind the device", NULL);
		/* give it back to whoever wants it */
		ppt_bind_move(pdev, NULL, NULL);
		goto fail;
	}
	/* from a driver that works for someone else, ppt's probe made it dirty */
	ppt_op_finish(op, PPT_STATE_RESERVED);
	return 0;
fail:
	ppt_op_finish(op, PPT_STATE_UNSPEC);
	return ret;
}

static int ppt_op_clean_run(struct ppt_op *op);
static void ppt_op_record_reset(struct ppt_op *op, int ret);
static void ppt_op_quarantine(struct ppt_op *op);
static void ppt_op_log_reset(struct ppt_op *op, const char *what);

/*
 * Release: back to host drivers, and ppt forgets the device.  A tainted
 * one is cleaned first (with its reset domain, which stays with ppt as
 * reserved): a host driver must never see a tenant's leftovers, and udev
 * would scan an NVMe's partitions at once.  If the clean fails the device
 * stays, quarantined, and the release fails with the reason.  With
 * unclean the administrator said otherwise: logged.
 */
static int ppt_run_release(struct ppt_op *op)
{
	struct pci_dev *pdev = op->devs[0].pdev;
	struct ppt_device *pd;
	bool owed;
	int ret;

	if (op->clean_first) {
		ret = ppt_op_clean_run(op);
		ppt_op_record_reset(op, ret);
		if (ret) {
			if (op->reset.touched) {
				ppt_refuse(&op->req, ret,
					   "the device could not be cleaned, so it was not released: it is quarantined",
					   NULL);
				ppt_op_quarantine(op);
			} else {
				ppt_refuse(&op->req, ret, op->reset.why, NULL);
				ppt_op_finish(op, PPT_STATE_UNSPEC);
			}
			return ret;
		}
		op->cleaned = true;
		ppt_op_log_reset(op,
				 "cleaned before its release, config space restored and verified");
		/* clean now: no gate keeps the host driver off it */
		mutex_lock(&ppt_table_lock);
		pd = ppt_table_find(pdev);
		owed = pd && !ppt_table_mark_clean(pd);
		mutex_unlock(&ppt_table_lock);
		/* reset, not erased: the host must not see what it holds */
		if (owed) {
			ppt_refuse(&op->req, -EUCLEAN,
				   "the device was reset but its sanitiser has not run: reserve and clean it before it is released",
				   NULL);
			ppt_op_finish(op, PPT_STATE_DIRTY);
			return -EUCLEAN;
		}
		/* the rest of the reset domain stays with ppt, clean */
		op->devs[0].skip = true;
		ppt_op_finish(op, PPT_STATE_RESERVED);
		op->devs[0].skip = false;
	} else if (op->req.unclean) {
		pr_warn("%s: released unclean by uid %u pid %d: the host gets what the last tenant left in it\n",
			pci_name(pdev), op->req.uid, op->req.pid);
	}

	/*
	 * ppt forgets it first and lets go of its group (an unclean one's
	 * gate would refuse the host driver), then gives it back.
	 */
	mutex_lock(&ppt_table_lock);
	pd = ppt_table_find(pdev);
	if (pd) {
		ppt_nl_notify_device(pd, true);
		ppt_table_remove(pd);
	}
	mutex_unlock(&ppt_table_lock);
	ppt_gate_sync(pdev);
	/* a detached device keeps whatever driver it has now */
	if (op->devs[0].prev != PPT_STATE_DETACHED || op->clean_first)
		ppt_bind_move(pdev, NULL, NULL);
	else if (ppt_driver_override_is(pdev, ppt_pci_driver.name))
		ppt_set_driver_override(pdev, NULL);
	return 0;
}

/*
 * Bind every function of @op to vfio-pci, holding the group's DMA
 * ownership (op->pinned) on success.  On failure every function is back
 * with ppt and the request says why (@why for vfio-pci's refusal).
 */
static int ppt_op_to_vfio(struct ppt_op *op, const char *why)
{
	int i, ret;

	/*
	 * kmod's modprobe also loads vfio_iommu_type1, a softdep of vfio-pci.
	 * Only when vfio-pci is not there yet: running modprobe costs a
	 * process, tens of milliseconds on every assign.
	 */
	if (!driver_find("vfio-pci", &pci_bus_type))
		request_module("vfio-pci");
	/*
	 * No VFIO user may open the group while it is half bound, and an
	 * undo must be able to unbind vfio-pci without waiting for one: hold
	 * the group's DMA ownership until every function is with vfio-pci.
	 */
	ret = ppt_op_pin(op);
	if (ret)
		return ppt_refuse(&op->req, ret,
				  "the IOMMU group is held by a VFIO user or a host driver",
				  NULL);
	for (i = 0; i < op->n; i++) {
		/*
		 * While with vfio-pci the override is "ppt" again: if vfio-pci
		 * lets go, ppt takes the function back, not a host driver.
		 */
		ret = ppt_bind_move(op->devs[i].pdev, "vfio-pci",
				    ppt_pci_driver.name);
		if (ret) {
			ppt_refuse(&op->req, ret, why, op->devs[i].pdev);
			for (; i >= 0; i--)
				ppt_bind_move(op->devs[i].pdev,
					      ppt_pci_driver.name, NULL);
			return ret;
		}
	}
	return 0;
}

static int ppt_run_assign(struct ppt_op *op)
{
	int i, ret;

	ret = ppt_op_to_vfio(op, "vfio-pci did not bind the device (is vfio-pci available?)");
	if (ret) {
		ppt_op_finish(op, PPT_STATE_UNSPEC);
		return ret;
	}
	ppt_bind_save_owner(op->devs[0].pdev, op->req.owner);
	/* assigned: the gate is let go, and the VM may open the group */
	ppt_op_finish(op, PPT_STATE_ASSIGNED);
	if (op->req.recycle)
		for (i = 0; i < op->n; i++)
			ppt_recycle_watch(op->devs[i].pdev, false);
	return 0;
}

/*
 * Start cleaning a function a tenant gave back, as if an administrator
 * had asked, unless it is no longer dirty (a reset domain's clean took it
 * along with another function).
 */
static void ppt_auto_clean_start(struct pci_dev *pdev)
{
	struct ppt_req req = {
		.cmd = PPT_CMD_DEVICE_CLEAN,
		.method = PPT_RESET_AUTO,
	};
	struct ppt_device *pd;
	bool dirty;

	mutex_lock(&ppt_table_lock);
	pd = ppt_table_find(pdev);
	dirty = pd && pd->state == PPT_STATE_DIRTY;
	mutex_unlock(&ppt_table_lock);
	if (!dirty)
		return;
	if (ppt_op_start_own(&req, pdev))
		pci_warn(pdev, "not cleaned automatically: %s; it stays dirty\n",
			 req.why ?: "out of memory");
	ppt_req_release(&req);
}

/*
 * Give a recycled function that a clean made claimed back to its owner:
 * assign it again, recycling.  A group mate still cleaning refuses it;
 * the mate's own clean then assigns the group.
 */
static void ppt_recycle_assign_start(struct pci_dev *pdev)
{
	struct ppt_req req = {
		.cmd = PPT_CMD_DEVICE_ASSIGN,
		.method = PPT_RESET_AUTO,
		.recycle = true,
	};
	struct ppt_device *pd;
	bool due;

	mutex_lock(&ppt_table_lock);
	pd = ppt_table_find(pdev);
	due = pd && pd->recycle && pd->state == PPT_STATE_CLAIMED;
	if (due)
		strscpy(req.owner, pd->recycle_owner, sizeof(req.owner));
	mutex_unlock(&ppt_table_lock);
	if (!due)
		return;
	if (ppt_op_start_own(&req, pdev))
		pci_info(pdev, "clean, claimed by \"%s\", not assigned again yet: %s\n",
			 req.owner, req.why ?: "out of memory");
	ppt_req_release(&req);
}

/* An operation queued from a context that cannot start one. */
struct ppt_later_op {
	struct work_struct work;
	struct pci_dev *pdev;	/* holds a reference */
	u8 cmd;
};

static void ppt_later_work(struct work_struct *work)
{
	struct ppt_later_op *lo = container_of(work, struct ppt_later_op, work);

	if (lo->cmd == PPT_CMD_DEVICE_CLEAN)
		ppt_auto_clean_start(lo->pdev);
	else
		ppt_recycle_assign_start(lo->pdev);
	pci_dev_put(lo->pdev);
	kfree(lo);
}

/**
 * ppt_ops_later() - start ppt's own operation on a function from its workqueue
 * @pdev: the function
 * @cmd: %PPT_CMD_DEVICE_CLEAN: clean a function a tenant gave back (bound
 *	to ppt dirty from vfio-pci behind ppt's back: libvirt giving back a
 *	managed hostdev), unless auto_clean is off;
 *	%PPT_CMD_DEVICE_ASSIGN: assign a recycled function that a clean gave
 *	back to its owner
 *
 * Probe runs under the function's device_lock, an operation's end under
 * none of the locks planning needs but inside the operation, and planning
 * walks the bus and the IOMMU group: the operation starts from ppt's
 * workqueue.  Nothing starts while ppt unloads.
 *
 * Context: process context, no ppt lock held; takes ppt_table_lock.
 */
void ppt_ops_later(struct pci_dev *pdev, u8 cmd)
{
	struct ppt_later_op *lo;

	if (cmd == PPT_CMD_DEVICE_CLEAN && !ppt_auto_clean)
		return;
	lo = kzalloc(sizeof(*lo), GFP_KERNEL);
	if (!lo) {
		pci_warn(pdev, "out of memory: ppt's own %s did not start\n",
			 ppt_cmd_name(cmd));
		return;
	}
	lo->pdev = pci_dev_get(pdev);
	lo->cmd = cmd;
	INIT_WORK(&lo->work, ppt_later_work);
	/* under the lock that orders it before ppt_ops_close()'s flush */
	mutex_lock(&ppt_table_lock);
	if (!ppt_ops_closing) {
		queue_work(ppt_wq, &lo->work);
		lo = NULL;
	}
	mutex_unlock(&ppt_table_lock);
	if (lo) {
		pci_dev_put(lo->pdev);
		kfree(lo);
	}
}

/*
 * Unassign: take the group back from vfio-pci.  vfio-pci's remove blocks
 * until its user lets go of the device, and vfio has no "is it open"
 * query.  But a VFIO user (container or iommufd) owns the group's DMA,
 * and ppt's claim of that ownership fails while anyone holds it: so the
 * gate tells, without blocking, whether a VM holds the group, and while
 * ppt holds it no VFIO user can open it.  ppt keeps holding it: the
 * functions are dirty now, and stay gated until they are clean.
 */
static int ppt_run_unassign(struct ppt_op *op)
{
	int i, ret = 0;

	/* a recycle's: the gate took the group when its user closed it */
	if (op->req.pinned)
		op->pinned = true;
	else
		ret = ppt_op_pin(op);
	if (ret) {
		ppt_refuse(&op->req, -EBUSY,
			   "the VFIO device is open: a VM or program holds the group",
			   NULL);
		ppt_op_finish(op, PPT_STATE_UNSPEC);
		/*
		 * A user still holds the group (it closed the device first, or
		 * put it in low power open): watch again, as used, after a
		 * pause, so a user that keeps the group is tried again a few
		 * times a second, not in a busy loop.
		 */
		if (op->req.recycle) {
			msleep(PPT_RECYCLE_RETRY_MS);
			ppt_recycle_watch(op->devs[0].pdev, true);
		}
		return -EBUSY;
	}
	/* no VFIO user now: the runtime-PM watches have nothing to see */
	for (i = 0; i < op->n; i++)
		ppt_recycle_unwatch(op->devs[i].pdev);
	for (i = 0; i < op->n; i++) {
		struct pci_dev *pdev = op->devs[i].pdev;

		/* a mate that left vfio-pci before: only give it to ppt */
		if (op->devs[i].skip && READ_ONCE(pdev->dev.driver))
			continue;
		ret = ppt_bind_move(pdev, ppt_pci_driver.name, NULL);
		if (ret)
			pci_warn(pdev, "ppt did not bind it back from vfio-pci (%d); it stays dirty\n",
				 ret);
	}
	ppt_bind_save_owner(op->devs[0].pdev, NULL);
	ppt_op_finish(op, PPT_STATE_DIRTY);
	/* a recycle cleans whatever auto_clean says: its owner waits */
	if (READ_ONCE(ppt_auto_clean) || op->req.recycle)
		for (i = 0; i < op->n; i++)
			ppt_auto_clean_start(op->devs[i].pdev);
	return 0;
}

/*
 * Record a reset's method and duration in every function's entry and in
 * the statistics (@ret: its outcome), and give back the snapshots a clean
 * borrowed.
 */
static void ppt_op_record_reset(struct ppt_op *op, int ret)
{
	bool clean = op->req.cmd == PPT_CMD_DEVICE_CLEAN || op->clean_first;
	struct ppt_device *pd;
	int i;

	mutex_lock(&ppt_table_lock);
	/* once per operation, however many functions a bus reset covered */
	if (op->reset.touched)
		ppt_stats_reset(clean ? PPT_STATS_OP_CLEAN : PPT_STATS_OP_RESET,
				op->reset.method, ret, op->reset.usec);
	for (i = 0; i < op->n; i++) {
		pd = ppt_table_find(op->devs[i].pdev);
		if (!pd)
			continue;
		if (op->reset.touched) {
			pd->reset_done = true;
			pd->last_reset = op->reset;
		}
		if (!pd->snap) {
			pd->snap = op->devs[i].snap;
			op->devs[i].snap = NULL;
		}
	}
	mutex_unlock(&ppt_table_lock);
}

/* Reset the function, or with a bus reset its whole domain. */
static int ppt_op_reset(struct ppt_op *op)
{
	bool clean = op->req.cmd == PPT_CMD_DEVICE_CLEAN || op->clean_first;

	if (op->plan == PPT_RESET_SBR)
		return ppt_reset_bus_run(op->devs[0].pdev, &op->reset);
	/* a clean restores its snapshot straight after a function reset */
	return ppt_reset_run(op->devs[0].pdev, op->plan, &op->reset,
			     clean ? op->devs[0].snap : NULL);
}

/* Say how the reset went, for the kernel log. */
static void ppt_op_log_reset(struct ppt_op *op, const char *what)
{
	const char *inferred = op->reset.inferred ? " (inferred: the PCI core's order)" : "";

	if (op->n > 1)
		pci_info(op->devs[0].pdev, "%s: %s%s reset of its slot/bus, with %d other function%s, in %llu us\n",
			 what, ppt_reset_name(op->reset.method), inferred,
			 op->n - 1, op->n == 2 ? "" : "s", op->reset.usec);
	else
		pci_info(op->devs[0].pdev, "%s: %s%s reset in %llu us\n", what,
			 ppt_reset_name(op->reset.method), inferred,
			 op->reset.usec);
}

/*
 * A reset or clean failed once it touched the hardware: every function of
 * the operation is quarantined, and says why.
 */
static void ppt_op_quarantine(struct ppt_op *op)
{
	struct ppt_device *pd;
	int i;

	ppt_op_finish(op, PPT_STATE_QUARANTINED);
	mutex_lock(&ppt_table_lock);
	for (i = 0; i < op->n; i++) {
		pd = ppt_table_find(op->devs[i].pdev);
		if (pd && pd->state == PPT_STATE_QUARANTINED) {
			pd->reason = op->reset.why;
			ppt_table_gen++;
			ppt_nl_notify_device(pd, false);
		}
	}
	mutex_unlock(&ppt_table_lock);
}

/*
 * Record how a reset or clean of @op ended.  A reset that failed before it
 * touched the hardware (a function another driver took meanwhile, a
 * domain that stayed locked, a method an administrator removed) did
 * nothing: the functions go back to where they were, none of them
 * quarantined for what never happened to it.  A failure once the hardware
 * was touched leaves the functions in an unknown state: quarantined, with
 * the reason.  On success they move to @done (PPT_STATE_UNSPEC: back to
 * where they were).
 */
static int ppt_op_reset_outcome(struct ppt_op *op, int ret, const char *what,
				enum ppt_state done)
{
	ppt_op_record_reset(op, ret);
	if (!ret) {
		ppt_op_log_reset(op, what);
		ppt_op_finish(op, done);
		return 0;
	}
	ppt_refuse(&op->req, ret, op->reset.why, NULL);
	if (!op->reset.touched) {
		ppt_op_finish(op, PPT_STATE_UNSPEC);
		return ret;
	}
	pci_warn(op->devs[0].pdev, "%s failed (%d): %s: quarantined\n",
		 op->req.cmd == PPT_CMD_DEVICE_RESET ? "reset" : "cleaning",
		 ret, op->reset.why);
	ppt_op_quarantine(op);
	return ret;
}

/* Reset: the functions return to the states they came from. */
static int ppt_run_reset(struct ppt_op *op)
{
	return ppt_op_reset_outcome(op, ppt_op_reset(op), "reset",
				    PPT_STATE_UNSPEC);
}

/*
 * The clean itself: reset (the whole domain for a bus reset: a GPU and its
 * audio function are one unit), restore each function's reserve-time
 * snapshot, verify.  Returns 0 when every function is clean.
 */
static int ppt_op_clean_run(struct ppt_op *op)
{
	int i, ret;

	ret = ppt_op_reset(op);
	for (i = 0; !ret && i < op->n; i++) {
		ret = ppt_clean_finish(op->devs[i].pdev, op->devs[i].snap,
				       op->plan != PPT_RESET_SBR,
				       &op->reset.why);
		if (ret)
			pci_warn(op->devs[i].pdev, "not clean after the reset: %s\n",
				 op->reset.why);
	}
	return ret;
}

/*
 * Clean: clean functions are reserved; if any function fails, every
 * function of the unit is quarantined, and only an administrator's clean
 * or release gets them out of there.
 */
static int ppt_run_clean(struct ppt_op *op)
{
	int ret = ppt_op_clean_run(op);

	op->cleaned = !ret;
	return ppt_op_reset_outcome(op, ret,
				    "cleaned, config space restored and verified",
				    PPT_STATE_RESERVED);
}

/*
 * How long a sanitise operation waits, after its jobs ended, for a VFIO
 * user that still holds the group (a sanitiser that overran and has not
 * exited yet) before it leaves the group with vfio-pci.
 */
#define PPT_SANITISE_GIVEBACK_MS	10000
#define PPT_SANITISE_POLL_MS		200

/* ppt_run_sanitise() submitted its jobs: the operation goes on elsewhere. */
#define PPT_OP_PENDING	1

static void ppt_sanitise_end_work(struct work_struct *work);

/* One job of @op ended (or its submission did): the last one goes on. */
static void ppt_op_sanitise_put(struct ppt_op *op)
{
	if (atomic_dec_and_test(&op->jobs_left))
		queue_work(ppt_wq, &op->sanitise_end);
}

/**
 * ppt_op_sanitise_ended() - a sanitise job ended (ppt_agent.c)
 * @job: the job; its outcome is final
 *
 * Context: process context, no ppt lock held.
 */
void ppt_op_sanitise_ended(struct ppt_sanitise_job *job)
{
	ppt_op_sanitise_put(job->op);
}

/*
 * A clean's first step, for a function that owes a sanitiser: bind its
 * IOMMU group to vfio-pci, as an assign does, never to a host driver (udev
 * must not see a tenant's partitions); let go of the group's DMA
 * ownership, so the agent can open it; ask the agent for every function
 * that owes one.  The functions stay sanitising (no one can claim them)
 * and the work item ends here: the jobs' timers bound the wait, and
 * ppt_sanitise_end_work() goes on.  ppt's driver override stays on every
 * function, and a mark on the group (ppt_bind_save_sanitising()) tells a
 * reloaded ppt that a group found with vfio-pci is not a tenant's.
 */
static int ppt_run_sanitise(struct ppt_op *op)
{
	int i, ret;

	for (i = 0; i < op->n; i++) {
		if (!op->devs[i].owed)
			continue;
		op->devs[i].job = ppt_agent_job_new(op, op->devs[i].pdev,
						    op->devs[i].spec);
		if (!op->devs[i].job) {
			ret = -ENOMEM;
			goto fail;
		}
		op->devs[i].job->inspect = op->req.inspect;
	}
	ret = ppt_op_to_vfio(op,
			     "vfio-pci did not bind the device for its sanitiser (is vfio-pci available?)");
	if (ret)
		goto fail;
	ppt_bind_save_sanitising(op->devs[0].pdev);
	op->pinned = false;
	ppt_gate_unpin(op->devs[0].pdev);
	for (i = 0; i < op->n; i++)
		ppt_gate_sync(op->devs[i].pdev);
	for (i = 0; i < op->n; i++)
		if (op->devs[i].job)
			pci_info(op->devs[i].pdev, "sanitising with %s: waiting for the sanitise agent\n",
				 op->devs[i].spec);
	atomic_set(&op->jobs_left, 1);
	for (i = 0; i < op->n; i++)
		if (op->devs[i].job)
			atomic_inc(&op->jobs_left);
	INIT_WORK(&op->sanitise_end, ppt_sanitise_end_work);
	for (i = 0; i < op->n; i++)
		if (op->devs[i].job)
			ppt_agent_submit(op->devs[i].job);
	return PPT_OP_PENDING;
fail:
	ppt_op_finish(op, PPT_STATE_UNSPEC);
	return ret;
}

/*
 * Take the group back from vfio-pci once the agent let go of it.  The
 * agent closes the device before it answers; a sanitiser that timed out
 * may still hold it for a while.  Returns 0, or -EBUSY when a VFIO user
 * kept it past PPT_SANITISE_GIVEBACK_MS (or ppt unloads meanwhile).
 */
static int ppt_sanitise_take_back(struct ppt_op *op)
{
	unsigned int waited = 0;
	int i, ret;

	for (;;) {
		ret = ppt_op_pin(op);
		if (!ret)
			break;
		if (waited >= PPT_SANITISE_GIVEBACK_MS || READ_ONCE(ppt_ops_closing))
			return -EBUSY;
		msleep(PPT_SANITISE_POLL_MS);
		waited += PPT_SANITISE_POLL_MS;
	}
	for (i = 0; i < op->n; i++) {
		ret = ppt_bind_move(op->devs[i].pdev, ppt_pci_driver.name, NULL);
		if (ret)
			pci_warn(op->devs[i].pdev, "ppt did not bind it back from vfio-pci after its sanitiser (%d)\n",
				 ret);
	}
	ppt_bind_save_owner(op->devs[0].pdev, NULL);
	return 0;
}

/*
 * Keep each job's outcome in its function's entry (pptadm show, events)
 * and return the first failure: @why gets a constant summary, @answered
 * whether it was the sanitiser's own (the agent answered).
 */
static int ppt_sanitise_record(struct ppt_op *op, const char **why,
			       bool *answered)
{
	struct ppt_sanitise_job *job;
	struct ppt_device *pd;
	int i, err = 0;

	*why = NULL;
	*answered = false;
	mutex_lock(&ppt_table_lock);
	for (i = 0; i < op->n; i++) {
		job = op->devs[i].job;
		if (!job)
			continue;
		if (job->res.err)
			pci_warn(job->pdev, "%s %s failed after %llu ms (%d): %s\n",
				 job->inspect ? "inspection by sanitiser" : "sanitiser",
				 job->res.spec, div_u64(job->res.usec, 1000), job->res.err,
				 job->res.msg);
		else
			pci_info(job->pdev, "%s with %s (%s) in %llu ms: %s\n",
				 job->inspect ? "inspected" : "sanitised",
				 job->res.spec, job->res.method, div_u64(job->res.usec, 1000),
				 job->res.verified);
		if (job->res.err && !err) {
			err = job->res.err;
			*why = job->why;
			*answered = job->answered;
		}
		pd = ppt_table_find(job->pdev);
		/* an inspection erased nothing: the last sanitise stands */
		if (!pd || job->inspect)
			continue;
		if (job->last) {
			*job->last = job->res;
			/* the entry's old record goes with the job */
			swap(pd->last_sanitise, job->last);
		}
		pd->sanitised = !job->res.err;
		ppt_table_gen++;
	}
	mutex_unlock(&ppt_table_lock);
	return err;
}

/*
 * A failed sanitise: the functions whose sanitiser failed are quarantined
 * (the erase is in an unknown state: an administrator looks), those that
 * got no answer stay dirty (a clean asks again); both say why.
 */
static void ppt_sanitise_failed(struct ppt_op *op)
{
	struct ppt_sanitise_job *job;
	struct ppt_device *pd;
	int i;

	mutex_lock(&ppt_table_lock);
	for (i = 0; i < op->n; i++) {
		job = op->devs[i].job;
		pd = ppt_table_find(op->devs[i].pdev);
		if (!pd)
			continue;
		/* a dirty mate: its clean waits for the group's sanitiser */
		if (!job && pd->state == PPT_STATE_DIRTY) {
			pd->reason = "another function of its IOMMU group was not sanitised";
		} else if (job && job->res.err) {
			if (job->answered && pd->state == PPT_STATE_DIRTY)
				ppt_table_set_state(pd, PPT_STATE_QUARANTINED);
			pd->reason = job->why;
		} else {
			continue;
		}
		ppt_table_gen++;
		ppt_nl_notify_device(pd, false);
	}
	mutex_unlock(&ppt_table_lock);
	for (i = 0; i < op->n; i++)
		ppt_gate_sync(op->devs[i].pdev);
}

/*
 * The request fails with the first failed job's reason: the agent's own
 * words when it answered, in the request's message; @why, a constant, in
 * the extended ack's place.
 */
static void ppt_sanitise_refuse(struct ppt_op *op, int err, const char *why)
{
	struct ppt_sanitise_job *job;
	int i;

	ppt_refuse(&op->req, err, why, NULL);
	for (i = 0; i < op->n; i++) {
		job = op->devs[i].job;
		if (!job || job->res.err != err || job->why != why)
			continue;
		scnprintf(op->req.msg, sizeof(op->req.msg), "sanitiser %s: %s",
			  job->res.spec, job->res.msg);
		op->req.why = op->req.msg;
		op->req.gist = why;
		break;
	}
}

/* The request goes on as it was asked: the clean (or release) itself. */
static int ppt_sanitise_go_on(struct ppt_op *op)
{
	struct pci_dev *pdev = op->devs[0].pdev;
	struct ppt_op *next;
	int i, ret;

	ret = ppt_op_prepare(&op->req, pdev, &next);
	if (!ret)
		ppt_op_start(next);
	/* mates a tenant left dirty that this clean does not cover */
	for (i = 1; i < op->n && READ_ONCE(ppt_auto_clean); i++)
		ppt_auto_clean_start(op->devs[i].pdev);
	return ret;
}

/*
 * The jobs of a sanitise operation have ended: take the group back to
 * ppt, record the outcomes, and go on with the clean, or say why not.
 * The request's outcome (REQUEST_NTF) is the clean's, sent by the
 * operation that carries it on, or this one's failure.
 */
static void ppt_sanitise_end_work(struct work_struct *work)
{
	struct ppt_op *op = container_of(work, struct ppt_op, sanitise_end);
	struct pci_dev *pdev = op->devs[0].pdev;
	const char *why;
	bool answered;
	int err;

	err = ppt_sanitise_record(op, &why, &answered);
	if (ppt_sanitise_take_back(op)) {
		/*
		 * A VFIO user still has the group: it stays with vfio-pci, and
		 * is recorded as what it is (detached: another driver), still
		 * tainted.  ppt's mark on the group keeps a reload from
		 * adopting it as a tenant's.
		 */
		pci_warn(pdev, "a VFIO user still holds the IOMMU group after its sanitiser: left with vfio-pci, tainted\n");
		ppt_refuse(&op->req, -EBUSY,
			   "a VFIO user kept the device after its sanitiser ended: it stays with vfio-pci, tainted",
			   NULL);
		ppt_op_finish(op, PPT_STATE_DIRTY);
		err = -EBUSY;
		goto out;
	}
	op->sanitised = !err && !op->req.inspect;
	ppt_op_finish(op, PPT_STATE_UNSPEC);
	/* inspected: reserved again, whatever the sanitiser found */
	if (op->req.inspect) {
		if (err)
			ppt_sanitise_refuse(op, err, why);
		goto out;
	}
	if (!err) {
		/*
		 * Prepared again, that operation reports the request; a
		 * refusal was audited by ppt_op_prepare().
		 */
		err = ppt_sanitise_go_on(op);
		if (err)
			ppt_nl_notify_request(&op->req, pdev, err);
		ppt_op_free(op);
		return;
	}
	ppt_sanitise_failed(op);
	ppt_sanitise_refuse(op, err, why);
out:
	ppt_audit(&op->req, pdev, err);
	ppt_nl_notify_request(&op->req, pdev, err);
	ppt_op_free(op);
}

static void ppt_op_work(struct work_struct *work)
{
	struct ppt_op *op = container_of(work, struct ppt_op, work);
	struct pci_dev *pdev = op->devs[0].pdev;
	int ret;

	if (op->sanitise) {
		ret = ppt_run_sanitise(op);
		/* its jobs may end at once: op is not touched after the put */
		if (ret == PPT_OP_PENDING) {
			ppt_op_sanitise_put(op);
			return;
		}
		goto out;
	}
	switch (op->req.cmd) {
	case PPT_CMD_DEVICE_RESERVE:
		ret = ppt_run_reserve(op);
		break;
	case PPT_CMD_DEVICE_RELEASE:
		ret = ppt_run_release(op);
		break;
	case PPT_CMD_DEVICE_ASSIGN:
		ret = ppt_run_assign(op);
		break;
	case PPT_CMD_DEVICE_RESET:
		ret = ppt_run_reset(op);
		break;
	case PPT_CMD_DEVICE_CLEAN:
		ret = ppt_run_clean(op);
		break;
	default:
		ret = ppt_run_unassign(op);
		break;
	}
out:
	ppt_audit(&op->req, pdev, ret);
	ppt_nl_notify_request(&op->req, pdev, ret);
	ppt_op_free(op);
}

/*
 * A reset or clean (or a release that cleans first) is refused before it
 * starts when the device is not in a state for it, or the method cannot
 * run on it; the state is checked first so the answer names the most
 * basic problem.  Checked again, under the lock, by ppt_op_begin().
 * Returns the planned method, %PPT_OP_NO_CLEAN for a release that does not
 * clean, or a negative errno.
 */
#define PPT_OP_NO_CLEAN	(-1000)

static int ppt_op_check_reset(struct ppt_req *req, struct pci_dev *pdev)
{
	bool release = req->cmd == PPT_CMD_DEVICE_RELEASE;
	struct ppt_device *pd;
	const char *why;
	int ret;

	mutex_lock(&ppt_table_lock);
	pd = ppt_find(req, pdev);
	ret = pd ? ppt_state_check(pd->state, ppt_op_transitional(req->cmd),
				   &why) : -ENODEV;
	if (!ret && release && !ppt_op_release_cleans(req, pd))
		ret = PPT_OP_NO_CLEAN;
	/* auto means the device's own preference where it has one */
	if (pd && req->method == PPT_RESET_AUTO)
		req->method = pd->reset_pref;
	mutex_unlock(&ppt_table_lock);
	if (ret == PPT_OP_NO_CLEAN)
		return ret;
	if (ret)
		return pd ? ppt_refuse(req, ret, why, NULL) : ret;
	ret = ppt_reset_plan(pdev, req->method, &req->why, &req->blocker);
	/* a release whose clean cannot run: say what is needed */
	if (ret < 0 && release && ret != -EBUSY)
		ret = ppt_refuse(req, ret,
				 "the device may hold a tenant's data and cannot be cleaned (no reset method): release it unclean to give it to the host as it is",
				 NULL);
	return ret;
}

/*
 * What a request would do to a PF's VFs, or NULL when nothing: a PF's
 * reset resets them; a host driver's probe or remove resets the PF (an
 * NVMe controller reset takes its secondary controllers, the VFs,
 * offline); a VM that holds the PF can do either.
 */
static const char *ppt_op_pf_risk(u8 cmd)
{
	switch (cmd) {
	case PPT_CMD_DEVICE_RESET:
	case PPT_CMD_DEVICE_CLEAN:
		return "resetting a PF resets its VFs";
	case PPT_CMD_DEVICE_RESERVE:
	case PPT_CMD_DEVICE_RELEASE:
		return "a PF's driver change may reset it and its VFs";
	case PPT_CMD_DEVICE_ASSIGN:
		return "a VM holding a PF can reset its VFs";
	default:
		return NULL;
	}
}

/*
 * Does a clean of @pdev start with its sanitiser?  When it is dirty or
 * quarantined and owes one (ppt_sanitise_owed()); the clean itself is
 * prepared again once the sanitiser succeeded, and finds nothing owed.
 */
static bool ppt_op_owes_sanitiser(struct pci_dev *pdev)
{
	char spec[PPT_SANITISER_MAX];
	struct ppt_device *pd;
	bool owed;

	mutex_lock(&ppt_table_lock);
	pd = ppt_table_find(pdev);
	owed = pd && (pd->state == PPT_STATE_DIRTY ||
		      pd->state == PPT_STATE_QUARANTINED) &&
	       ppt_sanitise_owed(pd, spec, sizeof(spec));
	mutex_unlock(&ppt_table_lock);
	return owed;
}

/**
 * ppt_op_prepare() - check an asynchronous request and take its devices
 * @req: the request (reserve, release, assign, unassign, reset or clean)
 * @pdev: the device it names
 * @opp: receives the operation, to be started with ppt_op_start() once
 *	the caller has answered
 *
 * On success every function the request touches is in its transitional
 * state, so no other request can take them.
 *
 * Context: process context, no ppt lock held.
 * Return: 0, or a negative errno with @req->why (and maybe @req->blocker)
 * set.
 */
int ppt_op_prepare(struct ppt_req *req, struct pci_dev *pdev,
		   struct ppt_op **opp)
{
	bool group = req->cmd == PPT_CMD_DEVICE_ASSIGN ||
		     req->cmd == PPT_CMD_DEVICE_UNASSIGN;
	bool clean_first = false, sanitise;
	int plan = PPT_RESET_AUTO;
	struct ppt_op *op;
	int ret = 0;

	if (req->cmd == PPT_CMD_DEVICE_RESERVE && pci_is_bridge(pdev)) {
		ret = ppt_refuse(req, -EINVAL,
				 "bridges are never reserved: they carry other devices' traffic",
				 NULL);
		goto out;
	}
	ret = ppt_sriov_refuse(req, pdev, ppt_op_pf_risk(req->cmd));
	if (ret)
		goto out;
	/* an inspection resets nothing: it needs no reset method */
	if (!req->inspect &&
	    (req->cmd == PPT_CMD_DEVICE_RESET ||
	     req->cmd == PPT_CMD_DEVICE_CLEAN ||
	     req->cmd == PPT_CMD_DEVICE_RELEASE)) {
		plan = ppt_op_check_reset(req, pdev);
		clean_first = req->cmd == PPT_CMD_DEVICE_RELEASE &&
			      plan != PPT_OP_NO_CLEAN;
		if (plan == PPT_OP_NO_CLEAN)
			plan = PPT_RESET_AUTO;
		ret = min(plan, 0);
		if (ret)
			goto out;
	}
	sanitise = req->inspect ||
		   ((req->cmd == PPT_CMD_DEVICE_CLEAN || clean_first) &&
		    ppt_op_owes_sanitiser(pdev));
	if (sanitise)
		op = ppt_op_alloc(req, pdev, true, &ret);
	else if (plan == PPT_RESET_SBR)
		op = ppt_op_alloc_domain(req, pdev, &ret);
	else
		op = ppt_op_alloc(req, pdev, group, &ret);
	if (!op)
		goto out;
	op->sanitise = sanitise;
	op->plan = plan;
	op->clean_first = clean_first && !sanitise;
	mutex_lock(&ppt_table_lock);
	ret = ppt_op_begin(req, op);
	mutex_unlock(&ppt_table_lock);
	if (ret) {
		ppt_op_free(op);
		goto out;
	}
	INIT_WORK(&op->work, ppt_op_work);
	*opp = op;
	return 0;
out:
	/* the lease reaper logs its refusals once itself */
	if (!req->reap)
		ppt_audit(req, pdev, ret);
	return ret;
}

/**
 * struct ppt_match_op - binding the present functions a new match names
 * @work: runs ppt_match_work() on ppt_wq
 * @req: the match-add request; its outcome is reported with its id
 */
struct ppt_match_op {
	struct work_struct work;
	struct ppt_req req;
};

/*
 * Bind the functions no driver holds that the match lists name, and
 * announce which.  Binding waits on the driver core (device_lock, which a
 * reset elsewhere may hold for a long time): never in a netlink handler.
 */
static void ppt_match_work(struct work_struct *work)
{
	struct ppt_match_op *mop = container_of(work, struct ppt_match_op, work);
	struct pci_dev **got = ppt_op_got_alloc();
	int n = got ? ppt_bind_take_unbound(got, PPT_CLAIM_MAX) : -ENOMEM;

	if (n > 0)
		pr_info("match-add: reserved %d device%s no driver held\n",
			n, n == 1 ? "" : "s");
	ppt_nl_notify_match(&mop->req, got, max(n, 0), min(n, 0));
	ppt_op_got_free(got, max(n, 0));
	kfree(mop);
}

/**
 * ppt_op_match_start() - bind what a new match names, on the workqueue
 * @req: the match-add request, with its id
 *
 * Context: process context, no ppt lock held.
 * Return: 0, -ENOMEM, or -ESHUTDOWN while ppt unloads (the match stays;
 * a load binds its functions).
 */
int ppt_op_match_start(const struct ppt_req *req)
{
	struct ppt_match_op *mop;
	bool closing;

	mutex_lock(&ppt_table_lock);
	closing = ppt_ops_closing;
	mutex_unlock(&ppt_table_lock);
	if (closing)
		return -ESHUTDOWN;
	mop = kzalloc(sizeof(*mop), GFP_KERNEL);
	if (!mop)
		return -ENOMEM;
	mop->req = *req;
	mop->req.blocker = NULL;
	INIT_WORK(&mop->work, ppt_match_work);
	queue_work(ppt_wq, &mop->work);
	return 0;
}

/**
 * ppt_op_start() - queue a prepared operation
 * @op: from ppt_op_prepare()
 *
 * Context: any.
 */
void ppt_op_start(struct ppt_op *op)
{
	queue_work(ppt_wq, &op->work);
}

/**
 * ppt_op_start_own() - start an operation ppt asks for itself
 * @req: the request (automatic clean, a lease's return, a recycle); given
 *	a new id here
 * @pdev: the function
 *
 * Context: process context, no ppt lock held.
 * Return: 0 when it was queued, or the refusal (@req->why says why).
 */
int ppt_op_start_own(struct ppt_req *req, struct pci_dev *pdev)
{
	struct ppt_op *op;
	int ret;

	req->id = ppt_req_new_id();
	ret = ppt_op_prepare(req, pdev, &op);
	if (!ret)
		ppt_op_start(op);
	return ret;
}

/**
 * ppt_ops_init() - create ppt's workqueue
 *
 * Return: 0 or -ENOMEM.
 */
int ppt_ops_init(void)
{
	/* unbound: one device's slow reset or unbind delays no other */
	ppt_wq = alloc_workqueue("ppt", WQ_UNBOUND, 0);
	return ppt_wq ? 0 : -ENOMEM;
}

/**
 * ppt_ops_close() - refuse new operations and finish the queued ones
 *
 * Their outcomes are announced: the netlink family is still registered.
 * An operation queued by one that finishes (an automatic clean after an
 * unassign) is refused, and its device stays as it is.
 *
 * Context: module exit, before the netlink family is unregistered.
 */
void ppt_ops_close(void)
{
	mutex_lock(&ppt_table_lock);
	ppt_ops_closing = true;
	mutex_unlock(&ppt_table_lock);
	/*
	 * Not drain_workqueue(): a netlink handler that began its operation
	 * just before the flag was set may still queue it, which a draining
	 * workqueue refuses.  destroy_workqueue() runs it later.
	 */
	flush_workqueue(ppt_wq);
}

/**
 * ppt_ops_exit() - destroy the workqueue
 *
 * Context: module exit (after ppt_ops_close()) or init failure.
 */
void ppt_ops_exit(void)
{
	destroy_workqueue(ppt_wq);
}
