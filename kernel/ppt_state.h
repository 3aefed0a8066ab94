/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The device life cycle (enum ppt_state in the uapi header).  Pure logic,
 * tested by KUnit.
 */
#ifndef PPT_STATE_H
#define PPT_STATE_H

#include <uapi/linux/ppt.h>

const char *ppt_state_name(enum ppt_state state);

#endif /* PPT_STATE_H */
