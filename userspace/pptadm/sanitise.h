/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Sanitisers: what erases a tenant's data from a device, beyond the reset
 * ppt's clean does.  A sanitiser is named by a spec, NAME[:ARG]:
 *
 *	nvme[:METHOD]	erase every namespace of an NVMe controller (nvme.h;
 *			METHOD auto, sanitize-crypto, sanitize-block,
 *			format-crypto, format-user, write-zeroes, overwrite)
 *			and read sampled blocks back
 *	bar[:BARS]	zero memory BARs and read them back (sanitise_bar.h;
 *			BARS prefetchable, memory, or numbers "0,2")
 *	exec:PROGRAM	run PROGRAM (an absolute path) on the device
 *			(sanitise_exec.c), for what the others cannot reach
 *
 * A sanitiser runs on a device that ppt has assigned to vfio-pci and that
 * nobody else has open: pptadm opens it through VFIO itself.
 */
#ifndef PPTADM_SANITISE_H
#define PPTADM_SANITISE_H

#include <stdint.h>
#include <stdio.h>

#include "output.h"

#include "nvme.h"
#include "sanitise_bar.h"

enum sanitiser_kind { SANITISER_NVME, SANITISER_BAR, SANITISER_EXEC };

#define SANITISER_PROG_MAX	256

struct sanitiser_spec {
	enum sanitiser_kind kind;
	enum nvme_erase erase;		/* nvme */
	enum bar_which bars;		/* bar */
	uint32_t bar_mask;		/* bar, BARS_LISTED */
	char prog[SANITISER_PROG_MAX];	/* exec */
};

/* Parse NAME[:ARG].  0, or -EINVAL with the bad part named in err. */
int sanitiser_parse(const char *text, struct sanitiser_spec *s, char *err, size_t errlen);

/*
 * The sanitiser a device's class calls for, or NULL: nvme for an NVMe
 * controller (class 0108, any programming interface), bar for a display
 * controller (class 03: VGA, XGA, 3D; its frame buffer).
 */
const char *sanitiser_default(uint32_t pci_class);

/* What a sanitiser did. */
struct sanitise_result {
	char method[32];	/* nvme: the erase that ran; bar: "zero" */
	char offered[160];	/* nvme: what the controller offers */
	char verified[256];	/* what was read back */
	char why[512];		/* on failure */
	long long ms;		/* how long it took */
};

/*
 * Run sanitiser s on addr, opening it through VFIO; an erase gets
 * timeout_s seconds.  baselines: NULL, or the directory of kept NVMe
 * controller baselines (baseline_kept.h) the controller is compared with
 * (the agent's).  Returns 0 when it erased and verified, else a negative
 * errno with r->why (-EIO: the controller differs from its baseline).
 */
int sanitise_run(const char *addr, const struct sanitiser_spec *s, unsigned int timeout_s,
		 const char *baselines, struct sanitise_result *r);

/*
 * Inspect addr with sanitiser s, erasing nothing: for nvme, the
 * controller's baseline is kept in baselines when none is, else compared
 * with it (a difference fails, named in r->why); r->method is "inspect"
 * and r->verified says which.  The other sanitisers keep no baseline:
 * -EOPNOTSUPP.
 */
int sanitise_inspect(const char *addr, const struct sanitiser_spec *s, const char *baselines,
		     struct sanitise_result *r);

/*
 * The exec sanitiser: run prog on addr (sanitise_exec.c).  0 when it
 * exited 0, else a negative errno with r->why.
 */
int sanitise_exec(const char *addr, const char *prog, unsigned int timeout_s,
		  struct sanitise_result *r);

/*
 * A result as sanitise run prints it: lines on out (a failure: on err),
 * or one JSON object on out.  ret: sanitise_run()'s.
 */
void sanitise_result_print(FILE *out, FILE *err, enum out_format fmt, const char *addr,
			   const char *spec, int ret, const struct sanitise_result *r);

/*
 * An NVMe controller's baseline (nvme.h), as its one-line text, taken
 * through VFIO.  0, or a negative errno with why.
 */
int sanitise_nvme_baseline(const char *addr, char *text, size_t len, char *why, size_t whylen);

#endif /* PPTADM_SANITISE_H */
