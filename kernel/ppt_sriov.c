// SPDX-License-Identifier: GPL-2.0-only
/*
 * SR-IOV: the virtual functions of a physical function, held and guarded.
 *
 * A VF shares its PF's silicon: resetting the PF (an FLR, a bus reset) or
 * disabling SR-IOV resets or removes every VF, and on NVMe a controller
 * reset of the primary controller takes its secondary controllers (the
 * VFs) offline.  So while a VF is "out" (with a driver other than ppt's,
 * a VFIO user on its IOMMU group, or claimed, assigned or in an
 * operation), ppt refuses to reset, release or assign its PF, refuses to
 * lower its VF count, and does not give the PF to a host driver at
 * unload.
 *
 * Which VFs ppt holds: those a vfs= entry (boot list or runtime match)
 * names by their PF, and every VF of a PF ppt itself holds.  The bus
 * notifier gives them ppt's driver override in device_add(), before any
 * probe, so no VF driver ever sees them, whatever the PF's
 * sriov_drivers_autoprobe says.
 *
 * A PF held by ppt can create VFs: ppt's driver has its own
 * sriov_configure (the sysfs sriov_numvfs write).  Not
 * pci_sriov_configure_simple(): its pci_vfs_assigned() check never sees
 * vfio-pci, and removing a VF that a VM holds blocks in vfio-pci's remove
 * with the PF's device_lock and the PCI rescan lock held, which hangs PCI
 * hotplug host-wide.
 *
 * A boot list entry "vfs=PF=N" also enables N VFs once a driver that can
 * configure SR-IOV (ppt's own, or the PF's host driver) holds the PF and
 * it has none: done as a sriov_numvfs write would, from a work item, since
 * the bus notifier may run inside a rescan that holds the rescan lock.
 *
 * Locking: ppt_sriov_lock guards the list of PFs waiting for their boot
 * count; a leaf lock.  The work takes the PF's device_lock, then the PCI
 * rescan lock, the order of sriov_numvfs_store().
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/iommu.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include "ppt.h"

/* Room for the names of the VFs in the way, in a request's reason. */
#define PPT_SRIOV_MSG_MAX	PPT_REQ_MSG_MAX

/*
 * The PF's VFs, with references, in *vfs (NULL for none; the caller frees
 * it with ppt_sriov_vfs_put()).  The PCI core exports no list of a PF's
 * VFs, so walk every function; a VF has its PF's vendor id.
 */
static int ppt_sriov_vfs(struct pci_dev *pf, struct pci_dev ***vfs)
{
	int n = pf->is_physfn ? pci_num_vf(pf) : 0;
	struct pci_dev *vf = NULL;
	int got = 0;

	*vfs = NULL;
	if (!n)
		return 0;
	*vfs = kcalloc(n, sizeof(**vfs), GFP_KERNEL);
	if (!*vfs)
		return -ENOMEM;
	while (got < n && (vf = pci_get_device(pf->vendor, PCI_ANY_ID, vf)))
		if (vf->is_virtfn && pci_physfn(vf) == pf)
			(*vfs)[got++] = pci_dev_get(vf);
	pci_dev_put(vf);
	return got;
}

static void ppt_sriov_vfs_put(struct pci_dev **vfs, int n)
{
	int i;

	for (i = 0; i < n; i++)
		pci_dev_put(vfs[i]);
	kfree(vfs);
}

/*
 * Why the VF is out, or NULL when it is idle: with ppt's driver or none,
 * in no operation, no owner, no VFIO user on its group.
 */
static const char *ppt_sriov_vf_busy(struct pci_dev *vf)
{
	struct device_driver *drv = READ_ONCE(vf->dev.driver);
	struct ppt_device *pd;
	const char *why = NULL;

	if (drv && drv != &ppt_pci_driver.driver)
		return drv->name;
	/* a group mate's VFIO user (no ACS between VFs) */
	if (ppt_gate_vfio_busy(vf))
		return "VFIO";
	mutex_lock(&ppt_table_lock);
	pd = ppt_table_find(vf);
	if (pd && pd->state != PPT_STATE_RESERVED &&
	    pd->state != PPT_STATE_DIRTY &&
	    pd->state != PPT_STATE_QUARANTINED &&
	    pd->state != PPT_STATE_DETACHED)
		why = ppt_state_name(pd->state);
	mutex_unlock(&ppt_table_lock);
	return why;
}

/**
 * ppt_sriov_vfs_out() - which of a PF's VFs are out (not idle with ppt)?
 * @pf: the physical function (any function: 0 for one without VFs)
 * @msg: receives "0000:01:00.1 (assigned), ..." naming them, or NULL
 * @len: room in @msg
 * @first: receives a reference to the first one, or NULL (for a request's
 *	blocker; the caller drops it)
 *
 * Context: process context, no ppt lock held.
 * Return: how many VFs are out, or -ENOMEM.
 */
int ppt_sriov_vfs_out(struct pci_dev *pf, char *msg, size_t len,
		      struct pci_dev **first)
{
	struct pci_dev **vfs;
	size_t used = 0;
	int n, i, out = 0;

