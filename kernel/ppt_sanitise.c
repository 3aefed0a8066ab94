// SPDX-License-Identifier: GPL-2.0-only
/*
 * The sanitiser policy: which sanitiser must erase a device's data between
 * tenants, beyond the reset of a clean.
 *
 * A reset puts registers back; it leaves an NVMe namespace's blocks and a
 * GPU's memory as the last tenant left them.  The kernel does not run a
 * sanitiser (that is userspace's job, through VFIO: the agent a clean asks,
 * ppt_agent.c), but it keeps the policy, so what a device needs is known
 * wherever the question is asked, and from boot on: the sanitise= module parameter
 * ("KIND:SELECTOR=SANITISER" entries joined by ';', as sanitiser specs may
 * hold commas), then runtime SANITISE_SET / SANITISE_DEL requests.
 *
 * Selectors: a device address, an ids= entry, or a class (2, 4 or 6 hex
 * digits).  The most specific entry matching a device applies: an
 * address, then ids, then the class with the most digits; among equals
 * the first.  Built-in defaults are class entries: NVMe (0108) nvme,
 * display controllers (03) bar; a device no entry matches is cleaned by
 * reset only ("none").  Setting a default's selector overrides it, and
 * deleting it there restores the default.
 *
 * Locking: ppt_sanitise_lock guards the list and ppt_sanitise_gen.  It is
 * a leaf lock (only allocation and pure matching run under it), taken
 * under ppt_table_lock when a device's attributes are filled in.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/slab.h>

#include "ppt.h"

/* Guards ppt_sanitise_list and ppt_sanitise_gen; a leaf lock. */
DEFINE_MUTEX(ppt_sanitise_lock);
LIST_HEAD(ppt_sanitise_list);

/* Bumped on every change to the list, for netlink dumps. */
unsigned int ppt_sanitise_gen;

/* The built-in defaults, kept in the list like any entry. */
static const struct {
	const char *class;
	const char *spec;
} ppt_sanitise_builtin[] = {
	{ "0108", "nvme" },	/* NVMe: the namespaces' blocks */
	{ "03", "bar" },	/* display controllers: the frame buffer */
};

static const char *ppt_sanitise_kind_name(int kind)
{
	switch (kind) {
	case PPT_A_MATCH_DEVICE:
		return "device";
	case PPT_A_MATCH_IDS:
		return "ids";
	default:
		return "class";
	}
}

/* Parse a selector of @kind into @e. */
static int ppt_sanitise_parse(struct ppt_sanitise_entry *e, int kind,
			      const char *text, const char **why)
{
	e->kind = kind;
	switch (kind) {
	case PPT_A_MATCH_DEVICE:
		return ppt_parse_addr(text, &e->addr, why);
	case PPT_A_MATCH_IDS:
		return ppt_parse_id(text, &e->id, why);
	case PPT_A_SANITISE_CLASS:
		return ppt_parse_class(text, &e->cls, why);
	default:
		*why = "unknown selector kind";
		return -EINVAL;
	}
}

static bool ppt_sanitise_same(const struct ppt_sanitise_entry *a,
			      const struct ppt_sanitise_entry *b)
{
	if (a->kind != b->kind)
		return false;
	switch (a->kind) {
	case PPT_A_MATCH_DEVICE:
		return ppt_addr_same(&a->addr, &b->addr);
	case PPT_A_MATCH_IDS:
		return !memcmp(&a->id, &b->id, sizeof(a->id));
	default:
		return a->cls.class == b->cls.class &&
		       a->cls.mask == b->cls.mask;
	}
}

/* How specifically @e names @pdev: 0 when it does not match it. */
static unsigned int ppt_sanitise_rank(const struct ppt_sanitise_entry *e,
				      struct pci_dev *pdev)
{
	switch (e->kind) {
	case PPT_A_MATCH_DEVICE:
		return ppt_addr_is(&e->addr, pdev) ? 0x300 : 0;
	case PPT_A_MATCH_IDS:
		if (!ppt_id_match_dev(&e->id, pdev->vendor, pdev->device,
				      pdev->subsystem_vendor,
				      pdev->subsystem_device, pdev->class))
			return 0;
		return 0x200;
	default:
		if ((pdev->class ^ e->cls.class) & e->cls.mask)
			return 0;
		return 0x100 + e->cls.digits;
	}
}

/*
 * Put @e in the list, replacing the spec of an entry with its selector.
 * Takes @e over.  Context: ppt_sanitise_lock held.
 */
