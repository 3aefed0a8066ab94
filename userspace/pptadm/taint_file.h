/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The kept taint: which functions went to a tenant and have not been
 * cleaned since, on disk, so that a reboot does not forget them.  A
 * reboot or a crash erases neither an NVMe's media nor a GPU's memory,
 * and a function that arrives at ppt with no driver looks like the host's
 * own; ppt's module parameter tainted= makes it arrive dirty instead.
 *
 * pptadm agent keeps the file, /var/lib/ppt/tainted ($PPT_TAINTED_FILE
 * names another), from ppt's events: a function that becomes tainted is
 * added; one the agent saw tainted and then clean is removed; any other
 * line stays (a function ppt no longer knows, or one not given back to
 * ppt yet, still owes its sanitiser).  pptadm agent restore gives the
 * file to ppt, writing the parameter: ppt-agent.service runs it before
 * the agent and the orchestrators.
 *
 * The file: one function per line, by topology path (the paths= syntax,
 * the same slot after bus renumbering) or, for a function too deep for
 * one, by address; '#' starts a comment.  A line that is neither is an
 * error naming the file and line, and nothing is given to ppt.
 */
#ifndef PPTADM_TAINT_FILE_H
#define PPTADM_TAINT_FILE_H

#include <stdbool.h>
#include <stddef.h>

#define TAINT_FILE_DEFAULT	"/var/lib/ppt/tainted"
/* Where ppt takes the list once it is loaded. */
#define TAINT_PARAM_DEFAULT	"/sys/module/ppt/parameters/tainted"

struct taint_set {
	char **tok;		/* canonical path or address, each malloc()ed */
	size_t n;
};

/* The file's path: $PPT_TAINTED_FILE, else TAINT_FILE_DEFAULT. */
const char *taint_file_path(void);

/*
 * Parse the file's content into s (empty first).  0, -ENOMEM, or -EINVAL
 * with "FILE:LINE: reason" in err.
 */
int taint_parse(struct taint_set *s, const char *file, const char *content,
		char *err, size_t errlen);

/* Read the file; a missing file is an empty set.  0 or a negative errno, err said. */
int taint_load(struct taint_set *s, const char *file, char *err, size_t errlen);

/* Replace the file atomically with s.  0 or a negative errno, err said. */
int taint_save(const struct taint_set *s, const char *file, char *err, size_t errlen);

/*
 * Note what ppt says of a function: tainted, or not (then both its path's
 * and its address's lines go).  path may be NULL (unknown).  Returns true
 * when s changed, false when not; -ENOMEM leaves it as it was and returns
 * false with *nomem set.
 */
bool taint_note(struct taint_set *s, const char *addr, const char *path, bool tainted,
		bool *nomem);

/* Is tok in s?  Add it (0 or -ENOMEM)?  Drop it (true when it was there)? */
bool taint_has(const struct taint_set *s, const char *tok);
int taint_add(struct taint_set *s, const char *tok);
bool taint_drop(struct taint_set *s, const char *tok);

/* The set as ppt's tainted= takes it: comma-separated, malloc()ed; NULL on ENOMEM. */
char *taint_join(const struct taint_set *s);

/*
 * Give s to ppt: write it to param (TAINT_PARAM_DEFAULT, or another for
 * the tests).  An empty set writes nothing.  0 or a negative errno, err
 * said (-ENOENT: ppt is not loaded, or is older than tainted=).
 */
int taint_give(const struct taint_set *s, const char *param, char *err, size_t errlen);

void taint_free(struct taint_set *s);

#endif
