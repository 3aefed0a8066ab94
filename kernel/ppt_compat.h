/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Differences between the kernels ppt supports, decided by the Kbuild
 * probes in kernel/compat/ (never by version numbers: stable series
 * backport API changes).  scripts/kcompat.sh writes ppt_compat_gen.h.
 */
#ifndef PPT_COMPAT_H
#define PPT_COMPAT_H

#include <linux/device.h>
#include <linux/pci.h>

#include "ppt_compat_gen.h"

/*
 * Set (name non-NULL) or clear (name NULL) the function's driver override,
 * which makes the driver core bind it to that driver only.
 */
static inline int ppt_set_driver_override(struct pci_dev *pdev,
					  const char *name)
{
#ifdef PPT_HAVE_DEVICE_DRIVER_OVERRIDE
	return device_set_driver_override(&pdev->dev, name);
#else
	return driver_set_override(&pdev->dev, &pdev->driver_override,
				   name ?: "", name ? strlen(name) : 0);
#endif
}

#endif /* PPT_COMPAT_H */
