/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * add and remove: the devices now (reserve, release) and the boot lists
 * file (persist.h) for every boot.  The decisions that need no kernel are
 * here for the tests: what else reserves a device at boot (the kernel
 * command line, another modprobe.d file, another entry of the file), and
 * remove's checks of every name before anything is done.
 */
#ifndef PPTADM_BOOTLISTS_H
#define PPTADM_BOOTLISTS_H

#include <stddef.h>

#include "names.h"
#include "output.h"
#include "persist.h"

/*
 * The other sources of ppt's lists at boot: the kernel command line's
 * (below root; "" for the live system), then every other modprobe.d file
 * in path's directory: *n of them, each one's path (what messages name)
 * malloc()ed.  Free with boot_free_elsewhere().
 */
struct persist *boot_load_elsewhere(const char *path, const char *root, size_t *n);
void boot_free_elsewhere(struct persist *v, size_t n);

/*
 * An entry of p that names device d, other than the names being removed:
 * it would reserve the device again at the next boot.  Its list goes to
 * *kind.  NULL when there is none.
 */
const struct persist_entry *boot_other_entry(const struct persist *p,
					     const struct out_device *d,
					     const struct name *names,
					     int nnames, int *kind);

/* The same among the other sources; *src names the source. */
const struct persist_entry *boot_elsewhere_entry(const struct persist *others,
						 size_t nothers,
						 const struct out_device *d,
						 const char **src, int *kind);

/*
 * The vfs= entry of p for a name that is a PF's address (remove drops it,
 * and removes the PF's VFs as sriov PF 0 does), or NULL.
 */
const struct persist_entry *boot_vfs_entry(const struct persist *p,
					   const struct name *n);

/* Why a name cannot be removed. */
struct boot_problem {
	int name;		/* its index */
	int err;		/* -EEXIST, -ENOENT */
	char msg[768];
};

/*
 * remove's checks of names against the file p (its path in messages),
 * the other sources and the devices ppt manages: a name that is neither
 * in the file (its list, or vfs= for a PF's address) nor names a device
 * (-ENOENT), a device another entry would
 * reserve again at boot (-EEXIST, naming the entry).  *pr is malloc()ed;
 * returns 0 or -ENOMEM.
 */
int boot_remove_check(const struct persist *p, const struct persist *others,
		      size_t nothers, const struct out_device *devs, size_t ndevs,
		      const struct name *names, int nnames,
		      struct boot_problem **pr, size_t *npr);

struct ctx;

/*
 * The boot lists file, locked (another add, remove or sanitise --persist
 * would lose this one's change, or this its) and loaded; *lock is the
 * lock's descriptor.  Returns 0, or EXIT_FAIL (said).
 */
int boot_lists_open(struct ctx *c, const char *path, struct persist *p, int *lock);

/*
 * After the boot lists file at path changed: what else a boot needs (the
 * initramfs refreshed, another file that sets ppt's options), on stderr.
 */
void boot_note_change(struct ctx *c, const char *path);

/*
 * Write the boot lists back if they changed, with a note on what else a
 * boot needs (the initramfs refreshed, another file that sets ppt's
 * options); EXIT_FAIL when that fails, saying "done" has been done but
 * the next boot will not know.
 */
int boot_lists_save(struct ctx *c, struct persist *p, const char *done);

/*
 * The kernel command line's ppt.ids=, ppt.devices=, ... replace the file's
 * list of the same name at boot (modprobe passes the command line's
 * options last): warn that an entry added to the file would do nothing.
 */
void boot_note_cmdline(struct ctx *c, const char *path, int list);

#endif /* PPTADM_BOOTLISTS_H */
