// SPDX-License-Identifier: GPL-2.0-only
/*
 * Choosing how to reset a function.
 *
 * The PCI core knows how each function can be reset, and in which order
 * to try: its list (sysfs reset_method) starts with a device-specific
 * method where a quirk or a driver such as vendor-reset registered one
 * (NVMe controllers that need a delay after FLR, GPUs whose FLR hangs),
 * then the platform's ACPI _RST, FLR, PM and a bus reset; an
 * administrator may reorder or shorten it.  So "auto" runs that list as it
 * is: ppt never picks a method behind the quirks' backs.  Only when the
 * list has nothing that can reset the function alone (the per-function
 * bus method refuses when the function shares its bus: a GPU and its
 * audio function in one slot) does ppt reset the whole reset domain
 * itself.  An explicit method narrows the list to that method for the one
 * call, and never to a method the administrator removed.
 *
 * Everything here is pure: the caller reads the list (under pci_dev_lock
 * when it runs the reset) and the bus facts.
 */
#include <linux/errno.h>
#include <linux/string.h>

#include "ppt_reset_plan.h"

/**
 * ppt_reset_from_core() - which ppt method a PCI core method is
 * @core: the core's method index (enum ppt_core_reset)
 *
 * Return: the enum ppt_reset_method, or %PPT_RESET_AUTO for an index ppt
 * does not know (a method a later kernel added).
 */
enum ppt_reset_method ppt_reset_from_core(u8 core)
{
	switch (core) {
	case PPT_CORE_RESET_DEVICE_SPECIFIC:
		return PPT_RESET_DEVICE_SPECIFIC;
	case PPT_CORE_RESET_ACPI:
		return PPT_RESET_ACPI;
	case PPT_CORE_RESET_FLR:
	case PPT_CORE_RESET_AF_FLR:
		return PPT_RESET_FLR;
	case PPT_CORE_RESET_PM:
		return PPT_RESET_PM;
	case PPT_CORE_RESET_BUS:
	case PPT_CORE_RESET_CXL_BUS:
		return PPT_RESET_SBR;
	default:
		return PPT_RESET_AUTO;
	}
}

/* No way to reset it: set the reason, return -EOPNOTSUPP. */
static int ppt_reset_no(const char **why, const char *text)
{
	*why = text;
	return -EOPNOTSUPP;
}

/* Can the core's method reset the function without touching another? */
static bool ppt_reset_core_alone(u8 core, bool alone_on_bus)
{
	if (ppt_reset_from_core(core) == PPT_RESET_SBR)
		return alone_on_bus;
	return true;
}

/**
 * ppt_reset_mask() - the methods a function supports, as ppt reports them
 * @core: the core's list, 0-terminated within %PCI_NUM_RESET_METHODS
 * @bus_possible: the parent bridge can reset the function's bus
 *
 * Every method in the core's list, except that sbr follows the bridge
 * (the core leaves "bus" out for a function that shares its bus, which
 * ppt resets as a domain; and lists it for a lone function whose bridge
 * ppt may not be able to use).
 *
 * Return: BIT(enum ppt_reset_method) for each method.
 */
u32 ppt_reset_mask(const u8 *core, bool bus_possible)
{
	u32 mask = 0;
	int i;

	for (i = 0; i < PCI_NUM_RESET_METHODS && core[i]; i++)
		if (ppt_reset_from_core(core[i]) != PPT_RESET_AUTO)
			mask |= BIT(ppt_reset_from_core(core[i]));
	mask &= ~BIT(PPT_RESET_SBR);
	if (bus_possible)
		mask |= BIT(PPT_RESET_SBR);
	return mask;
}

/**
 * ppt_reset_choose() - decide how a reset runs
 * @core: the core's list (pci_dev reset_methods[]), 0-terminated within
 *	%PCI_NUM_RESET_METHODS
 * @want: the method asked for (auto: the core's order)
 * @alone_on_bus: no other function shares the function's bus
 * @bus_possible: the parent bridge can reset the bus (not a root bus)
 * @c: receives the decision
 * @why: set to a constant reason when there is none
 *
 * Return: 0, -EINVAL for a method ppt does not know, or -EOPNOTSUPP when
 * the function cannot be reset that way.
 */
int ppt_reset_choose(const u8 *core, enum ppt_reset_method want,
		     bool alone_on_bus, bool bus_possible,
		     struct ppt_reset_choice *c, const char **why)
{
	int i, n = 0, usable = 0;

	memset(c, 0, sizeof(*c));
	if ((unsigned int)want > PPT_RESET_MAX) {
		*why = "unknown reset method";
		return -EINVAL;
	}
	if (want == PPT_RESET_AUTO) {
		for (i = 0; i < PCI_NUM_RESET_METHODS && core[i]; i++) {
			if (ppt_reset_from_core(core[i]) == PPT_RESET_AUTO ||
			    !ppt_reset_core_alone(core[i], alone_on_bus))
				continue;
			if (!usable++)
				c->reported = ppt_reset_from_core(core[i]);
		}
		if (usable) {
			c->plan = PPT_RESET_AUTO;
			c->inferred = usable > 1;
			return 0;
		}
		if (!bus_possible) {
			if (core[0])
				return ppt_reset_no(why,
						    "no reset method of the device resets it alone, and its bus has no bridge to reset");
			return ppt_reset_no(why,
					    "the device has no reset method (or an administrator removed them all from sysfs reset_method)");
		}
		want = PPT_RESET_SBR;
	}
	if (want == PPT_RESET_SBR) {
		if (!bus_possible) {
			*why = "the device's bus cannot be reset (a root bus has no bridge)";
			return -EOPNOTSUPP;
		}
		c->plan = PPT_RESET_SBR;
		c->reported = PPT_RESET_SBR;
		return 0;
	}
	for (i = 0; i < PCI_NUM_RESET_METHODS && core[i]; i++)
		if (ppt_reset_from_core(core[i]) == want)
			c->narrow[n++] = core[i];
	if (!n)
		return ppt_reset_no(why,
				    "the device does not support this reset method (or an administrator removed it from sysfs reset_method)");
	c->plan = want;
	c->reported = want;
	return 0;
}

/**
 * ppt_reset_narrowed_restore() - put the administrator's list back
 * @live: the function's list now (pci_dev reset_methods[])
 * @narrowed: what ppt wrote there for its call
 * @saved: the list before ppt narrowed it
 *
 * sysfs reset_method writes the list without a lock ppt can take, so an
 * administrator may have written a new one while ppt's reset ran: that
 * one stays.  (A write that lands between this comparison and the copy is
 * lost: the remaining race, in docs/design.md.)
 *
 * Return: true when @saved was put back.
 */
bool ppt_reset_narrowed_restore(u8 *live, const u8 *narrowed, const u8 *saved)
{
	if (memcmp(live, narrowed, PCI_NUM_RESET_METHODS))
		return false;
	memcpy(live, saved, PCI_NUM_RESET_METHODS);
	return true;
}
