// SPDX-License-Identifier: GPL-2.0-only
/*
 * Network devices the host itself uses.
 *
 * Taking a NIC from its host driver takes away every interface above it:
 * a hypervisor's management address usually sits on a bridge (vmbr0,
 * br-ex) or a bond, not on the port itself, so looking only at the port's
 * own addresses would let one --force cut the host off its network.  The
 * kernel sees every interface and its upper devices (bridge, bond, team,
 * VLAN, macvlan, in any network namespace), so a forced reserve is refused
 * here, for every netlink client, when the function's interface or one
 * above it is up with an address (IPv6 link-local ones aside, as every
 * interface has one).  What the kernel cannot see cheaply -- a disk the
 * host has mounted, Open vSwitch bridges (an OVS port's address sits on
 * a separate internal port of its datapath, not an upper device), a root
 * filesystem over the network -- libppt checks before it sends the request;
 * docs/design.md says what a raw netlink client must check itself.
 *
 * Everything here reads under rcu_read_lock() only.
 */
#include <linux/inetdevice.h>
#include <linux/netdevice.h>
#include <net/addrconf.h>
#include <net/net_namespace.h>

#include "ppt.h"

/* Is the interface up with an address the host may be reached at? */
static bool ppt_host_if_addressed(struct net_device *dev)
{
	struct in_device *in4;
	struct inet6_dev *in6;
	struct in_ifaddr *ifa4;
	struct inet6_ifaddr *ifa6;

	if (!(dev->flags & IFF_UP))
		return false;
	in4 = __in_dev_get_rcu(dev);
	if (in4)
		in_dev_for_each_ifa_rcu(ifa4, in4)
			if (ifa4->ifa_scope != RT_SCOPE_HOST)
				return true;
	in6 = __in6_dev_get(dev);
	if (in6)
		list_for_each_entry_rcu(ifa6, &in6->addr_list, if_list)
			if (!(ifa6->scope & (IFA_LINK | IFA_HOST)))
				return true;
	return false;
}

/* netdev_walk_all_upper_dev_rcu() callback: stop at an addressed one */
static int ppt_host_upper(struct net_device *upper,
			  struct netdev_nested_priv *priv)
{
	if (!ppt_host_if_addressed(upper))
		return 0;
	priv->data = upper;
	return 1;
}

static bool ppt_host_below(struct net_device *dev, struct pci_dev *pdev)
{
	struct device *d;

	/* a virtio NIC's interface hangs below a virtio device below the PCI one */
	for (d = dev->dev.parent; d; d = d->parent)
		if (d == &pdev->dev)
			return true;
	return false;
}

/**
 * ppt_host_uses() - does the host reach the network through the function?
 * @pdev: the function
 * @what: receives what was found ("enp2s0 (up with an address on vmbr0)")
 * @len: size of @what
 *
 * Context: process context, any lock; takes rcu_read_lock().
 * Return: true when an interface of the function, or an upper device of
 * one, is up with an address.
 */
bool ppt_host_uses(struct pci_dev *pdev, char *what, size_t len)
{
	struct netdev_nested_priv priv = { };
	struct net_device *dev;
	bool found = false;
	struct net *net;

	rcu_read_lock();
	for_each_net_rcu(net) {
		for_each_netdev_rcu(net, dev) {
			if (!ppt_host_below(dev, pdev))
				continue;
			priv.data = NULL;
			if (ppt_host_if_addressed(dev))
				priv.data = dev;
			else
				netdev_walk_all_upper_dev_rcu(dev, ppt_host_upper,
							      &priv);
			if (!priv.data)
				continue;
			if (priv.data == dev)
				snprintf(what, len,
					 "the host uses the device: its interface %s is up with an address",
					 dev->name);
			else
				snprintf(what, len,
					 "the host uses the device: its interface %s is below %s, which is up with an address",
					 dev->name,
					 ((struct net_device *)priv.data)->name);
			found = true;
			goto out;
		}
	}
out:
	rcu_read_unlock();
	return found;
}
