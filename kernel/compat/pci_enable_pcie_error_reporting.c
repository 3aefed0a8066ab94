// SPDX-License-Identifier: GPL-2.0-only
/*
 * Probe: a driver must enable AER error reporting for its device itself
 * (6.1).  From 6.5 the PCI core enables it for every device and the call
 * is gone.  Without it, a fatal error of a function ppt holds would never
 * reach the AER driver, and ppt could not quarantine the function.
 */
#include <linux/aer.h>
#include <linux/pci.h>

int ppt_probe(struct pci_dev *pdev);
int ppt_probe(struct pci_dev *pdev)
{
	return pci_enable_pcie_error_reporting(pdev);
}
