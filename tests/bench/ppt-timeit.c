// SPDX-License-Identifier: GPL-2.0-only
/*
 * ppt-timeit: time a command in the guest, for the benchmarks (tests/bench/).
 * busybox has no sub-second clock for shell scripts.
 *
 *   ppt-timeit [-n N] COMMAND [ARG...]
 *	Run COMMAND N times (default 1), one after the other, with its
 *	stdout and stderr on /dev/null, and print "time USEC" for each run:
 *	wall-clock (CLOCK_MONOTONIC) from the fork to the child's exit.
 *
 * Exit status 0 when every run exited 0; otherwise 1, after printing
 * "failed STATUS" for each run that did not.  Usage errors exit 2.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

static int run(char **argv)
{
	int status;
	pid_t pid = fork();

	if (pid < 0) {
		perror("ppt-timeit: fork");
		return -1;
	}
	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY);

		if (fd >= 0) {
			dup2(fd, STDOUT_FILENO);
			dup2(fd, STDERR_FILENO);
		}
		execvp(argv[0], argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0) {
		perror("ppt-timeit: waitpid");
		return -1;
	}
	return status;
}

int main(int argc, char **argv)
{
	int i = 1, n = 1, failed = 0;

	if (argc > 2 && !strcmp(argv[1], "-n")) {
		n = atoi(argv[2]);
		i = 3;
	}
	if (i >= argc || n < 1) {
		fprintf(stderr, "usage: ppt-timeit [-n N] COMMAND [ARG...]\n");
		return 2;
	}
	while (n--) {
		long long t0 = now_us();
		int status = run(argv + i);
		long long t = now_us() - t0;

		if (status < 0)
			return 1;
		printf("time %lld\n", t);
		if (status) {
			printf("failed %d\n", status);
			failed = 1;
		}
		fflush(stdout);
	}
	return failed;
}
