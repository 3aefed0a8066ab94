/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pptadm's commands, each run with a context (ctx.h) and returning the
 * exit status: 0, EXIT_FAIL or EXIT_USAGE.  pptadm.c dispatches to them.
 *
 *	listing.c	list, show, export
 *	change.c	reserve, release, claim, unclaim, take, assign,
 *			unassign, reset, clean, set, match
 *	bootlists.c	add, remove
 *	sriov.c		sriov
 *	run.c		run
 *	monitor.c	monitor
 *	info.c		check, version
 *	sanitise_cmd.c	sanitise
 *	agent.c		agent
 */
#ifndef PPTADM_CMDS_H
#define PPTADM_CMDS_H

#include "ctx.h"

int cmd_list(struct ctx *c);
int cmd_show(struct ctx *c);
/* export FORMAT (listing.c too) */
int cmd_export(struct ctx *c);

/* reserve, release, assign, unassign, reset, clean, set; one-device claim, unclaim */
int cmd_change(struct ctx *c);
int cmd_claim(struct ctx *c);
int cmd_unclaim(struct ctx *c);
int cmd_assign(struct ctx *c);
int cmd_take(struct ctx *c);
int cmd_match(struct ctx *c);

int cmd_add(struct ctx *c);
int cmd_remove(struct ctx *c);
int cmd_sriov(struct ctx *c);

int cmd_run(struct ctx *c);
int cmd_monitor(struct ctx *c);
int cmd_check(struct ctx *c);
int cmd_version(struct ctx *c);
int cmd_sanitise(struct ctx *c);
int cmd_agent(struct ctx *c);

/* What claim and run ask the kernel for, and how messages name it. */
struct claim_req {
	struct ppt_claim_spec *spec;
	size_t naddrs;			/* DEVICEs, or devices of the variant */
	char first[PPT_ADDR_BUFLEN];	/* the first of them */
};

/*
 * The claim request of claim and run: the candidates from DEVICE..., a
 * variant or a match, and the count.  Returns 0, or the exit status when
 * something was wrong (said); cr->spec is then NULL.
 */
int claim_spec(struct ctx *c, struct claim_req *cr);

/* A refused claim: the kernel's reason, and the device that blocked it. */
void claim_report(struct ctx *c, int ret, const struct claim_req *cr);

/*
 * The operation of the command on one device (reserve for add, release
 * for remove); *id gets the request's id, 0 for a synchronous one.
 * Returns 0 or a negative errno (c->h says why).
 */
int cmd_device_op(struct ctx *c, const char *addr, uint64_t *id);

/*
 * -j: the record of a device acted on (output.h's out_result()), its
 * state and owner asked of the kernel now; entry_kind -1 for no entry.
 */
void cmd_record(struct ctx *c, const char *addr, uint64_t req_id,
		int entry_kind, const char *entry);

#endif /* PPTADM_CMDS_H */