static void ppt_sanitise_put(struct ppt_sanitise_entry *e)
{
	struct ppt_sanitise_entry *old;

	list_for_each_entry(old, &ppt_sanitise_list, node) {
		if (!ppt_sanitise_same(old, e))
			continue;
		strscpy(old->spec, e->spec, sizeof(old->spec));
		strscpy(old->text, e->text, sizeof(old->text));
		old->boot = e->boot;
		old->is_default = e->is_default;
		ppt_sanitise_gen++;
		kfree(e);
		return;
	}
	list_add_tail(&e->node, &ppt_sanitise_list);
	ppt_sanitise_gen++;
}

static struct ppt_sanitise_entry *ppt_sanitise_new(int kind, const char *text,
						   const char *spec,
						   const char **why, int *err)
{
	struct ppt_sanitise_entry *e;

	*err = ppt_parse_sanitiser(spec, why);
	if (*err)
		return NULL;
	if (strnlen(text, sizeof(e->text)) >= sizeof(e->text)) {
		*why = "selector too long";
		*err = -EINVAL;
		return NULL;
	}
	e = kzalloc(sizeof(*e), GFP_KERNEL);
	if (!e) {
		*why = "out of memory";
		*err = -ENOMEM;
		return NULL;
	}
	*err = ppt_sanitise_parse(e, kind, text, why);
	if (*err) {
		kfree(e);
		return NULL;
	}
	strscpy(e->text, text, sizeof(e->text));
	strscpy(e->spec, spec, sizeof(e->spec));
	return e;
}

/* "none" is a choice to clean by reset only: say what it leaves. */
static void ppt_sanitise_log_none(const char *how, int kind, const char *text,
				  const char *spec)
{
	if (!strcmp(spec, "none"))
		pr_notice("sanitise: %s %s %s: none, its devices are cleaned by reset only; their memory and media keep a tenant's data\n",
			  how, ppt_sanitise_kind_name(kind), text);
}

/**
 * ppt_sanitise_init() - the built-in defaults, then the sanitise= entries
 * @param: the sanitise= parameter, or NULL
 *
 * Context: module init.
 * Return: 0 or -ENOMEM.  Malformed entries are logged and skipped.
 */
int ppt_sanitise_init(const char *param)
{
	struct ppt_sanitise_entry *e;
	const char *why, *p = param;
	char *tok, *sel, *spec;
	int i, kind, err, n = 0;

	tok = kmalloc(PPT_TOKEN_MAX + PPT_SANITISER_MAX + 16, GFP_KERNEL);
	if (!tok)
		return -ENOMEM;
	mutex_lock(&ppt_sanitise_lock);
	for (i = 0; i < ARRAY_SIZE(ppt_sanitise_builtin); i++) {
		e = ppt_sanitise_new(PPT_A_SANITISE_CLASS,
				     ppt_sanitise_builtin[i].class,
				     ppt_sanitise_builtin[i].spec, &why, &err);
		if (!e)
			goto nomem;
		e->builtin = ppt_sanitise_builtin[i].spec;
		e->is_default = true;
		ppt_sanitise_put(e);
	}
	while (p && *p) {
		const char *end = strchrnul(p, ';');
		size_t len = end - p;

		if (len >= PPT_TOKEN_MAX + PPT_SANITISER_MAX + 16) {
			pr_warn("sanitise=: entry \"%.*s...\" skipped: entry too long\n",
				32, p);
			goto next;
		}
		memcpy(tok, p, len);
		tok[len] = '\0';
		if (ppt_parse_sanitise_entry(tok, &kind, &sel, &spec, &why)) {
			pr_warn("sanitise=: entry \"%s\" skipped: %s\n", tok, why);
			goto next;
		}
		e = ppt_sanitise_new(kind, sel, spec, &why, &err);
		if (!e) {
			if (err == -ENOMEM)
				goto nomem;
			pr_warn("sanitise=: entry \"%s:%s\" skipped: %s\n",
				ppt_sanitise_kind_name(kind), sel, why);
			goto next;
		}
		e->boot = true;
		ppt_sanitise_log_none("boot", kind, sel, spec);
		ppt_sanitise_put(e);
		n++;
next:
		p = *end ? end + 1 : end;
	}
	mutex_unlock(&ppt_sanitise_lock);
	kfree(tok);
	if (n)
		pr_info("sanitise=: %d entries\n", n);
	return 0;
nomem:
	mutex_unlock(&ppt_sanitise_lock);
	kfree(tok);
	ppt_sanitise_exit();
	return -ENOMEM;
}

/**
 * ppt_sanitise_exit() - free every entry
 *
 * Context: module init failure or exit.
 */
