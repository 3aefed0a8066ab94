/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The NVMe controller baselines the sanitise agent keeps: what a tenant
 * could change on a controller without an erase undoing it (firmware and
 * its slots, the namespaces, their sizes and formats: nvme.h's struct
 * nvme_baseline), one file per controller in /var/lib/ppt/baseline
 * ($PPT_BASELINE_DIR names another), named by its PCI address.
 *
 * pptadm reserve (and add) keeps the baseline of a controller it takes
 * from the host's nvme driver, read through that driver before ppt takes
 * it: the host's own controller, before any tenant had it.
 *
 * Each erase the agent runs on a controller first takes the controller's
 * baseline as the tenant left it.  With none kept for it, that one is
 * kept; otherwise the two are compared, and any difference fails the
 * sanitise (the kernel quarantines the device) naming it.  An
 * administrator who accepts a change removes the file; the next erase
 * keeps the new baseline.
 *
 * A controller ppt claims at boot (ppt.ids=, ppt.devices=) never had the
 * host's driver: its first baseline is the one its first erase keeps, and
 * a change its first tenant made is not caught.
 */
#ifndef PPTADM_BASELINE_KEPT_H
#define PPTADM_BASELINE_KEPT_H

#include <stdbool.h>
#include <stddef.h>

#include "nvme.h"

#define BASELINE_DIR_DEFAULT	"/var/lib/ppt/baseline"

/* The directory: $PPT_BASELINE_DIR, else BASELINE_DIR_DEFAULT. */
const char *baseline_dir(void);

/*
 * Compare now, addr's controller as its tenant left it, with the baseline
 * kept for it in dir, or keep now when none is.  0: the same, or kept now
 * (note says which); 1: it differs (why names the file and every
 * difference); a negative errno when the kept one cannot be read or does
 * not parse (why).  Failing to keep a new one is not an error: note says
 * so.
 */
int baseline_kept_check(const char *dir, const char *addr, const struct nvme_baseline *now,
			char *note, size_t notelen, char *why, size_t whylen);

/* Is a baseline kept for addr in dir? */
bool baseline_kept_has(const char *dir, const char *addr);

/*
 * Keep b as addr's baseline in dir (its directories made), replacing any
 * kept before.  0, or a negative errno with err.
 */
int baseline_kept_store(const char *dir, const char *addr, const struct nvme_baseline *b,
			char *err, size_t errlen);

#endif
