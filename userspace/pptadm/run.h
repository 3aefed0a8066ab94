/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pptadm run, the supervisor (run.c, cmd_run() in cmds.h): it claims
 * devices under a lease, assigns them, runs a COMMAND with them and gives
 * them back.  The parts that need no kernel are in run_args.c, for the
 * tests and the fuzzer: the COMMAND's arguments with the devices put in,
 * the exit status, what giving a device back does next.  (The VFIO nodes
 * --user gets are vfio_nodes.h's.)
 */
#ifndef PPTADM_RUN_H
#define PPTADM_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "libppt.h"

/*
 * COMMAND's arguments with each "{}" replaced by the addresses joined by
 * commas and each "{N}" (N decimal, up to three digits) by address N;
 * other braces are left alone.  *out is a malloc()ed NULL-terminated
 * array of malloc()ed strings (run_free_argv()).  Returns 0, -ENOMEM, or
 * -ERANGE with err naming the argument whose {N} is past the last device.
 */
int run_expand(int argc, char *const *argv,
	       const char (*addrs)[PPT_ADDR_BUFLEN], size_t n, char ***out,
	       char *err, size_t errlen);
void run_free_argv(char **argv);

/* The addresses joined by sep (malloc()ed): PPT_DEVICES is "a b". */
char *run_join(const char (*addrs)[PPT_ADDR_BUFLEN], size_t n, char sep);

/* A wait status as an exit status: the code, or 128 + the signal. */
int run_exit_status(int wstatus);

/*
 * What giving run's devices back does next with a device, from what the
 * kernel says of it (run_giveback_step()).
 */
enum run_step {
	RUN_DONE,		/* reserved, someone else's, or gone: nothing to do */
	RUN_WAIT,		/* transitional, or cleaning: look again later */
	RUN_UNCLAIM,		/* claimed by us: unclaim it */
	RUN_DIRTY,		/* dirty, and nothing cleans it (auto_clean off) */
	RUN_HELD,		/* still assigned to us: a VFIO user holds it */
	RUN_QUARANTINED,	/* its cleaning failed */
};

/*
 * The step for a device in state (enum ppt_state) with owner, given back
 * by owner; auto_clean: whether the kernel cleans returned devices.
 */
enum run_step run_giveback_step(uint32_t state, const char *dev_owner,
				const char *owner, bool auto_clean);

/* Does the kernel clean returned devices by itself (auto_clean, below root)? */
bool run_auto_clean(const char *root);

#endif /* PPTADM_RUN_H */
