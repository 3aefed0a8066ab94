// SPDX-License-Identifier: GPL-2.0-only
/*
 * ppt: reserve PCI functions for passthrough to virtual machines.
 *
 * ppt holds PCI functions away from host drivers, keeps their life-cycle
 * state and owner, and hands them to vfio-pci for a VM and back.  Functions
 * are named at boot with module parameters, which also work on the kernel
 * command line when ppt is loaded from the initramfs:
 *
 *	ppt.ids=1234:1111,8086:293e ppt.devices=0000:03:00.0
 *	ppt.paths=0000:00/02.0/00.0 ppt.vfs=0000:3b:00.0=4
 *	ppt.sanitise=class:0200=none;device:0000:03:00.0=exec:/usr/bin/scrub
 *	ppt.tainted=0000:03:00.0
 *
 * or bound by hand like pci-stub:
 *
 *	echo ppt > /sys/bus/pci/devices/0000:03:00.0/driver_override
 *	echo 0000:03:00.0 > /sys/bus/pci/drivers_probe
 *
 * Everything else goes through the "ppt" generic netlink family, for which
 * include/uapi/linux/ppt.h is the reference; pptadm(8) is its command line.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>

#include "ppt.h"

static char *ids;
module_param(ids, charp, 0444);
MODULE_PARM_DESC(ids,
		 "Reserve functions by id: comma-separated vendor:device[:subvendor[:subdevice[:class[:class_mask]]]] in hex (ffffffff = any; a class without mask matches exactly)");

static char *devices;
module_param(devices, charp, 0444);
MODULE_PARM_DESC(devices,
		 "Reserve functions by PCI address: comma-separated [domain:]bus:dev.fn in hex, as lspci -D prints");

static char *paths;
module_param(paths, charp, 0444);
MODULE_PARM_DESC(paths,
		 "Reserve functions by topology path, stable across bus renumbering: comma-separated [domain:]rootbus/dev.fn[/dev.fn...] in hex, as pptadm list prints");

static char *vfs;
module_param(vfs, charp, 0444);
MODULE_PARM_DESC(vfs,
		 "Reserve the SR-IOV virtual functions of physical functions: comma-separated [domain:]bus:dev.fn[=count] of the PFs (count: VFs to enable, decimal)");

static char *sanitise;
module_param(sanitise, charp, 0444);
MODULE_PARM_DESC(sanitise,
		 "Sanitiser policy: ';'-separated KIND:SELECTOR=SANITISER, KIND device, ids or class (2, 4 or 6 hex digits); SANITISER none, nvme[:METHOD], bar[:BARS] or exec:/PATH.  Defaults: class:0108=nvme;class:03=bar");

module_param_cb(tainted, &ppt_taint_param_ops, NULL, 0644);
MODULE_PARM_DESC(tainted,
		 "Functions a previous boot left with a tenant's data: comma-separated [domain:]bus:dev.fn or topology paths (a write beginning with '+' adds); each arrives dirty, owing its sanitiser, once.  pptadm agent restore gives the list it keeps in /var/lib/ppt/tainted");

bool ppt_auto_clean = true;
module_param_named(auto_clean, ppt_auto_clean, bool, 0644);
MODULE_PARM_DESC(auto_clean,
		 "Clean a device as soon as it comes back from a tenant (default: on); off leaves it dirty until a clean request");

module_param_named(sanitise_timeout, ppt_sanitise_timeout, uint, 0644);
MODULE_PARM_DESC(sanitise_timeout,
		 "Seconds the sanitise agent has to erase a device before the clean fails and the device stays dirty (default 3600; a Sanitize of a large drive may need more)");

module_param_named(agent_wait, ppt_agent_wait, uint, 0644);
MODULE_PARM_DESC(agent_wait,
		 "Seconds a clean that needs a sanitiser waits for a sanitise agent (pptadm agent) to register before it fails and the device stays dirty (default 120)");

static int __init ppt_init(void)
{
	int ret;

	ret = ppt_match_init(ids, devices, paths, vfs);
	if (ret)
		return ret;
	ret = ppt_sanitise_init(sanitise);
	if (ret)
		goto err_match;
	ret = ppt_ops_init();
	if (ret)
		goto err_sanitise;
	ret = ppt_recycle_init();
	if (ret)
		goto err_ops;
	ret = ppt_lease_init();
	if (ret)
		goto err_recycle;
	ret = ppt_agent_init();
	if (ret)
		goto err_lease;
	ret = ppt_netlink_init();
	if (ret)
		goto err_agent;
	ret = ppt_bind_init();
	if (ret)
		goto err_netlink;
	ppt_bind_claim_present();
	ret = pci_register_driver(&ppt_pci_driver);
	if (ret)
		goto err_bind;
	ppt_sriov_init();
	ppt_taint_start();
	pr_info("loaded, protocol version %d\n", PPT_GENL_VERSION);
	return 0;

err_bind:
	ppt_bind_exit();
	ppt_sriov_exit();
	ppt_bind_unclaim_present();
	ppt_bind_return_to_host();
	ppt_gate_exit();
err_netlink:
	ppt_netlink_exit();
err_agent:
	ppt_agent_exit();
err_lease:
	ppt_lease_exit();
err_recycle:
	ppt_recycle_exit();
err_ops:
	ppt_ops_exit();
err_sanitise:
	ppt_sanitise_exit();
err_match:
	ppt_match_exit();
	return ret;
}

/*
 * Unloading never stops a VM: functions with vfio-pci stay there.  The
 * rest go back to host drivers.  Must also survive rmmod -f.
 */
static void __exit ppt_exit(void)
{
	/* no write of tainted= marks a device from here on */
	ppt_taint_stop();
	/* no lease returns a device, and no close recycles one, from here on */
	ppt_lease_exit();
	ppt_recycle_stop();
	/* sanitise requests end: their devices are taken back, dirty */
	ppt_agent_close();
	/* requests still running finish, and their outcomes are announced */
	ppt_ops_close();
	/* recycled devices stay assigned; their runtime-PM watches go */
	ppt_recycle_exit();
	ppt_netlink_exit();
	ppt_agent_exit();
	ppt_ops_exit();
	ppt_bind_exit();
	ppt_sriov_exit();
	ppt_exiting = true;
	pci_unregister_driver(&ppt_pci_driver);
	ppt_bind_return_to_host();
	ppt_gate_exit();
	ppt_sanitise_exit();
	ppt_match_exit();
	pr_info("unloaded\n");
}

module_init(ppt_init);
module_exit(ppt_exit);

MODULE_DESCRIPTION("Reserve PCI functions for passthrough and hand them to vfio-pci");
MODULE_AUTHOR("The ppt developers");
MODULE_LICENSE("GPL");
MODULE_VERSION(PPT_VERSION);
