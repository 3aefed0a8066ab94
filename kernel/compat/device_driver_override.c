// SPDX-License-Identifier: GPL-2.0-only
/*
 * Probe: the driver override lives in struct device, set through
 * device_set_driver_override() (Debian's 6.12.117; upstream 6.17), instead
 * of pci_dev::driver_override set through driver_set_override() (6.1).
 * ppt sets the override to keep host drivers off the functions it reserves.
 */
#include <linux/device.h>

int ppt_probe(struct device *dev);
int ppt_probe(struct device *dev)
{
	return device_set_driver_override(dev, "ppt");
}
