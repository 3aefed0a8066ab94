/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Choosing how to reset a function: pure logic over the PCI core's method
 * list, no locking or hardware access, so KUnit tests it (tests/kunit),
 * including the device-specific and ACPI methods no emulated device has.
 */
#ifndef PPT_RESET_PLAN_H
#define PPT_RESET_PLAN_H

#include <linux/pci.h>
#include <linux/types.h>
#include <uapi/linux/ppt.h>

/*
 * The PCI core's reset methods, by their index in its method table
 * (drivers/pci/pci.c pci_reset_fn_methods[], the numbers pci_dev's
 * reset_methods[] holds).  The table is not exported; its order is the
 * same in every kernel ppt supports (6.2 appended cxl_bus), and
 * tests/vm/36-reset.sh compares what ppt reports with the names sysfs
 * reset_method prints.
 */
enum ppt_core_reset {
	PPT_CORE_RESET_DEVICE_SPECIFIC = 1,	/* quirk or driver-registered */
	PPT_CORE_RESET_ACPI = 2,		/* the platform's _RST */
	PPT_CORE_RESET_FLR = 3,			/* PCIe FLR */
	PPT_CORE_RESET_AF_FLR = 4,		/* conventional PCI AF FLR */
	PPT_CORE_RESET_PM = 5,			/* D3hot and back */
	PPT_CORE_RESET_BUS = 6,			/* the function's slot or bus */
	PPT_CORE_RESET_CXL_BUS = 7,		/* a CXL port's bus */
};

/**
 * struct ppt_reset_choice - how a reset runs
 * @plan: %PPT_RESET_AUTO: the PCI core's list as it is (the
 *	administrator's order), through __pci_reset_function_locked();
 *	%PPT_RESET_SBR: ppt's bus reset of the whole reset domain; any other
 *	method: the core's list narrowed to @narrow for the call
 * @narrow: for an explicit function-level method, the core's entries for
 *	it in the core's order, 0-terminated
 * @reported: the method to report as the one that ran
 * @inferred: @reported is inferred: the core's order had more than one
 *	method that could run, and the core does not say which one did
 */
struct ppt_reset_choice {
	enum ppt_reset_method plan;
	u8 narrow[PCI_NUM_RESET_METHODS];
	enum ppt_reset_method reported;
	bool inferred;
};

enum ppt_reset_method ppt_reset_from_core(u8 core);
u32 ppt_reset_mask(const u8 *core, bool bus_possible);
int ppt_reset_choose(const u8 *core, enum ppt_reset_method want,
		     bool alone_on_bus, bool bus_possible,
		     struct ppt_reset_choice *c, const char **why);
bool ppt_reset_narrowed_restore(u8 *live, const u8 *narrowed,
				const u8 *saved);

#endif /* PPT_RESET_PLAN_H */
