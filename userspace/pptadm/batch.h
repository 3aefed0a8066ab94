/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pptadm -b FILE: one pptadm command a line, run one after the other in
 * one process, as devlink -batch runs its lines.
 *
 * A line is split into words as a shell splits them, without expanding
 * anything: blanks separate words; '...' keeps everything in it; "..."
 * keeps everything but \" \\ \$ and \`, which lose their backslash; a
 * backslash outside quotes keeps the character after it; a '#' that starts
 * a word starts a comment.  Blank lines and comments are skipped.  An
 * unterminated quote, or a backslash at the end of a line, is an error.
 */
#ifndef PPTADM_BATCH_H
#define PPTADM_BATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/*
 * Split line: *argv gets a malloc()ed NULL-terminated array of malloc()ed
 * words (batch_free()), *argc their number (0 for a blank line or a
 * comment).  Returns 0, -ENOMEM, or -EINVAL with err saying what is wrong.
 */
int batch_split(const char *line, int *argc, char ***argv, char *err,
		size_t errlen);
void batch_free(char **argv);

/*
 * A line's command: run it and return its exit status, or minus it to
 * stop the batch even with force (nothing more can be written).  where
 * is "FILE:LINE", for messages.
 */
typedef int (*batch_fn)(void *arg, int argc, char **argv, const char *where);

/*
 * Run every line of in (named name in messages) through fn, stopping at
 * the first that fails unless force.  A line that cannot be split is a
 * usage error (status 2), said on err.  Returns 0 when every line
 * succeeded, else the status of the first that failed.
 */
int batch_run(FILE *in, const char *name, bool force, batch_fn fn, void *arg,
	      FILE *err);

#endif /* PPTADM_BATCH_H */
