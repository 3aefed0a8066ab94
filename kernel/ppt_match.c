// SPDX-License-Identifier: GPL-2.0-only
/*
 * The match lists: which functions ppt takes for itself.
 *
 * Entries come from the boot lists (module parameters ids=, devices=,
 * paths=, vfs=, parsed at load; a token that does not parse is logged with the
 * reason and skipped, the rest of the list still applies) and from
 * runtime requests (netlink MATCH_ADD / MATCH_DEL, which take the same
 * syntax).  One list holds both; boot entries cannot be removed, so the
 * module parameters in sysfs stay true.
 *
 * Locking: ppt_match_lock guards the list and ppt_match_gen.  It is a leaf
 * lock: nothing is called with it held but allocation and the pure
 * matchers, so it may be taken under device_lock (the bus notifier) and
 * under ppt_table_lock.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/slab.h>

#include "ppt.h"

/* Guards ppt_match_list and ppt_match_gen; a leaf lock (see above). */
DEFINE_MUTEX(ppt_match_lock);
LIST_HEAD(ppt_match_list);

/* Bumped on every change to the list, for netlink dumps. */
unsigned int ppt_match_gen;

static const char * const ppt_match_params[] = {
	[PPT_A_MATCH_IDS]	= "ids",
	[PPT_A_MATCH_DEVICE]	= "devices",
	[PPT_A_MATCH_PATH]	= "paths",
	[PPT_A_MATCH_VFS]	= "vfs",
};

/* Parse one token of @kind (a PPT_A_MATCH_* attribute) into @e. */
static int ppt_match_parse(struct ppt_match_entry *e, int kind,
			   const char *tok, const char **why)
{
	e->kind = kind;
	switch (kind) {
	case PPT_A_MATCH_IDS:
		return ppt_parse_id(tok, &e->id, why);
	case PPT_A_MATCH_DEVICE:
		return ppt_parse_addr(tok, &e->addr, why);
	case PPT_A_MATCH_PATH:
		return ppt_parse_path(tok, &e->path, why);
	case PPT_A_MATCH_VFS:
		return ppt_parse_vfs(tok, &e->vfs, why);
	default:
		*why = "unknown match kind";
		return -EINVAL;
	}
}

bool ppt_addr_same(const struct ppt_addr_match *a,
		   const struct ppt_addr_match *b)
{
	return a->domain == b->domain && a->bus == b->bus &&
	       a->devfn == b->devfn;
}

/* Does the parsed address @m name @pdev? */
bool ppt_addr_is(const struct ppt_addr_match *m, struct pci_dev *pdev)
{
	return m->domain == pci_domain_nr(pdev->bus) &&
	       m->bus == pdev->bus->number && m->devfn == pdev->devfn;
}

/* Do two parsed entries name the same functions the same way? */
static bool ppt_match_same(const struct ppt_match_entry *a,
			   const struct ppt_match_entry *b)
{
	if (a->kind != b->kind)
		return false;
	switch (a->kind) {
	case PPT_A_MATCH_IDS:
		return !memcmp(&a->id, &b->id, sizeof(a->id));
	case PPT_A_MATCH_DEVICE:
		return ppt_addr_same(&a->addr, &b->addr);
	case PPT_A_MATCH_VFS:
		/* one entry per PF, whatever its count */
		return ppt_addr_same(&a->vfs.pf, &b->vfs.pf);
	default:
		return a->path.domain == b->path.domain &&
		       a->path.root_bus == b->path.root_bus &&
		       a->path.nhops == b->path.nhops &&
		       !memcmp(a->path.hops, b->path.hops, a->path.nhops);
	}
}

/* Parse one boot list into entries; bad tokens are logged and skipped. */
static int ppt_match_parse_list(int kind, const char *list)
{
	const char *param = ppt_match_params[kind];
	char tok[PPT_TOKEN_MAX + 1];
	struct ppt_match_entry *e;
	const char *why;
	int len, n = 0;

	while (list && (len = ppt_next_token(&list, tok)) >= 0) {
		if (len > PPT_TOKEN_MAX) {
			pr_warn("%s: ignoring entry \"%s...\": entry too long (max %d characters)\n",
				param, tok, PPT_TOKEN_MAX);
			continue;
		}
		e = kzalloc(sizeof(*e), GFP_KERNEL);
		if (!e)
			return -ENOMEM;
		if (ppt_match_parse(e, kind, tok, &why)) {
			pr_warn("%s: ignoring entry \"%s\": %s\n", param, tok, why);
			kfree(e);
			continue;
		}
		e->boot = true;
		strscpy(e->text, tok, sizeof(e->text));
		mutex_lock(&ppt_match_lock);
		list_add_tail(&e->node, &ppt_match_list);
		mutex_unlock(&ppt_match_lock);
		n++;
	}
	return n;
}

/**
 * ppt_match_init() - parse the boot lists
 * @ids: the ids= parameter, or NULL
 * @devices: the devices= parameter, or NULL
 * @paths: the paths= parameter, or NULL
 * @vfs: the vfs= parameter, or NULL
 *
 * Context: module init.
 * Return: 0 or -ENOMEM.  Malformed entries are logged, not fatal.
 */
