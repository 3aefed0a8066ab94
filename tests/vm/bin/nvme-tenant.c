// SPDX-License-Identifier: GPL-2.0-only
/*
 * nvme-tenant - do to an NVMe controller, through VFIO, what a tenant's
 * own driver may do to it and an erase does not undo, for VM tests.
 *
 *   nvme-tenant BDF format NSID LBAF
 *
 * Opens the controller through VFIO as a VMM would (it must be with
 * vfio-pci: assigned by ppt), resets and enables it with pptadm's polled
 * driver (userspace/pptadm/nvme.c), and formats namespace NSID with LBA
 * format LBAF (no secure erase): the namespace's block size changes, as
 * when a tenant runs "nvme format --lbaf".  Prints "formatted BDF nsid
 * NSID lbaf LBAF"; a failure prints "nvme-tenant: REASON" on stderr and
 * exits 1; usage errors exit 2.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nvme.h"
#include "nvme_vfio.h"
#include "vfio_dev.h"

#define OP_FORMAT	0x80
#define FORMAT_TIMEOUT_S 60

static unsigned long number(const char *s, unsigned long max, const char *what)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || !*s || *end || v > max) {
		fprintf(stderr, "nvme-tenant: bad %s \"%s\" (at most %lu)\n", what, s, max);
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	uint32_t cmd[16] = { OP_FORMAT };
	unsigned long nsid, lbaf;
	struct nvme_ctrl *c;
	struct nvme_vfio nv;
	struct vfio_dev d;
	struct nvme_io io;
	char why[512];
	int ret;

	if (argc != 5 || strcmp(argv[2], "format")) {
		fprintf(stderr, "usage: nvme-tenant BDF format NSID LBAF\n");
		return 2;
	}
	nsid = number(argv[3], 0xffffffffUL, "NSID");
	lbaf = number(argv[4], 63, "LBAF");
	if (nvme_vfio_open(&d, &nv, &io, argv[1], why, sizeof(why))) {
		fprintf(stderr, "nvme-tenant: %s\n", why);
		return 1;
	}
	ret = nvme_open(&io, &c, why, sizeof(why));
	if (!ret) {
		/* Format NVM: LBAF bits 3:0 and 13:12 (LBAFU), SES 000b, no PI */
		cmd[1] = (uint32_t)nsid;
		cmd[10] = (uint32_t)(lbaf & 0xf) | (uint32_t)(lbaf >> 4) << 12;
		ret = nvme_admin_nodata(c, cmd, FORMAT_TIMEOUT_S, why, sizeof(why));
		nvme_close(c);
	}
	vfio_dev_close(&d);
	if (ret) {
		fprintf(stderr, "nvme-tenant: %s: %s\n", argv[1], why);
		return 1;
	}
	printf("formatted %s nsid %lu lbaf %lu\n", argv[1], nsid, lbaf);
	return 0;
}
