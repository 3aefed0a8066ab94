// SPDX-License-Identifier: GPL-2.0-only
/*
 * list -a's merge of libpci's view with the kernel's, and the address
 * order; both without hardware.
 */
#include <stdlib.h>

#include "inventory.h"
#include "tap.h"

static struct out_device host(const char *addr, const char *driver, int64_t group)
{
	struct out_device d = { .host_only = true };

	snprintf(d.info.addr, sizeof(d.info.addr), "%s", addr);
	snprintf(d.info.driver, sizeof(d.info.driver), "%s", driver);
	snprintf(d.info.path, sizeof(d.info.path), "0000:00/1c.0/%s", addr + 8);
	snprintf(d.info.slot, sizeof(d.info.slot), "%s", "7");
	d.info.iommu_group = group;
	d.info.last_reset = -1;
	return d;
}

int main(void)
{
	struct out_device *devs = calloc(3, sizeof(*devs));
	struct dev_info k[2];
	struct name_cand c;
	size_t n = 3;

	memset(k, 0, sizeof(k));
	devs[0] = host("0000:00:1f.0", "lpc_ich", 4);
	devs[1] = host("0000:01:00.0", "", 9);
	devs[2] = host("0000:00:02.0", "i915", 2);

	snprintf(k[0].addr, sizeof(k[0].addr), "%s", "0000:01:00.0");
	k[0].state = PPT_STATE_CLAIMED;
	snprintf(k[0].owner, sizeof(k[0].owner), "%s", "vm1");
	snprintf(k[0].driver, sizeof(k[0].driver), "%s", "ppt");
	k[0].iommu_group = -1;
	k[0].last_reset = -1;
	snprintf(k[1].addr, sizeof(k[1].addr), "%s", "0001:00:00.0");
	k[1].state = PPT_STATE_DIRTY;
	k[1].iommu_group = 30;
	k[1].last_reset = -1;

	ok(inventory_merge(&devs, &n, k, 2) == 0 && n == 4,
	   "merge: one device matched, one the host list lacked appended");
	ok(!devs[1].host_only && devs[1].info.state == PPT_STATE_CLAIMED,
	   "the managed device takes the kernel's state");
	is_str(devs[1].info.owner, "vm1", "... and owner");
	is_str(devs[1].info.driver, "ppt", "... and driver");
	is_str(devs[1].info.path, "0000:00/1c.0/00.0", "... keeps libpci's path where the kernel has none");
	is_str(devs[1].info.slot, "7", "... and slot");
	ok(devs[1].info.iommu_group == 9, "... and IOMMU group");
	ok(devs[0].host_only && devs[2].host_only, "the others stay host-only");
	ok(!devs[3].host_only && devs[3].info.iommu_group == 30, "the appended one is managed");

	inventory_sort(devs, n);
	is_str(devs[0].info.addr, "0000:00:02.0", "sorted: 00:02.0 first");
	is_str(devs[1].info.addr, "0000:00:1f.0", "then 00:1f.0");
	is_str(devs[2].info.addr, "0000:01:00.0", "then 01:00.0");
	is_str(devs[3].info.addr, "0001:00:00.0", "domain 1 last");

	inventory_cand(&devs[2], &c);
	ok(!strcmp(c.addr, "0000:01:00.0") && !strcmp(c.path, "0000:00/1c.0/00.0"),
	   "candidate fields for name matching");
	{
		struct out_device *kd = inventory_from_kernel(k, 2);

		ok(kd && !kd[0].host_only && !strcmp(kd[1].info.addr, "0001:00:00.0"),
		   "the kernel's list as pptadm prints it");
		free(kd);
	}
	free(devs);
	return tap_done();
}
