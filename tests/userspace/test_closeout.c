// SPDX-License-Identifier: GPL-2.0-only
/*
 * Standard output closed as coreutils closes it (closeout.c): a write that
 * failed, now or before, is an error with its errno; a stream closed
 * already with nothing to write is not.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "closeout.h"
#include "tap.h"

int main(void)
{
	FILE *f;
	int err = -1;

	f = fopen("/dev/null", "w");
	fputs("text\n", f);
	ok(out_close_stream(f, &err) == 0 && err == 0, "/dev/null: written, no error");

	f = fopen("/dev/full", "w");
	fputs("text\n", f);
	ok(out_close_stream(f, &err) == EOF && err == ENOSPC,
	   "/dev/full: the buffered text cannot be written: ENOSPC");

	f = fopen("/dev/full", "w");
	fputs("text\n", f);
	fflush(f);
	ok(ferror(f), "... a flush that failed sets the error");
	ok(out_close_stream(f, &err) == EOF, "... which the close reports");

	f = fopen("/dev/full", "w");
	setvbuf(f, NULL, _IONBF, 0);
	fputs("x", f);
	ok(out_close_stream(f, &err) == EOF && err == 0,
	   "an unbuffered write that failed, nothing pending: an error, its errno unknown");

	f = fopen("/dev/full", "w");
	ok(out_close_stream(f, &err) == 0, "nothing written to /dev/full: no error");

	/* out_flush() on stdout, in a child whose stdout is /dev/full */
	{
		int errpipe[2], st = 0;
		char said[256] = "";
		ssize_t n;
		pid_t pid;

		fflush(NULL);
		if (pipe(errpipe))
			return 1;
		pid = fork();
		if (pid == 0) {
			if (!freopen("/dev/full", "w", stdout) || dup2(errpipe[1], 2) < 0)
				_exit(9);
			fputs("text\n", stdout);
			err = out_flush(stdout);
			fputs("more\n", stdout);
			err += 10 * out_flush(stdout);	/* /dev/null now: fine */
			_exit(out_close_stdout(0) == 0 && err == -1 ? 0 : 8);
		}
		close(errpipe[1]);
		n = read(errpipe[0], said, sizeof(said) - 1);
		said[n > 0 ? n : 0] = '\0';
		waitpid(pid, &st, 0);
		ok(WIFEXITED(st) && WEXITSTATUS(st) == 0,
		   "out_flush: -1 for the write that failed, 0 after; nothing left for the exit");
		is_str(said, "pptadm: write error: No space left on device\n", "... said once, with why");
	}
	return tap_done();
}
