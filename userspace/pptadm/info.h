/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * check and version: what pptadm can say about the host and the module.
 */
#ifndef PPTADM_INFO_H
#define PPTADM_INFO_H

#include <stdbool.h>
#include <stddef.h>

/*
 * The loaded module's version, from ROOT/sys/module/ppt/version ("" for
 * the live system): true with it in buf, false when ppt is not loaded (or
 * says no version: buf is then "").
 */
bool info_module_version(const char *root, char *buf, size_t len);

#endif /* PPTADM_INFO_H */
