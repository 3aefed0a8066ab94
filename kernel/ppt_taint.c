// SPDX-License-Identifier: GPL-2.0-only
/*
 * The taint a previous boot left: the module parameter tainted=.
 *
 * A reboot, or a crash, does not erase an NVMe's media or a GPU's memory,
 * and a function that arrives with no driver after one looks like the
 * host's own.  ppt's own record of which functions went to a tenant and
 * were not sanitised ends with the boot, so userspace keeps it on disk
 * (pptadm agent, from ppt's events) and gives it back: on the kernel
 * command line or modprobe options at load, or by writing this parameter
 * once ppt is loaded (the agent does, at its start, so a list older than
 * the initramfs still counts).
 *
 * Each comma-separated token names a function by address ([domain:]bus:
 * dev.fn) or, stable across bus renumbering, by topology path ([domain:]
 * rootbus/dev.fn[/dev.fn...]).  A named function arrives dirty and
 * tainted: probe (ppt_driver.c) asks ppt_taint_arrive() of every function
 * that arrives (new to the table, or known but detached or being
 * reserved from a host driver), and a write marks the named functions
 * that are reserved now.  The parameter holds no function from its host
 * driver: the boot lists do that.  Their clean, automatic
 * unless auto_clean is off, then owes their sanitiser (ppt_sanitise.c),
 * like any tenant's device.
 *
 * At load a token that does not parse is logged and skipped, as in the
 * boot lists; a write with one is refused whole (-EINVAL, the token
 * logged) and changes nothing.  A write that begins with '+' adds to the
 * list instead of replacing it.
 *
 * Each entry marks one function once: the entries that have marked a
 * function are spent (a function cleaned, released and reserved again
 * later in the boot is the host's), and reading the parameter shows the
 * entries still waiting for theirs.
 *
 * Locking: ppt_taint_lock guards the list and its entries' spent marks;
 * a leaf lock, taken under ppt_table_lock (probe, and a write marking
 * functions).  ppt_taint_write_lock serialises writes and guards
 * ppt_taint_live: a write holds it while it marks functions (taking
 * ppt_table_lock, then ppt_gate_lock through ppt_gate_sync(), under it),
 * so that the module's exit, which clears ppt_taint_live first, never
 * runs beside a write that gates groups and queues cleans.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/moduleparam.h>
#include <linux/slab.h>

#include "ppt.h"

/* One function the list names, by address or by topology path. */
struct ppt_taint_entry {
	bool by_path;
	bool spent;
	struct ppt_addr_match addr;
	struct ppt_path_match path;
	char text[PPT_TOKEN_MAX + 1];
};

struct ppt_taint_list {
	unsigned int n;
	struct ppt_taint_entry e[];
};

/* Guards ppt_taint_list and its entries; a leaf lock (see above). */
static DEFINE_MUTEX(ppt_taint_lock);
static struct ppt_taint_list *ppt_taint_list;
/* Serialises writes; guards ppt_taint_live (see above). */
static DEFINE_MUTEX(ppt_taint_write_lock);
/* Between the end of init and the start of exit: a write marks functions. */
static bool ppt_taint_live;

/* The reason a named function gives while it is dirty. */
static const char ppt_taint_reason[] =
	"a previous boot left it with a tenant's data (tainted=)";

/*
 * Parse @text into a new list, after the @keep entries of @old (an
 * appending write).  @strict: a bad token fails the whole list (-EINVAL);
 * otherwise it is logged and skipped.
 */
static int ppt_taint_parse(const char *text, bool strict,
			   const struct ppt_taint_list *old, unsigned int keep,
			   struct ppt_taint_list **out)
{
	char tok[PPT_TOKEN_MAX + 1];
	struct ppt_taint_list *l;
	unsigned int max = keep + 1;
	const char *p, *why;
	char *t;
	int len, ret;

	for (p = text; *p; p++)
		max += *p == ',';
	l = kzalloc(struct_size(l, e, max), GFP_KERNEL);
	if (!l)
		return -ENOMEM;
	if (keep)
		memcpy(l->e, old->e, keep * sizeof(*l->e));
	l->n = keep;
	p = text;
	while ((len = ppt_next_token(&p, tok)) >= 0) {
		struct ppt_taint_entry *e = &l->e[l->n];

		/* sysfs writes end with a newline */
		t = strim(tok);
		if (!*t)
			continue;
		if (len > PPT_TOKEN_MAX) {
			why = "entry too long";
			ret = -EINVAL;
		} else if (strchr(t, '/')) {
			e->by_path = true;
			ret = ppt_parse_path(t, &e->path, &why);
		} else {
			ret = ppt_parse_addr(t, &e->addr, &why);
		}
		if (!ret) {
			strscpy(e->text, t, sizeof(e->text));
			l->n++;
			continue;
		}
		pr_warn("tainted: %s entry \"%s\": %s\n",
			strict ? "refusing the list: bad" : "ignoring", t, why);
		if (strict) {
			kfree(l);
			return -EINVAL;
		}
		memset(e, 0, sizeof(*e));
	}
	*out = l;
	return 0;
}

/*
 * Does an entry not yet spent name @pdev?  It is spent by this: the
 * caller marks the function.
 *
 * Context: ppt_table_lock held; takes ppt_taint_lock.
 */
