/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The device life cycle (enum ppt_state in the uapi header): which state
 * changes are legal.  Pure logic, tested by KUnit.
 */
#ifndef PPT_STATE_H
#define PPT_STATE_H

#include <linux/types.h>
#include <uapi/linux/ppt.h>

const char *ppt_state_name(enum ppt_state state);
bool ppt_state_is_transitional(enum ppt_state state);
int ppt_state_check(enum ppt_state from, enum ppt_state to, const char **why);

#endif /* PPT_STATE_H */
