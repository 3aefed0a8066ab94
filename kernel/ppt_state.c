// SPDX-License-Identifier: GPL-2.0-only
/*
 * The device life cycle.  The names here are the ones pptadm prints and the
 * netlink spec documents; keep the three in step.
 */
#include <linux/kernel.h>

#include "ppt_state.h"

static const char * const ppt_state_names[] = {
	[PPT_STATE_UNSPEC]	= "unspec",
	[PPT_STATE_RESERVED]	= "reserved",
	[PPT_STATE_CLAIMED]	= "claimed",
	[PPT_STATE_ASSIGNING]	= "assigning",
	[PPT_STATE_ASSIGNED]	= "assigned",
	[PPT_STATE_UNASSIGNING]	= "unassigning",
	[PPT_STATE_DIRTY]	= "dirty",
	[PPT_STATE_CLEANING]	= "cleaning",
	[PPT_STATE_QUARANTINED]	= "quarantined",
	[PPT_STATE_RELEASING]	= "releasing",
	[PPT_STATE_DETACHED]	= "detached",
};

static_assert(ARRAY_SIZE(ppt_state_names) == __PPT_STATE_MAX);

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
