/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pptadm check: is this host ready for passthrough?  Each check reads
 * files below a root directory ("" for the live system), so the unit tests
 * run them on a fake /sys, /proc and /lib/modules.  Each adds one or more
 * results: a status, a message, and for WARN and FAIL the fix.  PASS: the
 * host is ready in this respect; INFO: something to know that is no
 * problem and no proof either (Secure Boot's state unknown without EFI);
 * SKIP: the check does not apply (ppt manages no device to check); WARN:
 * a problem that does not stop passthrough; FAIL: one that does.
 */
#ifndef PPTADM_CHECK_H
#define PPTADM_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "output.h"

enum check_status { CHECK_PASS, CHECK_INFO, CHECK_SKIP, CHECK_WARN, CHECK_FAIL };

/* "PASS", "INFO", "SKIP", "WARN", "FAIL" */
const char *check_status_name(enum check_status s);

struct check_result {
	char name[32];
	enum check_status status;
	char msg[512];
	char fix[512];		/* "" when there is nothing to do */
};

struct check_list {
	struct check_result *r;
	size_t n, cap;
};

enum check_agent {
	CHECK_AGENT_UNSUPPORTED,	/* the module has no agents (nor asked): clean runs no sanitiser */
	CHECK_AGENT_NONE,		/* none registered: cleans that need one leave devices dirty */
	CHECK_AGENT_RUNNING,		/* registered: agent_pid, agent_pending */
	CHECK_AGENT_UNKNOWN,		/* the kernel could not be asked: agent_why */
};

struct check_env {
	const char *root;	/* prefix of every path; "" for the live system */
	const char *krel;	/* the running kernel's release */
	const char *version;	/* pptadm's version */
	const char *dmesg;	/* the kernel log, or NULL if unreadable */
	const char *const *devices;	/* ppt's devices (reserved or listed) */
	size_t ndevices;
	const char *const *recycled;	/* devices whose assignment recycles */
	size_t nrecycled;
	/* ppt's devices whose sanitiser policy names a sanitiser, "ADDR (SANITISER)" */
	const char *const *sanitised;
	size_t nsanitised;
	/*
	 * Of those, the NVMe controllers the nvme sanitiser erases, and the
	 * ones among them with no baseline kept (baseline_kept.h)
	 */
	size_t nnvme;
	const char *const *unbaselined;
	size_t nunbaselined;
	/* the sanitise agent that erases them (PPT_CMD_AGENT_GET) */
	enum check_agent agent;
	unsigned int agent_pid, agent_pending;
	const char *agent_why;	/* CHECK_AGENT_UNKNOWN: why the kernel could not be asked */
};

/* The checks, in the order check_all() runs them. */
void check_iommu(const struct check_env *e, struct check_list *l);
void check_cmdline(const struct check_env *e, struct check_list *l);
void check_intremap(const struct check_env *e, struct check_list *l);
void check_vfio(const struct check_env *e, struct check_list *l);
void check_module(const struct check_env *e, struct check_list *l);
void check_secureboot(const struct check_env *e, struct check_list *l);
/* Per device of e->devices: */
void check_groups(const struct check_env *e, struct check_list *l);
void check_acs(const struct check_env *e, struct check_list *l);
void check_boot_vga(const struct check_env *e, struct check_list *l);
void check_builtin(const struct check_env *e, struct check_list *l);
/* Per device of e->recycled (nothing when there is none): */
void check_recycle(const struct check_env *e, struct check_list *l);
void check_sanitise(const struct check_env *e, struct check_list *l);
void check_baseline(const struct check_env *e, struct check_list *l);

void check_all(const struct check_env *e, struct check_list *l);

/*
 * The devices bound to ppt, or handed to vfio-pci by it (driver_override
 * "ppt"), under root: a malloc()ed array of malloc()ed addresses, added to
 * *devs (n entries) without duplicates.  Returns -ENOMEM or 0.
 */
int check_sysfs_devices(const char *root, char ***devs, size_t *n);
/* Add one address to such an array (no duplicates); -ENOMEM or 0. */
int check_add_device(char ***devs, size_t *n, const char *addr);

/* The kernel log (klogctl), malloc()ed, or NULL when it cannot be read. */
char *check_kernel_log(void);

/*
 * One line per result, "STATUS name message; fix: ..." (the fix of a WARN
 * or FAIL), only WARN and FAIL with quiet; or with JSON one object
 * {"checks":[{"check","status","message","fix"}],"pass":N,"warn":N,
 *  "fail":N,"info":N,"skip":N}, status in lower case.
 */
void check_print(FILE *f, enum out_format fmt, bool quiet,
		 const struct check_list *l);

size_t check_count(const struct check_list *l, enum check_status s);
void check_list_free(struct check_list *l);

#endif /* PPTADM_CHECK_H */