	if (first)
		*first = NULL;
	if (msg && len)
		msg[0] = '\0';
	n = ppt_sriov_vfs(pf, &vfs);
	if (n < 0)
		return n;
	for (i = 0; i < n; i++) {
		const char *why = ppt_sriov_vf_busy(vfs[i]);

		if (!why)
			continue;
		if (!out && first)
			*first = pci_dev_get(vfs[i]);
		if (msg && used < len)
			used += scnprintf(msg + used, len - used, "%s%s (%s)",
					  out ? ", " : "", pci_name(vfs[i]),
					  why);
		out++;
	}
	ppt_sriov_vfs_put(vfs, n);
	return out;
}

/**
 * ppt_sriov_refuse() - refuse a request on a PF while a VF is out
 * @req: the request
 * @pdev: the function it names
 * @what: what the request would do to the VFs, for the reason; NULL for
 *	a request that does nothing to them
 *
 * Context: process context, no ppt lock held.
 * Return: 0 when no VF of @pdev is out, else -EBUSY with @req->why naming
 * the VFs.
 */
int ppt_sriov_refuse(struct ppt_req *req, struct pci_dev *pdev,
		     const char *what)
{
	char vfs[PPT_SRIOV_MSG_MAX];
	struct pci_dev *first;
	int out;

	if (!what || !pdev->is_physfn || !pci_num_vf(pdev))
		return 0;
	out = ppt_sriov_vfs_out(pdev, vfs, sizeof(vfs), &first);
	if (out <= 0)
		return out;
	scnprintf(req->msg, sizeof(req->msg), "%s; VFs in use: %s", what, vfs);
	req->gist = "a VF of this PF is in use";
	ppt_refuse(req, -EBUSY, req->msg, first);
	pci_dev_put(first);
	return -EBUSY;
}

/**
 * ppt_sriov_pf_held() - is the function a VF of a PF ppt holds?
 * @pdev: the function
 *
 * Context: process context; takes ppt_table_lock.
 * Return: true for a VF whose PF is with ppt (in the table, not detached).
 */
bool ppt_sriov_pf_held(struct pci_dev *pdev)
{
	struct ppt_device *pd;
	bool held;

	if (!pdev->is_virtfn)
		return false;
	mutex_lock(&ppt_table_lock);
	pd = ppt_table_find(pci_physfn(pdev));
	held = pd && pd->state != PPT_STATE_DETACHED;
	mutex_unlock(&ppt_table_lock);
	return held;
}

/**
 * ppt_sriov_removing() - are the VFs of this VF's PF being removed?
 * @pdev: the function
 *
 * A VF whose PF's sriov_configure is removing the VFs cannot be claimed:
 * it is about to disappear.
 *
 * Context: ppt_table_lock held.
 */
bool ppt_sriov_removing(struct pci_dev *pdev)
{
	struct ppt_device *pf;

	lockdep_assert_held(&ppt_table_lock);
	if (!pdev->is_virtfn)
		return false;
	pf = ppt_table_find(pci_physfn(pdev));
	return pf && pf->vfs_removing;
}

static void ppt_sriov_set_removing(struct pci_dev *pf, bool on)
{
	struct ppt_device *pd;

	mutex_lock(&ppt_table_lock);
	pd = ppt_table_find(pf);
	if (pd)
		pd->vfs_removing = on;
	mutex_unlock(&ppt_table_lock);
}

/**
 * ppt_sriov_configure() - ppt's driver's sriov_configure
 * @pdev: a PF bound to ppt
 * @num_vfs: the VF count wanted (0: remove them)
 *
 * Called for a write to sriov_numvfs, with the PF's device_lock and the
 * PCI rescan lock held; the PCI core checked @num_vfs against
 * sriov_totalvfs, and only goes from 0 to N or from N to 0.  New VFs are
 * held by ppt as they appear (the PF is ppt's) and arrive reserved.
 * Removing them is refused while one is out, naming them in the kernel
 * log; while they go, none can be claimed.
 *
 * Context: process context, PF's device_lock and the rescan lock held.
 * Return: the number of VFs enabled, 0 or a negative errno.
 */
int ppt_sriov_configure(struct pci_dev *pdev, int num_vfs)
{
	char vfs[PPT_SRIOV_MSG_MAX];
	int ret, out;

	if (num_vfs > pci_sriov_get_totalvfs(pdev)) {
		pci_warn(pdev, "%d VFs asked for, at most %d possible\n",
			 num_vfs, pci_sriov_get_totalvfs(pdev));
		return -ERANGE;
	}
	if (num_vfs) {
		ret = pci_enable_sriov(pdev, num_vfs);
		if (ret) {
			pci_warn(pdev, "enabling %d VFs failed (%d)\n",
				 num_vfs, ret);
			return ret;
		}
		pci_info(pdev, "%d VFs enabled, held by ppt\n", num_vfs);
		return num_vfs;
	}
	if (!pci_num_vf(pdev))
		return 0;
	ppt_sriov_set_removing(pdev, true);
	out = ppt_sriov_vfs_out(pdev, vfs, sizeof(vfs), NULL);
	if (out) {
		ppt_sriov_set_removing(pdev, false);
		if (out < 0)
			return out;
		pci_warn(pdev, "not removing its VFs: %d in use: %s\n", out,
			 vfs);
		return -EBUSY;
	}
	pci_disable_sriov(pdev);
	ppt_sriov_set_removing(pdev, false);
	pci_info(pdev, "VFs removed\n");
	return 0;
}

