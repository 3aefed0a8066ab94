/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Standard output closed as coreutils' close_stdout() closes it: whatever
 * could not be written (a full disk, /dev/full, a closed pipe when SIGPIPE
 * is ignored) is an error, so that truncated output never comes with exit
 * status 0.
 */
#ifndef PPTADM_CLOSEOUT_H
#define PPTADM_CLOSEOUT_H

#include <stdio.h>

/*
 * Close f (gnulib's close_stream()): EOF when a write to it failed, now or
 * before, with the errno in *err (0 when it is not known); 0 otherwise.  A
 * stream that was closed already (EBADF) with nothing to write is fine.
 */
int out_close_stream(FILE *f, int *err);

/*
 * Flush f during a run (monitor's events, a batch's lines): on a write
 * error say it as out_close_stdout() would ("pptadm: write error: ...")
 * and return -1; stdout then writes to /dev/null, so that the error is
 * said once and exit finds nothing more to report.  0 when all is written.
 */
int out_flush(FILE *f);

/*
 * Close stdout and stderr at exit.  A write error on stdout is said on
 * stderr ("pptadm: write error: No space left on device") and makes
 * status 1 unless it is not 0 already; one on stderr, which cannot be
 * said, too.  Returns the status to exit with.
 */
int out_close_stdout(int status);

#endif /* PPTADM_CLOSEOUT_H */
