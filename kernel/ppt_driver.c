// SPDX-License-Identifier: GPL-2.0-only
/*
 * The "ppt" PCI driver.  Binding a function to ppt is what keeps host
 * drivers off it: a function has one driver at a time.  ppt's probe does not
 * touch the hardware; it records the function in the device table as
 * reserved.
 */
#include "ppt.h"

/*
 * No static ids: ppt binds only the functions it is told to, through the
 * boot lists and runtime requests, never every function of some model.
 */
static const struct pci_device_id ppt_pci_ids[] = {
	{ }
};
MODULE_DEVICE_TABLE(pci, ppt_pci_ids);

static int ppt_pci_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	bool listed = ppt_match_boot_listed(pdev);
	int ret;

	ret = ppt_table_add(pdev, listed);
	if (ret)
		return ret;
	pci_info(pdev, "reserved by ppt%s\n", listed ? " (boot list)" : "");
	return 0;
}

static void ppt_pci_remove(struct pci_dev *pdev)
{
	ppt_table_del(pdev);
	pci_info(pdev, "no longer reserved by ppt\n");
}

struct pci_driver ppt_pci_driver = {
	.name			= KBUILD_MODNAME,
	.id_table		= ppt_pci_ids,
	.probe			= ppt_pci_probe,
	.remove			= ppt_pci_remove,
	/*
	 * ppt never does DMA with the functions it holds, so it leaves the
	 * IOMMU group's DMA ownership alone; without this, vfio could not
	 * take a group in which ppt holds a function.
	 */
	.driver_managed_dma	= true,
};
