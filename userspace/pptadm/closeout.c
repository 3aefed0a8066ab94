// SPDX-License-Identifier: GPL-2.0-only
/*
 * Closing standard output as coreutils does; see closeout.h.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio_ext.h>
#include <string.h>

#include "closeout.h"

int out_close_stream(FILE *f, int *err)
{
	bool pending = __fpending(f) != 0, failed_before = ferror(f) != 0, failed;

	errno = 0;
	failed = fclose(f) != 0;
	*err = failed ? errno : 0;
	if (failed_before || (failed && (pending || *err != EBADF)))
		return EOF;
	return 0;
}

static void write_error(int err)
{
	if (err)
		fprintf(stderr, "pptadm: write error: %s\n", strerror(err));
	else
		fputs("pptadm: write error\n", stderr);
}

int out_flush(FILE *f)
{
	/* a write that failed already (output beyond the buffer) left its errno */
	int err = ferror(f) ? errno : 0;

	errno = 0;
	if (!fflush(f) && !ferror(f))
		return 0;
	if (!err)
		err = errno;
	write_error(err);
	if (f == stdout && !freopen("/dev/null", "w", stdout))
		clearerr(stdout);
	return -1;
}

int out_close_stdout(int status)
{
	int err;

	if (out_close_stream(stdout, &err)) {
		write_error(err);
		if (!status)
			status = 1;
	}
	if (out_close_stream(stderr, &err) && !status)
		status = 1;
	return status;
}