void ppt_sanitise_exit(void)
{
	struct ppt_sanitise_entry *e, *tmp;

	mutex_lock(&ppt_sanitise_lock);
	list_for_each_entry_safe(e, tmp, &ppt_sanitise_list, node) {
		list_del(&e->node);
		kfree(e);
	}
	ppt_sanitise_gen++;
	mutex_unlock(&ppt_sanitise_lock);
}

/**
 * ppt_sanitise_set() - set a selector's sanitiser
 * @kind: %PPT_A_MATCH_DEVICE, %PPT_A_MATCH_IDS or %PPT_A_SANITISE_CLASS
 * @text: the selector
 * @spec: the sanitiser spec
 * @why: set to a constant reason on failure
 *
 * Context: process context; takes ppt_sanitise_lock.
 * Return: 0, -EINVAL (malformed) or -ENOMEM.
 */
int ppt_sanitise_set(int kind, const char *text, const char *spec,
		     const char **why)
{
	struct ppt_sanitise_entry *e;
	int err;

	e = ppt_sanitise_new(kind, text, spec, why, &err);
	if (!e)
		return err;
	mutex_lock(&ppt_sanitise_lock);
	/* an entry with this selector keeps its place and its builtin */
	ppt_sanitise_put(e);
	mutex_unlock(&ppt_sanitise_lock);
	ppt_sanitise_log_none("set", kind, text, spec);
	return 0;
}

/**
 * ppt_sanitise_del() - remove a selector's entry
 * @kind: as for ppt_sanitise_set()
 * @text: the selector, in any spelling that parses to the same one
 * @why: set to a constant reason on failure
 *
 * A built-in default's selector goes back to the default.
 *
 * Context: process context; takes ppt_sanitise_lock.
 * Return: 0, -EINVAL (malformed) or -ENOENT (nothing to remove).
 */
int ppt_sanitise_del(int kind, const char *text, const char **why)
{
	struct ppt_sanitise_entry want, *e;
	int ret;

	ret = ppt_sanitise_parse(&want, kind, text, why);
	if (ret)
		return ret;
	mutex_lock(&ppt_sanitise_lock);
	ret = -ENOENT;
	*why = "no such entry";
	list_for_each_entry(e, &ppt_sanitise_list, node) {
		if (!ppt_sanitise_same(e, &want))
			continue;
		if (e->is_default) {
			*why = "this is a built-in default: set it to none to clean by reset only";
			break;
		}
		if (e->builtin) {
			strscpy(e->spec, e->builtin, sizeof(e->spec));
			e->boot = false;
			e->is_default = true;
		} else {
			list_del(&e->node);
			kfree(e);
		}
		ppt_sanitise_gen++;
		ret = 0;
		break;
	}
	mutex_unlock(&ppt_sanitise_lock);
	return ret;
}

/**
 * ppt_sanitise_lookup() - the sanitiser the policy gives a device
 * @pdev: the device
 * @spec: receives the spec; "none" when no entry matches
 * @len: size of @spec
 *
 * Context: process context; takes ppt_sanitise_lock.
 */
void ppt_sanitise_lookup(struct pci_dev *pdev, char *spec, size_t len)
{
	const struct ppt_sanitise_entry *e, *best = NULL;
	unsigned int rank, best_rank = 0;

	mutex_lock(&ppt_sanitise_lock);
	list_for_each_entry(e, &ppt_sanitise_list, node) {
		rank = ppt_sanitise_rank(e, pdev);
		if (rank > best_rank) {
			best = e;
			best_rank = rank;
		}
	}
	strscpy(spec, best ? best->spec : "none", len);
	mutex_unlock(&ppt_sanitise_lock);
}

/**
 * ppt_sanitise_owed() - must a sanitiser erase a device before its next user?
 * @pd: the device's entry
 * @spec: receives its sanitiser
 * @len: size of @spec
 *
 * When it may hold a tenant's data (tainted), no sanitiser has run since
 * its tenant, and the policy names one.  The policy as it is now decides:
 * an administrator who sets none for it releases it from the debt (logged
 * where the rule was set).
 *
 * Context: ppt_table_lock held; takes ppt_sanitise_lock.
 * Return: true when it is owed.
 */
bool ppt_sanitise_owed(struct ppt_device *pd, char *spec, size_t len)
{
	lockdep_assert_held(&ppt_table_lock);
	if (!pd->tainted || pd->sanitised)
		return false;
	ppt_sanitise_lookup(pd->pdev, spec, len);
	return strcmp(spec, "none") != 0;
}
