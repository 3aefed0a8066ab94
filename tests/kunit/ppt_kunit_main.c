// SPDX-License-Identifier: GPL-2.0-only
/*
 * ppt_kunit.ko: KUnit suites for the pure logic of ppt.ko.
 *
 * The suites live in the other files of this module (one per file of
 * kernel/ under test); KUnit runs them when the module is loaded and leaves
 * the results in /sys/kernel/debug/kunit/<suite>/results and in the kernel
 * log.  Build and run: scripts/rig/kunit-run.py (see tests/kunit/README.md).
 */
#include <linux/module.h>

MODULE_DESCRIPTION("KUnit tests for ppt (PCI passthrough reservation)");
MODULE_LICENSE("GPL");