/*
 * PFs waiting for their boot VF count, each with a reference; under
 * ppt_sriov_lock.  ppt_sriov_closed (also under it) stops new ones at
 * unload.
 */
static DEFINE_MUTEX(ppt_sriov_lock);
static LIST_HEAD(ppt_sriov_pending);
static bool ppt_sriov_closed;

struct ppt_sriov_pf {
	struct list_head node;
	struct pci_dev *pf;
};

static void ppt_sriov_work_fn(struct work_struct *work);
static DECLARE_WORK(ppt_sriov_work, ppt_sriov_work_fn);

/* Enable a PF's boot VF count, if its driver can and it has no VFs. */
static void ppt_sriov_boot_enable(struct pci_dev *pf, u16 count)
{
	struct device_driver *drv;
	int ret = 0;

	device_lock(&pf->dev);
	drv = pf->dev.driver;
	if (!drv || pci_num_vf(pf))
		goto unlock;
	if (ppt_bind_driver_for_others(drv)) {
		pci_info(pf, "vfs=: with %s, which works for someone else: its VFs are not enabled\n",
			 drv->name);
		goto unlock;
	}
	if (!to_pci_driver(drv)->sriov_configure) {
		pci_warn(pf, "vfs=: %s cannot configure SR-IOV: its VFs are not enabled\n",
			 drv->name);
		goto unlock;
	}
	if (count > pci_sriov_get_totalvfs(pf)) {
		pci_warn(pf, "vfs=: %u VFs asked for, at most %d possible\n",
			 count, pci_sriov_get_totalvfs(pf));
		goto unlock;
	}
	pci_lock_rescan_remove();
	ret = to_pci_driver(drv)->sriov_configure(pf, count);
	pci_unlock_rescan_remove();
	if (ret < 0)
		pci_warn(pf, "vfs=: enabling %u VFs through %s failed (%d)\n",
			 count, drv->name, ret);
	else
		pci_info(pf, "vfs=: %d VFs enabled through %s\n", ret,
			 drv->name);
unlock:
	device_unlock(&pf->dev);
}

static void ppt_sriov_work_fn(struct work_struct *work)
{
	struct ppt_sriov_pf *p;
	u16 count;

	for (;;) {
		mutex_lock(&ppt_sriov_lock);
		p = list_first_entry_or_null(&ppt_sriov_pending,
					     struct ppt_sriov_pf, node);
		if (p)
			list_del(&p->node);
		mutex_unlock(&ppt_sriov_lock);
		if (!p)
			return;
		count = ppt_match_vfs_count(p->pf);
		if (count)
			ppt_sriov_boot_enable(p->pf, count);
		pci_dev_put(p->pf);
		kfree(p);
	}
}

/**
 * ppt_sriov_driver_bound() - a driver bound a function: its boot VF count?
 * @pdev: the function
 *
 * Queues the enabling of the VF count a vfs= boot entry gives @pdev.
 *
 * Context: any process context (the bus notifier, under device_lock).
 */
void ppt_sriov_driver_bound(struct pci_dev *pdev)
{
	struct ppt_sriov_pf *p;

	if (!ppt_match_vfs_count(pdev))
		return;
	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p) {
		pci_warn(pdev, "vfs=: out of memory: its VFs are not enabled\n");
		return;
	}
	p->pf = pci_dev_get(pdev);
	mutex_lock(&ppt_sriov_lock);
	if (!ppt_sriov_closed) {
		list_add_tail(&p->node, &ppt_sriov_pending);
		p = NULL;
		schedule_work(&ppt_sriov_work);
	}
	mutex_unlock(&ppt_sriov_lock);
	if (p) {
		pci_dev_put(p->pf);
		kfree(p);
	}
}

/**
 * ppt_sriov_init() - enable the boot VF counts of PFs present at load
 *
 * PFs that get their driver later are handled as it binds.
 *
 * Context: module init, after ppt's driver is registered.
 */
void ppt_sriov_init(void)
{
	struct pci_dev *pdev = NULL;

	for_each_pci_dev(pdev)
		if (pdev->is_physfn && READ_ONCE(pdev->dev.driver))
			ppt_sriov_driver_bound(pdev);
}

/**
 * ppt_sriov_exit() - stop enabling boot VF counts
 *
 * Context: module exit or init failure, after the bus notifier is gone.
 */
void ppt_sriov_exit(void)
{
	struct ppt_sriov_pf *p, *tmp;

	mutex_lock(&ppt_sriov_lock);
	ppt_sriov_closed = true;
	mutex_unlock(&ppt_sriov_lock);
	cancel_work_sync(&ppt_sriov_work);
	list_for_each_entry_safe(p, tmp, &ppt_sriov_pending, node) {
		list_del(&p->node);
		pci_dev_put(p->pf);
		kfree(p);
	}
}
