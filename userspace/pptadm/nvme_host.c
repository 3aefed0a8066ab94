// SPDX-License-Identifier: GPL-2.0-only
/*
 * The host's nvme driver as the transport of nvme.c's passthrough mode:
 * see nvme_host.h.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/nvme_ioctl.h>

#include "nvme_host.h"

/*
 * What a passthrough admin command may take.  Identify, a log page and
 * Security Receive answer in microseconds; a controller that does not
 * answer in 5 s is one the operator may be reserving because it misbehaves,
 * and the reserve must not wait on it long (the first failure ends it).
 */
#define HOST_ADMIN_TIMEOUT_MS	5000

static int host_admin(void *ctx, const uint32_t cmd[16], void *data, uint32_t len,
		      uint32_t *dw0)
{
	struct nvme_admin_cmd ac;
	int fd = *(int *)ctx, ret;

	memset(&ac, 0, sizeof(ac));
	ac.opcode = (uint8_t)cmd[0];
	ac.nsid = cmd[1];
	ac.addr = (uint64_t)(uintptr_t)data;
	ac.data_len = len;
	ac.cdw10 = cmd[10];
	ac.cdw11 = cmd[11];
	ac.cdw12 = cmd[12];
	ac.cdw13 = cmd[13];
	ac.cdw14 = cmd[14];
	ac.cdw15 = cmd[15];
	ac.timeout_ms = HOST_ADMIN_TIMEOUT_MS;
	/* the driver's answer: 0, the NVMe status (with DNR/More bits), or -1 */
	ret = ioctl(fd, NVME_IOCTL_ADMIN_CMD, &ac);
	if (ret < 0)
		return -errno;
	*dw0 = ac.result;
	return ret;
}

/* The controller's character device, "/dev/nvme0", from sysfs. */
static int host_chardev(const char *addr, char *path, size_t len)
{
	char dir[256], drv[256];
	struct dirent *e;
	ssize_t n;
	DIR *d;

	snprintf(dir, sizeof(dir), "/sys/bus/pci/devices/%s/driver", addr);
	n = readlink(dir, drv, sizeof(drv) - 1);
	if (n < 0)
		return -ENODEV;
	drv[n] = '\0';
	if (strcmp(strrchr(drv, '/') ? strrchr(drv, '/') + 1 : drv, "nvme"))
		return -ENODEV;
	snprintf(dir, sizeof(dir), "/sys/bus/pci/devices/%s/nvme", addr);
	d = opendir(dir);
	if (!d)
		return -ENODEV;
	while ((e = readdir(d)))
		if (!strncmp(e->d_name, "nvme", 4) && e->d_name[4] >= '0' && e->d_name[4] <= '9')
			break;
	if (e)
		snprintf(path, len, "/dev/%s", e->d_name);
	closedir(d);
	return e ? 0 : -ENODEV;
}

int nvme_host_baseline(const char *addr, struct nvme_baseline *b, char *why, size_t whylen)
{
	struct nvme_passthru pt = { .admin = host_admin };
	struct nvme_ctrl *c;
	char path[300];
	int fd, ret;

	ret = host_chardev(addr, path, sizeof(path));
	if (ret)
		return ret;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		snprintf(why, whylen, "%s: %s", path, strerror(-ret));
		return ret == -ENODEV ? -ENXIO : ret;
	}
	pt.ctx = &fd;
	ret = nvme_open_passthru(&pt, &c, why, whylen);
	if (!ret) {
		ret = nvme_baseline_take(c, b, why, whylen);
		nvme_close(c);
	}
	close(fd);
	return ret == -ENODEV ? -ENXIO : ret;
}
