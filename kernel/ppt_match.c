// SPDX-License-Identifier: GPL-2.0-only
/*
 * The boot lists (module parameters ids=, devices=, paths=) in parsed form,
 * and matching PCI functions against them.
 *
 * The lists are parsed once at module load and are read-only afterwards, so
 * matching needs no lock.  A token that does not parse is logged with the
 * reason and skipped; the rest of the list still applies.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/slab.h>

#include "ppt.h"

struct ppt_boot_lists {
	struct ppt_id_match *ids;
	struct ppt_addr_match *addrs;
	struct ppt_path_match *paths;
	unsigned int nids, naddrs, npaths;
};

static struct ppt_boot_lists boot;

/* An upper bound on the tokens in a list: one more than its commas. */
static unsigned int count_tokens(const char *list)
{
	unsigned int n = 1;

	if (!list || !*list)
		return 0;
	for (; *list; list++)
		n += *list == ',';
	return n;
}

/*
 * Parse one list into an array of @size-byte entries with @parse.  Bad
 * tokens are logged and skipped.  Returns the number of good entries in
 * *out (NULL when none), or -ENOMEM.
 */
static int parse_list(const char *param, const char *list, size_t size,
		      int (*parse)(const char *tok, void *m, const char **why),
		      void **out)
{
	char tok[PPT_TOKEN_MAX + 1];
	unsigned int max = count_tokens(list);
	unsigned int n = 0;
	const char *why;
	void *arr;
	int len;

	*out = NULL;
	if (!max)
		return 0;
	arr = kcalloc(max, size, GFP_KERNEL);
	if (!arr)
		return -ENOMEM;
	while ((len = ppt_next_token(&list, tok)) >= 0) {
		if (len > PPT_TOKEN_MAX) {
			pr_warn("%s: ignoring entry \"%s...\": entry too long (max %d characters)\n",
				param, tok, PPT_TOKEN_MAX);
			continue;
		}
		if (parse(tok, arr + n * size, &why)) {
			pr_warn("%s: ignoring entry \"%s\": %s\n", param, tok, why);
			continue;
		}
		n++;
	}
	if (!n) {
		kfree(arr);
		arr = NULL;
	}
	*out = arr;
	return n;
}

static int parse_id_entry(const char *tok, void *m, const char **why)
{
	return ppt_parse_id(tok, m, why);
}

static int parse_addr_entry(const char *tok, void *m, const char **why)
{
	return ppt_parse_addr(tok, m, why);
}

static int parse_path_entry(const char *tok, void *m, const char **why)
{
	return ppt_parse_path(tok, m, why);
}

/**
 * ppt_match_init() - parse the boot lists
 * @ids: the ids= parameter, or NULL
 * @devices: the devices= parameter, or NULL
 * @paths: the paths= parameter, or NULL
 *
 * Context: module init.
 * Return: 0 or -ENOMEM.  Malformed entries are logged, not fatal.
 */
int ppt_match_init(const char *ids, const char *devices, const char *paths)
{
	void *arr;
	int n;

	n = parse_list("ids", ids, sizeof(*boot.ids), parse_id_entry, &arr);
	if (n < 0)
		goto nomem;
	boot.ids = arr;
	boot.nids = n;

	n = parse_list("devices", devices, sizeof(*boot.addrs),
		       parse_addr_entry, &arr);
	if (n < 0)
		goto nomem;
	boot.addrs = arr;
	boot.naddrs = n;

	n = parse_list("paths", paths, sizeof(*boot.paths), parse_path_entry,
		       &arr);
	if (n < 0)
		goto nomem;
	boot.paths = arr;
	boot.npaths = n;

	if (boot.nids || boot.naddrs || boot.npaths)
		pr_info("boot lists: %u ids, %u devices, %u paths\n",
			boot.nids, boot.naddrs, boot.npaths);
	return 0;
nomem:
	ppt_match_exit();
	return -ENOMEM;
}

/**
 * ppt_match_exit() - free the parsed boot lists
 *
 * Context: module init failure or exit.
 */
void ppt_match_exit(void)
{
	kfree(boot.ids);
	kfree(boot.addrs);
	kfree(boot.paths);
	memset(&boot, 0, sizeof(boot));
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

static bool ppt_path_equal(const struct ppt_path_match *a,
			   const struct ppt_path_match *b)
{
	return a->domain == b->domain && a->root_bus == b->root_bus &&
	       a->nhops == b->nhops && a->nhops &&
	       !memcmp(a->hops, b->hops, a->nhops);
}

/**
 * ppt_match_boot_listed() - does a boot list name this function?
 * @pdev: the function
 *
 * Context: any; the lists are read-only after init.
 * Return: true when an ids=, devices= or paths= entry matches @pdev.
 */
bool ppt_match_boot_listed(struct pci_dev *pdev)
{
	struct ppt_path_match path;
	unsigned int i;

	for (i = 0; i < boot.nids; i++)
		if (ppt_id_match_dev(&boot.ids[i], pdev->vendor, pdev->device,
				     pdev->subsystem_vendor,
				     pdev->subsystem_device, pdev->class))
			return true;
	for (i = 0; i < boot.naddrs; i++)
		if (boot.addrs[i].domain == pci_domain_nr(pdev->bus) &&
		    boot.addrs[i].bus == pdev->bus->number &&
		    boot.addrs[i].devfn == pdev->devfn)
			return true;
	if (!boot.npaths)
		return false;
	ppt_dev_path(pdev, &path);
	for (i = 0; i < boot.npaths; i++)
		if (ppt_path_equal(&boot.paths[i], &path))
			return true;
	return false;
}
