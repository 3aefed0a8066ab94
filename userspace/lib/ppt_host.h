/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Host use of a PCI function, for libppt's reserve path; not installed.
 *
 * Reserving a function unbinds its driver: a disk that backs a mounted
 * filesystem, swap, a ZFS pool, a btrfs volume, an md array or an LVM
 * volume vanishes under the host, and a NIC that carries the host's
 * address, directly or as the port of a bridge, bond or Open vSwitch
 * bridge (every Proxmox/KVM host's vmbr0 or bond0, OpenStack's br-ex),
 * takes the host off the network.  ppt_host_use() finds such use so that
 * one --force cannot take the host's root disk or management NIC.
 *
 * Everything is read below env->root ("" for the live system) so the unit
 * tests run on a fake /sys and /proc; what sysfs does not show (interface
 * addresses, whether a block device is held open, an interface's driver)
 * comes from hooks the tests replace.
 */
#ifndef PPT_HOST_H
#define PPT_HOST_H

#include <stddef.h>

/*
 * Internal to libppt: hidden, so the version script's ppt_[a-z]* does not
 * export it from libppt.so; a public wrapper will.
 */
#define PPT_HOST_API __attribute__((visibility("hidden")))

struct ppt_host_ifaddr {
	char ifname[32];
	char addr[64];		/* "10.0.2.15/24", "fd00::5/64" */
};

struct ppt_host_env {
	/* "" for the live system */
	const char *root;
	/* interface addresses; NULL: read with getifaddrs() */
	const struct ppt_host_ifaddr *ifaddrs;
	size_t nifaddrs;
	/*
	 * Exclusive-open probe of a block device node: 1 held, 0 free, or a
	 * negative errno.  NULL: open(O_RDONLY | O_EXCL | O_CLOEXEC |
	 * O_NONBLOCK) on the node, EBUSY meaning held.
	 */
	int (*busy_probe)(const char *devnode, void *arg);
	void *busy_arg;
	/*
	 * An interface's driver as ethtool reports it ("openvswitch" for an
	 * Open vSwitch internal port) into driver: 0 or a negative errno.
	 * NULL: the ETHTOOL_GDRVINFO ioctl.  Asked only of virtual interfaces
	 * (no /sys/class/net/IF/device) met while walking up from a NIC.
	 */
	int (*if_driver)(const char *ifname, char *driver, size_t len, void *arg);
	void *if_driver_arg;
};

/*
 * What host use PCI function addr ("0000:02:00.0") or a function below it
 * (a bridge's subtree) has, joined by "; " into what:
 *   "enp2s0 (bond0 → vmbr0, up, 10.0.2.15/24)"
 *   "eth0 is a port of Open vSwitch datapath ovs-system, whose br-ex is up
 *    with 10.0.0.5/24"
 *   "eth0 may carry the host's root filesystem (nfs4 from 10.0.2.2:/srv)"
 *   "nvme0n1p2 (mounted on /, ext4)", "nvme0n1p3 (swap)",
 *   "nvme1n1 (held by md0)", "nvme0n1 (held: zfs_member, pool tank)"
 * Returns 1 if any (host-critical), 0 if none, or a negative errno when it
 * could not tell (what then says why).
 */
PPT_HOST_API int ppt_host_use(const struct ppt_host_env *env, const char *addr,
			      char *what, size_t len);

/*
 * The host's interface addresses (getifaddrs()), IPv6 link-local ones left
 * out, as a malloc()ed array.  Returns 0 or a negative errno.
 */
PPT_HOST_API int ppt_host_ifaddrs(struct ppt_host_ifaddr **out, size_t *n);

#endif /* PPT_HOST_H */
