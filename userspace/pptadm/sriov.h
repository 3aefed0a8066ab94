/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * SR-IOV: the relations of virtual functions (VFs) and physical functions
 * (PFs) as sysfs shows them, and pptadm sriov PF COUNT, which sets a PF's
 * VF count with ppt holding every VF (add --vfs and remove use it too).
 *
 * Every path is read below a root ("" for the live system), so the tests
 * run it on a fake tree; the decision what to do is sriov_decide(), a pure
 * function of what was read.
 */
#ifndef PPTADM_SRIOV_H
#define PPTADM_SRIOV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ctx.h"
#include "output.h"

/* A device's SR-IOV relations (output.h's struct out_sriov) from sysfs. */
void sriov_read(const char *root, const char *addr, struct out_sriov *s);
/* ... for each device of a list. */
void sriov_fill(const char *root, struct out_device *devs, size_t n);

/* One VF of a PF, and what ppt says of it. */
struct sriov_vf {
	char addr[PPT_ADDR_BUFLEN];
	unsigned int index;		/* K of the PF's virtfnK */
	char driver[64];		/* "" for none */
	bool managed;			/* ppt knows it: */
	uint32_t state;			/* enum ppt_state */
};

/* A PF as sysfs shows it. */
struct sriov_pf {
	char addr[PPT_ADDR_BUFLEN];
	bool exists;			/* its sysfs directory is there */
	char physfn[PPT_ADDR_BUFLEN];	/* it is a VF itself: its PF */
	bool capable;			/* sriov_totalvfs is there */
	unsigned int totalvfs, numvfs;
	char driver[64];		/* "" for none */
	struct sriov_vf *vfs;		/* by index */
	size_t nvfs;
};

/* Read a PF (addr canonical); 0 or -ENOMEM.  Free with sriov_pf_free(). */
int sriov_pf_read(const char *root, const char *addr, struct sriov_pf *p);
void sriov_pf_free(struct sriov_pf *p);

/* Mark the VFs ppt manages, with their states, from its device list. */
void sriov_pf_mark(struct sriov_pf *p, const struct out_device *kern, size_t nkern);

/* What else there is: whether ppt is loaded, and its vfs matches of the PF. */
struct sriov_env {
	bool ppt;			/* the module answers */
	bool boot_match;		/* a vfs= boot list entry names the PF */
	bool runtime_match;		/* a runtime vfs match names it */
};

/* What sriov PF COUNT does, in this order. */
struct sriov_plan {
	bool add_match;		/* add a runtime vfs match for the PF */
	bool write_zero;	/* remove the VFs there are first */
	bool write_count;	/* write COUNT to sriov_numvfs (not 0) */
	bool del_match;		/* delete the runtime vfs match afterwards */
};

/*
 * Decide what setting the PF's VF count to want takes (sriov_drivers_
 * autoprobe is set to 0 in any case).  Returns 0 and the plan, or a
 * negative errno with the reason in why: -ENODEV no such device or no
 * SR-IOV capability (a VF, say), -ERANGE want above sriov_totalvfs,
 * -ENOENT ppt not loaded (nothing would hold new VFs), -EBUSY a VF is in
 * use (each named: its driver, or its state).
 */
int sriov_decide(const struct sriov_pf *p, unsigned int want,
		 const struct sriov_env *env, struct sriov_plan *plan,
		 char *why, size_t whylen);

/* Is a VF idle: no driver but ppt's, and reserved, dirty or quarantined? */
bool sriov_vf_idle(const struct sriov_vf *vf);

/*
 * Write value to a PF's sysfs attribute (sriov_numvfs,
 * sriov_drivers_autoprobe).  0 or a negative errno.
 */
int sriov_write(const char *root, const char *addr, const char *attr,
		unsigned int value);

/* What a refused sriov_numvfs write means, for the message. */
const char *sriov_write_why(int err);

/*
 * Set the PF's VF count to want, as pptadm sriov does (the caller holds
 * the boot lists lock); errors are reported.  *match_changed says whether
 * a runtime vfs match was added or deleted, *req_id the match add's
 * request.  Returns 0 or EXIT_FAIL.
 */
int sriov_apply(struct ctx *c, const char *pf, unsigned int want,
		bool *match_changed, uint64_t *req_id);

/*
 * The PF's VFs as rows (the kernel's view where ppt manages them, else
 * sysfs's), malloc()ed; NULL without memory.  Reloads c->kern.
 */
struct out_device *sriov_rows(struct ctx *c, const char *pf, size_t *n);

#endif /* PPTADM_SRIOV_H */