int ppt_match_init(const char *ids, const char *devices, const char *paths,
		   const char *vfs)
{
	int nids, ndevs, npaths, nvfs;

	nids = ppt_match_parse_list(PPT_A_MATCH_IDS, ids);
	ndevs = ppt_match_parse_list(PPT_A_MATCH_DEVICE, devices);
	npaths = ppt_match_parse_list(PPT_A_MATCH_PATH, paths);
	nvfs = ppt_match_parse_list(PPT_A_MATCH_VFS, vfs);
	if (nids < 0 || ndevs < 0 || npaths < 0 || nvfs < 0) {
		ppt_match_exit();
		return -ENOMEM;
	}
	if (nids || ndevs || npaths || nvfs)
		pr_info("boot lists: %d ids, %d devices, %d paths, %d vfs\n",
			nids, ndevs, npaths, nvfs);
	return 0;
}

/**
 * ppt_match_exit() - free every entry
 *
 * Context: module init failure or exit.
 */
void ppt_match_exit(void)
{
	struct ppt_match_entry *e, *tmp;

	mutex_lock(&ppt_match_lock);
	list_for_each_entry_safe(e, tmp, &ppt_match_list, node) {
		list_del(&e->node);
		kfree(e);
	}
	ppt_match_gen++;
	mutex_unlock(&ppt_match_lock);
}

/**
 * ppt_match_add() - add a runtime entry
 * @kind: PPT_A_MATCH_IDS, PPT_A_MATCH_DEVICE, PPT_A_MATCH_PATH or
 *	PPT_A_MATCH_VFS
 * @text: one token in the syntax of the matching module parameter (a VF
 *	count only in the boot list: at runtime sriov_numvfs sets it)
 * @pref: the reset preference the devices it takes get (PPT_RESET_AUTO:
 *	none)
 * @why: set to a constant reason on failure
 *
 * Context: process context; takes ppt_match_lock.
 * Return: 0, -EINVAL (malformed), -EEXIST (the same entry is there) or
 * -ENOMEM.
 */
int ppt_match_add(int kind, const char *text, enum ppt_reset_method pref,
		  const char **why)
{
	struct ppt_match_entry *e, *old;
	int ret;

	e = kzalloc(sizeof(*e), GFP_KERNEL);
	if (!e) {
		*why = "out of memory";
		return -ENOMEM;
	}
	ret = ppt_match_parse(e, kind, text, why);
	if (ret)
		goto free;
	if (kind == PPT_A_MATCH_VFS && e->vfs.count) {
		*why = "a VF count is for the boot list (vfs=); at runtime, write sriov_numvfs";
		ret = -EINVAL;
		goto free;
	}
	strscpy(e->text, text, sizeof(e->text));
	e->reset_pref = pref;
	mutex_lock(&ppt_match_lock);
	list_for_each_entry(old, &ppt_match_list, node) {
		if (ppt_match_same(old, e)) {
			mutex_unlock(&ppt_match_lock);
			*why = old->boot ? "a boot list has this entry already" :
					   "this entry exists already";
			ret = -EEXIST;
			goto free;
		}
	}
	list_add_tail(&e->node, &ppt_match_list);
	ppt_match_gen++;
	mutex_unlock(&ppt_match_lock);
	pr_info("%s: added entry \"%s\"\n", ppt_match_params[kind], text);
	return 0;
free:
	kfree(e);
	return ret;
}

/**
 * ppt_match_del() - remove a runtime entry
 * @kind: as for ppt_match_add()
 * @text: the entry, in any spelling that parses to the same match
 * @why: set to a constant reason on failure
 *
 * Context: process context; takes ppt_match_lock.
 * Return: 0, -EINVAL (malformed), -ENOENT (no such entry) or -EPERM (a
 * boot list entry).
 */
int ppt_match_del(int kind, const char *text, const char **why)
{
	struct ppt_match_entry want, *e;
	int ret;

	ret = ppt_match_parse(&want, kind, text, why);
	if (ret)
		return ret;
	mutex_lock(&ppt_match_lock);
	ret = -ENOENT;
	*why = "no such entry";
	list_for_each_entry(e, &ppt_match_list, node) {
		if (!ppt_match_same(e, &want))
			continue;
		if (e->boot) {
			*why = "boot list entries stay until ppt is reloaded";
			ret = -EPERM;
			break;
		}
		list_del(&e->node);
		ppt_match_gen++;
		kfree(e);
		ret = 0;
		break;
	}
	mutex_unlock(&ppt_match_lock);
	if (!ret)
		pr_info("%s: removed entry \"%s\"\n", ppt_match_params[kind], text);
	return ret;
}

/**
 * ppt_dev_path() - the topology path of a PCI function
 * @pdev: the function
 * @path: filled with the dev.fn hops from the root bus down to @pdev
 *
 * Functions deeper than PPT_PATH_MAX_HOPS get a path with nhops == 0, which
 * no parsed entry matches.
 */
