/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The boot lists pptadm add/remove keep: a modprobe.d file, by default
 * /etc/modprobe.d/ppt-devices.conf ($PPT_MODPROBE_CONF overrides it), with
 * one line
 *	options ppt ids=... devices=... paths=... vfs=... sanitise=...
 * that modprobe passes to ppt when it loads.
 *
 * The file is read strictly: blank lines, comments, "options ppt" lines
 * with ids=, devices=, paths=, vfs= and sanitise= (each entry checked as
 * the module checks it; vfs= names each PF once, sanitise= each selector
 * once) and "softdep ... ppt" lines are understood and kept; anything else is
 * an error naming FILE:LINE, and then nothing is changed.  Several
 * "options ppt" lines are merged into the first one (modprobe would pass
 * the same parameter twice and the kernel keep only the last).  Writes are
 * atomic: a temporary file in the same directory, fsync, rename.
 */
#ifndef PPTADM_PERSIST_H
#define PPTADM_PERSIST_H

#include <stdbool.h>
#include <stddef.h>

#include "libppt.h"

#define PERSIST_DEFAULT_PATH	"/etc/modprobe.d/ppt-devices.conf"
#define PERSIST_ENV		"PPT_MODPROBE_CONF"

/* The match lists, indexed by enum ppt_match_kind ... */
#define PERSIST_NLISTS	4
/*
 * ... and the sanitiser policy's entries, sanitise=KIND:SELECTOR=SANITISER
 * joined by ';' (an entry's canon: "KIND:SELECTOR", its selector in
 * canonical form; its text: the whole entry).
 */
#define PERSIST_SANITISE	PERSIST_NLISTS
#define PERSIST_NPARAMS	(PERSIST_NLISTS + 1)

/* An entry of any list with its NUL: "KIND:" + selector + "=" + sanitiser. */
#define PERSIST_ENTRY_BUFLEN	(8 + PPT_MATCH_BUFLEN + PPT_SANITISER_MAX)

/*
 * A vfs= entry's canon is its PF's address alone: the file names each PF
 * once, whatever its count (the kernel keeps one entry per PF), and
 * persist_find() and persist_del() take the PF's address.
 */
struct persist_entry {
	char *text;		/* as the file has it */
	char *canon;		/* canonical, for comparisons (vfs=: the PF) */
	int line;		/* 1-based line it came from; 0: added */
};

struct persist {
	const char *path;
	bool exists;		/* the file was there when loaded */
	char **lines;		/* the file's lines, without newlines */
	size_t nlines;
	long opt_line;		/* index of the first "options ppt" line, -1: none */
	bool lenient;		/* another source: only ppt's lists, bad entries skipped */
	struct persist_entry *list[PERSIST_NPARAMS];
	size_t nlist[PERSIST_NPARAMS];
	bool changed;
};

/* The file to use: $PPT_MODPROBE_CONF, else the default. */
const char *persist_path(void);

/* The parameter name of a list: "ids", "devices", "paths", "vfs", "sanitise". */
const char *persist_param(int list);

/*
 * Parse content (the file's text; NULL for a file that does not exist).
 * On error returns -EINVAL with "PATH:LINE: reason" in err.
 */
int persist_parse(struct persist *p, const char *path, const char *content,
		  char *err, size_t errlen);

/* Read and parse the file; a missing file is an empty one. */
int persist_load(struct persist *p, const char *path, char *err, size_t errlen);

void persist_free(struct persist *p);

/* The entry of a list with this canonical text, or NULL. */
const struct persist_entry *persist_find(const struct persist *p, int list,
					 const char *canon);

/*
 * Add an entry (canonical text); 1 added, 0 already there, -ENOMEM or
 * -E2BIG (below).  A
 * vfs= entry ("PF=count", as entry_normalize() writes it) replaces the
 * PF's entry when its count differs (1); a sanitise= entry
 * ("KIND:SELECTOR=SANITISER", as persist_sanitise_normalize() writes it)
 * replaces its selector's when the sanitiser differs.
 */
int persist_add(struct persist *p, int list, const char *canon);
/* ... or -E2BIG: the list would be longer than the module takes. */

/* What a persist_add() error means, for a message. */
const char *persist_strerror(int err);

/* Drop an entry (for vfs= the PF, for sanitise= "KIND:SELECTOR"); 1 dropped, 0 not there. */
int persist_del(struct persist *p, int list, const char *canon);

/*
 * A sanitise= entry, "KIND:SELECTOR=SANITISER": KIND device, ids or class,
 * the selector as the module takes it (an address, the ids= syntax, 2, 4 or
 * 6 hex digits of a class code), the sanitiser "none" or one pptadm
 * sanitise run takes.  The canonical entry to canon, its key
 * ("KIND:SELECTOR") to key.  Returns 0, or -EINVAL with the reason in why.
 */
int persist_sanitise_normalize(const char *tok, char *canon, size_t len, char *key,
			       size_t keylen, char *why, size_t whylen);

/* The new content (malloc()ed): every line kept, the lists merged. */
char *persist_render(const struct persist *p);

/*
 * Replace the file with content atomically, keeping its mode (0644 for a
 * new file); a symlink is followed and its target replaced.  Returns 0 or a
 * negative errno with the reason in err; on failure the file is unchanged.
 */
int persist_write(const char *path, const char *content, char *err,
		  size_t errlen);

/*
 * Make directory dir and its missing parents (mode 0755), for a file
 * pptadm keeps where nothing made the directory.  0, or a negative errno
 * with the directory it could not make in err.
 */
int persist_mkdirs(const char *dir, char *err, size_t errlen);

/*
 * Another *.conf file in the same directory with an "options ppt" line:
 * modprobe would pass both, and for a parameter set in both the kernel keeps
 * the later one.  Returns its path in buf, or false.
 */
bool persist_others(const char *path, char *buf, size_t len);

/*
 * Whether ppt is loaded from the initramfs on this host, as far as the
 * usual configuration shows (root: "" or a directory standing for /):
 * initramfs-tools' modules file or a hook, or a dracut configuration,
 * naming ppt.  Returns the file that says so in buf, or false.
 */
bool persist_in_initramfs(const char *root, char *buf, size_t len);

/*
 * The lists of another modprobe.d file's "options ppt" lines, read as
 * modprobe and the module read them: everything else in the file, and an
 * entry the module would skip, is ignored.
 */
int persist_load_other(struct persist *p, const char *path, char *err,
		       size_t errlen);

/*
 * The lists the kernel command line gives (ppt.ids=, ppt.devices=,
 * ppt.paths=, ppt.vfs=, below root; "" for the live system).  modprobe passes them
 * after the modprobe.d options, so for a parameter set in both the command
 * line's value is the one ppt gets at boot.  A missing /proc/cmdline is an
 * empty one.
 */
int persist_load_cmdline(struct persist *p, const char *root, char *err,
			 size_t errlen);

/*
 * The other *.conf files in path's directory (malloc()ed paths, freed by
 * the caller with the array).  Returns 0 or -ENOMEM.
 */
int persist_other_files(const char *path, char ***files, size_t *n);

/*
 * Serialise pptadm add and remove: an exclusive flock on the file's
 * directory (the file itself is replaced by a rename).  Returns the lock's
 * descriptor (close() it to unlock) or a negative errno with the reason in
 * err.
 */
int persist_lock(const char *path, char *err, size_t errlen);

#endif /* PPTADM_PERSIST_H */
