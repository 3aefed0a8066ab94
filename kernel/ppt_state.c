// SPDX-License-Identifier: GPL-2.0-only
/*
 * The device life cycle: which state changes are legal, and why the others
 * are not.  docs/design.md draws the graph.  Pure logic, tested by KUnit
 * (tests/kunit/ppt_state_test.c), so every rule here has a test.
 *
 * One table serves requests and completions alike: a request moves a
 * stable state into a transitional one (or another stable one), and the
 * work item that carries it out completes it from the transitional state.
 */
#include <linux/bits.h>
#include <linux/errno.h>
#include <linux/kernel.h>

#include "ppt_state.h"

static const char * const ppt_state_names[] = PPT_STATE_NAMES;

static_assert(ARRAY_SIZE(ppt_state_names) == __PPT_STATE_MAX);

#define S(x)	BIT(PPT_STATE_##x)

/* allowed[from] is the set of states a device in "from" may move to. */
static const u32 allowed[__PPT_STATE_MAX] = {
	[PPT_STATE_RESERVED]	= S(CLAIMED) | S(CLEANING) | S(RESETTING) |
				  S(RELEASING) | S(QUARANTINED) | S(DETACHED) |
				  S(SANITISING),
	[PPT_STATE_CLAIMED]	= S(RESERVED) | S(ASSIGNING) | S(QUARANTINED) |
				  S(DETACHED),
	[PPT_STATE_ASSIGNING]	= S(ASSIGNED) | S(CLAIMED),
	[PPT_STATE_ASSIGNED]	= S(UNASSIGNING) | S(DIRTY),
	[PPT_STATE_UNASSIGNING]	= S(DIRTY) | S(ASSIGNED),
	[PPT_STATE_DIRTY]	= S(CLEANING) | S(RESETTING) | S(RELEASING) |
				  S(QUARANTINED) | S(DETACHED) | S(SANITISING),
	[PPT_STATE_CLEANING]	= S(RESERVED) | S(QUARANTINED),
	[PPT_STATE_QUARANTINED]	= S(CLEANING) | S(RESETTING) | S(DIRTY) |
				  S(RELEASING) | S(DETACHED) | S(SANITISING),
	[PPT_STATE_RELEASING]	= S(RESERVED) | S(DIRTY) | S(QUARANTINED) |
				  S(DETACHED),
	[PPT_STATE_DETACHED]	= S(RESERVING) | S(RELEASING),
	[PPT_STATE_RESERVING]	= S(RESERVED) | S(DETACHED),
	[PPT_STATE_RESETTING]	= S(RESERVED) | S(DIRTY) | S(QUARANTINED),
	/*
	 * The group's reserved functions go along with the one that owes a
	 * sanitiser, and come back as they were; a sanitiser that stays in
	 * the group past its end leaves it detached (with vfio-pci).
	 */
	[PPT_STATE_SANITISING]	= S(RESERVED) | S(DIRTY) | S(QUARANTINED) |
				  S(DETACHED),
};

/**
 * ppt_state_name() - the printable name of a state
 * @state: the state
 *
 * Return: a constant string; "invalid" for a value outside enum ppt_state.
 */
const char *ppt_state_name(enum ppt_state state)
{
	if ((unsigned int)state >= ARRAY_SIZE(ppt_state_names))
		return "invalid";
	return ppt_state_names[state];
}

/**
 * ppt_state_is_transitional() - is an operation running on the device?
 * @state: the state
 *
 * Return: true for the states an operation holds while it runs.
 */
bool ppt_state_is_transitional(enum ppt_state state)
{
	switch (state) {
	case PPT_STATE_ASSIGNING:
	case PPT_STATE_UNASSIGNING:
	case PPT_STATE_CLEANING:
	case PPT_STATE_RELEASING:
	case PPT_STATE_RESERVING:
	case PPT_STATE_RESETTING:
	case PPT_STATE_SANITISING:
		return true;
	default:
		return false;
	}
}

/*
 * Why "from" cannot move to "to": the most specific reason first, so the
 * caller's message names what to do about it.
 */
static int refusal(enum ppt_state from, enum ppt_state to, const char **why)
{
	if (ppt_state_is_transitional(from)) {
		*why = "an operation is in progress on the device";
		return -EBUSY;
	}
	switch (from) {
	case PPT_STATE_QUARANTINED:
		*why = "device is quarantined: an administrator must clear it";
		return -EIO;
	case PPT_STATE_DETACHED:
		*why = "device is bound to another driver, not to ppt";
		return -ENODEV;
	case PPT_STATE_DIRTY:
		*why = "device is dirty: it must be cleaned first";
		return -EUCLEAN;
	case PPT_STATE_ASSIGNED:
		*why = "device is assigned: unassign it first";
		return -EBUSY;
	default:
		break;
	}
	switch (to) {
	case PPT_STATE_CLAIMED:
		*why = "device is already claimed";
		return -EBUSY;
	case PPT_STATE_ASSIGNING:
		*why = "device must be claimed before it is assigned";
		return -EINVAL;
	case PPT_STATE_UNASSIGNING:
		*why = "device is not assigned";
		return -EINVAL;
	case PPT_STATE_RESERVED:
		*why = "device is not claimed";
		return -EINVAL;
	case PPT_STATE_DIRTY:
		*why = "only a quarantined device can be cleared";
		return -EINVAL;
	case PPT_STATE_RELEASING:
		*why = "a claimed device must be unclaimed before release";
		return -EBUSY;
	case PPT_STATE_RESERVING:
		*why = "device is already held by ppt";
		return -EALREADY;
	case PPT_STATE_CLEANING:
	case PPT_STATE_RESETTING:
	case PPT_STATE_SANITISING:
		*why = "a claimed device must be unclaimed before it is reset";
		return -EBUSY;
	default:
		*why = "state change not allowed";
		return -EINVAL;
	}
}

/**
 * ppt_state_check() - may a device move from one state to another?
 * @from: its state now
 * @to: the state asked for
 * @why: set to a constant reason when the answer is no
 *
 * Return: 0 when the change is legal, otherwise a negative errno that says
 * why: -EBUSY (an operation runs, or the device is claimed or assigned),
 * -EUCLEAN (dirty), -EIO (quarantined), -ENODEV (held by another driver),
 * -EALREADY, or -EINVAL.
 */
int ppt_state_check(enum ppt_state from, enum ppt_state to, const char **why)
{
	if ((unsigned int)from >= __PPT_STATE_MAX ||
	    (unsigned int)to >= __PPT_STATE_MAX ||
	    from == PPT_STATE_UNSPEC || to == PPT_STATE_UNSPEC) {
		*why = "invalid state";
		return -EINVAL;
	}
	if (allowed[from] & BIT(to))
		return 0;
	return refusal(from, to, why);
}