static bool ppt_taint_consume(struct pci_dev *pdev)
{
	struct ppt_path_match path;
	struct ppt_taint_list *l;
	bool named = false;
	unsigned int i;

	ppt_dev_path(pdev, &path);
	mutex_lock(&ppt_taint_lock);
	l = ppt_taint_list;
	for (i = 0; l && i < l->n; i++) {
		struct ppt_taint_entry *e = &l->e[i];

		if (e->spent)
			continue;
		if (e->by_path ? ppt_path_is(&e->path, &path) :
				 ppt_addr_is(&e->addr, pdev)) {
			e->spent = true;
			named = true;
		}
	}
	mutex_unlock(&ppt_taint_lock);
	return named;
}

/**
 * ppt_taint_arrive() - a function arrives at ppt: did a previous boot
 * leave it tainted?
 * @pd: its entry: just inserted, or known (detached, or being reserved)
 *	and not tainted
 *
 * When tainted= names it, it is tainted (so it is never reserved) and
 * says why it is dirty.
 *
 * Context: probe, ppt_table_lock held.
 * Return: true when tainted= named it.
 */
bool ppt_taint_arrive(struct ppt_device *pd)
{
	lockdep_assert_held(&ppt_table_lock);
	if (!ppt_taint_consume(pd->pdev))
		return false;
	pd->tainted = true;
	pd->reason = ppt_taint_reason;
	return true;
}

/*
 * A write: mark the reserved functions the list names dirty and tainted,
 * gate their groups and start their cleans.  Functions in other states
 * are left alone: a tenant-free one that is not reserved is dirty,
 * quarantined or on its way through an operation already; a claimed one
 * came to its owner from this boot's pool before the list did.
 *
 * Context: ppt_taint_write_lock held.
 * Return: 0, or -ENOMEM with nothing marked.
 */
static int ppt_taint_mark(void)
{
	struct pci_dev **marked;
	struct ppt_device *pd;
	unsigned int n = 0, max = 0, i;

	mutex_lock(&ppt_table_lock);
	list_for_each_entry(pd, &ppt_table, node)
		max++;
	marked = kcalloc(max ?: 1, sizeof(*marked), GFP_KERNEL);
	if (!marked) {
		mutex_unlock(&ppt_table_lock);
		return -ENOMEM;
	}
	list_for_each_entry(pd, &ppt_table, node) {
		if (pd->state != PPT_STATE_RESERVED ||
		    !ppt_taint_consume(pd->pdev))
			continue;
		pd->tainted = true;
		ppt_table_set_state(pd, PPT_STATE_DIRTY);
		pd->reason = ppt_taint_reason;
		ppt_nl_notify_device(pd, false);
		pci_info(pd->pdev, "dirty: %s\n", ppt_taint_reason);
		marked[n++] = pci_dev_get(pd->pdev);
	}
	mutex_unlock(&ppt_table_lock);
	for (i = 0; i < n; i++) {
		ppt_gate_sync(marked[i]);
		ppt_ops_later(marked[i], PPT_CMD_DEVICE_CLEAN);
		pci_dev_put(marked[i]);
	}
	kfree(marked);
	return 0;
}

/*
 * A list that begins with '+' adds to the one there: sysfs takes one page
 * per write, and a host may keep more functions than a page names.
 */
static int ppt_taint_set(const char *val, const struct kernel_param *kp)
{
	struct ppt_taint_list *l, *old;
	bool append = val[0] == '+';
	int ret;

	mutex_lock(&ppt_taint_write_lock);
	/* only writes change the list, and they hold the write lock */
	old = ppt_taint_list;
	ret = ppt_taint_parse(val + append, ppt_taint_live, old,
			      append && old ? old->n : 0, &l);
	if (ret)
		goto unlock;
	mutex_lock(&ppt_taint_lock);
	ppt_taint_list = l;
	mutex_unlock(&ppt_taint_lock);
	kfree(old);
	/* the list stays: a function it names is still marked as it arrives */
	if (ppt_taint_live)
		ret = ppt_taint_mark();
unlock:
	mutex_unlock(&ppt_taint_write_lock);
	return ret;
}

/* The entries still waiting for their function. */
static int ppt_taint_get(char *buf, const struct kernel_param *kp)
{
	struct ppt_taint_list *l;
	unsigned int i;
	int n = 0;

	mutex_lock(&ppt_taint_lock);
	l = ppt_taint_list;
	for (i = 0; l && i < l->n; i++)
		if (!l->e[i].spent)
			n += scnprintf(buf + n, PAGE_SIZE - n, "%s%s",
				       n ? "," : "", l->e[i].text);
	mutex_unlock(&ppt_taint_lock);
	n += scnprintf(buf + n, PAGE_SIZE - n, "\n");
	return n;
}

/* Called by the module loader's destroy_params() once ppt is gone. */
static void ppt_taint_free(void *arg)
{
	kfree(ppt_taint_list);
	ppt_taint_list = NULL;
}

/* tainted=, declared with the other parameters in ppt_main.c */
const struct kernel_param_ops ppt_taint_param_ops = {
	.set	= ppt_taint_set,
	.get	= ppt_taint_get,
	.free	= ppt_taint_free,
};

/**
 * ppt_taint_start() - from now on a write marks functions
 *
 * Context: the end of module init, once requests can run.
 */
void ppt_taint_start(void)
{
	mutex_lock(&ppt_taint_write_lock);
	ppt_taint_live = true;
	mutex_unlock(&ppt_taint_write_lock);
}

/**
 * ppt_taint_stop() - no write marks functions any more
 *
 * Waits for a write marking functions to finish.
 *
 * Context: the start of module exit, or a failed init.
 */
void ppt_taint_stop(void)
{
	mutex_lock(&ppt_taint_write_lock);
	ppt_taint_live = false;
	mutex_unlock(&ppt_taint_write_lock);
}
