/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Differences between the kernels ppt supports, decided by the Kbuild
 * probes in kernel/compat/ (never by version numbers: stable series
 * backport API changes).  scripts/kcompat.sh writes ppt_compat_gen.h.
 */
#ifndef PPT_COMPAT_H
#define PPT_COMPAT_H

#include <linux/aer.h>
#include <linux/device.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "ppt_compat_gen.h"

/*
 * Set (name non-NULL) or clear (name NULL) the function's driver override,
 * which makes the driver core bind it to that driver only.
 */
static inline int ppt_set_driver_override(struct pci_dev *pdev,
					  const char *name)
{
#ifdef PPT_HAVE_DEVICE_DRIVER_OVERRIDE
	/* NULL is -EINVAL here: the empty string clears */
	return device_set_driver_override(&pdev->dev, name ?: "");
#else
	return driver_set_override(&pdev->dev, &pdev->driver_override,
				   name ?: "", name ? strlen(name) : 0);
#endif
}

/*
 * Set the function's driver override to @name from a context that holds
 * its device_lock (a bus notifier): 6.1's driver_set_override() takes
 * that lock itself, so there the pointer is replaced as it would, under
 * the lock held.  6.12's override has a lock of its own.
 */
static inline int ppt_set_driver_override_locked(struct pci_dev *pdev,
						 const char *name)
{
#ifdef PPT_HAVE_DEVICE_DRIVER_OVERRIDE
	return device_set_driver_override(&pdev->dev, name);
#else
	char *new = kstrdup(name, GFP_KERNEL);
	const char *old;

	if (!new)
		return -ENOMEM;
	device_lock_assert(&pdev->dev);
	old = pdev->driver_override;
	pdev->driver_override = new;
	kfree(old);
	return 0;
#endif
}

/*
 * Is the function's driver override set to the driver called @name?
 *
 * Context: may take device_lock (6.1), so not from probe, remove or a bus
 * notifier that runs under it.
 */
static inline bool ppt_driver_override_is(struct pci_dev *pdev,
					  const char *name)
{
#ifdef PPT_HAVE_DEVICE_DRIVER_OVERRIDE
	/*
	 * What device_match_driver_override() does, spelled out: its
	 * guard(spinlock) is beyond Debian 12's sparse (0.6.4), which reports
	 * a context imbalance in every caller.
	 */
	bool match;

	spin_lock(&pdev->dev.driver_override.lock);
	match = pdev->dev.driver_override.name &&
		!strcmp(pdev->dev.driver_override.name, name);
	spin_unlock(&pdev->dev.driver_override.lock);
	return match;
#else
	bool match;

	device_lock(&pdev->dev);
	match = pdev->driver_override && !strcmp(pdev->driver_override, name);
	device_unlock(&pdev->dev);
	return match;
#endif
}

/*
 * Let a function's uncorrectable errors reach the AER driver, so ppt's
 * error handler sees them.  Kernels without the call enable reporting for
 * every device in the PCI core.
 */
static inline void ppt_enable_error_reporting(struct pci_dev *pdev)
{
#ifdef PPT_HAVE_PCI_ENABLE_PCIE_ERROR_REPORTING
	pci_enable_pcie_error_reporting(pdev);
#endif
}

#endif /* PPT_COMPAT_H */
