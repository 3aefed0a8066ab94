// SPDX-License-Identifier: GPL-2.0-only
/*
 * The device life cycle.
 */
#include <linux/kernel.h>

#include "ppt_state.h"

static const char * const ppt_state_names[] = PPT_STATE_NAMES;

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
