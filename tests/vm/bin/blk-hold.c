// SPDX-License-Identifier: GPL-2.0-only
/*
 * blk-hold: hold a block device open exclusively, as ZFS holds its vdevs
 * and btrfs, md and device-mapper hold their members, until stdin ends.
 *
 *   blk-hold /dev/nvme0n1 </tmp/fifo     prints "ready" once it holds it
 *
 * Such a holder leaves no trace in /proc/self/mountinfo (ZFS's mounts name
 * a pool, btrfs's an anonymous 0:N device), so only an exclusive open of
 * the device tells that the host uses it.  Exit status: 0 after stdin
 * ended, 1 when the device could not be held.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char buf[64];
	int fd;

	if (argc != 2) {
		fprintf(stderr, "usage: blk-hold DEVICE\n");
		return 2;
	}
	fd = open(argv[1], O_RDONLY | O_EXCL | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "blk-hold: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	printf("ready\n");
	fflush(stdout);
	while (read(STDIN_FILENO, buf, sizeof(buf)) > 0)
		;
	close(fd);
	return 0;
}