void ppt_dev_path(struct pci_dev *pdev, struct ppt_path_match *path)
{
	struct pci_dev *dev;
	int depth = 0, i;

	for (dev = pdev; dev; dev = pci_upstream_bridge(dev))
		depth++;
	memset(path, 0, sizeof(*path));
	path->domain = pci_domain_nr(pdev->bus);
	if (depth > PPT_PATH_MAX_HOPS)
		return;
	i = depth;
	for (dev = pdev; dev; dev = pci_upstream_bridge(dev)) {
		path->hops[--i] = dev->devfn;
		if (!pci_upstream_bridge(dev))
			path->root_bus = dev->bus->number;
	}
	path->nhops = depth;
}

/**
 * ppt_path_is() - does a parsed path name the function at @devpath?
 * @m: the parsed path
 * @devpath: the function's path (ppt_dev_path())
 *
 * Return: true when it does; a function too deep for a path never matches.
 */
bool ppt_path_is(const struct ppt_path_match *m,
		 const struct ppt_path_match *devpath)
{
	return devpath->nhops && m->domain == devpath->domain &&
	       m->root_bus == devpath->root_bus &&
	       m->nhops == devpath->nhops &&
	       !memcmp(m->hops, devpath->hops, devpath->nhops);
}

/* Does entry @e name @pdev, whose topology path is @path? */
static bool ppt_match_entry_dev(const struct ppt_match_entry *e,
				struct pci_dev *pdev,
				const struct ppt_path_match *path)
{
	switch (e->kind) {
	case PPT_A_MATCH_IDS:
		return ppt_id_match_dev(&e->id, pdev->vendor, pdev->device,
					pdev->subsystem_vendor,
					pdev->subsystem_device, pdev->class);
	case PPT_A_MATCH_DEVICE:
		return ppt_addr_is(&e->addr, pdev);
	case PPT_A_MATCH_VFS:
		return pdev->is_virtfn && ppt_addr_is(&e->vfs.pf, pci_physfn(pdev));
	default:
		return ppt_path_is(&e->path, path);
	}
}

/* Does an entry name @pdev?  Only boot entries when @boot_only. */
static bool ppt_match_dev(struct pci_dev *pdev, bool boot_only)
{
	struct ppt_path_match path;
	struct ppt_match_entry *e;
	bool found = false;

	ppt_dev_path(pdev, &path);
	mutex_lock(&ppt_match_lock);
	list_for_each_entry(e, &ppt_match_list, node) {
		if ((e->boot || !boot_only) &&
		    ppt_match_entry_dev(e, pdev, &path)) {
			found = true;
			break;
		}
	}
	mutex_unlock(&ppt_match_lock);
	return found;
}

/**
 * ppt_match_boot_listed() - does a boot list name this function?
 * @pdev: the function
 *
 * Context: process context; takes ppt_match_lock.
 * Return: true when an ids=, devices= or paths= entry matches @pdev.
 */
bool ppt_match_boot_listed(struct pci_dev *pdev)
{
	return ppt_match_dev(pdev, true);
}

/**
 * ppt_match_reset_pref() - the reset preference the match entries give
 * @pdev: the function
 *
 * Context: process context; takes ppt_match_lock (under ppt_table_lock is
 * fine: the documented order).
 * Return: the preference of the first entry naming @pdev that has one, or
 * PPT_RESET_AUTO.
 */
enum ppt_reset_method ppt_match_reset_pref(struct pci_dev *pdev)
{
	enum ppt_reset_method pref = PPT_RESET_AUTO;
	struct ppt_path_match path;
	struct ppt_match_entry *e;

	ppt_dev_path(pdev, &path);
	mutex_lock(&ppt_match_lock);
	list_for_each_entry(e, &ppt_match_list, node) {
		if (e->reset_pref != PPT_RESET_AUTO &&
		    ppt_match_entry_dev(e, pdev, &path)) {
			pref = e->reset_pref;
			break;
		}
	}
	mutex_unlock(&ppt_match_lock);
	return pref;
}

/**
 * ppt_match_wanted() - does any entry, boot or runtime, name this function?
 * @pdev: the function
 *
 * Context: process context; takes ppt_match_lock.
 * Return: true when ppt should take @pdev as it appears.
 */
bool ppt_match_wanted(struct pci_dev *pdev)
{
	return ppt_match_dev(pdev, false);
}

/**
 * ppt_match_vfs_count() - the VF count a boot list gives a PF
 * @pf: the physical function
 *
 * Context: process context; takes ppt_match_lock.
 * Return: the count of the vfs= entry naming @pf, or 0 when none gives one.
 */
u16 ppt_match_vfs_count(struct pci_dev *pf)
{
	struct ppt_match_entry *e;
	u16 count = 0;

	if (!pf->is_physfn)
		return 0;
	mutex_lock(&ppt_match_lock);
	list_for_each_entry(e, &ppt_match_list, node) {
		if (e->kind == PPT_A_MATCH_VFS && e->vfs.count &&
		    ppt_addr_is(&e->vfs.pf, pf)) {
			count = e->vfs.count;
			break;
		}
	}
	mutex_unlock(&ppt_match_lock);
	return count;
}
